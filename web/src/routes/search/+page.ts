import { createApiClient, type ApiClient, type SearchPage } from '$lib/api/client';
import { loadRegionGroups, type DistrictGroup } from '$lib/regions';
import { apiSearchQuery, parseSearch, runSearch, type SearchState } from '$lib/search';
import type { PageLoad } from './$types';

// A universal load: the first visit is rendered on the server (the GET form works without JavaScript);
// later searches in the browser call /api/search directly instead of going through the server again.

/**
 * Kinds are alternatives (a post matches any chosen kind), so their counts come from the same search
 * without the kind filter: otherwise choosing "Event" would hide every other kind's count.
 */
async function kindCounts(api: ApiClient, state: SearchState): Promise<SearchPage['facets']['kind'] | null> {
  if (!state.kinds.length) return null;
  try {
    const { data } = await api.GET('/api/search', { params: { query: apiSearchQuery(state, { withKinds: false, limit: 1, cursor: null }) } });
    return data?.facets.kind ?? null;
  } catch {
    return null;
  }
}

export const load: PageLoad = async ({ url, fetch, parent }) => {
  const { user } = await parent();
  const state = parseSearch(url.searchParams, user?.homeCentroid ?? null);
  const api = createApiClient(fetch, url.origin);
  const [regions, outcome, otherKinds] = await Promise.all([
    loadRegionGroups(api).catch((): DistrictGroup[] => []),
    runSearch(api, state),
    kindCounts(api, state),
  ]);
  return {
    state,
    regions,
    result: outcome.page,
    failure: outcome.failure,
    kindFacet: otherKinds ?? outcome.page?.facets.kind ?? [],
    renderedAt: Date.now(),
  };
};
