import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// Reads the Berlin open data copied into seeds/data (see seeds/data/SOURCES.md). Nothing outside the repo is read.

export const DATA_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'data');

export interface Feature<P> {
  type: 'Feature';
  properties: P;
  geometry: { type: string; coordinates: unknown };
}

function readFeatures<P>(relative: string): Feature<P>[] {
  const json = JSON.parse(fs.readFileSync(path.join(DATA_DIR, relative), 'utf8')) as { features: Feature<P>[] };
  return json.features;
}

/** `id,name,population,...` rows keyed by id. The files are plain (no quoted commas). */
function readPopulation(relative: string): Map<string, { name: string; population: number }> {
  const [header, ...rows] = fs.readFileSync(path.join(DATA_DIR, relative), 'utf8').trim().split(/\r?\n/);
  const cols = (header ?? '').split(',');
  const idCol = cols.indexOf('id');
  const nameCol = cols.indexOf('name');
  const popCol = cols.indexOf('population');
  if (idCol < 0 || nameCol < 0 || popCol < 0) throw new Error(`${relative}: expected id, name, population columns`);
  const out = new Map<string, { name: string; population: number }>();
  for (const row of rows) {
    const f = row.split(',');
    const population = Number(f[popCol]);
    if (!Number.isInteger(population)) throw new Error(`${relative}: bad population in "${row}"`);
    out.set(f[idCol] as string, { name: f[nameCol] as string, population });
  }
  return out;
}

export interface DistrictSource {
  code: string;
  name: string;
  population: number;
  geometry: Feature<unknown>['geometry'];
}

export interface NeighborhoodSource {
  code: string;
  name: string;
  districtCode: string;
  geometry: Feature<unknown>['geometry'];
}

export interface ForecastAreaSource {
  code: string;
  name: string;
  population: number;
  geometry: Feature<unknown>['geometry'];
}

export interface Station {
  name: string;
  lon: number;
  lat: number;
}

export interface BerlinData {
  city: { name: string; geometry: Feature<unknown>['geometry'] };
  districts: DistrictSource[];
  neighborhoods: NeighborhoodSource[];
  forecastAreas: ForecastAreaSource[];
  /** Water and green polygons (forest, meadow, ...): places where nobody lives. */
  uninhabited: Feature<unknown>['geometry'][];
  stations: Station[];
}

export function loadBerlinData(): BerlinData {
  const districtPop = readPopulation('population/berlin_population_bezirke_2024-12-31.csv');
  const forecastPop = readPopulation('population/berlin_population_prognoseraeume_2024-12-31.csv');
  const [outline] = readFeatures<{ name: string }>('boundaries/berlin_landesgrenze.geojson');
  if (!outline) throw new Error('berlin_landesgrenze.geojson is empty');

  const districts = readFeatures<{ id: string; name: string }>('boundaries/berlin_bezirke.geojson').map((f) => {
    const pop = districtPop.get(f.properties.id);
    if (!pop) throw new Error(`no population for district ${f.properties.id}`);
    return { code: f.properties.id, name: f.properties.name, population: pop.population, geometry: f.geometry };
  });
  const neighborhoods = readFeatures<{ id: string; name: string; district_id: string }>('boundaries/berlin_ortsteile.geojson').map((f) => ({
    code: f.properties.id,
    name: f.properties.name,
    districtCode: f.properties.district_id,
    geometry: f.geometry,
  }));
  const forecastAreas = readFeatures<{ id: string; name: string }>('boundaries/berlin_lor_prognoseraeume_2021.geojson').map((f) => {
    const pop = forecastPop.get(f.properties.id);
    if (!pop) throw new Error(`no population for forecast area ${f.properties.id}`);
    return { code: f.properties.id, name: f.properties.name, population: pop.population, geometry: f.geometry };
  });
  const uninhabited = [...readFeatures('basemap/berlin_water.geojson'), ...readFeatures('basemap/berlin_green.geojson')].map((f) => f.geometry);
  const stations = readFeatures<{ name: string }>('basemap/berlin_stations.geojson').map((f) => {
    const [lon, lat] = f.geometry.coordinates as [number, number];
    return { name: restoreUmlauts(f.properties.name), lon, lat };
  });
  const byCode = (a: { code: string }, b: { code: string }) => a.code.localeCompare(b.code);
  return {
    city: { name: 'Berlin', geometry: outline.geometry },
    districts: districts.sort(byCode),
    neighborhoods: neighborhoods.sort(byCode),
    forecastAreas: forecastAreas.sort(byCode),
    uninhabited,
    stations,
  };
}

// The station layer spells umlauts and ß as ae/oe/ue/ss; a blanket reversal would break Lindauer or Feuerbach, so
// only the word parts that occur in Berlin station names are restored.
const STATION_SPELLING: readonly [RegExp, string][] = [
  [/Schlossstrasse/g, 'Schloßstraße'],
  [/strasse/g, 'straße'],
  [/Strasse/g, 'Straße'],
  [/Schoen/g, 'Schön'],
  [/schoen/g, 'schön'],
  [/Koepenick/g, 'Köpenick'],
  [/Neukoelln/g, 'Neukölln'],
  [/Moeckern/g, 'Möckern'],
  [/Goerlitzer/g, 'Görlitzer'],
  [/Hoenow/g, 'Hönow'],
  [/Kurfuersten/g, 'Kurfürsten'],
  [/Guentzel/g, 'Güntzel'],
  [/Ruedesheimer/g, 'Rüdesheimer'],
  [/Gruenau/g, 'Grünau'],
  [/Sued/g, 'Süd'],
  [/Huette/g, 'Hütte'],
  [/Universitaet/g, 'Universität'],
  [/bruecke/g, 'brücke'],
  [/Buelow/g, 'Bülow'],
  [/Maerkisches/g, 'Märkisches'],
  [/Gaerten/g, 'Gärten'],
];

export function restoreUmlauts(name: string): string {
  return STATION_SPELLING.reduce((s, [pattern, replacement]) => s.replace(pattern, replacement), name);
}

/** URL-safe slug: German letters transliterated (ä→ae, ö→oe, ü→ue, ß→ss), everything else to dashes. */
export function slugify(name: string): string {
  const slug = name
    .toLowerCase()
    .replace(/ä/g, 'ae')
    .replace(/ö/g, 'oe')
    .replace(/ü/g, 'ue')
    .replace(/ß/g, 'ss')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80);
  if (!/^[a-z0-9-]{1,80}$/.test(slug)) throw new Error(`cannot slugify "${name}"`);
  return slug;
}
