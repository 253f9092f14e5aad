// Deletes the Meilisearch indexes a test run created (all share the run's prefix), and the run's document-write key
// (api/src/search/document-writer.ts names it after the prefix).
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
  if (name === `hexhood-writer:${prefix}`) await fetch(`${url}/keys/${uid}`, { method: 'DELETE', headers });
}
