import express, { Router, type NextFunction, type Request, type Response } from 'express';
import type { CaseStatus } from '../../bot/cases.js';
import type { Logger } from '../../bot/logger.js';
import type { Store } from '../../bot/store.js';
import { ApiError, sendError } from '../http/errors.js';
import { clientIp, selfOrigin } from '../http/plain.js';
import { RateLimiter } from '../http/rate-limit.js';
import type { LineChannel } from '../line/line-channel.js';
import type { ParkedRecord } from '../line/line-inbox.js';
import { view, type Advisers } from './advisers.js';
import type { AuditLog } from './audit.js';
import { COOKIE, type Actor, type ConsoleAuth } from './console-auth.js';
import type { ConsoleEvents } from './console-events.js';
import type { ConsoleService } from './console-service.js';
import { sendAttachment } from '../attachments/serve.js';

export interface ConsoleApiDeps {
  auth: ConsoleAuth;
  service: ConsoleService;
  events: ConsoleEvents;
  advisers: Advisers;
  audit: AuditLog;
  store: Store;
  log: Logger;
  trustProxy: number;
  publicOrigin: string | undefined;
  /** The LINE channel, when on: its quota and parked events are shown to the advisers of its org. */
  line?: LineChannel;
}

type Authed = Request & { actor: Actor };

const STATUSES: CaseStatus[] = ['waiting', 'active', 'closed'];

/**
 * `/api/console/*` (docs/console-api.md): JSON in and out, a session cookie for who is asking,
 * `X-CSRF-Token` on every change, the same origin only.
 */
export function consoleApi(deps: ConsoleApiDeps): Router {
  const router = Router();
  const { auth, service } = deps;
  // Per IP, on top of the per-account lock: guessing across many accounts is slowed too.
  const loginLimiter = new RateLimiter({ perMinute: 20, burst: 20 });

  router.use('/api/console', express.json({ limit: '16kb' }), (req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });

  const secureCookie = (req: Request) => selfOrigin(req, deps.trustProxy, deps.publicOrigin).startsWith('https:');
  const cookieOf = (req: Request) => {
    for (const part of String(req.headers.cookie ?? '').split(';')) {
      const [k, ...v] = part.trim().split('=');
      if (k === COOKIE) return decodeURIComponent(v.join('='));
    }
    return undefined;
  };
  const setCookie = (req: Request, res: Response, value: string, maxAge: number) =>
    res.setHeader(
      'Set-Cookie',
      `${COOKIE}=${encodeURIComponent(value)}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAge}${secureCookie(req) ? '; Secure' : ''}`,
    );

  /** Who is asking; 401 without a valid session. */
  const authed = async (req: Request, _res: Response, next: NextFunction) => {
    const actor = await auth.authenticate(cookieOf(req));
    if (!actor) return next(new ApiError(401, 'login_required', 'ログインしてください。'));
    (req as Authed).actor = actor;
    next();
  };
  /** Changes need the page's CSRF token and must come from the desk's own origin. */
  const csrf = (req: Request, _res: Response, next: NextFunction) => {
    const origin = req.headers.origin;
    if (origin && origin !== selfOrigin(req, deps.trustProxy, deps.publicOrigin)) {
      return next(new ApiError(403, 'bad_origin', '別のサイトからの操作は受け付けません。'));
    }
    const header = req.headers['x-csrf-token'];
    if (!auth.csrfOk((req as Authed).actor, typeof header === 'string' ? header : undefined)) {
      return next(new ApiError(403, 'csrf', '画面の有効期限が切れました。ページを再読み込みしてから、もう一度操作してください。'));
    }
    next();
  };
  const wrap =
    (fn: (req: Authed, res: Response) => Promise<unknown>) =>
    (req: Request, res: Response, next: NextFunction) =>
      fn(req as Authed, res).catch(next);
  const bodyOf = (req: Request): Record<string, unknown> => (req.body && typeof req.body === 'object' ? req.body : {});
  const str = (v: unknown, name: string): string => {
    if (typeof v !== 'string') throw new ApiError(400, 'bad_request', `${name} を文字列で指定してください。`);
    return v;
  };

  router.post(
    '/api/console/login',
    wrap(async (req, res) => {
      const verdict = loginLimiter.take(clientIp(req, deps.trustProxy));
      if (!verdict.allowed) throw new ApiError(429, 'rate_limited', 'ログインの試行が多すぎます。しばらくしてからお試しください。', { 'Retry-After': String(verdict.retryAfter) });
      const b = bodyOf(req);
      const email = str(b.email, 'email');
      const password = str(b.password, 'password');
      try {
        const { token, actor, maxAgeSeconds } = await auth.login(email, password);
        setCookie(req, res, token, maxAgeSeconds);
        await deps.audit.record({ org: actor.org, adviserId: actor.id, adviserName: actor.name, action: 'login' });
        res.json({ adviser: publicActor(actor), csrfToken: actor.csrfToken });
      } catch (e) {
        const known = await deps.advisers.byEmail(email);
        if (known) await deps.audit.record({ org: known.org, adviserId: known.id, adviserName: known.name, action: 'login-failed' });
        throw e;
      }
    }),
  );

  router.use('/api/console', (req, res, next) => (req.path === '/login' ? next() : authed(req, res, next)));
  router.post('/api/console/*rest', csrf);

  router.post(
    '/api/console/logout',
    wrap(async (req, res) => {
      await auth.logout(req.actor);
      await deps.audit.record({ org: req.actor.org, adviserId: req.actor.id, adviserName: req.actor.name, action: 'logout' });
      setCookie(req, res, '', 0);
      res.json({ ok: true });
    }),
  );
  router.get('/api/console/me', (req, res) => {
    const actor = (req as Authed).actor;
    res.json({ adviser: publicActor(actor), csrfToken: actor.csrfToken });
  });
  router.get(
    '/api/console/cases',
    wrap(async (req, res) => {
      const status = (req.query.status ?? 'waiting') as CaseStatus;
      if (!STATUSES.includes(status)) throw new ApiError(400, 'bad_status', 'status は waiting / active / closed のどれかです。');
      res.json({ cases: await service.listCases(req.actor, status) });
    }),
  );
  router.get('/api/console/cases/:id', wrap(async (req, res) => res.json(await service.detail(req.actor, String(req.params.id)))));
  router.post('/api/console/cases/:id/claim', wrap(async (req, res) => res.json({ case: await service.claim(req.actor, String(req.params.id)) })));
  router.post(
    '/api/console/cases/:id/messages',
    wrap(async (req, res) => res.status(201).json({ message: await service.send(req.actor, String(req.params.id), bodyOf(req).text as string) })),
  );
  router.post('/api/console/cases/:id/notes', wrap(async (req, res) => res.status(201).json({ case: await service.note(req.actor, String(req.params.id), bodyOf(req).text as string) })));
  router.post(
    '/api/console/cases/:id/transfer',
    wrap(async (req, res) => res.json({ case: await service.transfer(req.actor, String(req.params.id), str(bodyOf(req).adviserId, 'adviserId')) })),
  );
  router.post('/api/console/cases/:id/return', wrap(async (req, res) => res.json({ case: await service.giveBack(req.actor, String(req.params.id)) })));
  router.post('/api/console/cases/:id/close', wrap(async (req, res) => res.json({ case: await service.close(req.actor, String(req.params.id), str(bodyOf(req).outcome, 'outcome')) })));
  router.get(
    '/api/console/advisers',
    wrap(async (req, res) => res.json({ advisers: (await deps.advisers.listOrg(req.actor.org)).map(view).map(({ email: _e, ...rest }) => rest) })),
  );
  router.get('/api/console/conversations', wrap(async (req, res) => res.json({ conversations: await service.recentConversations(req.actor) })));
  router.post(
    '/api/console/conversations/:id/pickup',
    wrap(async (req, res) => res.status(201).json({ case: await service.pickUp(req.actor, String(req.params.id)) })),
  );
  router.get('/api/console/knowledge', (req, res) => res.json({ entries: service.searchKnowledge(String(req.query.q ?? '')) }));
  router.get(
    '/api/console/audit',
    wrap(async (req, res) => {
      if (req.actor.role !== 'admin') throw new ApiError(403, 'admin_only', '監査ログは管理者だけが見られます。');
      res.json({ entries: await deps.audit.list(req.actor.org) });
    }),
  );
  router.post(
    '/api/console/cases/:id/resend',
    wrap(async (req, res) => res.json({ resent: await service.resend(req.actor, String(req.params.id), bodyOf(req).seqs) })),
  );
  router.get(
    '/api/console/attachments/:id',
    wrap(async (req, res) => {
      const { attachment, data } = await service.attachment(req.actor, String(req.params.id));
      sendAttachment(res, attachment, data, req.query.thumb === '1');
    }),
  );
  router.post(
    '/api/console/incidents/:id/referrals/:rid',
    wrap(async (req, res) => res.json({ incident: await service.setReferralStatus(req.actor, String(req.params.id), String(req.params.rid), bodyOf(req).status) })),
  );
  /** The LINE channel, for advisers of its org only; others get 404 as for anything not theirs. */
  const lineOf = (actor: Actor): LineChannel => {
    if (!deps.line || deps.line.org !== actor.org) throw new ApiError(404, 'not_found', 'この窓口では LINE を使っていません。');
    return deps.line;
  };
  router.get(
    '/api/console/status',
    wrap(async (req, res) => {
      const line = deps.line && deps.line.org === req.actor.org ? deps.line : undefined;
      if (!line) return res.json({ line: null });
      const [quota, parked] = await Promise.all([line.quotaView(), line.parked()]);
      res.json({ line: { quota, parked: parked.length } });
    }),
  );
  router.get('/api/console/line/parked', wrap(async (req, res) => res.json({ events: (await lineOf(req.actor).parked()).map(parkedView) })));
  /** Retry or dismiss a parked LINE event: the same checks, 404 and audit for both. */
  const parkedAction = (verb: 'retry' | 'dismiss', act: (line: LineChannel, id: string) => Promise<boolean>) =>
    router.post(
      `/api/console/line/parked/:id/${verb}`,
      wrap(async (req, res) => {
        const id = String(req.params.id);
        if (!(await act(lineOf(req.actor), id))) throw new ApiError(404, 'not_found', 'このメッセージは見つかりません（すでに処理されたかもしれません）。');
        await deps.audit.record({ org: req.actor.org, adviserId: req.actor.id, adviserName: req.actor.name, action: `line-${verb}`, detail: id });
        res.json({ ok: true });
      }),
    );
  parkedAction('retry', (line, id) => line.retryParked(id));
  parkedAction('dismiss', (line, id) => line.dismissParked(id));
  router.get('/api/console/events', (req, res) => deps.events.open(req, res, (req as Authed).actor));

  router.use('/api/console', (_req: Request, _res: Response, next: NextFunction) => next(new ApiError(404, 'not_found', 'お探しの API はありません。')));
  // express.json's own errors, in the API's words.
  router.use('/api/console', (err: unknown, _req: Request, res: Response, next: NextFunction) => {
    const type = (err as { type?: string }).type;
    if (type === 'entity.parse.failed') return sendError(res, new ApiError(400, 'bad_json', 'リクエストの本文が正しい JSON ではありません。'));
    if (type === 'entity.too.large') return sendError(res, new ApiError(413, 'body_too_large', 'リクエストの本文が大きすぎます。'));
    next(err);
  });
  return router;
}

/** A parked LINE event as advisers see it: what was sent, when, and why it could not be processed. */
function parkedView(p: ParkedRecord & { id: string }) {
  return { id: p.id, text: p.text, userId: p.userId, receivedAt: p.receivedAt, parkedAt: p.parkedAt, attempts: p.attempts, error: p.error };
}

function publicActor(a: Actor) {
  return { id: a.id, org: a.org, email: a.email, name: a.name, role: a.role };
}
