import type { Rng } from './random.ts';

// Fill-ins for the post templates and the replies people leave. Street names are ones that exist in many districts,
// so no template puts a famous street in the wrong part of town.

export type Lang = 'de' | 'en';
type Both = readonly [de: string, en: string];

const STREETS = [
  'Hauptstraße',
  'Bahnhofstraße',
  'Parkstraße',
  'Schulstraße',
  'Kirchstraße',
  'Lindenstraße',
  'Gartenstraße',
  'Dorfstraße',
  'Berliner Straße',
  'Goethestraße',
  'Schillerstraße',
  'Waldstraße',
  'Bergstraße',
  'Mühlenstraße',
];
const CAFES = [
  'Café Kranich',
  'Milchzahn',
  'Bohnenglück',
  'Röstwerk',
  'Café Zuckerfee',
  'Kiezkaffee',
  'Espressobar Nord',
  'Café Lindenblüte',
  'Kaffeeklappe',
  'Tante Emma Café',
];
const PETS = ['Minka', 'Mogli', 'Felix', 'Luna', 'Tiger', 'Socke', 'Pünktchen', 'Leo', 'Nala', 'Kasimir', 'Frieda'];
const COLORS: readonly Both[] = [
  ['getigert', 'tabby'],
  ['schwarz-weiß', 'black and white'],
  ['rot getigert', 'ginger'],
  ['grau', 'grey'],
  ['schwarz', 'black'],
  ['dreifarbig', 'calico'],
];
const FOUND_ITEMS: readonly Both[] = [
  ['Schlüsselbund', 'bunch of keys'],
  ['Portemonnaie', 'wallet'],
  ['Kinderrucksack', "kid's backpack"],
  ['Handy', 'phone'],
  ['Brille', 'pair of glasses'],
  ['Kuscheltier', 'soft toy'],
  ['Fahrradschloss mit Schlüssel', 'bike lock with key'],
];
const KITAS = ['Kita Sonnenschein', 'Kinderladen Spatzennest', 'Kita Regenbogen', 'Kita Pusteblume', 'Kita Wirbelwind'];
const WEEKDAYS: readonly Both[] = [
  ['Freitag', 'Friday'],
  ['Samstag', 'Saturday'],
  ['Sonntag', 'Sunday'],
  ['Mittwoch', 'Wednesday'],
];
const GIVEAWAYS: readonly Both[] = [
  ['ein Sofa', 'a sofa'],
  ['Kinderkleidung (Gr. 98-110)', "kids' clothes (size 98-110)"],
  ['ein Bücherregal', 'a bookshelf'],
  ['Umzugskartons', 'moving boxes'],
  ['Tomatenpflanzen', 'tomato seedlings'],
  ['einen Kinderwagen', 'a pram'],
  ['Bücher und Brettspiele', 'books and board games'],
];

export interface FillContext {
  kiez: string;
  station: string;
}

function drawValue(key: string, lang: Lang, ctx: FillContext, rng: Rng): string {
  const both = (pair: Both) => (lang === 'de' ? pair[0] : pair[1]);
  switch (key) {
    case 'kiez':
      return ctx.kiez;
    case 'station':
      return ctx.station;
    case 'street':
      return rng.pick(STREETS);
    case 'cafe':
      return rng.pick(CAFES);
    case 'pet':
      return rng.pick(PETS);
    case 'color':
      return both(rng.pick(COLORS));
    case 'item':
      return both(rng.pick(FOUND_ITEMS));
    case 'kita':
      return rng.pick(KITAS);
    case 'weekday':
      return both(rng.pick(WEEKDAYS));
    case 'giveaway':
      return both(rng.pick(GIVEAWAYS));
    case 'hour': {
      const h = rng.pick([10, 11, 14, 15, 16, 18, 19]);
      return lang === 'de' ? `${h} Uhr` : `${h > 12 ? h - 12 : h}${h >= 12 ? 'pm' : 'am'}`;
    }
    case 'n':
      return String(rng.int(2, 12));
    default:
      throw new Error(`unknown placeholder {${key}}`);
  }
}

// Templates split once into literal text and placeholder names (odd positions), instead of a regex per post.
const compiled = new Map<string, string[]>();

function compile(text: string): string[] {
  let parts = compiled.get(text);
  if (!parts) {
    parts = text.split(/\{(\w+)\}/);
    compiled.set(text, parts);
  }
  return parts;
}

/**
 * Replaces {placeholders} in a post's title and body. A placeholder used twice gets the same value both times, so the
 * title's street is the body's street.
 */
export function fillPostText(texts: readonly [string, string], lang: Lang, ctx: FillContext, rng: Rng): [string, string] {
  const values: Record<string, string> = {};
  const out: [string, string] = ['', ''];
  for (let t = 0; t < 2; t++) {
    const parts = compile(texts[t]!);
    let text = parts[0]!;
    for (let i = 1; i < parts.length; i += 2) {
      const key = parts[i]!;
      text += (values[key] ??= drawValue(key, lang, ctx, rng)) + parts[i + 1]!;
    }
    out[t] = text;
  }
  return out;
}

/** Poll answer pools; a poll shows 2-4 of them. */
export const POLL_OPTIONS = {
  cafe: { de: CAFES, en: CAFES },
  day: {
    de: ['Freitagabend', 'Samstagnachmittag', 'Sonntagvormittag', 'Sonntagnachmittag'],
    en: ['Friday evening', 'Saturday afternoon', 'Sunday morning', 'Sunday afternoon'],
  },
  yesno: { de: ['Ja, unbedingt', 'Eher nicht', 'Egal', 'Nur am Wochenende'], en: ['Yes, definitely', 'Rather not', "Don't mind", 'Weekends only'] },
  snack: { de: ['Döner', 'Falafel', 'Currywurst', 'Pizza'], en: ['Döner', 'Falafel', 'Currywurst', 'Pizza'] },
  fix: {
    de: ['Mehr Fahrradbügel', 'Neue Bänke', 'Spielplatz sanieren', 'Mehr Bäume'],
    en: ['More bike racks', 'New benches', 'Renovate the playground', 'More trees'],
  },
} as const satisfies Record<string, { de: readonly string[]; en: readonly string[] }>;
export type PollPool = keyof typeof POLL_OPTIONS;

const GENERIC_REPLIES: Record<Lang, readonly string[]> = {
  de: [
    'Danke für den Hinweis!',
    'Gut zu wissen, danke.',
    'Sehe ich genauso.',
    'Super, danke fürs Teilen!',
    'Ich frag mal bei uns im Haus rum.',
    'Das ist ja ärgerlich.',
    'Oh, das wusste ich nicht.',
    'Top, merke ich mir!',
  ],
  en: [
    'Thanks for the heads-up!',
    'Good to know, thanks.',
    'Same here.',
    'Thanks for sharing!',
    "I'll ask around in our building.",
    'That is annoying.',
    "Didn't know that, thanks!",
  ],
};

const KIND_REPLIES: Record<string, Record<Lang, readonly string[]>> = {
  question: {
    de: [
      'Wir waren sehr zufrieden, kann ich empfehlen.',
      'Frag mal im Familienzentrum, die wissen so was.',
      'Schreib mir gern eine Nachricht, ich hab eine Nummer.',
      'Bei uns hat es drei Monate gedauert, nicht aufgeben!',
      'Der Späti an der Ecke hat sonntags offen.',
    ],
    en: [
      'We were really happy with them, can recommend.',
      'Try the family centre, they know these things.',
      'Send me a message, I have a number for you.',
      'Took us three months, hang in there!',
    ],
  },
  lost_found: {
    de: [
      'Ich halte die Augen offen!',
      'Hab heute früh so eine Katze im Hof gesehen.',
      'Geteilt in unserer Hausgruppe.',
      'Hoffentlich taucht sie bald wieder auf!',
    ],
    en: ["I'll keep an eye out!", 'Saw a cat like that in our courtyard this morning.', 'Shared it in our house chat.', 'Fingers crossed!'],
  },
  event: {
    de: ['Wir kommen vorbei!', 'Gibt es auch was für Kinder?', 'Bin dabei 🙂', 'Kann man noch einen Stand anmelden?'],
    en: ["We'll drop by!", 'Anything for kids?', 'Count me in 🙂', 'Can I still register a stall?'],
  },
  alert: {
    de: ['Bei uns auch, seit heute Morgen.', 'Danke, hab es der Hausverwaltung gemeldet.', 'Weiß jemand, wie lange das noch dauert?'],
    en: ['Same here since this morning.', 'Thanks, reported it to our landlord.', 'Anyone know how long this will take?'],
  },
};

export function replyText(kind: string, lang: Lang, rng: Rng): string {
  const specific = KIND_REPLIES[kind];
  const pool = specific && rng.chance(0.7) ? specific[lang] : GENERIC_REPLIES[lang];
  return rng.pick(pool);
}
