import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';
import { Desk } from '../bot/desk.js';
import type { Logger } from '../bot/logger.js';
import { MessageBus } from '../bot/message-bus.js';
import { loadOrgs } from '../bot/orgs.js';
import { DeskBot } from '../dialogs/desk-bot.js';
import { KnowledgeBase } from '../knowledge/knowledge-base.js';
import type { Config } from './config.js';
import { Advisers } from './console/advisers.js';
import { AuditLog } from './console/audit.js';
import { ConsoleAuth } from './console/console-auth.js';
import { ConsoleEvents } from './console/console-events.js';
import { ConsoleService } from './console/console-service.js';
import { createApp } from './http/app.js';
import { LineApi } from './line/line-api.js';
import { LineChannel, TURN_RETRY_DELAYS_MS } from './line/line-channel.js';
import { backoff } from '../bot/retry.js';
import { LineWebhook } from './line/webhook.js';
import { SqliteStore } from './sqlite/sqlite-store.js';
import { TesseractReader } from './ocr/tesseract-reader.js';
import { AttachmentReading } from '../bot/reading.js';
import { StreamRegistry } from './web/stream.js';
import { WebApi } from './web/web-api.js';

export interface RunningDesk {
  url: string;
  port: number;
  desk: Desk;
  store: SqliteStore;
  knowledge: KnowledgeBase;
  /** The LINE channel, when LINE_CHANNEL_SECRET is set. */
  line?: LineChannel;
  /** Reads the text on images users send (tests wait on it). */
  reading: AttachmentReading;
  advisers: Advisers;
  console: ConsoleService;
  /** Stops accepting, ends open streams, waits for requests in flight, closes the store. */
  close(): Promise<void>;
}

/**
 * Builds the whole desk from its config and starts listening: the composition root. Used by
 * `npm start` (main.ts) and by the tests, which start it on an ephemeral port.
 */
export async function startDesk(config: Config, log: Logger): Promise<RunningDesk> {
  const orgs = loadOrgs(config.ORGS_FILE);
  const started = Date.now();
  const knowledge = KnowledgeBase.load();
  log.info({ entries: knowledge.entries.length, ms: Date.now() - started }, 'knowledge loaded');
  const store = new SqliteStore({
    dataDir: config.dataDir,
    synchronous: config.SQLITE_SYNCHRONOUS,
    onError: (message) => log.warn({ error: message }, 'background checkpoint failed'),
  });
  log.info({ file: store.file, schema: store.schemaVersion() }, 'store opened');
  const bus = new MessageBus();
  // Links in messages (diagnosis reports) need the address users reach: PUBLIC_URL behind a
  // proxy, else where we listen (known once listening).
  let publicUrl = config.PUBLIC_URL ?? '';
  const desk = new Desk({ store, responder: new DeskBot(knowledge, { publicUrl: () => publicUrl }), orgs, bus, log });
  // Screenshots: the text on them is read in a worker thread (started at the first image).
  const reader = new TesseractReader({ log });
  const reading = new AttachmentReading({ desk, store, bus, reader, log });
  await reading.start();
  const streams = new StreamRegistry();
  // The advisers' console (/console, /api/console).
  const advisers = new Advisers(store);
  const audit = new AuditLog(store);

  // The LINE channel is on when its secret is set.
  let line: LineChannel | undefined;
  let lineWebhook: LineWebhook | undefined;
  if (config.LINE_CHANNEL_SECRET && config.LINE_CHANNEL_ACCESS_TOKEN) {
    if (!orgs.get(config.LINE_ORG)) throw new Error(`LINE_ORG "${config.LINE_ORG}" は相談窓口の一覧 (ORGS_FILE) にありません。`);
    const api = new LineApi({ channelAccessToken: config.LINE_CHANNEL_ACCESS_TOKEN, baseURL: config.LINE_API_BASE_URL, dataBaseURL: config.LINE_DATA_API_BASE_URL, log });
    line = new LineChannel({
      desk,
      store,
      bus,
      api,
      org: config.LINE_ORG,
      log,
      loadingAfterMs: config.LINE_LOADING_AFTER_MS,
      retryDelaysMs: backoff(TURN_RETRY_DELAYS_MS.length, config.LINE_RETRY_FIRST_MS),
      reader,
    });
    lineWebhook = new LineWebhook(config.LINE_CHANNEL_SECRET, line, log);
  }

  const consoleService = new ConsoleService({ desk, store, kb: knowledge, advisers, audit, bus, log, ...(line ? { line } : {}) });
  consoleService.start();
  const consoleEvents = new ConsoleEvents(bus);
  const publicOrigin = config.PUBLIC_URL ? new URL(config.PUBLIC_URL).origin : undefined;
  const app = createApp({
    config,
    orgs,
    log,
    store,
    knowledge,
    console: {
      auth: new ConsoleAuth(store, advisers),
      service: consoleService,
      events: consoleEvents,
      advisers,
      audit,
      store,
      log,
      trustProxy: config.TRUST_PROXY,
      publicOrigin,
      ...(line ? { line } : {}),
    },
  });
  const webApi = new WebApi({
    desk,
    bus,
    orgs,
    streams,
    log,
    limits: {
      sessionPerMin: config.RATE_LIMIT_SESSION_PER_MIN,
      ipPerMin: config.RATE_LIMIT_IP_PER_MIN,
      newSessionsPerMin: config.RATE_LIMIT_NEW_SESSIONS_PER_MIN,
    },
    trustProxy: config.TRUST_PROXY,
    publicOrigin: config.PUBLIC_URL ? new URL(config.PUBLIC_URL).origin : undefined,
  });

  if (line) {
    await line.start();
    log.info({ org: config.LINE_ORG }, 'LINE channel on');
  }

  // The chat API and webhooks run on node:http directly (the hot path); express serves the rest.
  const server: Server = createServer((req, res) => {
    if (WebApi.owns(req.url)) return webApi.handle(req, res);
    if (lineWebhook && LineWebhook.owns(req.url)) return lineWebhook.handle(req, res);
    return app(req, res);
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.PORT, config.HOST, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${config.HOST === '0.0.0.0' || config.HOST === '::' ? 'localhost' : config.HOST}:${port}`;
  publicUrl ||= url;
  log.info({ port, url, orgs: orgs.orgs.map((o) => o.id) }, 'listening');

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      streams.closeAll();
      consoleEvents.closeAll();
      consoleService.stop();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      line?.stop();
      reading.stop();
      await line?.idle();
      await reading.idle();
      await reader.close();
      await store.close();
    })());
  return { url, port, desk, store, knowledge, ...(line ? { line } : {}), reading, advisers, console: consoleService, close };
}
