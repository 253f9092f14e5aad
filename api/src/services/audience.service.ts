import { LRUCache } from 'lru-cache';
import { cellCentroid, cellDisk, cellParent, cellToBigint } from '../geo/h3.ts';
import type { Viewer } from '../http/route.ts';
import { ANONYMOUS, audiencePolicy, type AudienceRow, type AudienceScope } from '../policy/audience.policy.ts';
import type { RegionRepository } from '../repositories/region.repository.ts';
import type { Relations, SocialRepository } from '../repositories/social.repository.ts';

/** Home res-7 cell plus its first ring: people living there are "neighbours" of posts in the centre cell. */
export function neighborCells7(homeCell9: string): string[] {
  return cellDisk(cellParent(homeCell9, 7), 1).map((c) => cellToBigint(c).toString());
}

/** issue 13: a viewer's relations as the scope carries them (lists hide blocked-either-way and muted people). */
export function relationScope(
  rel: Relations,
): Pick<AudienceScope, 'blockedAuthorIds' | 'hiddenAuthorIds' | 'followedUserIds' | 'followedMerchantIds'> {
  return {
    blockedAuthorIds: rel.blocked,
    hiddenAuthorIds: rel.muted.length ? [...new Set([...rel.blocked, ...rel.muted])] : rel.blocked,
    followedUserIds: rel.followedUsers,
    followedMerchantIds: rel.followedMerchants,
  };
}

/**
 * Resolves who a viewer is for the audience policy (policy/audience.policy.ts): their id, the res-7 cells around their
 * home and the neighbourhoods of their home district. The district lookup is spatial, so it is cached per home cell.
 * Issue 13: also whom they block, mute and follow (one small indexed read per request, next to the district lookup;
 * not cached, so a block holds on the very next request on every API process).
 */
export function createAudienceService(regions: Pick<RegionRepository, 'sameDistrictNeighborhoods'>, social: Pick<SocialRepository, 'relationsOf'>) {
  const districtByHome = new LRUCache<string, string[]>({ max: 10_000 });

  async function districtNeighborhoods(homeCell9: string): Promise<string[]> {
    const cached = districtByHome.get(homeCell9);
    if (cached) return cached;
    const { lat, lon } = cellCentroid(homeCell9);
    const ids = await regions.sameDistrictNeighborhoods(lat, lon);
    districtByHome.set(homeCell9, ids);
    return ids;
  }

  return {
    async scopeFor(viewer: Viewer | undefined): Promise<AudienceScope> {
      if (!viewer) return ANONYMOUS;
      const [rel, regionIds] = await Promise.all([social.relationsOf(viewer.id), viewer.homeCell ? districtNeighborhoods(viewer.homeCell) : []]);
      const relations = relationScope(rel);
      if (!viewer.homeCell) return { viewerId: viewer.id, neighborCells7: [], regionIds: [], homeCells8: [], ...relations };
      return {
        viewerId: viewer.id,
        neighborCells7: neighborCells7(viewer.homeCell),
        regionIds,
        homeCells8: [cellToBigint(cellParent(viewer.homeCell, 8)).toString()],
        ...relations,
      };
    },

    /** issue 13: whether the viewer hides this person (blocked either way, or muted) — comments, notifications. */
    hides(scope: AudienceScope, authorId: string): boolean {
      return !audiencePolicy.authorShown(authorId, scope);
    },

    /** Whether a single post may be read by this scope (the policy's JS form). */
    canSee(row: AudienceRow, scope: AudienceScope): boolean {
      return audiencePolicy.canRead(row, scope);
    },

    /** Whether the viewer lives within the neighbour ring of a post's res-7 cell. */
    isNeighborOf(viewer: Viewer, postH3_7: string): boolean {
      return viewer.homeCell !== null && neighborCells7(viewer.homeCell).includes(String(postH3_7));
    },
  };
}

export type AudienceService = ReturnType<typeof createAudienceService>;
