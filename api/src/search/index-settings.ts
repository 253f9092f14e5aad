import type { Settings } from 'meilisearch';

/**
 * Synonyms hook: words residents use interchangeably in a German city with many English speakers. Meilisearch treats
 * multi-way lists symmetrically. Pass your own map to postsIndexSettings to extend or replace it (e.g. per city).
 */
export function defaultSynonyms(): Record<string, string[]> {
  const groups = [
    ['kita', 'kindergarten', 'daycare', 'nursery'],
    ['flohmarkt', 'fleamarket', 'flea market'],
    ['fahrrad', 'rad', 'bike', 'bicycle'],
    ['wohnung', 'flat', 'apartment'],
    ['verloren', 'lost'],
    ['gefunden', 'found'],
    ['katze', 'cat'],
    ['hund', 'dog'],
    ['fest', 'festival', 'straßenfest', 'street party'],
    ['spielplatz', 'playground'],
    ['baustelle', 'construction', 'roadworks'],
    ['ubahn', 'u-bahn', 'subway', 'underground'],
    ['sbahn', 's-bahn'],
  ];
  const out: Record<string, string[]> = {};
  for (const group of groups) for (const word of group) out[word] = group.filter((w) => w !== word);
  return out;
}

const equalityOnly = { facetSearch: false, filter: { equality: true, comparison: false } };

/**
 * Settings of the posts index. Filter features are declared per attribute, so Meilisearch builds only the filter
 * structures each attribute needs (cells and audience: equality; id and time: ranges too).
 */
export function postsIndexSettings(synonyms: Record<string, string[]> = defaultSynonyms()): Settings {
  return {
    searchableAttributes: ['title', 'tags', 'body', 'author'],
    filterableAttributes: [
      { attributePatterns: ['kind', 'tags'], features: { facetSearch: true, filter: { equality: true, comparison: false } } },
      { attributePatterns: ['h3_7', 'h3_8', 'h3_9', 'regions', 'region_id', 'audience', 'author_id', 'target_cells8'], features: equalityOnly },
      { attributePatterns: ['id', 'created_at'], features: { facetSearch: false, filter: { equality: true, comparison: true } } },
    ],
    sortableAttributes: ['created_at', 'id'],
    // `sort` first: when newest-first is asked it decides the order outright; with no sort it is a no-op and the
    // relevance rules apply, newest breaking ties.
    rankingRules: ['sort', 'words', 'typo', 'proximity', 'attribute', 'exactness', 'created_at:desc'],
    typoTolerance: {
      enabled: true,
      minWordSizeForTypos: { oneTypo: 4, twoTypos: 8 },
      // house numbers, postcodes and years must match as written
      disableOnNumbers: true,
    },
    synonyms,
    faceting: { maxValuesPerFacet: 50, sortFacetValuesBy: { '*': 'count' } },
    pagination: { maxTotalHits: 1000 },
  };
}

/**
 * Whether the settings Meilisearch reports include every setting we apply. Meilisearch echoes our values back (object
 * keys in its own order) and adds defaults we never set, so objects compare by our keys only, arrays element by element.
 */
export function settingsMatch(wanted: unknown, actual: unknown): boolean {
  if (Array.isArray(wanted)) {
    return Array.isArray(actual) && actual.length === wanted.length && wanted.every((w, i) => settingsMatch(w, actual[i]));
  }
  if (wanted !== null && typeof wanted === 'object') {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return false;
    const got = actual as Record<string, unknown>;
    return Object.entries(wanted).every(([key, value]) => settingsMatch(value, got[key]));
  }
  return wanted === actual;
}
