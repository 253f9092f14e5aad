import { Meilisearch } from 'meilisearch';

export interface SearchConnection {
  client: Meilisearch;
  indexPrefix: string;
  healthy(): Promise<boolean>;
}

export function createSearchConnection(url: string, apiKey: string, indexPrefix: string): SearchConnection {
  const client = new Meilisearch({ host: url, apiKey, timeout: 5000 });
  return {
    client,
    indexPrefix,
    async healthy() {
      try {
        return (await client.health()).status === 'available';
      } catch {
        return false;
      }
    },
  };
}
