import { cellCentroid, cellDisk, cellParent, cellToBigint } from '../geo/h3.ts';
import type { Viewer } from '../http/route.ts';
import type { AudienceScope, PostRow } from '../repositories/post.repository.ts';
import type { RegionRepository } from '../repositories/region.repository.ts';

/** Home res-7 cell plus its first ring: people living there are "neighbours" of posts in the centre cell. */
export function neighborCells7(homeCell9: string): string[] {
  return cellDisk(cellParent(homeCell9, 7), 1).map((c) => cellToBigint(c).toString());
}

export function createAudienceService(regions: RegionRepository) {
  const districtCache = new Map<string, string[]>();

  async function districtNeighborhoods(homeCell9: string): Promise<string[]> {
    const cached = districtCache.get(homeCell9);
    if (cached) return cached;
    const { lat, lon } = cellCentroid(homeCell9);
    const ids = await regions.sameDistrictNeighborhoods(lat, lon);
    if (districtCache.size > 10_000) districtCache.clear();
    districtCache.set(homeCell9, ids);
    return ids;
  }

  return {
    async scopeFor(viewer: Viewer | undefined): Promise<AudienceScope> {
      if (!viewer) return { viewerId: null, neighborCells7: [], regionIds: [] };
      if (!viewer.homeCell) return { viewerId: viewer.id, neighborCells7: [], regionIds: [] };
      return {
        viewerId: viewer.id,
        neighborCells7: neighborCells7(viewer.homeCell),
        regionIds: await districtNeighborhoods(viewer.homeCell),
      };
    },

    /** Same rule as the feed SQL, for single-post reads. */
    canSee(row: Pick<PostRow, 'author_id' | 'status' | 'deleted_at' | 'audience' | 'h3_7' | 'region_id'>, scope: AudienceScope): boolean {
      if (scope.viewerId === row.author_id) return row.deleted_at === null;
      if (row.status !== 'visible' || row.deleted_at !== null) return false;
      if (row.audience === 'public') return true;
      if (row.audience === 'neighbors') return scope.neighborCells7.includes(String(row.h3_7));
      return row.region_id !== null && scope.regionIds.includes(String(row.region_id));
    },

    /** Whether the viewer lives within the neighbour ring of a post's res-7 cell. */
    isNeighborOf(viewer: Viewer, postH3_7: string): boolean {
      return viewer.homeCell !== null && neighborCells7(viewer.homeCell).includes(String(postH3_7));
    },
  };
}

export type AudienceService = ReturnType<typeof createAudienceService>;
