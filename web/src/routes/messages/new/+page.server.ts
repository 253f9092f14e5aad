import { error, redirect } from '@sveltejs/kit';
import { MESSAGE_MAX } from '$contract';
import { ApiError, unwrap } from '$lib/api/client';
import { serverApi } from '$lib/server/api';
import { failFromApi, failWith, text } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

// Write to a person (?to=handle, from their profile or a post: &post=id) or a shop (?shop=id, about an offer: &offer=id).
// The first message starts the conversation, or continues the one there is.

const ID = /^[1-9][0-9]{0,17}$/;
const HANDLE = /^[A-Za-z0-9_]{3,30}$/;

export const load: PageServerLoad = async (event) => {
  const { user } = await event.parent();
  if (!user) redirect(303, `/login?next=${encodeURIComponent(event.url.pathname + event.url.search)}`);
  const q = event.url.searchParams;
  const to = q.get('to') ?? '';
  const shop = q.get('shop') ?? '';
  const offer = q.get('offer') ?? '';
  const post = q.get('post') ?? '';
  const api = serverApi(event);
  try {
    if (HANDLE.test(to)) {
      const profile = await unwrap(api.GET('/api/users/{handle}', { params: { path: { handle: to } } }));
      let draft = '';
      if (ID.test(post)) {
        const p = await unwrap(api.GET('/api/posts/{id}', { params: { path: { id: post } } })).catch(() => null);
        if (p && p.author.handle === profile.handle) draft = `About your post “${p.title}”: `;
      }
      return {
        recipient: { kind: 'person' as const, name: profile.displayName, handle: profile.handle },
        to,
        shop: '',
        offer: '',
        offerTitle: null,
        draft,
      };
    }
    if (ID.test(shop)) {
      const m = await unwrap(api.GET('/api/merchants/{id}', { params: { path: { id: shop } } }));
      const o = ID.test(offer) ? m.offers.find((x) => x.id === offer) : undefined;
      return {
        recipient: { kind: 'shop' as const, name: m.name, handle: null },
        to: '',
        shop,
        offer: o?.id ?? '',
        offerTitle: o?.title ?? null,
        draft: '',
      };
    }
  } catch (err) {
    if (err instanceof ApiError && (err.status === 404 || err.status === 400)) error(404, 'Nobody to write to here.');
    throw err;
  }
  error(404, 'Nobody to write to here.');
};

export const actions: Actions = {
  default: async (event) => {
    const form = await event.request.formData();
    const body = text(form, 'body').slice(0, MESSAGE_MAX + 1);
    const to = text(form, 'to');
    const shop = text(form, 'shop');
    const offer = text(form, 'offer');
    const values = { body };
    if (!body.trim()) return failWith(422, values, { body: 'Write a message.' });
    let target: { handle: string } | { merchantId: string; offerId?: string };
    if (HANDLE.test(to)) target = { handle: to };
    else if (ID.test(shop)) target = ID.test(offer) ? { merchantId: shop, offerId: offer } : { merchantId: shop };
    else return failWith(400, values, {}, 'Nobody to write to.');
    let id: string;
    try {
      id = (await unwrap(serverApi(event).POST('/api/conversations', { body: { ...target, body } }))).id;
    } catch (err) {
      return failFromApi(err, values);
    }
    redirect(303, `/messages/${id}`);
  },
};
