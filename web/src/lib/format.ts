import type { PostKind } from '$lib/api/client';

export const KIND_LABELS: Record<PostKind | 'offer', string> = {
  post: 'Post',
  question: 'Question',
  event: 'Event',
  alert: 'Alert',
  poll: 'Poll',
  lost_found: 'Lost & found',
  for_sale: 'For sale & free',
  offer: 'Shop offer',
};

// Text colours on their pale backgrounds all reach WCAG AA (≥ 4.5:1).
export const KIND_COLORS: Record<PostKind | 'offer', { fg: string; bg: string; dot: string }> = {
  post: { fg: '#14532d', bg: '#dcfce7', dot: '#16a34a' },
  question: { fg: '#1e3a8a', bg: '#dbeafe', dot: '#2563eb' },
  event: { fg: '#581c87', bg: '#f3e8ff', dot: '#9333ea' },
  alert: { fg: '#7f1d1d', bg: '#fee2e2', dot: '#dc2626' },
  poll: { fg: '#713f12', bg: '#fef3c7', dot: '#d97706' },
  lost_found: { fg: '#164e63', bg: '#cffafe', dot: '#0891b2' },
  for_sale: { fg: '#831843', bg: '#fce7f3', dot: '#db2777' },
  offer: { fg: '#7c2d12', bg: '#ffedd5', dot: '#ea580c' },
};

export const SALE_CONDITION_LABELS = { new: 'New', like_new: 'Like new', good: 'Good', fair: 'Fair' } as const;

const euros = new Intl.NumberFormat('de-DE', { style: 'currency', currency: 'EUR' });

/** "Free" or "45,00 €" (prices are whole euro cents). */
export function formatPrice(cents: number): string {
  return cents === 0 ? 'Free' : euros.format(cents / 100);
}

export const PRECISION_LABELS: Record<7 | 8 | 9, string> = {
  7: 'District area (~5 km²)',
  8: 'Neighbourhood (~0.7 km²)',
  9: 'Block (~0.1 km²)',
};

export const AUDIENCE_LABELS = {
  public: 'Everyone',
  neighbors: 'Neighbours only',
  region: 'My district',
} as const;

export function radiusLabel(metres: number): string {
  return metres >= 1000 ? `${metres / 1000} km` : `${metres} m`;
}

const relative = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
const absolute = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Europe/Berlin' });

/** "5 minutes ago" for recent times, a Berlin-time date otherwise. Pass `now` for stable SSR output. */
export function timeAgo(iso: string, now = Date.now()): string {
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return '';
  const seconds = Math.round((then - now) / 1000);
  const abs = Math.abs(seconds);
  if (abs < 60) return 'just now';
  if (abs < 3600) return relative.format(Math.round(seconds / 60), 'minute');
  if (abs < 86400) return relative.format(Math.round(seconds / 3600), 'hour');
  if (abs < 7 * 86400) return relative.format(Math.round(seconds / 86400), 'day');
  return absolute.format(then);
}

export function formatDateTime(iso: string): string {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? iso : absolute.format(t);
}

/** Tags as the API wants them: lowercase, dash-separated words, deduplicated. */
export function parseTags(text: string): string[] {
  const tags = text
    .split(/[,\s#]+/)
    .map((t) => t.trim().toLowerCase())
    .filter(Boolean);
  return [...new Set(tags)];
}
