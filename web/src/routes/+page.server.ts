import { ApiError, unwrap, type Post } from '$lib/api/client';
import { FEED_PAGE_SIZE, parseBoardView } from '$lib/board';
import { serverApi } from '$lib/server/api';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const { user } = await event.parent();
  const view = parseBoardView(event.url.searchParams, user?.homeCentroid ?? null);
  const api = serverApi(event);
  const kind = view.kind ?? undefined;
  // issue 13: "following only" (for someone signed in; signed out it would always be empty)
  const following = view.following && user ? ('true' as const) : undefined;
  // without JavaScript, "More posts" is a link to the next page (?cursor=…)
  const cursor = event.url.searchParams.get('cursor')?.slice(0, 512) || undefined;
  // issue 13: official alerts covering this view, pinned at the top (a failure leaves the pins empty, not the board)
  const pinned = api
    .GET('/api/alerts', { params: { query: view.cell ? { cell: view.cell } : { lat: view.lat, lon: view.lon } } })
    .then((r) => r.data?.items ?? [])
    .catch(() => []);
  let feed: { items: Post[]; nextCursor: string | null } | null = null;
  let feedError: string | null = null;
  try {
    feed = view.cell
      ? await unwrap(
          api.GET('/api/cells/{cell}/posts', {
            params: {
              path: { cell: view.cell },
              query: { limit: FEED_PAGE_SIZE, kind, lat: view.lat, lon: view.lon, free: view.free ? 'true' : undefined, following, cursor },
            },
          }),
        )
      : await unwrap(
          api.GET('/api/feed', {
            params: {
              query: {
                lat: view.lat,
                lon: view.lon,
                radius: view.radius,
                limit: FEED_PAGE_SIZE,
                kind,
                free: view.free ? 'true' : undefined,
                following,
                cursor,
              },
            },
          }),
        );
  } catch (err) {
    feedError =
      err instanceof ApiError && err.status < 500 && err.status !== 404
        ? err.message
        : 'The posts could not be loaded right now. Please try again in a moment.';
  }
  // issue 12: a hexagon board is titled with its place (main street, Ortsteil)
  let place: { cell: string; title: string | null } | null = null;
  if (view.cell) {
    const found = await api.GET('/api/places/{cell}', { params: { path: { cell: view.cell } } }).catch(() => null);
    if (found?.data) place = { cell: view.cell, title: found.data.title };
  }
  return { view, feed, feedError, place, alerts: await pinned, renderedAt: Date.now(), introSeen: event.cookies.get(INTRO_COOKIE) === '1' };
};

// issue 12: the first visit's introduction, dismissed once per browser
const INTRO_COOKIE = 'hx_intro';

export const actions: Actions = {
  dismissIntro: async ({ cookies, url }) => {
    cookies.set(INTRO_COOKIE, '1', {
      path: '/',
      maxAge: 60 * 60 * 24 * 365 * 2,
      httpOnly: false,
      sameSite: 'lax',
      secure: url.protocol === 'https:',
    });
    return { introDismissed: true };
  },
};
