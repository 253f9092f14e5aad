import { describe, expect, it } from 'vitest';
import { postsIndexSettings, settingsMatch } from './index-settings.ts';

// What Meilisearch 1.21 reports: our values (object keys in its own order) plus defaults we never set.
function reported(overrides: Record<string, unknown> = {}) {
  const ours = postsIndexSettings();
  return {
    displayedAttributes: ['*'],
    stopWords: [],
    distinctAttribute: null,
    proximityPrecision: 'byWord',
    embedders: {},
    ...ours,
    typoTolerance: { disableOnAttributes: [], disableOnWords: [], ...ours.typoTolerance },
    synonyms: Object.fromEntries(Object.entries(ours.synonyms ?? {}).sort(([a], [b]) => (a < b ? -1 : 1))),
    ...overrides,
  };
}

describe('settingsMatch', () => {
  it('accepts what Meilisearch reports after our settings were applied', () => {
    expect(settingsMatch(postsIndexSettings(), reported())).toBe(true);
  });

  it('rejects a bare index and any setting that drifted', () => {
    const bare = {
      filterableAttributes: [],
      sortableAttributes: [],
      searchableAttributes: ['*'],
      rankingRules: ['words', 'typo', 'proximity', 'attribute', 'sort', 'exactness'],
    };
    expect(settingsMatch(postsIndexSettings(), reported(bare))).toBe(false);
    expect(settingsMatch(postsIndexSettings(), reported({ sortableAttributes: ['created_at'] }))).toBe(false);
    expect(settingsMatch(postsIndexSettings(), reported({ searchableAttributes: ['tags', 'title', 'body', 'author'] }))).toBe(false);
    expect(settingsMatch(postsIndexSettings(), reported({ typoTolerance: { enabled: true, disableOnNumbers: false } }))).toBe(false);
    expect(settingsMatch(postsIndexSettings(), reported({ pagination: undefined }))).toBe(false);
  });
});
