import type { MapLibreMap } from './maplibre';

/** Longest wait for the GPU after the map's first `idle`: past it the map is shown anyway. */
const MAX_GPU_WAIT_MS = 8000;
const POLL_MS = 50;

/**
 * Calls `show` once the map's first complete picture (style, tiles, overlay) has been drawn, and not before the
 * GPU has finished drawing it. Until then the caller keeps the canvas hidden (visibility: hidden).
 *
 * Why: the browser composites a visible WebGL canvas every frame, and without a GPU (software compositing, e.g.
 * SwiftShader) it reads each frame back on the page's main thread, waiting for the GPU to finish it — the first
 * frames' shader compilation included. While the map loads it draws many partial frames (one per tile that
 * arrives); hidden, none of them is read back, the GPU works through them off the main thread (each frame's
 * commands are flushed at once), and a WebGL fence tells when it is done, so the one read back that shows the
 * map waits for nothing. With a GPU this costs nothing either: the map appears once, complete, instead of tile by tile.
 * Returns a function that cancels the wait.
 */
export function revealWhenDrawn(map: MapLibreMap, show: () => void): () => void {
  const gl = map.getCanvas().getContext('webgl2');
  let timer: ReturnType<typeof setTimeout> | undefined;
  let done = false;
  const flush = () => gl?.flush();
  const finish = () => {
    if (done) return;
    done = true;
    map.off('render', flush);
    clearTimeout(timer);
    performance.mark('hexhood:map-shown');
    show();
  };
  map.on('render', flush);
  map.once('idle', () => {
    if (map.getPixelRatio() < devicePixelRatio) {
      // the loading frames were drawn at a fraction of the resolution: one full-resolution frame, then the fence
      map.setPixelRatio(devicePixelRatio);
      map.once('render', () => waitForGpu());
    } else waitForGpu();
  });
  const waitForGpu = () => {
    const fence = gl?.fenceSync(gl.SYNC_GPU_COMMANDS_COMPLETE, 0);
    if (!gl || !fence) return finish();
    gl.flush();
    const started = performance.now();
    const poll = () => {
      // non-blocking: the status is updated between tasks
      if (gl.getSyncParameter(fence, gl.SYNC_STATUS) === gl.SIGNALED || performance.now() - started > MAX_GPU_WAIT_MS) {
        gl.deleteSync(fence);
        finish();
      } else timer = setTimeout(poll, POLL_MS);
    };
    poll();
  };
  return () => {
    done = true;
    map.off('render', flush);
    clearTimeout(timer);
  };
}
