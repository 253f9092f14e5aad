import { afterAll, describe, expect, it } from 'vitest';
import { makeTestApp, postBody, randomPlace, signUp } from '../helpers.ts';

const t = makeTestApp();
afterAll(() => t.close());

const shape = (res: { status: number; headers: Record<string, string>; body: unknown }) => ({
  status: res.status,
  type: res.headers['content-type'],
  body: { ...(res.body as Record<string, unknown>), instance: undefined },
});

describe('no existence oracle on writes', () => {
  it('editing or deleting a post you cannot see answers exactly like a post that does not exist', async () => {
    const author = await signUp(t.app);
    const stranger = await signUp(t.app); // no home: not a neighbour of anything
    const place = randomPlace();
    const hidden = (
      await author.agent
        .post('/api/posts')
        .send(postBody(place, { audience: 'neighbors' }))
        .expect(201)
    ).body.id as string;
    const deleted = (await author.agent.post('/api/posts').send(postBody(place)).expect(201)).body.id as string;
    await author.agent.delete(`/api/posts/${deleted}`).expect(204);
    const missing = String(BigInt(hidden) + 1_000_000_000n);

    await stranger.agent.get(`/api/posts/${hidden}`).expect(404);
    for (const [method, send] of [
      ['patch', { title: 'Hijacked' }],
      ['delete', undefined],
    ] as const) {
      const call = (id: string) => (send ? stranger.agent[method](`/api/posts/${id}`).send(send) : stranger.agent[method](`/api/posts/${id}`));
      const [cannotSee, gone, never] = [await call(hidden), await call(deleted), await call(missing)];
      expect(cannotSee.status, `${method} a post the viewer cannot see`).toBe(404);
      expect(shape(cannotSee)).toEqual(shape(never));
      expect(shape(gone)).toEqual(shape(never));
    }
    // the post is untouched
    const own = await author.agent.get(`/api/posts/${hidden}`).expect(200);
    expect(own.body.title).toBe('Hello neighbours');
  });

  it('a post you can see but did not write is still a 403 to edit or delete', async () => {
    const author = await signUp(t.app);
    const other = await signUp(t.app);
    const id = (await author.agent.post('/api/posts').send(postBody(randomPlace())).expect(201)).body.id as string;
    await other.agent.patch(`/api/posts/${id}`).send({ title: 'Hijacked' }).expect(403);
    await other.agent.delete(`/api/posts/${id}`).expect(403);
  });
});
