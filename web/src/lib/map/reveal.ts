import type { MapLibreMap } from './maplibre';

/** The resolution of the hidden loading frames (a fraction of the device's pixels). */
export const LOADING_PIXEL_RATIO = 0.25;
/** A map still loading after this long (a slow tile, a slow network) is shown as far as it got. */
const MAX_LOADING_MS = 10_000;
/** Longest wait for the GPU to finish the full-resolution frame: past it the map is shown anyway. */
const MAX_GPU_WAIT_MS = 8000;
const POLL_MS = 50;

/**
 * Calls `show` once the map's first complete picture (style, tiles, overlay) has been drawn at full resolution and
 * the GPU has finished drawing it. The map must be created with `pixelRatio: LOADING_PIXEL_RATIO`, and the caller
 * keeps the canvas hidden (visibility: hidden, with a "Loading map…" placeholder) until `show`.
 *
 * Why: the browser composites a visible WebGL canvas every frame, and without a GPU (software compositing, e.g.
 * SwiftShader in headless Chromium) it reads each frame back on the page's main thread, waiting for the GPU to
 * finish it, first shader compilations included: 100–500 ms per frame, and a loading map draws one frame per tile
 * that arrives. Hidden, no frame is read back; drawn at a quarter of the resolution, the loading frames cost the
 * GPU little; the GPU gets each frame's commands at once (flush), works through them off the main thread, and a
 * WebGL fence tells when the full-resolution frame is done, so the one read back that shows it waits for nothing.
 * With a GPU it costs nothing either: the map appears once, complete, instead of tile by tile.
 * Returns a function that cancels the wait.
 */
export function revealWhenDrawn(map: MapLibreMap, show: () => void): () => void {
  const gl = map.getCanvas().getContext('webgl2');
  let timer: ReturnType<typeof setTimeout> | undefined;
  let state: 'loading' | 'drawing' | 'done' = 'loading';
  const flush = () => gl?.flush();

  const finish = () => {
    if (state === 'done') return;
    state = 'done';
    map.off('render', flush);
    clearTimeout(timer);
    // for Lighthouse runs (web/e2e/lighthouse.mjs): did the trace see the map?
    performance.mark('hexhood:map-shown');
    show();
  };

  const waitForGpu = () => {
    const fence = gl?.fenceSync(gl.SYNC_GPU_COMMANDS_COMPLETE, 0);
    if (!gl || !fence) return finish();
    gl.flush();
    const started = performance.now();
    const poll = () => {
      if (state === 'done') return;
      // non-blocking: the browser updates the status between tasks
      if (gl.getSyncParameter(fence, gl.SYNC_STATUS) === gl.SIGNALED || performance.now() - started > MAX_GPU_WAIT_MS) {
        gl.deleteSync(fence);
        finish();
      } else timer = setTimeout(poll, POLL_MS);
    };
    poll();
  };

  const drawFull = () => {
    if (state !== 'loading') return;
    state = 'drawing';
    clearTimeout(timer);
    // null: follow devicePixelRatio again, browser zoom included (documented; the type says number)
    map.setPixelRatio(null as unknown as number);
    map.once('render', waitForGpu);
    map.triggerRepaint();
  };

  map.on('render', flush);
  map.once('idle', drawFull);
  timer = setTimeout(drawFull, MAX_LOADING_MS);
  return () => {
    state = 'done';
    map.off('render', flush);
    clearTimeout(timer);
  };
}
