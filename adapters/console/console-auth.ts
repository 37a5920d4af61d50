import { timingSafeEqual } from 'node:crypto';
import { newSecretToken, secretTokenKey as hash } from '../../bot/secret-token.js';
import type { Store } from '../../bot/store.js';
import { ApiError } from '../http/errors.js';
import { view, type Adviser, type Advisers, type AdviserView } from './advisers.js';
import { verifyPassword } from './passwords.js';

export const SESSIONS = 'console-sessions';
export const COOKIE = 'desk_console';
/** A console login lasts a working day. */
export const SESSION_HOURS = 10;
/** Failed logins in a row that lock the account, and for how long. */
export const MAX_FAILURES = 5;
export const LOCK_MINUTES = 15;

interface SessionDoc {
  adviserId: string;
  org: string;
  csrfToken: string;
  createdAt: string;
  expiresAt: string;
}

export interface Actor extends AdviserView {
  sessionKey: string;
  csrfToken: string;
}

/** Verified against when the e-mail is unknown, so a wrong address takes as long as a wrong password. */
const DUMMY_HASH = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$' + Buffer.alloc(64).toString('base64');

/**
 * Console logins: e-mail and password, a random session token in an HttpOnly cookie (stored
 * hashed), a CSRF token the page sends back in `X-CSRF-Token` on every change, and a lock after
 * repeated failures.
 */
export class ConsoleAuth {
  constructor(
    private readonly store: Store,
    private readonly advisers: Advisers,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async login(email: string, password: string): Promise<{ token: string; actor: Actor; maxAgeSeconds: number }> {
    const adviser = await this.advisers.byEmail(email);
    const now = this.clock();
    if (adviser?.lockedUntil && Date.parse(adviser.lockedUntil) > now.getTime()) {
      const minutes = Math.ceil((Date.parse(adviser.lockedUntil) - now.getTime()) / 60_000);
      throw new ApiError(423, 'locked', `ログインの失敗が続いたため、このアカウントは一時的にロックされています。${minutes} 分ほどたってから、もう一度お試しください。`);
    }
    const ok = await verifyPassword(password, adviser?.passwordHash ?? DUMMY_HASH);
    if (!adviser || !ok) {
      if (adviser) await this.recordFailure(adviser, now);
      throw new ApiError(401, 'bad_credentials', 'メールアドレスまたはパスワードが違います。');
    }
    if (adviser.failedLogins || adviser.lockedUntil) {
      adviser.failedLogins = 0;
      delete adviser.lockedUntil;
      await this.advisers.save(adviser);
    }
    const token = newSecretToken(32);
    const doc: SessionDoc = {
      adviserId: adviser.id,
      org: adviser.org,
      csrfToken: newSecretToken(24),
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + SESSION_HOURS * 3_600_000).toISOString(),
    };
    const sessions = this.store.documents<SessionDoc>(SESSIONS);
    // Sessions are written once, at login: older than a session's life means expired.
    await sessions.prune(new Date(now.getTime() - SESSION_HOURS * 3_600_000).toISOString());
    await sessions.put(hash(token), doc);
    return { token, actor: { ...view(adviser), sessionKey: hash(token), csrfToken: doc.csrfToken }, maxAgeSeconds: SESSION_HOURS * 3600 };
  }

  /** The adviser behind a session cookie, or undefined (no cookie, unknown, expired, account gone). */
  async authenticate(token: string | undefined): Promise<Actor | undefined> {
    if (!token || token.length > 100) return undefined;
    const key = hash(token);
    const doc = await this.store.documents<SessionDoc>(SESSIONS).get(key);
    if (!doc || Date.parse(doc.expiresAt) <= this.clock().getTime()) return undefined;
    const adviser = await this.advisers.get(doc.adviserId);
    if (!adviser) return undefined;
    return { ...view(adviser), sessionKey: key, csrfToken: doc.csrfToken };
  }

  /** Constant-time comparison of the header with the session's token. */
  csrfOk(actor: Actor, header: string | undefined): boolean {
    if (!header) return false;
    const a = Buffer.from(header);
    const b = Buffer.from(actor.csrfToken);
    return a.length === b.length && timingSafeEqual(a, b);
  }

  logout(actor: Actor): Promise<void> {
    return this.store.documents(SESSIONS).delete(actor.sessionKey);
  }

  private async recordFailure(adviser: Adviser, now: Date): Promise<void> {
    adviser.failedLogins += 1;
    if (adviser.failedLogins >= MAX_FAILURES) {
      adviser.lockedUntil = new Date(now.getTime() + LOCK_MINUTES * 60_000).toISOString();
      adviser.failedLogins = 0;
    }
    await this.advisers.save(adviser);
  }
}
