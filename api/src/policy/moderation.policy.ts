import { matches, toSql, type Field, type Policy, type Predicate, type SqlCondition } from './policy.ts';

/**
 * Which items (posts, comments, regions) a moderator may see and act on — the one definition behind the item reads,
 * the queue, the region logs and every action, next to the audience policy and compiled by the same module.
 *
 * An item carries `region_ids`: every region its display cell touches, at every level (the res-8 cover in
 * region_cells nests city ⊃ district ⊃ neighbourhood, so touching an Ortsteil means touching its Bezirk and the city).
 * A region carries itself and its ancestors. Either is in scope when it shares a region with the viewer's roles, so:
 *  - a district moderator moderates everything touching the district, i.e. its Ortsteile too;
 *  - an item on a border is in scope for the moderators of every region it touches (none falls between two);
 *  - a Mitte moderator shares no region with an item only in Pankow: the item answers 404 like a missing one;
 *  - global administrators moderate everywhere.
 * Leads are moderators who may also reverse other moderators' actions in their regions.
 */

export interface ModerationScope {
  userId: string | null;
  isAdmin: boolean;
  /** regions where the viewer is moderator or lead (descendants are implied by the nested cover) */
  regionIds: string[];
  /** regions where the viewer is lead */
  leadRegionIds: string[];
}

export const NO_MODERATION: ModerationScope = { userId: null, isAdmin: false, regionIds: [], leadRegionIds: [] };

const regions: Field = { column: 'region_ids', type: 'bigint' };
type P = Predicate<ModerationScope>;
const admin: P = { op: 'scopeFlag', test: (s) => s.isAdmin };

const moderates: Policy<ModerationScope> = {
  all: [],
  any: [[admin], [{ op: 'overlapsScope', field: regions, values: (s) => s.regionIds }]],
};

const leads: Policy<ModerationScope> = {
  all: [],
  any: [[admin], [{ op: 'overlapsScope', field: regions, values: (s) => s.leadRegionIds }]],
};

export type ModerationRow = { region_ids: unknown };

export const moderationPolicy = {
  /** JS check: may this scope moderate the item or region? */
  canModerate: (row: ModerationRow, scope: ModerationScope) => matches(moderates, row, scope),
  /** JS check: may this scope reverse other moderators here? */
  canLead: (row: ModerationRow, scope: ModerationScope) => matches(leads, row, scope),
  /** SQL condition on a relation with a `region_ids bigint[]` column (items, cases, the action log). */
  moderateSql: (scope: ModerationScope, alias?: string): SqlCondition => toSql(moderates, scope, alias),
  leadSql: (scope: ModerationScope, alias?: string): SqlCondition => toSql(leads, scope, alias),
  /** Whether the viewer moderates anywhere at all. */
  isModerator: (scope: ModerationScope) => scope.isAdmin || scope.regionIds.length > 0,
};
