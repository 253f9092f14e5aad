import { createRequire } from 'node:module';
import path from 'node:path';
import express, { Router } from 'express';
import { openApiDocument } from '../contract/registry.ts';
import type { HealthRepository } from '../repositories/health.repository.ts';

const swaggerDir = path.dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));

const DOCS_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Hexhood API</title>
<link rel="stylesheet" href="/api/docs/assets/swagger-ui.css"></head>
<body><div id="swagger"></div>
<script src="/api/docs/assets/swagger-ui-bundle.js"></script>
<script src="/api/docs/init.js"></script></body></html>`;

const DOCS_INIT = `window.ui = SwaggerUIBundle({ url: '/api/openapi.json', dom_id: '#swagger', deepLinking: true });`;

export interface MetaDeps {
  health: HealthRepository;
  searchHealthy: () => Promise<boolean>;
}

// /metrics is not here: it has a listener of its own (createMetricsServer, METRICS_PORT), off the public port.
export function metaRoutes({ health, searchHealthy }: MetaDeps): Router {
  const r = Router();
  let doc: object | undefined;
  r.get('/api/openapi.json', (_req, res) => {
    doc ??= openApiDocument();
    res.json(doc);
  });
  r.get('/api/docs', (_req, res) => {
    res.type('html').send(DOCS_HTML);
  });
  r.get('/api/docs/init.js', (_req, res) => {
    res.type('application/javascript').send(DOCS_INIT);
  });
  r.use('/api/docs/assets', express.static(swaggerDir, { index: false, maxAge: '1d' }));

  r.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  r.get('/ready', async (_req, res) => {
    const [database, search] = await Promise.all([health.reachable(), searchHealthy().catch(() => false)]);
    // Search being down degrades search only: writes queue in the outbox, so the API stays ready.
    res.status(database ? 200 : 503).json({ status: database ? (search ? 'ready' : 'degraded') : 'unavailable', database, search });
  });
  return r;
}
