import express, { type Request, type Router } from 'express';
import type { Desk } from '../../bot/desk.js';
import type { MessageBus } from '../../bot/message-bus.js';
import type { OrgDirectory } from '../../bot/orgs.js';
import type { InboundContent } from '../../bot/types.js';
import { ApiError } from '../http/errors.js';
import { RateLimiter } from '../http/rate-limit.js';
import type { OriginPolicy } from './cors.js';
import { WebSessions, type WebSession } from './sessions.js';
import { openStream, type StreamRegistry } from './stream.js';

export interface WebApiOptions {
  desk: Desk;
  bus: MessageBus;
  orgs: OrgDirectory;
  origins: OriginPolicy;
  streams: StreamRegistry;
  limits: { sessionPerMin: number; ipPerMin: number; newSessionsPerMin: number };
}

/** Longest message text a user may send, in characters (code points). */
export const MAX_TEXT = 2000;
const MAX_CHOICE = 200;
/** Largest page of history one request returns. */
const PAGE_MAX = 500;

/**
 * The web chat API the widget (and any chamber's own front end) uses. Documented in
 * docs/web-api.md: that document is a public contract, keep it in step.
 */
export function webApi(options: WebApiOptions): Router {
  const { desk, orgs, origins } = options;
  const sessions = new WebSessions(desk);
  const perSession = new RateLimiter({ perMinute: options.limits.sessionPerMin, burst: options.limits.sessionPerMin });
  const perIp = new RateLimiter({ perMinute: options.limits.ipPerMin, burst: options.limits.ipPerMin });
  const newSessions = new RateLimiter({ perMinute: options.limits.newSessionsPerMin, burst: options.limits.newSessionsPerMin });

  const router = express.Router();
  router.use(origins.middleware());
  router.use((req, _res, next) => {
    limit(perIp, req.ip ?? 'unknown', 'このネットワークからのリクエストが多すぎます。しばらく待ってからお試しください。');
    next();
  });
  router.use(express.json({ limit: '8kb', type: () => true }));

  router.post('/sessions', async (req, res) => {
    const body = objectBody(req);
    if (body.org !== undefined && (typeof body.org !== 'string' || body.org.length > 64)) {
      throw new ApiError(400, 'invalid_field', 'org は 64 文字以内の文字列で指定してください。');
    }
    const org = body.org === undefined ? orgs.fallback : orgs.get(body.org);
    if (!org) throw new ApiError(404, 'unknown_org', `相談窓口「${body.org}」は見つかりません。`);
    origins.check(req, org);
    limit(newSessions, req.ip ?? 'unknown', '新しい会話の開始が多すぎます。しばらく待ってからお試しください。');
    const { session, token } = await sessions.create(org.id);
    res.status(201).json({ sessionId: session.id, token });
  });

  router.post('/sessions/:id/messages', async (req, res) => {
    const session = await authorize(req, sessions, orgs, origins, false);
    const content = messageContent(objectBody(req));
    limit(perSession, session.id, 'メッセージの送信が速すぎます。少し待ってから送ってください。');
    const { messages } = await desk.handle({ channel: 'web', org: session.org, key: session.id, userId: session.id, content });
    // The turn is committed: only now is the message acknowledged.
    res.status(202).json({ seq: messages[0]!.seq });
  });

  router.get('/sessions/:id/messages', async (req, res) => {
    const session = await authorize(req, sessions, orgs, origins, false);
    const after = seqParam(req.query.after, 'after');
    const limitParam = req.query.limit === undefined ? PAGE_MAX : Math.min(PAGE_MAX, Math.max(1, seqParam(req.query.limit, 'limit')));
    const messages = await desk.history(session.conversationId, after, limitParam);
    res.json({ messages });
  });

  router.get('/sessions/:id/stream', async (req, res) => {
    const session = await authorize(req, sessions, orgs, origins, true);
    const header = req.get('last-event-id');
    const after = header !== undefined && header !== '' ? seqParam(header, 'Last-Event-ID') : seqParam(req.query.after, 'after');
    await openStream(res, { desk, bus: options.bus, registry: options.streams, session, after });
  });

  router.use((_req, _res, next) => next(new ApiError(404, 'not_found', 'この API はありません。')));
  return router;
}

function limit(limiter: RateLimiter, key: string, message: string): void {
  const v = limiter.take(key);
  if (!v.allowed) throw new ApiError(429, 'rate_limited', message, { 'Retry-After': String(v.retryAfter) });
}

function objectBody(req: Request): Record<string, unknown> {
  const body: unknown = req.body;
  if (body === undefined) return {};
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ApiError(400, 'bad_request', 'リクエストの本文は JSON のオブジェクトにしてください。');
  }
  return body as Record<string, unknown>;
}

/** `{ "text" }` or `{ "choice" }`, checked; empty or oversize text gets a precise error. */
function messageContent(body: Record<string, unknown>): InboundContent {
  const hasText = body.text !== undefined;
  const hasChoice = body.choice !== undefined;
  if (hasText === hasChoice) {
    throw new ApiError(400, 'missing_field', 'text（文章）か choice（選んだボタンの値）のどちらか一方を指定してください。');
  }
  if (hasChoice) {
    if (typeof body.choice !== 'string' || body.choice.trim() === '' || body.choice.length > MAX_CHOICE) {
      throw new ApiError(400, 'invalid_field', 'choice は空でない 200 文字以内の文字列で指定してください。');
    }
    return { type: 'choice', value: body.choice };
  }
  if (typeof body.text !== 'string') throw new ApiError(400, 'invalid_field', 'text は文字列で指定してください。');
  const text = body.text.trim();
  if (text === '') throw new ApiError(400, 'empty_text', 'メッセージが空です。文字を入力してから送ってください。');
  if ([...text].length > MAX_TEXT) {
    throw new ApiError(413, 'text_too_long', `メッセージが長すぎます（${MAX_TEXT} 文字まで）。分けて送ってください。`);
  }
  return { type: 'text', text };
}

function seqParam(value: unknown, name: string): number {
  if (value === undefined || value === '') return 0;
  if (typeof value !== 'string' || !/^\d{1,15}$/.test(value)) {
    throw new ApiError(400, 'invalid_param', `${name} は 0 以上の整数で指定してください。`);
  }
  return Number(value);
}

/** The bearer token from the Authorization header, or (for EventSource) the `token` query parameter. */
function presentedToken(req: Request, allowQuery: boolean): string | undefined {
  const header = req.get('authorization');
  if (header) {
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    return m ? m[1] : undefined;
  }
  if (allowQuery && typeof req.query.token === 'string' && req.query.token) return req.query.token;
  return undefined;
}

async function authorize(
  req: Request,
  sessions: WebSessions,
  orgs: OrgDirectory,
  origins: OriginPolicy,
  allowQuery: boolean,
): Promise<WebSession> {
  const token = presentedToken(req, allowQuery);
  if (!token) throw new ApiError(401, 'missing_token', '認証トークンがありません。Authorization: Bearer <token> を付けてください。');
  const id = String(req.params.id);
  const session = await sessions.find(id);
  if (!session) throw new ApiError(404, 'unknown_session', 'この会話は見つかりません。新しく会話を始めてください。');
  if (!WebSessions.tokenMatches(session, token)) throw new ApiError(401, 'invalid_token', '認証トークンが正しくありません。');
  const org = orgs.get(session.org);
  if (!org) throw new ApiError(404, 'unknown_org', 'この会話の相談窓口は、現在の設定にありません。');
  origins.check(req, org);
  return session;
}
