import type { z } from 'zod';
import type { FullLog, PublicLog } from '../contract/moderation.schema.ts';
import { ForbiddenError, NotFoundError } from '../http/errors.ts';
import type { Viewer } from '../http/route.ts';
import { moderationPolicy } from '../policy/moderation.policy.ts';
import type { ModerationLogRepository } from '../repositories/moderation-log.repository.ts';
import type { RegionRoleRepository } from '../repositories/region-role.repository.ts';
import type { ModerationScopeService } from './moderation-scope.service.ts';
import { presentAction, presentRole, publicEntry } from './moderation.presenter.ts';

/** A region's moderation log: public (anonymised) for everyone, in full for the region's moderators. */
export function createModerationLogService(deps: {
  moderationLog: ModerationLogRepository;
  regionRoles: RegionRoleRepository;
  scopes: ModerationScopeService;
  secret: string;
}) {
  const { moderationLog, regionRoles, scopes } = deps;
  const anonymise = publicEntry(deps.secret);
  return {
    async publicLog(key: string, page: { before?: string; limit: number }): Promise<z.infer<typeof PublicLog>> {
      const found = await scopes.regionWithChain(key);
      if (!found) throw new NotFoundError('Region');
      const [rows, roles] = await Promise.all([
        moderationLog.forRegion(found.region.id, { beforeId: page.before, limit: page.limit }),
        regionRoles.list(found.chainIds),
      ]);
      return { items: rows.map(anonymise), moderators: roles.map(presentRole) };
    },

    async fullLog(viewer: Viewer, key: string, page: { before?: string; limit: number }): Promise<z.infer<typeof FullLog>> {
      const scope = await scopes.scopeFor(viewer);
      const found = await scopes.regionWithChain(key);
      if (!found) throw new NotFoundError('Region');
      // regions are public, so saying "not yours" reveals nothing; the rows are confined in SQL as well
      if (!scopes.moderatesRegion(found.chainIds, scope)) throw new ForbiddenError('You do not moderate this region.');
      const rows = await moderationLog.forRegion(
        found.region.id,
        { beforeId: page.before, limit: page.limit },
        moderationPolicy.moderateSql(scope, 'a'),
      );
      return { items: rows.map(presentAction) };
    },
  };
}

export type ModerationLogService = ReturnType<typeof createModerationLogService>;
