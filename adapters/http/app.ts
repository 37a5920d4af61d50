import express, { type Express } from 'express';
import type { Logger } from '../../bot/logger.js';
import type { OrgDirectory } from '../../bot/orgs.js';
import type { Store } from '../../bot/store.js';
import type { KnowledgeBase } from '../../knowledge/knowledge-base.js';
import type { Config } from '../config.js';
import { widgetAssets } from '../web/assets.js';
import { incidentSheetRoutes } from '../web/incident-sheet.js';
import { reportRoutes } from '../web/report-routes.js';
import { consoleApi, type ConsoleApiDeps } from '../console/console-api.js';
import { consoleAssets } from '../console/console-assets.js';
import { errorHandler, notFound } from './errors.js';

export interface AppDeps {
  config: Config;
  orgs: OrgDirectory;
  log: Logger;
  store: Store;
  knowledge: KnowledgeBase;
  console: ConsoleApiDeps;
}

/**
 * The express side of the desk: the widget script, its demo page, diagnosis reports, the
 * advisers' console and its API, health. (The web chat API
 * runs on node:http directly, see adapters/web/web-api.ts; server.ts routes between them.)
 */
export function createApp(deps: AppDeps): Express {
  const { config } = deps;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.TRUST_PROXY);
  app.use((req, res, next) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      // Paths only: message text and tokens never reach the logs.
      deps.log.debug(
        { method: req.method, path: req.path, status: res.statusCode, ms: Number(process.hrtime.bigint() - started) / 1e6 },
        'request',
      );
    });
    next();
  });

  app.get('/healthz', (_req, res) => {
    res.json({ ok: true });
  });
  app.use(widgetAssets(deps.orgs));
  app.use(reportRoutes({ store: deps.store, kb: deps.knowledge }));
  app.use(incidentSheetRoutes({ store: deps.store }));
  app.use(consoleAssets());
  app.use(consoleApi(deps.console));
  app.use((_req, _res, next) => next(notFound()));
  app.use(errorHandler(deps.log));
  return app;
}
