import { describe, expect, it } from 'vitest';
import { cellParent, pointToCell } from '../../src/geo/h3.ts';
import { emailTests } from '../email.helpers.ts';
import { offsetMeters, postBody, postCellsAt, randomPlace, uniqueHandle } from '../helpers.ts';

// issue 13: email — the daily digest of one's area and area subscriptions by email, read from a real SMTP sink.

const { sink, emailApp, mailTo, register, verifiedPerson } = await emailTests();

describe('daily digest', () => {
  const t = emailApp();

  it('mails the most active new public posts around home once a day, never a non-public one', async () => {
    const home = randomPlace();
    const reader = await verifiedPerson(t, 'd');
    const email = reader.email;
    await reader.agent.put('/api/me/home').send(home).expect(200);
    const on = await reader.agent
      .patch('/api/me')
      .send({ settings: { dailyDigest: true } })
      .expect(200);
    expect(on.body.user.settings.dailyDigest).toBe(true);

    const author = await register(t.app, `${uniqueHandle('a')}@example.test`);
    await author.agent.put('/api/me/home').send(home).expect(200);
    const quiet = await author.agent
      .post('/api/posts')
      .send(postBody(offsetMeters(home, 150, 0), { title: 'Quiet <b>post</b>' }))
      .expect(201);
    const busy = await author.agent
      .post('/api/posts')
      .send(postBody(offsetMeters(home, -150, 80), { title: 'Busy post & more' }))
      .expect(201);
    await author.agent
      .post('/api/posts')
      .send(postBody(offsetMeters(home, 100, 100), { title: 'Neighbours only', audience: 'neighbors' }))
      .expect(201);
    await reader.agent.post(`/api/posts/${busy.body.id}/comments`).send({ body: 'Nice' }).expect(201);

    expect(await t.digestJob.runOnce({ anyHour: true })).toBeGreaterThanOrEqual(1);
    const mail = await mailTo(t, email, /new around your home/i);
    expect(mail.text).toContain('Busy post & more');
    expect(mail.text).toContain('Quiet <b>post</b>');
    expect(mail.text.indexOf('Busy post')).toBeLessThan(mail.text.indexOf('Quiet'));
    expect(mail.text).toContain(`http://hexhood.test/posts/${quiet.body.id}`);
    expect(mail.text).not.toContain('Neighbours only');
    expect(mail.html).toContain('Quiet &lt;b&gt;post&lt;/b&gt;');
    expect(mail.html).not.toContain('<b>post</b>');
    // no coordinates of anyone's exact point
    expect(mail.text).not.toMatch(/\d+\.\d{4,}/);

    // once per day: a second run (this or another process) claims nobody
    const before = sink.to(email).length;
    await t.digestJob.runOnce({ anyHour: true });
    await t.mailWorker.runOnce();
    expect(sink.to(email)).toHaveLength(before);
  });

  it('two runs at once mail each user once', async () => {
    const home = randomPlace();
    const reader = await verifiedPerson(t, 'd2');
    const email = reader.email;
    await reader.agent.put('/api/me/home').send(home).expect(200);
    await reader.agent
      .patch('/api/me')
      .send({ settings: { dailyDigest: true } })
      .expect(200);
    const author = await register(t.app, `${uniqueHandle('a')}@example.test`);
    await author.agent
      .post('/api/posts')
      .send(postBody(offsetMeters(home, 100, 0)))
      .expect(201);
    const other = emailApp();
    await Promise.all([t.digestJob.runOnce({ anyHour: true }), other.digestJob.runOnce({ anyHour: true })]);
    expect(await t.db('mail_outbox').where({ to_address: email, kind: 'digest' }).count({ n: '*' })).toEqual([{ n: '1' }]);
  });
});

describe('area subscriptions by email', () => {
  const t = emailApp();

  it('mails a matching new post when the subscription asks for it, and only then', async () => {
    const place = randomPlace();
    const cells = [postCellsAt(offsetMeters(place, 20, 20)).h3_8];
    const mailed = await verifiedPerson(t);
    const quiet = await verifiedPerson(t);
    const made = await mailed.agent.post('/api/subscriptions').send({ name: 'My <street>', cells, email: true }).expect(201);
    expect(made.body.email).toBe(true);
    await quiet.agent.post('/api/subscriptions').send({ name: 'Quiet', cells }).expect(201);
    const author = await register(t.app, `${uniqueHandle('a')}@example.test`);
    const post = await author.agent
      .post('/api/posts')
      .send(postBody(offsetMeters(place, 20, 20), { title: 'Water outage <today>' }))
      .expect(201);

    await t.notificationWorker.runOnce();
    const mail = await mailTo(t, mailed.email, /new in "My <street>"/i);
    expect(mail.text).toContain('Water outage <today>');
    expect(mail.text).toContain(`http://hexhood.test/posts/${post.body.id}`);
    expect(mail.html).toContain('Water outage &lt;today&gt;');
    expect(mail.text).not.toMatch(/\d+\.\d{4,}/);
    // the other subscriber was notified in the app, not by mail
    const notes = (await quiet.agent.get('/api/notifications').expect(200)).body.items as { kind: string }[];
    expect(notes.some((n) => n.kind === 'area_post')).toBe(true);
    expect(sink.to(quiet.email).filter((m) => /^New in/.test(m.subject))).toEqual([]);
  });

  it('a subscription can be switched to mail later, by its owner only', async () => {
    const owner = await verifiedPerson(t);
    const other = await verifiedPerson(t);
    const sub = await owner.agent
      .post('/api/subscriptions')
      .send({ name: 'Later', cells: [cellParent(pointToCell(randomPlace(), 9), 8)] })
      .expect(201);
    expect(sub.body.email).toBe(false);
    await other.agent.patch(`/api/subscriptions/${sub.body.id}`).send({ email: true }).expect(404);
    await owner.agent.patch(`/api/subscriptions/${sub.body.id}`).send({ email: 'yes' }).expect(422);
    expect((await owner.agent.patch(`/api/subscriptions/${sub.body.id}`).send({ email: true }).expect(200)).body.email).toBe(true);
    expect((await owner.agent.get('/api/subscriptions').expect(200)).body.items[0].email).toBe(true);
  });
});
