import express, { Router } from 'express';
import { RegionImportResult } from '../contract/region-import.schema.ts';
import { REGION_IMPORT_MAX_BYTES } from '../contract/region-import.schema.ts';
import { defineRoute } from '../contract/registry.ts';
import { BadRequestError, UnauthorizedError } from '../http/errors.ts';
import type { RegionImportService } from '../services/region-import.service.ts';

const importRegions = defineRoute({
  method: 'post',
  path: '/api/regions/import',
  tag: 'regions',
  summary: 'Import or replace regions from a GeoJSON FeatureCollection (application/geo+json; administrators; all or nothing)',
  auth: 'required',
  response: RegionImportResult,
  errors: [403, 413],
});

/**
 * The body is GeoJSON text of up to REGION_IMPORT_MAX_BYTES, read with a parser of its own (the API's JSON parser
 * stops at 64 kB, rightly, for everything else); the service parses and validates it. Bigger documents up to twice
 * the limit still reach the service and get a 422 naming the limit; beyond that the parser answers 413.
 */
export function regionImportRoutes(service: RegionImportService): Router {
  const r = Router();
  r.post(importRegions.path, express.text({ type: 'application/geo+json', limit: REGION_IMPORT_MAX_BYTES * 2 }), async (req, res) => {
    if (!req.viewer) throw new UnauthorizedError();
    if (!req.is('application/geo+json') || typeof req.body !== 'string') {
      throw new BadRequestError('Send the GeoJSON with Content-Type: application/geo+json.', [
        { field: 'body', message: 'expected application/geo+json' },
      ]);
    }
    res.status(200).json(await service.importAsAdmin(req.viewer, req.body));
  });
  return r;
}
