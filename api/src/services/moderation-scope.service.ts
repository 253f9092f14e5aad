import type { Viewer } from '../http/route.ts';
import { moderationPolicy, NO_MODERATION, type ModerationScope } from '../policy/moderation.policy.ts';
import type { RegionRoleRepository } from '../repositories/region-role.repository.ts';
import type { RegionRepository, RegionRow } from '../repositories/region.repository.ts';

/** Resolves a viewer's moderation scope (their roles) once per request, for the moderation policy. */
export function createModerationScopeService({ regionRoles, regions }: { regionRoles: RegionRoleRepository; regions: RegionRepository }) {
  return {
    async scopeFor(viewer: Viewer | undefined): Promise<ModerationScope> {
      if (!viewer) return NO_MODERATION;
      const roles = await regionRoles.ofUser(viewer.id);
      return {
        userId: viewer.id,
        isAdmin: viewer.isAdmin,
        regionIds: roles.map((r) => r.region_id),
        leadRegionIds: roles.filter((r) => r.role === 'lead').map((r) => r.region_id),
      };
    },

    /** A region with its ancestors' ids: the row the policy tests for region-wide reads (logs). */
    async regionWithChain(key: string): Promise<{ region: RegionRow; chainIds: string[] } | undefined> {
      const region = await regions.findBySlugOrId(key);
      if (!region) return undefined;
      const chain = await regions.withAncestors(region.id);
      return { region, chainIds: chain.map((r) => r.id) };
    },

    moderatesRegion(chainIds: string[], scope: ModerationScope): boolean {
      return moderationPolicy.canModerate({ region_ids: chainIds }, scope);
    },
  };
}

export type ModerationScopeService = ReturnType<typeof createModerationScopeService>;
