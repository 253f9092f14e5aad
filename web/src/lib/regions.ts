import { browser } from '$app/environment';
import { unwrap, type ApiClient, type Region } from '$lib/api/client';

/** A district with its neighbourhoods, for area pickers. */
export interface DistrictGroup {
  district: Pick<Region, 'id' | 'slug' | 'name'>;
  neighbourhoods: Pick<Region, 'id' | 'slug' | 'name'>[];
}

let cached: Promise<DistrictGroup[]> | undefined;

const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name, 'de');

export function groupRegions(regions: readonly Region[]): DistrictGroup[] {
  const slim = ({ id, slug, name }: Region) => ({ id, slug, name });
  return regions
    .filter((r) => r.kind === 'district')
    .sort(byName)
    .map((d) => ({
      district: slim(d),
      neighbourhoods: regions
        .filter((r) => r.kind === 'neighborhood' && r.parentId === d.id)
        .sort(byName)
        .map(slim),
    }));
}

/**
 * Districts and their neighbourhoods. The browser keeps them for the session (they change with a
 * re-seed, not between searches); the server asks each time, as the list is cheap and per-request.
 */
export function loadRegionGroups(api: ApiClient): Promise<DistrictGroup[]> {
  const load = () => unwrap(api.GET('/api/regions')).then((list) => groupRegions(list.items));
  if (!browser) return load();
  cached ??= load().catch((err) => {
    cached = undefined;
    throw err;
  });
  return cached;
}

export function findRegion(groups: readonly DistrictGroup[], slug: string): { name: string; kind: 'district' | 'neighbourhood' } | null {
  for (const group of groups) {
    if (group.district.slug === slug) return { name: group.district.name, kind: 'district' };
    const hood = group.neighbourhoods.find((n) => n.slug === slug);
    if (hood) return { name: hood.name, kind: 'neighbourhood' };
  }
  return null;
}
