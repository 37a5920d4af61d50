import type { Org, OrgDirectory } from '../../bot/orgs.js';
import { ApiError } from '../http/errors.js';

/**
 * CORS for the web API. Chamber sites embed the widget, so their pages call the API from
 * their own origin; each org lists the origins allowed to do so. The desk's own pages (the
 * demo at /) are always allowed. Requests without an Origin header do not come from a
 * browser page and are left to the token check.
 */
export class OriginPolicy {
  private readonly anyOrg: Set<string>;
  private readonly wildcard: boolean;

  constructor(orgs: OrgDirectory) {
    this.anyOrg = new Set(orgs.orgs.flatMap((o) => o.allowedOrigins));
    this.wildcard = this.anyOrg.has('*');
  }

  /** Whether some org lets pages on `origin` call the API (decides preflights and CORS headers). */
  allowedSomewhere(origin: string, self: string): boolean {
    return origin === self || this.wildcard || this.anyOrg.has(origin);
  }

  /** Throws 403 when a page on `origin` may not use this org's desk. */
  check(origin: string | undefined, self: string, org: Org): void {
    if (!origin || origin === self || org.allowedOrigins.includes('*') || org.allowedOrigins.includes(origin)) return;
    throw new ApiError(403, 'origin_not_allowed', 'このサイトからはこの相談窓口を利用できません。窓口の設定（allowedOrigins）を確認してください。');
  }

  /** Headers for a response to a page on `origin` (none when no org allows it). */
  headers(origin: string | undefined, self: string): Record<string, string> {
    if (!origin || !this.allowedSomewhere(origin, self)) return { Vary: 'Origin' };
    return { Vary: 'Origin', 'Access-Control-Allow-Origin': origin, 'Access-Control-Expose-Headers': 'Retry-After' };
  }

  static readonly PREFLIGHT = {
    'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
    'Access-Control-Allow-Headers': 'Content-Type, Authorization, Last-Event-ID, X-Caption, X-File-Name',
    'Access-Control-Max-Age': '600',
  };
}
