import { SLOW_MODE_MINUTES_MAX } from '../contract/limits.ts';
import { cellParent, cellResolution, cellToBigint } from '../geo/h3.ts';
import { NotFoundError } from '../http/errors.ts';
import type { Viewer } from '../http/route.ts';
import { moderationPolicy } from '../policy/moderation.policy.ts';
import type { SlowModeRepository, SlowModeRow } from '../repositories/slow-mode.repository.ts';
import type { ModerationScopeService } from './moderation-scope.service.ts';

/** Slow mode of the res-7 cell containing `cell` (any res 7-9): public to read, set and lifted by its moderators. */
export function createSlowModeService({ slowMode, scopes }: { slowMode: SlowModeRepository; scopes: ModerationScopeService }) {
  const cell7 = (cell: string) => cellToBigint(cellResolution(cell) === 7 ? cell : cellParent(cell, 7)).toString();
  const present = (row: SlowModeRow | undefined) =>
    row
      ? { active: true, minutes: row.minutes, automatic: row.automatic, reason: row.reason, endsAt: row.ends_at.toISOString() }
      : { active: false, minutes: null, automatic: null, reason: null, endsAt: null };

  async function confined(viewer: Viewer, cell: string): Promise<string> {
    const scope = await scopes.scopeFor(viewer);
    const h3_7 = cell7(cell);
    // a cell outside my regions is "not found" for me, like an item there
    if (!moderationPolicy.isModerator(scope) || !(await slowMode.cellInScope(h3_7, moderationPolicy.moderateSql(scope))))
      throw new NotFoundError('Cell');
    return h3_7;
  }

  return {
    async get(cell: string) {
      return present(await slowMode.active(cell7(cell)));
    },
    async set(viewer: Viewer, cell: string, input: { minutes: number; hours: number; reasonText: string }) {
      const h3_7 = await confined(viewer, cell);
      await slowMode.set(h3_7, Math.min(input.minutes, SLOW_MODE_MINUTES_MAX), input.hours, viewer.id, input.reasonText);
      return present(await slowMode.active(h3_7));
    },
    async lift(viewer: Viewer, cell: string) {
      const h3_7 = await confined(viewer, cell);
      await slowMode.lift(h3_7);
      return present(undefined);
    },
  };
}

export type SlowModeService = ReturnType<typeof createSlowModeService>;
