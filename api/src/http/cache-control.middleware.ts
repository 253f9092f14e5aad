import type { RequestHandler } from 'express';

const ALWAYS_PERSONAL = /^\/api\/(me|auth)(\/|$)/;
const STATIC_FILE = /\.[A-Za-z0-9]+$/;

/**
 * Whatever is rendered for a signed-in viewer — API responses (a post as its author sees it, with the exact point),
 * pages and their __data.json — and every /api/me and /api/auth answer must never sit in a shared cache, nor in the
 * browser's disk cache after sign-out: `Cache-Control: private, no-store`. Set before the route runs, so a route has
 * to opt out explicitly. Static files (the web build's assets, map data) keep their own caching.
 */
export const personalNoStore: RequestHandler = (req, res, next) => {
  const path = req.path;
  const personal =
    ALWAYS_PERSONAL.test(path) ||
    (req.viewer !== undefined && (path.startsWith('/api/') || !STATIC_FILE.test(path) || path.endsWith('/__data.json')));
  if (personal) res.setHeader('Cache-Control', 'private, no-store');
  next();
};
