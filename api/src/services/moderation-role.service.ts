import { ForbiddenError, NotFoundError } from '../http/errors.ts';
import type { Viewer } from '../http/route.ts';
import type { RegionRoleRepository } from '../repositories/region-role.repository.ts';
import type { RegionRepository } from '../repositories/region.repository.ts';
import { presentRole } from './moderation.presenter.ts';

/** Appointing moderators and leads per region: administrators only. */
export function createModerationRoleService({ regionRoles, regions }: { regionRoles: RegionRoleRepository; regions: RegionRepository }) {
  function requireAdmin(viewer: Viewer) {
    if (!viewer.isAdmin) throw new ForbiddenError('Only administrators appoint moderators.');
  }

  async function resolve(regionKey: string, handle: string) {
    const region = await regions.findBySlugOrId(regionKey);
    if (!region) throw new NotFoundError('Region');
    const userId = await regionRoles.userIdByHandle(handle);
    if (!userId) throw new NotFoundError('User');
    return { region, userId };
  }

  return {
    async mine(viewer: Viewer) {
      return { isAdmin: viewer.isAdmin, roles: (await regionRoles.ofUser(viewer.id)).map(presentRole) };
    },

    async list(viewer: Viewer, regionKey?: string) {
      requireAdmin(viewer);
      let ids: string[] | undefined;
      if (regionKey) {
        const region = await regions.findBySlugOrId(regionKey);
        if (!region) throw new NotFoundError('Region');
        ids = [region.id];
      }
      return { items: (await regionRoles.list(ids)).map(presentRole) };
    },

    async set(viewer: Viewer, input: { region: string; handle: string; role: 'moderator' | 'lead' }) {
      requireAdmin(viewer);
      const { region, userId } = await resolve(input.region, input.handle);
      await regionRoles.upsert(region.id, userId, input.role, viewer.id);
      return { items: (await regionRoles.list([region.id])).map(presentRole) };
    },

    async remove(viewer: Viewer, input: { region: string; handle: string }) {
      requireAdmin(viewer);
      const { region, userId } = await resolve(input.region, input.handle);
      if (!(await regionRoles.remove(region.id, userId))) throw new NotFoundError('Role');
    },
  };
}

export type ModerationRoleService = ReturnType<typeof createModerationRoleService>;
