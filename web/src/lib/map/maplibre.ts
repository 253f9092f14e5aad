import { AttributionControl, Map as MapLibreMap, NavigationControl, addProtocol, setWorkerUrl } from 'maplibre-gl';
import type { LayerSpecification, MapOptions, SourceSpecification, StyleSpecification } from 'maplibre-gl';
// MapLibre 6 loads its worker from a module next to its own file; bundled, it must be told where it went.
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import 'maplibre-gl/dist/maplibre-gl.css';
import { MAX_BOUNDS, offlineStyle } from './offline-style';

setWorkerUrl(workerUrl);

let pmtilesRegistered: Promise<void> | undefined;

/** Registers the pmtiles:// protocol (PMTiles archives over HTTP range requests) once, on demand. */
function registerPmtiles(): Promise<void> {
  pmtilesRegistered ??= import('pmtiles').then(({ Protocol }) => {
    addProtocol('pmtiles', new Protocol().tile);
  });
  return pmtilesRegistered;
}

/**
 * The base style: MAP_STYLE_URL's style when set and reachable, else the shipped offline style.
 * A custom style that fails to load must not leave a blank map, so it is fetched up front.
 */
export async function resolveBaseStyle(styleUrl: string | null): Promise<StyleSpecification> {
  const offline = offlineStyle(location.origin);
  if (!styleUrl) return offline;
  try {
    if (styleUrl.startsWith('pmtiles://')) throw new Error('MAP_STYLE_URL must point to a style JSON, not an archive');
    const response = await fetch(styleUrl, { signal: AbortSignal.timeout(6000) });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const style = (await response.json()) as StyleSpecification;
    if (JSON.stringify(style.sources ?? {}).includes('pmtiles://')) await registerPmtiles();
    return style;
  } catch (err) {
    console.warn(`Map style ${styleUrl} could not be loaded; using the offline Berlin style.`, err);
    return offline;
  }
}

/** Sources and layers a map draws over its base style. */
export interface Overlay {
  sources: Record<string, SourceSpecification>;
  layers: LayerSpecification[];
}

export interface CreateMapOptions {
  container: HTMLElement;
  styleUrl: string | null;
  center: { lat: number; lon: number };
  zoom: number;
  /** Accessible name of the map canvas. */
  label: string;
  /** Sources and layers drawn over the base style, loaded with it (no extra frames for sources added later). */
  overlay?: Overlay;
  extra?: Partial<MapOptions>;
}

function withOverlay(style: StyleSpecification, overlay: Overlay | undefined): StyleSpecification {
  if (!overlay) return style;
  return { ...style, sources: { ...style.sources, ...overlay.sources }, layers: [...style.layers, ...overlay.layers] };
}

/** Creates a map with the project's defaults. Throws when WebGL is unavailable (callers show a fallback). */
export async function createMap(options: CreateMapOptions): Promise<MapLibreMap> {
  const style = withOverlay(await resolveBaseStyle(options.styleUrl), options.overlay);
  const map = new MapLibreMap({
    container: options.container,
    style,
    center: [options.center.lon, options.center.lat],
    zoom: options.zoom,
    minZoom: 9,
    maxZoom: 18,
    maxBounds: MAX_BOUNDS,
    attributionControl: false,
    dragRotate: false,
    pitchWithRotate: false,
    touchPitch: false,
    // Labels appear at once instead of fading in over 300 ms of extra frames (street names made those frames many).
    fadeDuration: 0,
    ...options.extra,
  });
  map.touchZoomRotate.disableRotation();
  map.keyboard.disableRotation();
  map.addControl(new NavigationControl({ showCompass: false }), 'top-right');
  map.addControl(new AttributionControl({ compact: true }), 'bottom-right');
  // On small maps the long attribution would cover much of the map: start it collapsed behind its
  // (i) button, as OSM's attribution guidelines allow for small screens.
  if (options.container.clientWidth < 640 || options.container.clientHeight < 420) {
    map.once('load', () => {
      const attribution = options.container.querySelector('.maplibregl-ctrl-attrib');
      attribution?.classList.remove('maplibregl-compact-show');
      attribution?.removeAttribute('open');
    });
  }
  map.getCanvas().setAttribute('aria-label', options.label);
  return map;
}

export type { MapLibreMap };
