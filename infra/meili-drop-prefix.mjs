// Deletes the Meilisearch indexes a test run created (all share the run's prefix), and the scoped API keys the app
// created for them (hexhood-search:<prefix…> / hexhood-indexing:<prefix…>, see api/src/search/meili.client.ts, and the
// document-write key hexhood-writer:<prefix>, see api/src/search/document-writer.ts).
const [prefix] = process.argv.slice(2);
if (!prefix) process.exit(2);
const url = process.env.MEILI_URL ?? 'http://127.0.0.1:7700';
const headers = { Authorization: `Bearer ${process.env.MEILI_MASTER_KEY ?? ''}` };
const res = await fetch(`${url}/indexes?limit=1000`, { headers });
const { results } = await res.json();
for (const { uid } of results ?? []) {
  if (uid.startsWith(prefix)) await fetch(`${url}/indexes/${uid}`, { method: 'DELETE', headers });
}
const keys = await (await fetch(`${url}/keys?limit=1000`, { headers })).json();
for (const { uid, name } of keys.results ?? []) {
  const scoped = typeof name === 'string' && /^hexhood-(search|indexing):/.test(name) && name.split(':')[1].startsWith(prefix);
  if (scoped || name === `hexhood-writer:${prefix}`) await fetch(`${url}/keys/${uid}`, { method: 'DELETE', headers });
}
