import type { z } from 'zod';
import type { RegionImportBody, RegionImportResult } from '../contract/region-import.schema.ts';
import { REGION_IMPORT_MAX_BYTES } from '../contract/region-import.schema.ts';
import { cellToBigint, polygonCells, type PolygonGeometry } from '../geo/h3.ts';
import { ForbiddenError, ValidationError, type FieldError } from '../http/errors.ts';
import type { Viewer } from '../http/route.ts';
import type { WithTransaction } from '../repositories/repositories.ts';
import { fieldErrors } from '../http/route.ts';
import { RegionImportBody as Schema } from '../contract/region-import.schema.ts';

type Input = z.output<typeof RegionImportBody>;

/** Sane sizes: from a small Kiez (1 ha) to a large metropolis (20,000 km²); enough vertices for real boundaries. */
const MIN_AREA_M2 = 10_000;
const MAX_AREA_M2 = 20_000_000_000;
const MAX_POINTS = 200_000;
/** A child may stick out of its parent by digitising noise, not more. */
const MAX_OUTSIDE_SHARE = 0.01;
const PARENT_KIND = { city: null, district: 'city', neighborhood: 'district' } as const;
const LEVELS = ['city', 'district', 'neighborhood'] as const;
const REGION_CELL_RES = 8;

/**
 * Imports or replaces regions from GeoJSON, all or nothing: validated (structure and WGS 84 by the schema; validity,
 * size and parent coverage in PostGIS), repaired where ST_MakeValid can do so without guessing (self-intersections are
 * refused: which part the author meant is a guess), upserted by slug and given a fresh res-8 cover, in one transaction.
 * Any problem is a 422 naming the feature, and nothing changes.
 */
export function createRegionImportService({ withTransaction }: { withTransaction: WithTransaction }) {
  async function importRegions(input: Input): Promise<z.infer<typeof RegionImportResult>> {
    const errors: FieldError[] = [];
    const slugs = new Set<string>();
    input.features.forEach((f, i) => {
      const p = f.properties;
      if (slugs.has(p.slug)) errors.push({ field: `body.features.${i}.properties.slug`, message: 'appears twice in the file' });
      slugs.add(p.slug);
      const wanted = PARENT_KIND[p.kind];
      if (wanted === null && p.parent) errors.push({ field: `body.features.${i}.properties.parent`, message: 'a city has no parent' });
      if (wanted !== null && !p.parent) errors.push({ field: `body.features.${i}.properties.parent`, message: `a ${p.kind} needs its ${wanted}` });
    });
    if (errors.length) throw new ValidationError(errors);

    return withTransaction(async (tx) => {
      const checks = await tx.regionImport.stage(
        input.features.map((f, idx) => ({
          idx,
          slug: f.properties.slug,
          name: f.properties.name,
          kind: f.properties.kind,
          parent: f.properties.parent ?? null,
          geometry: JSON.stringify(f.geometry),
        })),
      );
      const repair: number[] = [];
      for (const c of checks) {
        const field = `body.features.${c.idx}.geometry`;
        if (c.npoints > MAX_POINTS) errors.push({ field, message: `too detailed (${c.npoints} points, at most ${MAX_POINTS})` });
        if (!c.valid) {
          if (/self-intersection/i.test(c.reason)) errors.push({ field, message: `invalid: ${c.reason}` });
          else repair.push(c.idx);
        } else if (c.area_m2 < MIN_AREA_M2 || c.area_m2 > MAX_AREA_M2) {
          errors.push({ field, message: `implausible size (${Math.round(c.area_m2 / 1e6)} km²)` });
        }
      }
      if (errors.length) throw new ValidationError(errors);
      await tx.regionImport.repair(repair);
      for (const c of await tx.regionImport.parentCoverage()) {
        const field = `body.features.${c.idx}.properties.parent`;
        if (!c.parent_found) errors.push({ field, message: `no region "${c.parent}"` });
        else if ((c.outside_share ?? 1) > MAX_OUTSIDE_SHARE) {
          errors.push({
            field: `body.features.${c.idx}.geometry`,
            message: `${Math.round((c.outside_share ?? 1) * 100)}% lies outside its parent "${c.parent}"`,
          });
        }
      }
      for (const [i, f] of input.features.entries()) {
        const wanted = PARENT_KIND[f.properties.kind];
        if (wanted && f.properties.parent) {
          const kind = await tx.regionImport.parentKind(f.properties.parent);
          if (kind && kind !== wanted) errors.push({ field: `body.features.${i}.properties.parent`, message: `must be a ${wanted}, is a ${kind}` });
        }
      }
      if (errors.length) throw new ValidationError(errors);

      const imported: z.infer<typeof RegionImportResult>['imported'] = [];
      for (const level of LEVELS) {
        for (const row of await tx.regionImport.apply(level)) {
          const geometry = JSON.parse(row.geojson) as PolygonGeometry;
          const cells = polygonCells(geometry, REGION_CELL_RES, 'overlapping').map((c) => cellToBigint(c).toString());
          await tx.regionImport.replaceCells(row.id, cells);
          imported.push({ slug: row.slug, id: String(row.id), created: row.created, cells: cells.length, madeValid: row.made_valid });
        }
      }
      return { imported };
    }) as Promise<z.infer<typeof RegionImportResult>>;
  }

  return {
    /** The admin API: the body arrives as text (GeoJSON files are large; the JSON parser's limit is for everything else). */
    async importAsAdmin(viewer: Viewer, text: string) {
      if (!viewer.isAdmin) throw new ForbiddenError('Only administrators import regions.');
      return importRegions(parseDocument(text));
    },
    /** The command line (npm run regions:import -- file.geojson). */
    importDocument: (text: string) => importRegions(parseDocument(text)),
  };
}

export function parseDocument(text: string): Input {
  if (Buffer.byteLength(text) > REGION_IMPORT_MAX_BYTES) {
    throw new ValidationError([{ field: 'body', message: `larger than ${REGION_IMPORT_MAX_BYTES / 1024 / 1024} MB` }]);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ValidationError([{ field: 'body', message: 'not JSON' }]);
  }
  const parsed = Schema.safeParse(json);
  if (!parsed.success) throw new ValidationError(fieldErrors(parsed.error, 'body'));
  return parsed.data;
}

export type RegionImportService = ReturnType<typeof createRegionImportService>;
