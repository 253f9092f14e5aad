import { areaParams, parseArea, type AreaChoice, type LatLonPoint } from './area';

// The trends page's state, as kept in its URL: where (see area.ts), the trend window, and what the
// heat map shows (metric, period). The map settings change without a navigation (replaceState).

export type TrendWindow = '24h' | '7d';
export type BaseMetric = 'posts' | 'people' | 'per_household';
export type HeatMetric = BaseMetric | `tag:${string}`;

export interface TrendsView {
  choice: AreaChoice;
  window: TrendWindow;
  metric: HeatMetric;
  /** Days of activity the heat map counts. */
  period: number;
}

export const PERIODS = [7, 28, 90] as const;
export const DEFAULT_PERIOD = 28;
const TAG = /^[a-z0-9][a-z0-9-]{0,31}$/;

export const METRIC_LABELS: Record<BaseMetric, string> = {
  posts: 'Posts',
  people: 'People',
  per_household: 'Per household',
};

export function parseMetric(value: string | null): HeatMetric {
  if (value === 'posts' || value === 'people' || value === 'per_household') return value;
  if (value?.startsWith('tag:') && TAG.test(value.slice(4))) return value as HeatMetric;
  return 'posts';
}

export const metricTag = (metric: HeatMetric): string | null => (metric.startsWith('tag:') ? metric.slice(4) : null);

export function parseTrends(params: URLSearchParams, home: LatLonPoint | null): TrendsView {
  const period = Number(params.get('period'));
  return {
    choice: parseArea(params, home),
    window: params.get('window') === '7d' ? '7d' : '24h',
    metric: parseMetric(params.get('metric')),
    period: (PERIODS as readonly number[]).includes(period) ? period : DEFAULT_PERIOD,
  };
}

export function trendsHref(view: TrendsView, changes: Partial<Omit<TrendsView, 'choice'>> = {}): string {
  const next = { ...view, ...changes };
  const params = new URLSearchParams(areaParams(next.choice));
  params.set('window', next.window);
  if (next.metric !== 'posts') params.set('metric', next.metric);
  if (next.period !== DEFAULT_PERIOD) params.set('period', String(next.period));
  return `/trends?${params}`;
}

/** The heat map's `since`: the UTC day `days` days before `now` (the rollups count whole UTC days). */
export function sinceDay(days: number, now = Date.now()): string {
  return new Date(now - days * 86_400_000).toISOString().slice(0, 10);
}

/** What one unit of a metric is called, for the legend and the cell read-out. */
export function metricUnit(metric: HeatMetric, value: number): string {
  const tag = metricTag(metric);
  if (tag) return `${value === 1 ? 'post' : 'posts'} tagged #${tag}`;
  if (metric === 'people') return value === 1 ? 'person posting' : 'people posting';
  if (metric === 'per_household') return 'posts per 1,000 households';
  return value === 1 ? 'post' : 'posts';
}

export function formatMetricValue(metric: HeatMetric, value: number): string {
  if (metric === 'per_household') return value >= 10 ? value.toFixed(0) : value.toFixed(value >= 1 ? 1 : 2);
  return Math.round(value).toLocaleString('en-GB');
}
