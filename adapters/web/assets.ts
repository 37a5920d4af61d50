import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import express, { type Router } from 'express';
import type { OrgDirectory } from '../../bot/orgs.js';
import { projectRoot } from '../../bot/project-root.js';
import { escapeHtml } from '../http/html.js';

const PUBLIC = join(projectRoot, 'adapters', 'web', 'public');

/**
 * The widget script and the demo page at `/`. `/?org=<id>` shows the demo for another org.
 * Both are read once at start-up; they are small.
 */
export function widgetAssets(orgs: OrgDirectory): Router {
  const widget = readFileSync(join(PUBLIC, 'widget.js'));
  const demo = readFileSync(join(PUBLIC, 'index.html'), 'utf8');
  const router = express.Router();

  router.get('/widget.js', (_req, res) => {
    res.setHeader('Content-Type', 'text/javascript; charset=utf-8');
    res.setHeader('Cache-Control', 'public, max-age=300');
    // Any site may load the script; what it may do is decided by the API's origin check.
    res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
    res.send(widget);
  });

  router.get('/', (req, res) => {
    const requested = typeof req.query.org === 'string' ? orgs.get(req.query.org) : undefined;
    const org = requested ?? orgs.fallback;
    const base = `${req.protocol}://${req.get('host') ?? 'localhost'}`;
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.send(
      demo
        .replaceAll('__ORG_NAME__', escapeHtml(org.name))
        .replaceAll('__ORG__', escapeHtml(org.id))
        .replaceAll('__BASE__', escapeHtml(base)),
    );
  });
  return router;
}
