import type { Precision } from '../api/src/geo/h3.ts';
import { COPY_NULL, copyText, copyTextArray } from './copy.ts';
import { EngagementWriter } from './engagement.ts';
import { fillPostText, POLL_OPTIONS, type Lang } from './phrases.ts';
import type { PlacementCache } from './placements.ts';
import type { PopulationRaster, ResidentSampler } from './population-raster.ts';
import { createRng, WeightedChoice, type Rng } from './random.ts';
import { BASELINE_TEMPLATES, BAUSTELLE_TEMPLATES, FESTIVAL_TEMPLATES, type PostTemplate, type SeedPostKind } from './templates.ts';
import { DAY_MS, Timeline } from './timeline.ts';

// Posts follow population (a raster cell drawn by residents, then a uniform point in it) over eight weeks, plus two
// trends worth finding: a street festival in Friedrichshain-Kreuzberg in the last three days and construction works
// in Pankow this week. Posts are generated in created_at order, so ids grow with time as they would in production.

export const POST_COLUMNS = [
  'author_id',
  'kind',
  'title',
  'body',
  'tags',
  'lat',
  'lon',
  'precision',
  'display_cell',
  'h3_9',
  'h3_8',
  'h3_7',
  'h3_5',
  'geom',
  'audience',
  'region_id',
  'status',
  'event_starts_at',
  'poll_options',
  'comment_count',
  'created_at',
  'updated_at',
  // issue 12: giveaways are for-sale posts at price 0
  'sale_price_cents',
] as const;
export const COMMENT_COLUMNS = ['post_id', 'author_id', 'body', 'created_at'] as const;
export const REACTION_COLUMNS = ['post_id', 'user_id', 'kind', 'poll_option', 'created_at'] as const;
export const POLL_VOTE_COLUMNS = ['post_id', 'user_id', 'option', 'voted_at'] as const;

export const HISTORY_DAYS = 56;

interface Spike {
  name: string;
  templates: readonly PostTemplate[];
  /** share of all posts */
  share: number;
  windowMs: number;
  districtCode: string;
  eventDays: [number, number];
  /** Ortsteile the story happens in (default: the whole district) */
  neighborhoods?: readonly string[];
}

export const SPIKES: readonly Spike[] = [
  { name: 'festival', templates: FESTIVAL_TEMPLATES, share: 0.015, windowMs: 3 * DAY_MS, districtCode: '02', eventDays: [0, 3] },
  // construction works are somewhere: concentrated enough that a tag heat map (10 people per cell) can show them
  {
    name: 'baustelle',
    templates: BAUSTELLE_TEMPLATES,
    share: 0.012,
    windowMs: 7 * DAY_MS,
    districtCode: '03',
    eventDays: [1, 7],
    neighborhoods: ['Prenzlauer Berg', 'Weißensee'],
  },
];

const KIND_MIX = new WeightedChoice<SeedPostKind>([
  ['post', 0.32],
  ['question', 0.22],
  ['lost_found', 0.18],
  ['event', 0.13],
  ['alert', 0.08],
  ['poll', 0.07],
]);
const PRECISION_MIX = new WeightedChoice<Precision>([
  [8, 0.75],
  [9, 0.15],
  [7, 0.1],
]);
const AUDIENCE_MIX = new WeightedChoice<string>([
  ['public', 0.85],
  ['neighbors', 0.1],
  ['region', 0.05],
]);

function templateChoice(templates: readonly PostTemplate[]): WeightedChoice<PostTemplate> {
  return new WeightedChoice(templates.map((t) => [t, t.weight] as const));
}

const BASELINE_BY_KIND = new Map(
  (['post', 'question', 'event', 'alert', 'poll', 'lost_found'] as const).map((kind) => [
    kind,
    templateChoice(BASELINE_TEMPLATES.filter((t) => t.kind === kind)),
  ]),
);

export interface PostAuthors {
  /** user ids living in each neighbourhood (by neighbourhood index) */
  byNeighborhood: readonly string[][];
  /** user ids living in each district (by district code) */
  byDistrict: ReadonlyMap<string, string[]>;
  all: readonly string[];
}

export interface PostPlan {
  seed: number;
  count: number;
  firstId: bigint;
  now: Date;
  /** probability that a post gets comments/reactions written (1 for demo sizes, small for benchmark sizes) */
  engagementShare: number;
  raster: PopulationRaster;
  sampler: ResidentSampler;
  placements: PlacementCache;
  neighborhoods: readonly { name: string; districtCode: string }[];
  authors: PostAuthors;
}

/** When each post is written and which story it belongs to (0 = everyday life, i+1 = SPIKES[i]), oldest first. */
function planSlots(plan: PostPlan, timeline: Timeline): { times: Float64Array; story: Uint8Array } {
  const rng = createRng(plan.seed, 'post-times');
  const times = new Float64Array(plan.count);
  const story = new Uint8Array(plan.count);
  let i = 0;
  SPIKES.forEach((spike, s) => {
    const n = Math.min(Math.round(plan.count * spike.share), plan.count - i);
    for (let k = 0; k < n; k++, i++) {
      times[i] = timeline.draw(rng, timeline.nowMs - spike.windowMs, timeline.nowMs);
      story[i] = s + 1;
    }
  });
  for (; i < plan.count; i++) times[i] = timeline.draw(rng);
  const order = Uint32Array.from({ length: plan.count }, (_, k) => k).sort((a, b) => times[a]! - times[b]! || a - b);
  return { times: Float64Array.from(order, (k) => times[k]!), story: Uint8Array.from(order, (k) => story[k]!) };
}

function drawTags(rng: Rng, template: PostTemplate, everyday: boolean): string[] {
  if (everyday && rng.chance(0.08)) return [];
  const tags = [...template.tags];
  for (const extra of template.extraTags ?? []) if (tags.length < 4 && rng.chance(0.35)) tags.push(extra);
  return tags;
}

function authorFor(rng: Rng, authors: PostAuthors, neighborhood: number, districtCode: string): string {
  const local = authors.byNeighborhood[neighborhood] ?? [];
  const district = authors.byDistrict.get(districtCode) ?? [];
  const r = rng.next();
  if (r < 0.6 && local.length) return rng.pick(local);
  if (r < 0.9 && district.length) return rng.pick(district);
  return rng.pick(authors.all);
}

export interface GeneratedPosts {
  lines: Generator<string>;
  engagement: EngagementWriter;
}

/** Post rows as COPY lines (lazily: a million posts are never held in memory), plus their comments and reactions. */
export function generatePosts(plan: PostPlan): GeneratedPosts {
  const timeline = new Timeline(plan.now, HISTORY_DAYS);
  const { times, story } = planSlots(plan, timeline);
  const rng = createRng(plan.seed, 'posts');
  const engagementRng = createRng(plan.seed, 'engagement');
  const engagement = new EngagementWriter(engagementRng, timeline.nowMs);
  const spikeChoices = SPIKES.map((s) => templateChoice(s.templates));
  const spikeNeighborhoods = SPIKES.map((s) =>
    plan.neighborhoods.flatMap((n, i) => (n.districtCode === s.districtCode && (!s.neighborhoods || s.neighborhoods.includes(n.name)) ? [i] : [])),
  );

  function* lines(): Generator<string> {
    for (let i = 0; i < plan.count; i++) {
      const createdMs = times[i]!;
      const s = story[i]! - 1;
      const spike = SPIKES[s];
      const cell = plan.sampler.cellIndex(rng, spike ? spikeNeighborhoods[s] : undefined);
      const neighborhood = plan.raster.neighborhood[cell]!;
      const point = plan.sampler.pointIn(rng, cell);
      const precision = PRECISION_MIX.draw(rng);
      const placed = plan.placements.place(point, precision);

      // Everyday posts occasionally mention festivals and construction too: the trends need a baseline to stand out from.
      const everydayStory = rng.next();
      const template = spike
        ? spikeChoices[s]!.draw(rng)
        : everydayStory < 0.012
          ? spikeChoices[0]!.draw(rng)
          : everydayStory < 0.03
            ? spikeChoices[1]!.draw(rng)
            : BASELINE_BY_KIND.get(KIND_MIX.draw(rng))!.draw(rng);
      const lang: Lang = rng.chance(0.7) ? 'de' : 'en';
      const ctx = { kiez: placed.regionName ?? plan.neighborhoods[neighborhood]!.name, station: placed.station };
      const [title, body] = fillPostText(template[lang], lang, ctx, rng);
      const tags = drawTags(rng, template, !spike);
      const districtCode = plan.neighborhoods[neighborhood]!.districtCode;
      const authorId = authorFor(rng, plan.authors, neighborhood, districtCode);
      const audience = AUDIENCE_MIX.draw(rng);
      const eventStartsAt =
        template.kind === 'event' ? new Date(timeline.eventStart(rng, createdMs, ...(spike?.eventDays ?? [1, 14]))).toISOString() : null;
      const pollOptions = template.poll ? rng.sample(POLL_OPTIONS[template.poll][lang], rng.int(2, 4)) : null;

      let counts = { commentCount: 0 };
      if (rng.chance(plan.engagementShare)) {
        counts = engagement.add(
          {
            postId: (plan.firstId + BigInt(i)).toString(),
            kind: template.kind,
            lang,
            createdMs,
            pollOptionCount: pollOptions?.length ?? 0,
          },
          () => authorFor(engagementRng, plan.authors, neighborhood, districtCode),
        );
      }
      const createdAt = new Date(createdMs).toISOString();
      yield [
        authorId,
        template.giveaway ? 'for_sale' : template.kind,
        copyText(title),
        copyText(body),
        copyTextArray(tags),
        point.lat,
        point.lon,
        precision,
        placed.displayCell,
        placed.h3_9,
        placed.h3_8,
        placed.h3_7,
        placed.h3_5,
        placed.geom,
        audience,
        placed.regionId ?? COPY_NULL,
        'visible',
        eventStartsAt ?? COPY_NULL,
        pollOptions ? copyTextArray(pollOptions) : COPY_NULL,
        counts.commentCount,
        createdAt,
        createdAt,
        template.giveaway ? 0 : COPY_NULL,
      ].join('\t');
    }
  }
  return { lines: lines(), engagement };
}
