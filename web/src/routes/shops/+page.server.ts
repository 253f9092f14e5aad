import { MERCHANT_CATEGORIES } from '$contract';
import { ApiError, unwrap, type MerchantSummary } from '$lib/api/client';
import { serverApi } from '$lib/server/api';
import type { PageServerLoad } from './$types';

const CENTRE = { lat: 52.52, lon: 13.405 };
const RADII = [250, 500, 1000, 2000, 5000] as const;

/** Shop directory: near the map centre, your home, or Berlin's centre; by category, open now and text. */
export const load: PageServerLoad = async (event) => {
  const { user } = await event.parent();
  const p = event.url.searchParams;
  const lat = Number(p.get('lat'));
  const lon = Number(p.get('lon'));
  const centre = p.get('lat') && Number.isFinite(lat) && Number.isFinite(lon) ? { lat, lon } : (user?.homeCentroid ?? CENTRE);
  const category = (MERCHANT_CATEGORIES as readonly string[]).includes(p.get('category') ?? '')
    ? (p.get('category') as (typeof MERCHANT_CATEGORIES)[number])
    : undefined;
  const radiusRaw = Number(p.get('radius') ?? 1000);
  const radius = (RADII as readonly number[]).includes(radiusRaw) ? (radiusRaw as (typeof RADII)[number]) : 1000;
  const openNow = p.get('open') === '1';
  const q = (p.get('q') ?? '').trim().slice(0, 200);
  let shops: MerchantSummary[] = [];
  let message: string | null = null;
  try {
    const res = await unwrap(
      serverApi(event).GET('/api/merchants', {
        params: {
          query: {
            lat: centre.lat,
            lon: centre.lon,
            radius,
            ...(category ? { category } : {}),
            ...(openNow ? { openNow: 'true' as const } : {}),
            ...(q ? { q } : {}),
            limit: 200,
          },
        },
      }),
    );
    shops = res.items;
  } catch (err) {
    message = err instanceof ApiError ? err.message : 'Shops could not be loaded.';
  }
  return { shops, centre, filters: { category: category ?? '', radius, openNow, q }, message, categories: MERCHANT_CATEGORIES };
};
