import { describe, expect, it } from 'vitest';
import { cellParent, cellToBigint, pointToCell } from '../geo/h3.ts';
import { ANONYMOUS } from '../policy/audience.policy.ts';
import type { LiveEventRow } from '../repositories/event.repository.ts';
import { frameOf, reaches, type Watch } from './live-event.ts';

const place = { lat: 52.5106, lon: 13.459 };
const c9 = cellToBigint(pointToCell(place, 9)).toString();
const c8 = cellToBigint(cellParent(pointToCell(place, 9), 8)).toString();
const c7 = cellToBigint(cellParent(pointToCell(place, 9), 7)).toString();

function row(overrides: Partial<LiveEventRow> = {}): LiveEventRow {
  return {
    id: '10',
    kind: 'post',
    post_id: '5',
    comment_id: null,
    created_at: new Date('2026-12-06T12:00:00Z'),
    recipient_id: null,
    ref_id: null,
    audience: 'public',
    author_id: '1',
    h3_7: c7,
    h3_8: c8,
    h3_9: c9,
    region_id: '3',
    status: 'visible',
    deleted_at: null,
    post_kind: 'alert',
    title: 'Water off',
    display_cell: c9,
    post_created_at: new Date('2026-12-06T12:00:00Z'),
    comment_body: null,
    comment_created_at: null,
    comment_deleted_at: null,
    comment_author_handle: null,
    comment_author_display_name: null,
    reaction_counts: null,
    ...overrides,
  };
}

const watching = (cells: string[], postId: string | null = null): Watch => ({ cells: new Set(cells), postId });

describe('live events', () => {
  it('reach streams watching any of the post’s cells, as the audience policy allows', () => {
    expect(reaches(row(), watching([c7]), ANONYMOUS)).toBe(true);
    expect(reaches(row(), watching([c8]), ANONYMOUS)).toBe(true);
    expect(reaches(row(), watching([c9]), ANONYMOUS)).toBe(true);
    expect(reaches(row(), watching(['1']), ANONYMOUS)).toBe(false);
    expect(reaches(row({ audience: 'neighbors' }), watching([c7]), ANONYMOUS)).toBe(false);
    expect(reaches(row({ audience: 'neighbors' }), watching([c7]), { viewerId: '9', neighborCells7: [c7], regionIds: [] })).toBe(true);
    expect(reaches(row({ audience: 'region' }), watching([c7]), { viewerId: '9', neighborCells7: [], regionIds: ['3'] })).toBe(true);
    expect(reaches(row({ status: 'hidden' }), watching([c7]), ANONYMOUS)).toBe(false);
    // the author follows their own hidden post's page, nobody else does
    const hiddenComment = row({ kind: 'comment', status: 'hidden', comment_id: '7' });
    expect(reaches(hiddenComment, watching([], '5'), { viewerId: '1', neighborCells7: [], regionIds: [] })).toBe(true);
    expect(reaches(hiddenComment, watching([], '5'), ANONYMOUS)).toBe(false);
    expect(reaches(row({ kind: 'comment', comment_id: '7' }), watching([c7], '6'), ANONYMOUS)).toBe(false);
  });

  it('frames carry the display cell and text, never the exact point', () => {
    const frame = frameOf(row())!;
    expect(frame.id).toBe('10');
    expect(frame.text).toMatch(/^id: 10\nevent: post\ndata: \{.*\}\n\n$/);
    expect(JSON.parse(frame.text.split('data: ')[1]!)).toEqual({
      postId: '5',
      kind: 'alert',
      title: 'Water off',
      cell: pointToCell(place, 9),
      createdAt: '2026-12-06T12:00:00.000Z',
    });
    expect(frameOf(row({ kind: 'reaction', reaction_counts: { thanks: '2' } }))!.text).toContain(
      '"reactionCounts":{"plus_one":0,"me_too":0,"thanks":2}',
    );
    // a comment deleted before the stream read its event says nothing
    expect(frameOf(row({ kind: 'comment', comment_id: '7', comment_body: 'x', comment_deleted_at: new Date() }))).toBeUndefined();
  });
});

describe('private events', () => {
  const watchAll: Watch = { cells: new Set([c7, c8, c9]), postId: '5' };
  const me = { ...ANONYMOUS, viewerId: '42' };
  const someoneElse = { ...ANONYMOUS, viewerId: '43' };

  it('reach their recipient only, whatever the stream watches', () => {
    const note = row({ kind: 'notification', post_id: null, recipient_id: '42' });
    expect(reaches(note, { cells: new Set(), postId: null }, me)).toBe(true);
    expect(reaches(note, watchAll, someoneElse)).toBe(false);
    expect(reaches(note, watchAll, ANONYMOUS)).toBe(false);
    // a private event about a public post still goes to its recipient only
    expect(reaches(row({ kind: 'claim', recipient_id: '42' }), watchAll, someoneElse)).toBe(false);
  });

  it('frame as their own SSE event with the id for resume', () => {
    expect(frameOf(row({ id: '77', kind: 'notification', post_id: null, recipient_id: '42' }))?.text).toBe(
      'id: 77\nevent: notifications\ndata: {}\n\n',
    );
    expect(frameOf(row({ kind: 'message', post_id: null, recipient_id: '42', ref_id: '9' }))?.text).toContain('"conversationId":"9"');
    // issue 13: a claim names its offer (ref_id), not the offer's post, and never the claimer
    const claim = frameOf(row({ kind: 'claim', post_id: '5', recipient_id: '42', ref_id: '77' }))?.text;
    expect(claim).toContain('"offerId":"77"');
    expect(claim).not.toContain('actor');
  });

  it('say nothing about a post that is gone', () => {
    expect(frameOf(row({ kind: 'post', display_cell: null as unknown as string }))).toBeUndefined();
  });
});

// issue 13: official alerts
describe('alert events', () => {
  const alert = (overrides: Partial<LiveEventRow> = {}) =>
    row({ kind: 'alert', alert_cells8: [c8], alert_severity: 'urgent', alert_ends_at: new Date('2026-12-07T12:00:00Z'), ...overrides });
  const c9Elsewhere = cellToBigint(pointToCell({ lat: 52.45, lon: 13.3 }, 9)).toString();

  it('reach streams watching any part of the area, at res 7, 8 or 9, and no other', () => {
    expect(reaches(alert(), watching([c7]), ANONYMOUS)).toBe(true);
    expect(reaches(alert(), watching([c8]), ANONYMOUS)).toBe(true);
    expect(reaches(alert(), watching([c9]), ANONYMOUS)).toBe(true);
    expect(reaches(alert(), watching([c9Elsewhere]), ANONYMOUS)).toBe(false);
    // hidden by a moderator meanwhile: the audience policy keeps it off every stream
    expect(reaches(alert({ status: 'hidden' }), watching([c8]), ANONYMOUS)).toBe(false);
  });

  it('frame as an alert event with its id, title, severity and end', () => {
    const text = frameOf(alert())!.text;
    expect(text).toMatch(/^id: 10\nevent: alert\n/);
    expect(JSON.parse(text.split('data: ')[1]!)).toEqual({
      alertId: '5',
      title: 'Water off',
      severity: 'urgent',
      endsAt: '2026-12-07T12:00:00.000Z',
    });
    expect(frameOf(alert({ alert_cells8: null }))).toBeUndefined();
  });
});
