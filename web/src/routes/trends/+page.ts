import { createApiClient, type TrendsResult } from '$lib/api/client';
import { areaQuery } from '$lib/area';
import { loadRegionGroups, type DistrictGroup } from '$lib/regions';
import { parseTrends } from '$lib/trends';
import type { PageLoad } from './$types';

// Universal, like search: rendered on the server first; changing area or window in the browser calls
// /api/trends directly. The heat map (client-only, it needs WebGL) fetches /api/hexagons itself.

export const load: PageLoad = async ({ url, fetch, parent }) => {
  const { user } = await parent();
  const view = parseTrends(url.searchParams, user?.homeCentroid ?? null);
  const api = createApiClient(fetch, url.origin);
  const [regions, outcome] = await Promise.all([
    loadRegionGroups(api).catch((): DistrictGroup[] => []),
    api
      .GET('/api/trends', { params: { query: { ...areaQuery(view.choice.area), window: view.window } } })
      .then(({ data, error, response }) => ({ data: data ?? null, status: response.status, problem: error }))
      .catch(() => ({ data: null, status: 503, problem: undefined })),
  ]);
  let failure: string | null = null;
  if (!outcome.data) {
    const unknownRegion = outcome.problem?.errors?.some((e) => e.field.endsWith('region'));
    failure = unknownRegion
      ? 'There is no such district or neighbourhood. Please choose one from the list.'
      : outcome.status === 429
        ? 'Too many requests in a short time. Please wait a moment and try again.'
        : 'Trends could not be loaded right now. Please try again in a moment.';
  }
  return { view, regions, trends: outcome.data as TrendsResult | null, failure, renderedAt: Date.now() };
};
