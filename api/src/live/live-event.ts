import { bigintToCell, cellChildren, cellParent, cellToBigint } from '../geo/h3.ts';
import { audiencePolicy, type AudienceScope } from '../policy/audience.policy.ts';
import type { LiveEventRow } from '../repositories/event.repository.ts';

/**
 * Live events as streams see them: what a stream watches, whether an event reaches a viewer (the audience policy —
 * the same definition feeds and single reads use), and the SSE frame, built once per event and shared by every stream
 * it reaches (nothing viewer-specific in it; never the exact point, only the display cell).
 */

export interface Watch {
  /** display-cell columns (bigint strings) at res 7, 8 or 9: a post is in the watched area when any of its columns is */
  cells: Set<string>;
  /** a post whose comments and reaction counts the stream follows (a post page) */
  postId: string | null;
}

export interface Frame {
  id: string;
  /** one SSE message, ready to write */
  text: string;
}

const reactionCounts = (raw: LiveEventRow['reaction_counts']) => ({
  plus_one: Number(raw?.plus_one ?? 0),
  me_too: Number(raw?.me_too ?? 0),
  thanks: Number(raw?.thanks ?? 0),
});

export function sseMessage(id: string | null, event: string, data: unknown): string {
  return `${id === null ? '' : `id: ${id}\n`}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** The SSE message for an event; undefined when it has nothing to say (its comment was deleted meanwhile). */
export function frameOf(row: LiveEventRow): Frame | undefined {
  switch (row.kind) {
    case 'notification':
      // the recipient's notification centre changed: the client refreshes its bell
      return { id: row.id, text: sseMessage(row.id, 'notifications', {}) };
    case 'message':
      return { id: row.id, text: sseMessage(row.id, 'message', { conversationId: row.ref_id === null ? null : String(row.ref_id) }) };
    case 'claim':
      // issue 13: a claim event's ref_id is the offer (its post_id the offer's post)
      return { id: row.id, text: sseMessage(row.id, 'claim', { offerId: row.ref_id === null ? null : String(row.ref_id) }) };
    case 'alert':
      return alertFrame(row); // issue 13: official alerts
  }
  // the others are about a post; a post gone since (or none) leaves nothing to say
  if (row.post_id === null || row.display_cell === null) return undefined;
  switch (row.kind) {
    case 'post':
      return {
        id: row.id,
        text: sseMessage(row.id, 'post', {
          postId: String(row.post_id),
          kind: row.post_kind,
          title: row.title,
          cell: bigintToCell(row.display_cell),
          createdAt: row.post_created_at.toISOString(),
        }),
      };
    case 'comment':
      if (!row.comment_id || row.comment_body === null || row.comment_deleted_at) return undefined;
      return {
        id: row.id,
        text: sseMessage(row.id, 'comment', {
          postId: String(row.post_id),
          comment: {
            id: String(row.comment_id),
            postId: String(row.post_id),
            body: row.comment_body,
            author: { handle: row.comment_author_handle, displayName: row.comment_author_display_name },
            createdAt: row.comment_created_at!.toISOString(),
          },
        }),
      };
    case 'rsvp':
      return undefined;
    case 'reaction':
      return {
        id: row.id,
        text: sseMessage(row.id, 'reactions', { postId: String(row.post_id), reactionCounts: reactionCounts(row.reaction_counts) }),
      };
  }
}

/** Whether an event belongs on a stream with this watch and this viewer's scope. */
export function reaches(row: LiveEventRow, watch: Watch, scope: AudienceScope): boolean {
  // private events: their recipient's streams only, whatever they watch
  if (row.recipient_id !== null) return scope.viewerId !== null && String(row.recipient_id) === scope.viewerId;
  if (row.post_id === null) return false;
  // issue 13: an official alert reaches streams watching any part of its area, as the audience policy allows (public)
  if (row.kind === 'alert') return touchesArea(row, watch) && audiencePolicy.canList(row, scope);
  if (row.kind === 'post') {
    const inArea = watch.cells.has(String(row.h3_7)) || watch.cells.has(String(row.h3_8)) || watch.cells.has(String(row.h3_9));
    // a new post shows where lists show it: visible, undeleted, in the viewer's audience
    return inArea && audiencePolicy.canList(row, scope);
  }
  // comments and counts of the followed post: whoever may open the post (its author too, while it is hidden)
  if (!(watch.postId !== null && String(row.post_id) === watch.postId && audiencePolicy.canRead(row, scope))) return false;
  // issue 13: social — a comment by someone the viewer blocked, was blocked by or muted stays off their stream
  return row.kind !== 'comment' || row.comment_author_id == null || audiencePolicy.authorShown(row.comment_author_id, scope);
}

// --- issue 13: official alerts ---

/** The alert's area at every resolution a watch may hold (res-8 cells, their res-7 parents, res-9 children), once per event. */
const alertAreaKeys = new WeakMap<LiveEventRow, Set<string>>();

function areaKeysOf(row: LiveEventRow): Set<string> {
  let keys = alertAreaKeys.get(row);
  if (!keys) {
    keys = new Set();
    for (const c of row.alert_cells8 ?? []) {
      const cell = bigintToCell(c);
      keys.add(String(c));
      keys.add(cellToBigint(cellParent(cell, 7)).toString());
      for (const child of cellChildren(cell, 9)) keys.add(cellToBigint(child).toString());
    }
    alertAreaKeys.set(row, keys);
  }
  return keys;
}

function touchesArea(row: LiveEventRow, watch: Watch): boolean {
  const keys = areaKeysOf(row);
  for (const c of watch.cells) if (keys.has(c)) return true;
  return false;
}

/** The pinned-alert frame: enough for a board to show it at once (the board reloads its pins for the rest). */
function alertFrame(row: LiveEventRow): Frame | undefined {
  if (row.post_id === null || !row.alert_cells8 || !row.alert_ends_at) return undefined;
  return {
    id: row.id,
    text: sseMessage(row.id, 'alert', {
      alertId: String(row.post_id),
      title: row.title,
      severity: row.alert_severity,
      endsAt: row.alert_ends_at.toISOString(),
    }),
  };
}
