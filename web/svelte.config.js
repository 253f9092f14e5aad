import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
  preprocess: vitePreprocess(),
  compilerOptions: { runes: true },
  kit: {
    // build/handler.js is mounted by the API's Express server (one origin, one process);
    // precompressed .gz/.br copies of the static map GeoJSON keep the first board load small.
    adapter: adapter({ out: 'build', precompress: true }),
    // The contract's enums and limits (plain constants, no zod), so forms enforce the API's own numbers.
    alias: { $contract: '../api/src/contract/limits.ts' },
    // Absolute asset paths: pages live at nested URLs (/posts/42) and the app is always served from the root.
    paths: { relative: false },
    // SvelteKit's own Origin check for form posts stays on; no third party posts forms to us.
    csrf: { trustedOrigins: [] },
    // SvelteKit adds a nonce to its inline hydration script, so no 'unsafe-inline' scripts.
    // connect-src is widened at run time for MAP_STYLE_URL's host (see hooks.server.ts).
    csp: {
      mode: 'auto',
      directives: {
        'default-src': ['self'],
        'script-src': ['self'],
        // Svelte renders style attributes; MapLibre positions controls with inline styles.
        'style-src': ['self', 'unsafe-inline'],
        'img-src': ['self', 'data:', 'blob:'],
        'font-src': ['self', 'data:'],
        'connect-src': ['self', 'data:', 'blob:'],
        // MapLibre starts its workers from a same-origin module URL, or a blob: wrapper around it.
        'worker-src': ['self', 'blob:'],
        'child-src': ['self', 'blob:'],
        'object-src': ['none'],
        'base-uri': ['self'],
        'form-action': ['self'],
        'frame-ancestors': ['none'],
      },
    },
  },
};

export default config;
