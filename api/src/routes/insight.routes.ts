import { Router } from 'express';
import { HexagonCollection, HexagonQuery, TrendsQuery, TrendsResult } from '../contract/insight.schema.ts';
import { defineRoute } from '../contract/registry.ts';
import { handle } from '../http/route.ts';
import type { HexagonService } from '../services/hexagon.service.ts';
import type { TrendsService } from '../services/trends.service.ts';

const trends = defineRoute({
  method: 'get',
  path: '/api/trends',
  tag: 'insights',
  summary: "Tags rising in an area compared with the area's own previous 4 weeks",
  query: TrendsQuery,
  response: TrendsResult,
});

const hexagons = defineRoute({
  method: 'get',
  path: '/api/hexagons',
  tag: 'insights',
  summary: 'Activity per H3 cell in a bbox as GeoJSON; cells with fewer than 10 distinct people are left out',
  query: HexagonQuery,
  response: HexagonCollection,
});

export function insightRoutes(deps: { trends: TrendsService; hexagons: HexagonService }): Router {
  const r = Router();
  r.get(
    trends.path,
    handle(trends, async ({ query }) => deps.trends.trends(query)),
  );
  r.get(
    hexagons.path,
    handle(hexagons, async ({ query, res }) => {
      // aggregates change slowly and are the same for everyone
      res.setHeader('Cache-Control', 'public, max-age=60');
      return deps.hexagons.hexagons(query);
    }),
  );
  return r;
}
