import type { CreateMapOptions, MapLibreMap } from './maplibre';

/**
 * The life of a map component's map: creates it (MapLibre loads after hydration), hands it to
 * `setup` unless the component went away meanwhile, keeps it sized to `container`, and reports a
 * map that could not start through `onfail`. Returns the teardown for onMount.
 */
export function mountMap(
  container: HTMLElement,
  create: () => Promise<MapLibreMap>,
  setup: (m: MapLibreMap) => void | Promise<void>,
  onfail: () => void,
): () => void {
  let disposed = false;
  let created: MapLibreMap | undefined;
  let resizeObserver: ResizeObserver | undefined;

  create()
    .then(async (m) => {
      if (disposed) {
        m.remove();
        return;
      }
      created = m;
      await setup(m);
      resizeObserver = new ResizeObserver(() => m.resize());
      resizeObserver.observe(container);
    })
    .catch((err) => {
      console.error('The map could not start', err);
      onfail();
    });

  return () => {
    disposed = true;
    resizeObserver?.disconnect();
    if (window.__hexhoodMap === created) delete window.__hexhoodMap;
    created?.remove();
  };
}

/**
 * A base map in `options.container`, started the way every map component starts one: MapLibre is imported on demand
 * (after hydration, so the page is usable first), the map is created with the project's defaults (createMap), and
 * its life is mountMap's. Returns the teardown for onMount.
 */
export function createBaseMap(options: CreateMapOptions, setup: (m: MapLibreMap) => void | Promise<void>, onfail: () => void): () => void {
  return mountMap(options.container, () => import('./maplibre').then(({ createMap }) => createMap(options)), setup, onfail);
}
