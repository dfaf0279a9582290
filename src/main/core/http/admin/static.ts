/** The renderer build served to the browser / Electron window, with an SPA fallback to index.html. */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import express, { Router } from 'express';

const NO_UI_PAGE =
  '<!doctype html><meta charset="utf-8"><title>FleetDesk</title>' +
  '<h1>FleetDesk</h1><p>The admin API is running, but no UI build was found. Run <code>npm run build</code>.</p>';

export function createStaticRouter(rendererDir: string | undefined): Router {
  const router = Router();
  const root = rendererDir ? resolve(rendererDir) : undefined;
  const indexFile = root ? join(root, 'index.html') : undefined;

  if (root) router.use(express.static(root, { index: 'index.html', fallthrough: true, redirect: false }));

  // Client-side routes (/devices/…, /settings) load the app shell; missing assets stay 404.
  router.get('/{*path}', (req, res, next) => {
    if (req.path.startsWith('/api/') || /\.[a-z0-9]+$/i.test(req.path) || !req.accepts('html')) {
      next();
      return;
    }
    if (indexFile && existsSync(indexFile)) res.sendFile(indexFile);
    else res.type('html').send(NO_UI_PAGE);
  });
  return router;
}
