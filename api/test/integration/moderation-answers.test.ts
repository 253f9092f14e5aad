import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestApp, signUp } from '../helpers.ts';
import { appoint, createTestCity, REASON, signUpAdmin, writePost, type TestCity } from '../moderation.fixtures.ts';

// Issue 13: people hear the answer to their reports ("action taken" / "no action") and appeals (granted / denied) in
// their notification centre, and see their reports under /api/moderation/mine — never who decided.

const t = makeTestApp();
let city: TestCity;
let admin: Awaited<ReturnType<typeof signUpAdmin>>;
let modMitte: Awaited<ReturnType<typeof signUp>>;

beforeAll(async () => {
  city = await createTestCity(t.db);
  admin = await signUpAdmin(t);
  modMitte = await signUp(t.app);
  await appoint(admin.agent, city.mitte, modMitte.handle);
});
afterAll(() => t.close());

describe('answers to reports and appeals', () => {
  it('tells reporters "action taken" or "no action", and appellants the outcome — never who decided', async () => {
    const author = await signUp(t.app);
    const reporter = await signUp(t.app);
    const other = await signUp(t.app);
    const taken = await writePost(author.agent, city.points.mitteA);
    const kept = await writePost(author.agent, city.points.mitteA);
    await reporter.agent.post('/api/reports').send({ targetKind: 'post', targetId: taken, reason: 'spam' }).expect(201);
    await other.agent.post('/api/reports').send({ targetKind: 'post', targetId: taken, reason: 'spam' }).expect(201);
    await reporter.agent.post('/api/reports').send({ targetKind: 'post', targetId: kept, reason: 'spam' }).expect(201);
    // nothing until a moderator acts
    expect((await reporter.agent.get('/api/notifications').expect(200)).body.items.filter((n: { kind: string }) => n.kind === 'report')).toEqual([]);

    const hide = await modMitte.agent
      .post(`/api/moderation/items/post/${taken}/actions`)
      .send({ action: 'hide', ...REASON })
      .expect(201);
    await modMitte.agent
      .post(`/api/moderation/items/post/${kept}/actions`)
      .send({ action: 'dismiss', reasonCategory: 'no_violation', reasonText: 'Fine as it is.' })
      .expect(201);

    const inbox = (await reporter.agent.get('/api/notifications').expect(200)).body;
    const reports = inbox.items.filter((n: { kind: string }) => n.kind === 'report');
    expect(reports.map((n: { outcome: string }) => n.outcome).sort()).toEqual(['action_taken', 'no_action']);
    for (const n of reports) expect(n).toMatchObject({ actor: null, postId: null });
    expect(JSON.stringify(inbox)).not.toContain(modMitte.handle);
    expect((await other.agent.get('/api/notifications').expect(200)).body.items.filter((n: { kind: string }) => n.kind === 'report').length).toBe(1);

    // "my reports" shows them with their outcome, and names no moderator
    const mine = (await reporter.agent.get('/api/moderation/mine').expect(200)).body;
    const byPost = Object.fromEntries(mine.reports.map((r: { postId: string }) => [r.postId, r]));
    expect(byPost[taken]).toMatchObject({ status: 'reviewed', outcome: 'action_taken', reason: 'spam' });
    expect(byPost[kept]).toMatchObject({ status: 'reviewed', outcome: 'no_action' });
    expect(reports.map((n: { refId: string }) => n.refId).sort()).toEqual(mine.reports.map((r: { id: string }) => r.id).sort());
    expect(JSON.stringify(mine)).not.toContain(modMitte.handle);

    // the author appeals; another moderator decides; the author hears it
    const appeal = await author.agent.post(`/api/moderation/actions/${hide.body.id}/appeal`).send({ text: 'It was not spam.' }).expect(201);
    expect((await author.agent.get('/api/notifications').expect(200)).body.items.some((n: { kind: string }) => n.kind === 'appeal')).toBe(false);
    await admin.agent
      .post(`/api/moderation/appeals/${appeal.body.id}/decision`)
      .send({ outcome: 'denied', reasonCategory: 'spam', reasonText: 'Same advert posted ten times.' })
      .expect(200);
    const authorInbox = (await author.agent.get('/api/notifications').expect(200)).body;
    const answer = authorInbox.items.find((n: { kind: string }) => n.kind === 'appeal');
    expect(answer).toMatchObject({ refId: appeal.body.id, outcome: 'denied', actor: null, postId: null });
    expect(JSON.stringify(authorInbox)).not.toContain(admin.handle);
  });
});
