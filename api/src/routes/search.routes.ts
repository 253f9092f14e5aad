import { Router } from 'express';
import { defineRoute } from '../contract/registry.ts';
import { SearchPage, SearchQuery } from '../contract/search.schema.ts';
import { handle } from '../http/route.ts';
import type { SearchService } from '../services/search.service.ts';

const search = defineRoute({
  method: 'get',
  path: '/api/search',
  tag: 'search',
  summary: 'Full-text search of posts in an area (lat&lon+radius, one cell, or a region), with kind/tag facets and highlights',
  auth: 'optional',
  query: SearchQuery,
  response: SearchPage,
  errors: [429, 503],
});

export function searchRoutes(service: SearchService): Router {
  const r = Router();
  r.get(
    search.path,
    handle(search, async ({ query, viewer, req }) => service.search(query, viewer, req.ip ?? 'unknown')),
  );
  return r;
}
