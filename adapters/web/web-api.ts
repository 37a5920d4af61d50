import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Desk } from '../../bot/desk.js';
import type { Logger } from '../../bot/logger.js';
import type { MessageBus } from '../../bot/message-bus.js';
import type { OrgDirectory } from '../../bot/orgs.js';
import type { InboundContent } from '../../bot/types.js';
import { ApiError } from '../http/errors.js';
import { clientIp, readJson, readRaw, selfOrigin, sendApiError, sendJson } from '../http/plain.js';
import { MAX_ATTACHMENT_BYTES, type AttachmentRef } from '../../bot/attachments.js';
import { AttachmentRejected, TOO_BIG, takeAttachment } from '../attachments/intake.js';
import { sendAttachment } from '../attachments/serve.js';
import { RateLimiter } from '../http/rate-limit.js';
import { OriginPolicy } from './cors.js';
import { WebSessions, type WebSession } from './sessions.js';
import { openStream, type StreamRegistry } from './stream.js';

export interface WebApiOptions {
  desk: Desk;
  bus: MessageBus;
  orgs: OrgDirectory;
  streams: StreamRegistry;
  log: Logger;
  limits: { sessionPerMin: number; ipPerMin: number; newSessionsPerMin: number };
  trustProxy: number;
  /** The desk's public origin when behind a proxy (from PUBLIC_URL). */
  publicOrigin?: string;
}

/** Longest message text a user may send, in characters (code points). */
export const MAX_TEXT = 2000;
const MAX_CHOICE = 200;
const MAX_BODY = 8 * 1024;
/** Files one web session may send in an hour (10 at once). */
export const ATTACHMENTS_PER_HOUR = 30;
/** Largest page of history one request returns. */
const PAGE_MAX = 500;

export const WEB_API_PREFIX = '/api/web';
const SESSION_PATH = /^\/api\/web\/sessions\/([^/]+)\/(messages|stream|attachments)$/;
const ATTACHMENT_PATH = /^\/api\/web\/sessions\/([^/]+)\/attachments\/([0-9a-f-]{36})$/;

/** What a handler needs to know about its request. */
interface Call {
  req: IncomingMessage;
  res: ServerResponse;
  query: URLSearchParams;
  ip: string;
  origin: string | undefined;
  self: string;
  cors: Record<string, string>;
}

/**
 * The web chat API the widget (and any chamber's own front end) uses, on node:http directly
 * (see plain.ts for why). Documented in docs/web-api.md: a public contract, keep it in step.
 */
export class WebApi {
  private readonly sessions: WebSessions;
  private readonly origins: OriginPolicy;
  private readonly perSession: RateLimiter;
  private readonly perIp: RateLimiter;
  private readonly newSessions: RateLimiter;
  private readonly attachments: RateLimiter;

  constructor(private readonly options: WebApiOptions) {
    this.sessions = new WebSessions(options.desk);
    this.origins = new OriginPolicy(options.orgs);
    const { sessionPerMin, ipPerMin, newSessionsPerMin } = options.limits;
    this.perSession = new RateLimiter({ perMinute: sessionPerMin, burst: sessionPerMin });
    this.perIp = new RateLimiter({ perMinute: ipPerMin, burst: ipPerMin });
    this.newSessions = new RateLimiter({ perMinute: newSessionsPerMin, burst: newSessionsPerMin });
    // A screenshot now and then; a burst of them is someone emptying a folder into the chat.
    this.attachments = new RateLimiter({ perMinute: ATTACHMENTS_PER_HOUR / 60, burst: 10 });
  }

  /** Whether a request belongs to this API. */
  static owns(url: string | undefined): boolean {
    return url === WEB_API_PREFIX || Boolean(url?.startsWith(`${WEB_API_PREFIX}/`));
  }

  handle(req: IncomingMessage, res: ServerResponse): void {
    const started = process.hrtime.bigint();
    let call: Call | undefined;
    this.route(req, res, (c) => (call = c)).catch((e: unknown) => {
      const err = e instanceof ApiError ? e : internal(e, this.options.log, req);
      sendApiError(res, call ? withHeaders(err, call.cors) : err);
    });
    res.on('finish', () => {
      // Paths only: message text and tokens never reach the logs.
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      this.options.log.debug({ method: req.method, path: req.url?.split('?')[0], status: res.statusCode, ms }, 'request');
    });
  }

  private async route(req: IncomingMessage, res: ServerResponse, expose: (c: Call) => void): Promise<void> {
    const [path = '', search = ''] = (req.url ?? '').split('?', 2);
    const origin = req.headers.origin;
    const self = selfOrigin(req, this.options.trustProxy, this.options.publicOrigin);
    const call: Call = {
      req,
      res,
      query: new URLSearchParams(search),
      ip: clientIp(req, this.options.trustProxy),
      origin,
      self,
      cors: this.origins.headers(origin, self),
    };
    expose(call);

    if (req.method === 'OPTIONS') return this.preflight(call);
    limit(this.perIp, call.ip, 'このネットワークからのリクエストが多すぎます。しばらく待ってからお試しください。');

    if (path === `${WEB_API_PREFIX}/sessions`) {
      if (req.method === 'POST') return this.createSession(call);
      throw methodNotAllowed('POST');
    }
    const m = SESSION_PATH.exec(path);
    if (m) {
      const id = decodeURIComponent(m[1]!);
      if (m[2] === 'messages' && req.method === 'POST') return this.postMessage(call, id);
      if (m[2] === 'messages' && req.method === 'GET') return this.listMessages(call, id);
      if (m[2] === 'stream' && req.method === 'GET') return this.stream(call, id);
      if (m[2] === 'attachments' && req.method === 'POST') return this.postAttachment(call, id);
      throw methodNotAllowed(m[2] === 'messages' ? 'GET, POST' : m[2] === 'attachments' ? 'POST' : 'GET');
    }
    const a = ATTACHMENT_PATH.exec(path);
    if (a) {
      if (req.method !== 'GET') throw methodNotAllowed('GET');
      return this.getAttachment(call, decodeURIComponent(a[1]!), a[2]!);
    }
    throw new ApiError(404, 'not_found', 'この API はありません。');
  }

  private preflight(call: Call): void {
    if (call.origin && this.origins.allowedSomewhere(call.origin, call.self)) {
      call.res.writeHead(204, { ...call.cors, ...OriginPolicy.PREFLIGHT });
      call.res.end();
      return;
    }
    throw new ApiError(403, 'origin_not_allowed', 'このサイトからはこの相談窓口を利用できません。');
  }

  private async createSession(call: Call): Promise<void> {
    const body = objectBody(await readJson(call.req, MAX_BODY));
    if (body.org !== undefined && (typeof body.org !== 'string' || body.org.length > 64)) {
      throw new ApiError(400, 'invalid_field', 'org は 64 文字以内の文字列で指定してください。');
    }
    const { orgs } = this.options;
    const org = body.org === undefined ? orgs.fallback : orgs.get(body.org);
    if (!org) throw new ApiError(404, 'unknown_org', `相談窓口「${body.org}」は見つかりません。`);
    this.origins.check(call.origin, call.self, org);
    limit(this.newSessions, call.ip, '新しい会話の開始が多すぎます。しばらく待ってからお試しください。');
    const { session, token } = await this.sessions.create(org.id);
    sendJson(call.res, 201, { sessionId: session.id, token }, call.cors);
  }

  private async postMessage(call: Call, id: string): Promise<void> {
    const session = await this.authorize(call, id, false);
    const content = messageContent(objectBody(await readJson(call.req, MAX_BODY)));
    limit(this.perSession, session.id, 'メッセージの送信が速すぎます。少し待ってから送ってください。');
    const { messages } = await this.options.desk.handle({ channel: 'web', org: session.org, key: session.id, userId: session.id, content });
    // The turn is committed: only now is the message acknowledged.
    sendJson(call.res, 202, { seq: messages[0]!.seq }, call.cors);
  }

  /**
   * A screenshot, photo or PDF as the raw body (its type is read from the bytes; the declared
   * `Content-Type` is not trusted), with optional words in `X-Caption` and the device's file
   * name in `X-File-Name` (both percent-encoded). Stored before the 202, like a message.
   */
  private async postAttachment(call: Call, id: string): Promise<void> {
    const session = await this.authorize(call, id, false);
    const caption = headerText(call.req.headers['x-caption'], 'X-Caption', MAX_TEXT);
    const name = headerText(call.req.headers['x-file-name'], 'X-File-Name', 200);
    limit(this.perSession, session.id, 'メッセージの送信が速すぎます。少し待ってから送ってください。');
    limit(this.attachments, session.id, 'ファイルの送信が多すぎます。しばらく待ってから送ってください。');
    let data: Buffer;
    try {
      data = await readRaw(call.req, MAX_ATTACHMENT_BYTES);
    } catch (e) {
      if (e instanceof ApiError && e.status === 413) throw new ApiError(413, 'file_too_large', TOO_BIG);
      throw e;
    }
    let attachment: AttachmentRef;
    try {
      attachment = await takeAttachment(this.options.desk.store, { org: session.org, channel: 'web', key: session.id }, data, name ? { name } : {});
    } catch (e) {
      if (e instanceof AttachmentRejected) throw new ApiError(e.status, e.code, e.message);
      throw e;
    }
    const { messages } = await this.options.desk.handle({
      channel: 'web',
      org: session.org,
      key: session.id,
      userId: session.id,
      content: { type: 'attachment', attachment, ...(caption ? { caption } : {}) },
    });
    sendJson(call.res, 202, { seq: messages[0]!.seq, attachment }, call.cors);
  }

  /** An attachment of this session (`?thumb=1` for its thumbnail); anyone else's is "not found". */
  private async getAttachment(call: Call, id: string, attachmentId: string): Promise<void> {
    const session = await this.authorize(call, id, false);
    const found = await this.options.desk.store.getAttachment(attachmentId);
    if (!found || found.attachment.channel !== 'web' || found.attachment.key !== session.id) {
      throw new ApiError(404, 'not_found', 'このファイルは見つかりません。');
    }
    sendAttachment(call.res, found.attachment, found.data, call.query.get('thumb') === '1', call.cors);
  }

  private async listMessages(call: Call, id: string): Promise<void> {
    const session = await this.authorize(call, id, false);
    const after = seqParam(call.query.get('after'), 'after');
    const requested = call.query.get('limit');
    const limitParam = requested === null ? PAGE_MAX : Math.min(PAGE_MAX, Math.max(1, seqParam(requested, 'limit')));
    const messages = await this.options.desk.history(session.conversationId, after, limitParam);
    sendJson(call.res, 200, { messages }, call.cors);
  }

  private async stream(call: Call, id: string): Promise<void> {
    const session = await this.authorize(call, id, true);
    const header = call.req.headers['last-event-id'];
    const after = typeof header === 'string' && header !== '' ? seqParam(header, 'Last-Event-ID') : seqParam(call.query.get('after'), 'after');
    const { desk, bus, streams } = this.options;
    await openStream(call.res, { desk, bus, registry: streams, session, after, headers: call.cors });
  }

  private async authorize(call: Call, id: string, allowQueryToken: boolean): Promise<WebSession> {
    const token = presentedToken(call, allowQueryToken);
    if (!token) throw new ApiError(401, 'missing_token', '認証トークンがありません。Authorization: Bearer <token> を付けてください。');
    const session = await this.sessions.find(id);
    if (!session) throw new ApiError(404, 'unknown_session', 'この会話は見つかりません。新しく会話を始めてください。');
    if (!WebSessions.tokenMatches(session, token)) throw new ApiError(401, 'invalid_token', '認証トークンが正しくありません。');
    const org = this.options.orgs.get(session.org);
    if (!org) throw new ApiError(404, 'unknown_org', 'この会話の相談窓口は、現在の設定にありません。');
    this.origins.check(call.origin, call.self, org);
    return session;
  }
}

function limit(limiter: RateLimiter, key: string, message: string): void {
  const v = limiter.take(key);
  if (!v.allowed) throw new ApiError(429, 'rate_limited', message, { 'Retry-After': String(v.retryAfter) });
}

function methodNotAllowed(allow: string): ApiError {
  return new ApiError(405, 'method_not_allowed', 'この API はこのメソッドでは使えません。', { Allow: allow });
}

function withHeaders(err: ApiError, headers: Record<string, string>): ApiError {
  return new ApiError(err.status, err.code, err.message, { ...headers, ...err.headers });
}

function internal(e: unknown, log: Logger, req: IncomingMessage): ApiError {
  log.error({ err: e, method: req.method, path: req.url?.split('?')[0] }, 'unhandled error');
  return new ApiError(500, 'internal', 'サーバーでエラーが起きました。しばらくしてからもう一度お試しください。');
}

function objectBody(body: unknown): Record<string, unknown> {
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

/** A percent-encoded header of at most `max` characters (a caption, a file name), or undefined. */
function headerText(value: string | string[] | undefined, name: string, max: number): string | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  let text: string;
  try {
    text = decodeURIComponent(value).trim();
  } catch {
    throw new ApiError(400, 'invalid_header', `${name} はパーセントエンコードした UTF-8 にしてください。`);
  }
  if ([...text].length > max) throw new ApiError(400, 'invalid_header', `${name} は ${max} 文字以内にしてください。`);
  return text || undefined;
}

function seqParam(value: string | null | undefined, name: string): number {
  if (value === undefined || value === null || value === '') return 0;
  if (!/^\d{1,15}$/.test(value)) throw new ApiError(400, 'invalid_param', `${name} は 0 以上の整数で指定してください。`);
  return Number(value);
}

/** The bearer token from the Authorization header, or (for EventSource) the `token` query parameter. */
function presentedToken(call: Call, allowQuery: boolean): string | undefined {
  const header = call.req.headers.authorization;
  if (header) return /^Bearer\s+(\S+)$/i.exec(header)?.[1];
  const q = call.query.get('token');
  return allowQuery && q ? q : undefined;
}
