import { ConflictError, NotFoundError } from '../http/errors.ts';
import type { Viewer } from '../http/route.ts';
import type { PostRow } from '../repositories/post.repository.ts';
import type { WithTransaction } from '../repositories/repositories.ts';
import type { PostDto } from './post.presenter.ts';
import type { PostService } from './post.service.ts';

export interface EventDeps {
  posts: PostService;
  withTransaction: WithTransaction;
}

const HOUR_MS = 3_600_000;

/** RFC 5545 text escaping (backslash, semicolon, comma, newline) and 75-octet line folding. */
function icsText(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r?\n/g, '\\n');
}

function icsTime(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

function fold(line: string): string {
  const out: string[] = [];
  let rest = line;
  while (Buffer.byteLength(rest) > 75) {
    let cut = 75;
    while (Buffer.byteLength(rest.slice(0, cut)) > 75) cut--;
    out.push(rest.slice(0, cut));
    rest = ' ' + rest.slice(cut);
  }
  out.push(rest);
  return out.join('\r\n');
}

/**
 * An iCalendar file for one event. Times are UTC instants (the stored truth); calendars show them in the reader's zone.
 * The location is the place name the author gave, never the exact point.
 */
export function eventIcs(row: PostRow, url: string, now = new Date()): string {
  const start = row.event_starts_at!;
  const end = row.event_ends_at ?? new Date(start.getTime() + 2 * HOUR_MS);
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Hexhood//Events//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    'BEGIN:VEVENT',
    `UID:post-${row.id}@hexhood`,
    `DTSTAMP:${icsTime(now)}`,
    `DTSTART:${icsTime(start)}`,
    `DTEND:${icsTime(end)}`,
    `SUMMARY:${icsText(row.title)}`,
    ...(row.body ? [`DESCRIPTION:${icsText(row.body)}`] : []),
    ...(row.event_place ? [`LOCATION:${icsText(row.event_place)}`] : []),
    `URL:${url}`,
    'END:VEVENT',
    'END:VCALENDAR',
  ];
  return lines.map(fold).join('\r\n') + '\r\n';
}

export function createEventService({ posts, withTransaction }: EventDeps) {
  async function loadEvent(postId: string, viewer: Viewer | undefined): Promise<PostRow> {
    const row = await posts.loadVisible(postId, viewer);
    if (row.kind !== 'event' || !row.event_starts_at) throw new NotFoundError('Event');
    return row;
  }

  return {
    /** Going or maybe; capacity applies to 'going' and is enforced under the event's row lock (rsvp.repository.ts). */
    async rsvp(postId: string, viewer: Viewer, status: 'going' | 'maybe'): Promise<PostDto> {
      const row = await loadEvent(postId, viewer);
      const outcome = await withTransaction((tx) => tx.rsvps.set(postId, viewer.id, status));
      if (outcome === 'gone') throw new NotFoundError('Event');
      if (outcome === 'full') throw new ConflictError('This event is full; you can still say maybe.');
      return posts.present(row, viewer);
    },

    async cancel(postId: string, viewer: Viewer): Promise<PostDto> {
      const row = await loadEvent(postId, viewer);
      await withTransaction((tx) => tx.rsvps.remove(postId, viewer.id));
      return posts.present(row, viewer);
    },

    async ics(postId: string, viewer: Viewer | undefined, origin: string): Promise<{ filename: string; body: string }> {
      const row = await loadEvent(postId, viewer);
      return { filename: `hexhood-event-${row.id}.ics`, body: eventIcs(row, `${origin}/posts/${row.id}`) };
    },
  };
}

export type EventService = ReturnType<typeof createEventService>;
