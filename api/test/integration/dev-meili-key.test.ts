import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

// The embedded development Meilisearch gets a master key generated for this checkout (infra/lib.sh), kept under .data/,
// instead of a default everyone knows. Run against a copy of the script so the real .data/ is not touched.

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const checkout = mkdtempSync(path.join(os.tmpdir(), 'hexhood-lib-'));
mkdirSync(path.join(checkout, 'infra'));
copyFileSync(path.join(root, 'infra/lib.sh'), path.join(checkout, 'infra/lib.sh'));
afterAll(() => rmSync(checkout, { recursive: true, force: true }));

function keyFromLib(env: Record<string, string> = {}): string {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('MEILI_')));
  return execFileSync('bash', ['-c', 'source infra/lib.sh && printf %s "$MEILI_MASTER_KEY"'], {
    cwd: checkout,
    env: { ...clean, MEILI_PORT: '7799', ...env },
    encoding: 'utf8',
  });
}

describe('development Meilisearch key', () => {
  it('is generated once per checkout, kept private under .data/, and reused', () => {
    const first = keyFromLib();
    expect(first).toMatch(/^[A-Za-z0-9_-]{43}$/); // 32 random bytes
    expect(first).not.toContain('hexhood-dev');
    const file = path.join(checkout, '.data/meili/master-key');
    expect(readFileSync(file, 'utf8')).toBe(first);
    expect(statSync(file).mode & 0o077).toBe(0); // readable by its owner only
    expect(keyFromLib()).toBe(first);
  });

  it('leaves a key given from outside alone', () => {
    expect(keyFromLib({ MEILI_MASTER_KEY: 'given-from-outside-0123456789' })).toBe('given-from-outside-0123456789');
  });
});
