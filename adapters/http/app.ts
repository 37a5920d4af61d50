import express, { type Express } from 'express';
import type { Desk } from '../../bot/desk.js';
import type { Logger } from '../../bot/logger.js';
import type { MessageBus } from '../../bot/message-bus.js';
import type { OrgDirectory } from '../../bot/orgs.js';
import type { Config } from '../config.js';
import { OriginPolicy } from '../web/cors.js';
import { webApi } from '../web/routes.js';
import { widgetAssets } from '../web/assets.js';
import type { StreamRegistry } from '../web/stream.js';
import { errorHandler, notFound } from './errors.js';

export interface AppDeps {
  config: Config;
  desk: Desk;
  bus: MessageBus;
  orgs: OrgDirectory;
  streams: StreamRegistry;
  log: Logger;
}

/** The HTTP surface of the desk: the web chat API, the widget and its demo page. */
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
  app.use(
    '/api/web',
    webApi({
      desk: deps.desk,
      bus: deps.bus,
      orgs: deps.orgs,
      origins: new OriginPolicy(deps.orgs, config.PUBLIC_URL ? new URL(config.PUBLIC_URL).origin : undefined),
      streams: deps.streams,
      limits: {
        sessionPerMin: config.RATE_LIMIT_SESSION_PER_MIN,
        ipPerMin: config.RATE_LIMIT_IP_PER_MIN,
        newSessionsPerMin: config.RATE_LIMIT_NEW_SESSIONS_PER_MIN,
      },
    }),
  );
  app.use((_req, _res, next) => next(notFound()));
  app.use(errorHandler(deps.log));
  return app;
}
