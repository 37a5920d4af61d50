import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import express, { type Router } from 'express';
import { projectRoot } from '../../bot/project-root.js';

const PUBLIC = join(projectRoot, 'adapters', 'console', 'public');

/** The console page and its script and style, with a strict content policy (no inline code, no framing). */
export function consoleAssets(): Router {
  const files: Record<string, { type: string; body: Buffer }> = {
    '/console': { type: 'text/html; charset=utf-8', body: readFileSync(join(PUBLIC, 'console.html')) },
    '/console/console.js': { type: 'text/javascript; charset=utf-8', body: readFileSync(join(PUBLIC, 'console.js')) },
    '/console/console.css': { type: 'text/css; charset=utf-8', body: readFileSync(join(PUBLIC, 'console.css')) },
  };
  const router = express.Router();
  for (const [path, f] of Object.entries(files)) {
    router.get(path, (_req, res) => {
      res.setHeader('Content-Type', f.type);
      res.setHeader('Cache-Control', 'no-cache');
      res.setHeader('Content-Security-Policy', "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
      res.setHeader('X-Frame-Options', 'DENY');
      res.setHeader('Referrer-Policy', 'same-origin');
      res.send(f.body);
    });
  }
  router.get('/console/', (_req, res) => res.redirect(301, '/console'));
  return router;
}
