import { describe, expect, it } from 'vitest';
import { moderationPolicy, NO_MODERATION, type ModerationScope } from './moderation.policy.ts';

const mitte: ModerationScope = { userId: '5', isAdmin: false, regionIds: ['2'], leadRegionIds: [] };
const lead: ModerationScope = { ...mitte, leadRegionIds: ['2'] };
const admin: ModerationScope = { userId: '1', isAdmin: true, regionIds: [], leadRegionIds: [] };
// regions: 1 city, 2 Mitte, 3 Pankow, 21 an Ortsteil of Mitte
const inMitte = { region_ids: ['1', '2', '21'] };
const inPankow = { region_ids: ['1', '3'] };
const onBorder = { region_ids: ['1', '2', '3', '21'] };

describe('moderation policy', () => {
  it('admits items touching one of my regions, at any level, and nothing else', () => {
    expect(moderationPolicy.canModerate(inMitte, mitte)).toBe(true);
    expect(moderationPolicy.canModerate(onBorder, mitte)).toBe(true);
    expect(moderationPolicy.canModerate(inPankow, mitte)).toBe(false);
    expect(moderationPolicy.canModerate({ region_ids: [] }, mitte)).toBe(false);
    expect(moderationPolicy.canModerate(inPankow, admin)).toBe(true);
    expect(moderationPolicy.canModerate(inMitte, NO_MODERATION)).toBe(false);
  });

  it('lets leads and admins lead, not moderators', () => {
    expect(moderationPolicy.canLead(inMitte, mitte)).toBe(false);
    expect(moderationPolicy.canLead(inMitte, lead)).toBe(true);
    expect(moderationPolicy.canLead(inPankow, lead)).toBe(false);
    expect(moderationPolicy.canLead(inPankow, admin)).toBe(true);
  });

  it('compiles to one overlap condition with the roles as a binding; nothing for no roles; true for admins', () => {
    expect(moderationPolicy.moderateSql(mitte, 'c')).toEqual({ sql: '((c.region_ids && ?::bigint[]))', bindings: [['2']] });
    expect(moderationPolicy.moderateSql(NO_MODERATION)).toEqual({ sql: 'false', bindings: [] });
    expect(moderationPolicy.moderateSql(admin).sql).toBe('((true))');
    expect(moderationPolicy.leadSql(mitte)).toEqual({ sql: 'false', bindings: [] });
  });
});
