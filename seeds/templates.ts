import type { PollPool } from './phrases.ts';

// What neighbours write about, per kind, in German and English. Placeholders are filled by phrases.ts.
// `tags` are always attached (trends depend on them); `extraTags` are added now and then (0-4 tags in total).

export type SeedPostKind = 'post' | 'question' | 'event' | 'alert' | 'poll' | 'lost_found';

export interface PostTemplate {
  kind: SeedPostKind;
  weight: number;
  tags: readonly string[];
  extraTags?: readonly string[];
  de: readonly [title: string, body: string];
  en: readonly [title: string, body: string];
  poll?: PollPool;
  /** written as a for-sale post given away for free (kind for_sale, price 0); drawn like its `kind` */
  giveaway?: boolean;
}

export const TAG_VOCABULARY = [
  'flohmarkt',
  'fahrrad',
  'kita',
  'lost-cat',
  'lost-dog',
  'spaeti',
  'park',
  'party',
  'baustelle',
  'bvg',
  'festival',
  'strassenfest',
  'nachbarschaft',
  'verschenken',
  'cafe',
  'kinder',
  'hund',
  'katze',
  'sperrmuell',
  'wasser',
  'strom',
  'sicherheit',
  'musik',
  'kultur',
  'sport',
  'markt',
  'repair-cafe',
  'garten',
  'recycling',
  'laerm',
  'spielplatz',
  'tram',
  'u-bahn',
  's-bahn',
  'essen',
  'fundsache',
  'arzt',
  'buergeramt',
  'umzug',
] as const;

const t = (template: PostTemplate) => template;

export const BASELINE_TEMPLATES: readonly PostTemplate[] = [
  // post
  t({
    kind: 'post',
    weight: 3,
    tags: ['verschenken'],
    extraTags: ['nachbarschaft', 'umzug'],
    giveaway: true,
    de: ['Zu verschenken: {giveaway}', 'Steht ab heute vor dem Haus in der {street} in {kiez}. Wer zuerst kommt, mahlt zuerst!'],
    en: ['Free to a good home: {giveaway}', "It's out in front of our house on {street} in {kiez}. First come, first served!"],
  }),
  t({
    kind: 'post',
    weight: 2,
    tags: ['spaeti'],
    extraTags: ['nachbarschaft', 'essen'],
    de: ['Späti-Tipp in {kiez}', 'Der Späti bei {station} hat jetzt bis 2 Uhr auf und richtig gutes Eis. Nur so als Tipp.'],
    en: ['Späti tip for {kiez}', 'The Späti near {station} is open until 2am now and has great ice cream. Just saying.'],
  }),
  t({
    kind: 'post',
    weight: 2,
    tags: ['sperrmuell'],
    extraTags: ['recycling', 'nachbarschaft'],
    de: ['Sperrmüll in der {street}', 'Seit einer Woche liegt da ein Berg Sperrmüll. Hab es der BSR gemeldet, vielleicht macht ihr das auch?'],
    en: ['Bulky waste dumped on {street}', "There's been a pile of old furniture for a week. Reported it to BSR - maybe you can too?"],
  }),
  t({
    kind: 'post',
    weight: 2,
    tags: ['park'],
    extraTags: ['garten', 'nachbarschaft'],
    de: [
      'Danke an die Gießgruppe in {kiez}!',
      'Die Straßenbäume in der {street} sehen dank euch endlich wieder gut aus. Nächstes Gießen: {weekday}, {hour}.',
    ],
    en: [
      'Thanks to the tree-watering crew in {kiez}!',
      'The street trees on {street} finally look healthy again. Next watering round: {weekday}, {hour}.',
    ],
  }),
  t({
    kind: 'post',
    weight: 2,
    tags: ['cafe'],
    extraTags: ['essen'],
    de: ['{cafe} hat neu eröffnet', 'Neuer Laden in {kiez}, nicht weit von {station}. Flat White war gut, Kuchen noch besser.'],
    en: ['{cafe} just opened', 'New place in {kiez}, close to {station}. Good flat white, even better cake.'],
  }),
  t({
    kind: 'post',
    weight: 1,
    tags: ['nachbarschaft'],
    extraTags: ['garten', 'kinder'],
    de: ['Hofgarten-Aktion am {weekday}', 'Wir pflanzen im Hinterhof Kräuter und Blumen. Wer Ableger oder Erde übrig hat, bringt sie gern mit.'],
    en: ['Courtyard garden day on {weekday}', "We're planting herbs and flowers in the backyard. Bring cuttings or soil if you have some spare."],
  }),
  t({
    kind: 'post',
    weight: 1,
    tags: ['fahrrad'],
    extraTags: ['sicherheit'],
    de: ['Fahrradbügel vor {station} endlich da', 'Nach zwei Jahren Warten: 20 neue Bügel. Jetzt nur noch die Schrotträder weg.'],
    en: [
      'Bike racks at {station} finally installed',
      'After two years of waiting: 20 new racks. Now someone just needs to clear the abandoned bikes.',
    ],
  }),
  // question
  t({
    kind: 'question',
    weight: 3,
    tags: ['kita'],
    extraTags: ['kinder'],
    de: ['Kita-Platz in {kiez}?', 'Wir suchen ab dem Frühjahr einen Platz für unsere Tochter (1,5). Hat jemand Erfahrung mit der {kita}?'],
    en: ['Daycare spot in {kiez}?', "We're looking for a Kita place from spring for our daughter (18 months). Any experience with {kita}?"],
  }),
  t({
    kind: 'question',
    weight: 2,
    tags: ['arzt'],
    extraTags: ['kinder'],
    de: ['Kinderarzt mit freien Plätzen?', 'Kennt jemand eine Kinderarztpraxis in der Nähe von {station}, die noch Patienten aufnimmt?'],
    en: ['Paediatrician taking new patients?', 'Does anyone know a paediatric practice near {station} that still accepts new patients?'],
  }),
  t({
    kind: 'question',
    weight: 2,
    tags: ['spaeti'],
    extraTags: ['essen'],
    de: ['Welcher Späti hat sonntags offen?', 'Brauche heute Abend noch Milch und Pfand-Rückgabe in {kiez}. Tipps?'],
    en: ['Which Späti is open on Sundays?', 'Need milk and a bottle return tonight in {kiez}. Any tips?'],
  }),
  t({
    kind: 'question',
    weight: 1,
    tags: ['buergeramt'],
    de: ['Bürgeramt-Termin – wie macht ihr das?', 'Seit Wochen kein Termin zu bekommen. Gibt es einen Trick?'],
    en: ['Bürgeramt appointment - how?', "I haven't been able to get an appointment for weeks. Is there a trick?"],
  }),
  t({
    kind: 'question',
    weight: 1,
    tags: ['hund'],
    extraTags: ['park'],
    de: ['Hundesitter in {kiez} gesucht', 'Für {n} Tage im nächsten Monat. Wer kann Empfehlungen geben?'],
    en: ['Dog sitter needed in {kiez}', "For {n} days next month. Anyone you'd recommend?"],
  }),
  t({
    kind: 'question',
    weight: 1,
    tags: ['fahrrad'],
    extraTags: ['repair-cafe'],
    de: ['Gute Fahrradwerkstatt in der Nähe?', 'Mein Rad braucht neue Bremsen. Wer repariert schnell und fair rund um {station}?'],
    en: ['Good bike repair shop nearby?', 'My bike needs new brakes. Who repairs quickly and fairly around {station}?'],
  }),
  // event
  t({
    kind: 'event',
    weight: 3,
    tags: ['flohmarkt'],
    extraTags: ['markt', 'kinder'],
    de: ['Hofflohmarkt in {kiez}', 'Am {weekday} ab {hour}: viele Höfe rund um die {street} öffnen. Kleidung, Bücher, Spielzeug.'],
    en: ['Courtyard flea market in {kiez}', 'This {weekday} from {hour}: lots of courtyards around {street} open up. Clothes, books, toys.'],
  }),
  t({
    kind: 'event',
    weight: 2,
    tags: ['repair-cafe'],
    extraTags: ['recycling', 'nachbarschaft'],
    de: [
      'Repair-Café im Nachbarschaftshaus',
      'Toaster kaputt? Fahrradlicht flackert? Bringt es am {weekday} um {hour} vorbei, wir reparieren zusammen.',
    ],
    en: ['Repair café at the neighbourhood centre', 'Broken toaster? Flickering bike light? Bring it on {weekday} at {hour} and we fix it together.'],
  }),
  t({
    kind: 'event',
    weight: 2,
    tags: ['party'],
    extraTags: ['musik', 'nachbarschaft'],
    de: ['Hoffest in der {street}', 'Wir grillen, es gibt Musik und eine Tombola. {weekday}, {hour}. Alle Nachbarn willkommen!'],
    en: ['Courtyard party on {street}', 'BBQ, music and a raffle. {weekday}, {hour}. All neighbours welcome!'],
  }),
  t({
    kind: 'event',
    weight: 1,
    tags: ['kultur'],
    extraTags: ['musik'],
    de: ['Lesung in der Stadtteilbibliothek', 'Eine Autorin aus {kiez} liest am {weekday} um {hour}. Eintritt frei.'],
    en: ['Reading at the local library', 'An author from {kiez} reads on {weekday} at {hour}. Free entry.'],
  }),
  t({
    kind: 'event',
    weight: 1,
    tags: ['sport'],
    extraTags: ['park'],
    de: ['Lauftreff ab {station}', 'Jeden {weekday} um {hour}, ca. 5 km, alle Tempos willkommen.'],
    en: ['Running group from {station}', 'Every {weekday} at {hour}, about 5 km, all paces welcome.'],
  }),
  t({
    kind: 'event',
    weight: 1,
    tags: ['kinder'],
    extraTags: ['spielplatz'],
    de: ['Kinderflohmarkt auf dem Spielplatz', '{weekday}, {hour}: Kinder verkaufen Spielzeug, Eltern Kuchen.'],
    en: ["Kids' flea market at the playground", '{weekday}, {hour}: kids sell toys, parents sell cake.'],
  }),
  // alert
  t({
    kind: 'alert',
    weight: 2,
    tags: ['wasser'],
    de: ['Wasser abgestellt in der {street}', 'Rohrbruch, die Wasserbetriebe sind vor Ort. Voraussichtlich bis {hour} kein Wasser.'],
    en: ['Water cut off on {street}', 'Burst pipe, the water company is on site. No water until about {hour}.'],
  }),
  t({
    kind: 'alert',
    weight: 2,
    tags: ['fahrrad', 'sicherheit'],
    de: ['Fahrraddiebstähle rund um {station}', 'Diese Woche wurden im Hof bei uns {n} Räder geklaut. Bitte gut anschließen!'],
    en: ['Bike thefts around {station}', '{n} bikes were stolen from our courtyard this week. Lock yours properly!'],
  }),
  t({
    kind: 'alert',
    weight: 2,
    tags: ['bvg'],
    extraTags: ['u-bahn', 's-bahn', 'tram'],
    de: ['Ersatzverkehr ab {station}', 'Bis Sonntag fahren Busse statt Bahnen. Plant 20 Minuten mehr ein.'],
    en: ['Replacement buses from {station}', 'Buses instead of trains until Sunday. Allow an extra 20 minutes.'],
  }),
  t({
    kind: 'alert',
    weight: 1,
    tags: ['strom'],
    de: ['Stromausfall in {kiez}', 'Seit {hour} ist bei uns der Strom weg, Ampeln an der {street} sind aus.'],
    en: ['Power cut in {kiez}', 'Power has been out since {hour}, traffic lights on {street} are down.'],
  }),
  t({
    kind: 'alert',
    weight: 1,
    tags: ['sicherheit'],
    de: ['Vorsicht: falsche Handwerker', 'Zwei Männer klingeln und geben sich als Hausverwaltung aus. Nicht reinlassen!'],
    en: ['Watch out: fake tradesmen', 'Two men are ringing doorbells claiming to be from the property management. Do not let them in!'],
  }),
  // poll
  t({
    kind: 'poll',
    weight: 2,
    tags: ['cafe'],
    poll: 'cafe',
    de: ['Welches Café in {kiez} ist euer Favorit?', 'Für das nächste Nachbarschaftstreffen suchen wir einen Ort.'],
    en: ['Which café in {kiez} is your favourite?', "We're looking for a place for the next neighbours' meetup."],
  }),
  t({
    kind: 'poll',
    weight: 1,
    tags: ['nachbarschaft'],
    extraTags: ['party'],
    poll: 'day',
    de: ['Wann soll das Hoffest stattfinden?', 'Stimmt ab, wir planen dann mit den meisten Stimmen.'],
    en: ['When should we have the courtyard party?', "Vote and we'll go with the most popular slot."],
  }),
  t({
    kind: 'poll',
    weight: 1,
    tags: ['essen'],
    poll: 'snack',
    de: ['Bester Imbiss rund um {station}?', 'Die ewige Frage. Abstimmen!'],
    en: ['Best snack around {station}?', 'The eternal question. Vote!'],
  }),
  t({
    kind: 'poll',
    weight: 1,
    tags: ['spielplatz'],
    extraTags: ['park', 'fahrrad'],
    poll: 'fix',
    de: ['Was braucht {kiez} am dringendsten?', 'Der Bezirk fragt nach Ideen für das Kiezbudget.'],
    en: ['What does {kiez} need most?', 'The district is asking for ideas for the neighbourhood budget.'],
  }),
  // lost & found
  t({
    kind: 'lost_found',
    weight: 3,
    tags: ['lost-cat', 'katze'],
    de: ['Katze {pet} vermisst', 'Unsere Katze ({color}) ist seit gestern nicht nach Hause gekommen. Zuletzt gesehen nahe {station}.'],
    en: ['Missing cat: {pet}', "Our cat ({color}) hasn't come home since yesterday. Last seen near {station}."],
  }),
  t({
    kind: 'lost_found',
    weight: 2,
    tags: ['fundsache'],
    de: ['{item} gefunden', 'Heute an der {street} gefunden. Wer es vermisst, meldet sich mit einer kurzen Beschreibung.'],
    en: ['Found: {item}', 'Found today on {street}. Message me with a short description if it is yours.'],
  }),
  t({
    kind: 'lost_found',
    weight: 1,
    tags: ['lost-dog', 'hund'],
    extraTags: ['park'],
    de: ['Hund entlaufen bei {station}', 'Kleiner Mischling, hört auf {pet}, trägt ein rotes Halsband. Bitte anrufen, nicht jagen!'],
    en: ['Dog ran off near {station}', "Small mixed breed, answers to {pet}, red collar. Please call, don't chase!"],
  }),
  t({
    kind: 'lost_found',
    weight: 1,
    tags: ['fahrrad'],
    de: ['Fahrrad geklaut – wer hat es gesehen?', 'Blaues Hollandrad, vor {station} abgeschlossen und weg. Bin für jeden Hinweis dankbar.'],
    en: ['Bike stolen - has anyone seen it?', 'Blue Dutch bike, locked outside {station} and gone. Grateful for any tips.'],
  }),
];

/** The street festival in Friedrichshain-Kreuzberg over the last three days. */
export const FESTIVAL_TEMPLATES: readonly PostTemplate[] = [
  t({
    kind: 'event',
    weight: 3,
    tags: ['festival', 'strassenfest'],
    extraTags: ['musik', 'party', 'essen'],
    de: [
      'Straßenfest in {kiez} am Wochenende',
      'Drei Bühnen, Essensstände und Kinderprogramm rund um die {street}. Los geht es {weekday} um {hour}.',
    ],
    en: ['Street festival in {kiez} this weekend', 'Three stages, food stalls and a kids programme around {street}. Kicks off {weekday} at {hour}.'],
  }),
  t({
    kind: 'post',
    weight: 2,
    tags: ['festival', 'strassenfest'],
    extraTags: ['musik', 'laerm'],
    de: ['Was für eine Stimmung beim Straßenfest!', 'Gerade an der Bühne nahe {station}, die Band ist großartig.'],
    en: ['What a vibe at the street festival!', 'At the stage near {station} right now, the band is great.'],
  }),
  t({
    kind: 'question',
    weight: 1,
    tags: ['festival', 'strassenfest'],
    extraTags: ['bvg', 'fahrrad'],
    de: ['Straßenfest: wo parkt man das Rad?', 'Ist die {street} komplett gesperrt? Wie kommt man am besten hin?'],
    en: ['Street festival: where to park bikes?', 'Is {street} closed completely? Best way to get there?'],
  }),
  t({
    kind: 'alert',
    weight: 1,
    tags: ['festival', 'strassenfest'],
    extraTags: ['bvg', 'laerm'],
    de: ['Sperrungen wegen Straßenfest', 'Die Busse umfahren {kiez} bis Sonntagabend, Haltestelle {station} entfällt.'],
    en: ['Closures for the street festival', 'Buses are diverted around {kiez} until Sunday night, {station} stop is skipped.'],
  }),
];

/** Construction works piling up in Pankow this week. */
export const BAUSTELLE_TEMPLATES: readonly PostTemplate[] = [
  t({
    kind: 'alert',
    weight: 3,
    tags: ['baustelle'],
    extraTags: ['laerm', 'bvg', 'tram'],
    de: ['Baustelle {street}: Vollsperrung', 'Ab sofort ist die {street} in {kiez} gesperrt, Umleitung über die Nebenstraßen.'],
    en: ['Roadworks on {street}: fully closed', '{street} in {kiez} is closed from today, detour through the side streets.'],
  }),
  t({
    kind: 'question',
    weight: 2,
    tags: ['baustelle'],
    extraTags: ['laerm'],
    de: ['Wie lange dauert die Baustelle noch?', 'Seit Montag Presslufthammer ab 7 Uhr in der {street}. Weiß jemand Genaueres?'],
    en: ['How long will the construction last?', 'Jackhammers from 7am on {street} since Monday. Does anyone know more?'],
  }),
  t({
    kind: 'post',
    weight: 1,
    tags: ['baustelle'],
    extraTags: ['tram', 'bvg'],
    de: ['Tram-Ersatzverkehr wegen Bauarbeiten', 'Zwischen {station} und dem Zentrum fährt diese Woche nur der Bus.'],
    en: ['Tram replaced by buses for construction', 'Only buses between {station} and the centre this week.'],
  }),
];
