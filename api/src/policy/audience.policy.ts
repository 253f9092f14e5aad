import { matches, toFilter, toSql, indexableSql, type Field, type Policy, type Predicate, type SqlCondition } from './policy.ts';

/**
 * Who may see a post — the one definition behind the single-post check, the feed/board SQL and the search filter
 * (api/test/integration/audience-policy.test.ts generates posts × viewers and checks the three agree).
 *
 *  - public posts: everyone;
 *  - your own posts: you, whatever their audience;
 *  - neighbours-only: people whose home res-7 cell is the post's or touches it;
 *  - region-only: people living in the same district (any of its neighbourhoods);
 *  - area (shop offers): people whose home res-8 cell is one of the offer's target cells.
 *
 * Blocks and mutes (issue 13) are one more `all` predicate, not checks sprinkled over the callers: a block works both
 * ways (neither sees the other's posts, in lists or by id), a mute hides the muted person's posts from the muter's
 * lists only (a link still opens; nothing changes for the muted person). A viewer with neither pays nothing: an empty
 * exclusion list compiles to no SQL and no search filter.
 *
 * Lists (feeds, boards, search) show visible, undeleted posts only. A single read also lets the author open their own
 * hidden or removed post (to see what happened to it and appeal); a deleted post is gone for everyone.
 */

/** Who is looking, resolved once per request (services/audience.service.ts). */
export interface AudienceScope {
  viewerId: string | null;
  /** res-7 cells (bigint strings) around the viewer's home: they count as neighbours of posts there */
  neighborCells7: string[];
  /** neighbourhood region ids in the viewer's home district */
  regionIds: string[];
  /** the viewer's home res-8 cell (bigint string), for offers' target areas; empty without a home */
  homeCells8?: string[];
  /** issue 13: people the viewer blocked or who blocked the viewer — their posts are gone for the viewer everywhere */
  blockedAuthorIds?: string[];
  /** issue 13: blocked (both ways) plus muted by the viewer — left out of the viewer's lists, comments, stream */
  hiddenAuthorIds?: string[];
  /** issue 13: whom the viewer follows (people, shops), for the "following" mark and filter; not an audience rule */
  followedUserIds?: string[];
  followedMerchantIds?: string[];
}

export const ANONYMOUS: AudienceScope = { viewerId: null, neighborCells7: [], regionIds: [], homeCells8: [] };

const F = {
  audience: { column: 'audience', type: 'text', attribute: 'audience' },
  author: { column: 'author_id', type: 'bigint', attribute: 'author_id' },
  cell7: { column: 'h3_7', type: 'cell', attribute: 'h3_7' },
  region: { column: 'region_id', type: 'bigint', attribute: 'region_id' },
  status: { column: 'status', type: 'text' },
  deletedAt: { column: 'deleted_at', type: 'text' },
  targetCells8: { column: 'target_cells8', type: 'cell', attribute: 'target_cells8' },
} satisfies Record<string, Field>;

type P = Predicate<AudienceScope>;
const isAuthor: P = { op: 'eqScope', field: F.author, value: (s) => s.viewerId };
const visible: P = { op: 'eq', field: F.status, value: 'visible' };
const notDeleted: P = { op: 'isNull', field: F.deletedAt };
/** issue 13: not by someone the viewer hides — lists leave out blocked and muted people, single reads blocked ones */
const notHiddenAuthor: P = { op: 'notInScope', field: F.author, values: (s) => s.hiddenAuthorIds ?? [] };
const notBlockedAuthor: P = { op: 'notInScope', field: F.author, values: (s) => s.blockedAuthorIds ?? [] };

/** The audience terms: any one of them lets a viewer see a visible post. */
const audienceTerms: P[][] = [
  [{ op: 'eq', field: F.audience, value: 'public' }],
  [isAuthor],
  [
    { op: 'eq', field: F.audience, value: 'neighbors' },
    { op: 'inScope', field: F.cell7, values: (s) => s.neighborCells7 },
  ],
  [
    { op: 'eq', field: F.audience, value: 'region' },
    { op: 'inScope', field: F.region, values: (s) => s.regionIds },
  ],
  [
    { op: 'eq', field: F.audience, value: 'area' },
    { op: 'overlapsScope', field: F.targetCells8, values: (s) => s.homeCells8 ?? [] },
  ],
];

/** Feeds, boards and search: visible and undeleted, in the viewer's audience. */
const listable: Policy<AudienceScope> = { all: [visible, notDeleted, notHiddenAuthor], any: audienceTerms };

/** One post by id: as listable, and the author also sees their own hidden or removed post. */
const readable: Policy<AudienceScope> = {
  all: [notDeleted, notBlockedAuthor],
  any: [[isAuthor], ...audienceTerms.map((term) => [visible, ...term])],
};

/** issue 13: whether something a person wrote (a comment, a live event) may be shown in the viewer's lists. */
const authorShown: Policy<AudienceScope> = { all: [notHiddenAuthor], any: [[]] };

export type AudienceRow = Record<'audience' | 'author_id' | 'h3_7' | 'region_id' | 'status' | 'deleted_at', unknown> & {
  target_cells8?: unknown;
};

export const audiencePolicy = {
  /** JS check for a single read. */
  canRead: (row: AudienceRow, scope: AudienceScope) => matches(readable, row, scope),
  /** JS check for list membership. */
  canList: (row: AudienceRow, scope: AudienceScope) => matches(listable, row, scope),
  /** SQL condition for list queries (index-only on the feed's covering indexes, which INCLUDE these columns). */
  listSql: (scope: AudienceScope, alias?: string): SqlCondition => toSql(listable, scope, alias),
  /** SQL condition for single reads. */
  readSql: (scope: AudienceScope, alias?: string): SqlCondition => toSql(readable, scope, alias),
  /** Meilisearch filter; the index holds only rows meeting `indexableSql`. */
  searchFilter: (scope: AudienceScope): string => toFilter(listable, scope),
  /** issue 13: comments and other things people wrote — JS check and SQL on an `author_id` column. */
  authorShown: (authorId: unknown, scope: AudienceScope) => matches(authorShown, { author_id: authorId }, scope),
  authorShownSql: (scope: AudienceScope, alias?: string): SqlCondition => toSql(authorShown, scope, alias),
  /** Which posts belong in the search index at all (visible, undeleted). */
  indexableSql: (alias?: string): SqlCondition => indexableSql(listable, ANONYMOUS, alias),
};
