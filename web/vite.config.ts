import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';

// `vite dev` talks to an API started separately (npm start's server, or `tsx api/src/server.ts`).
const apiOrigin = process.env.API_ORIGIN ?? 'http://127.0.0.1:3000';

export default defineConfig({
  plugins: [sveltekit()],
  server: { proxy: { '/api': { target: apiOrigin, changeOrigin: false } } },
  // maplibre-gl is one ~1 MB module; it is only loaded by pages with a map.
  build: { chunkSizeWarningLimit: 1200 },
});
