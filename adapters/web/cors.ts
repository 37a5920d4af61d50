import type { NextFunction, Request, Response } from 'express';
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

  constructor(
    private readonly orgs: OrgDirectory,
    private readonly publicOrigin: string | undefined,
  ) {
    this.anyOrg = new Set(orgs.orgs.flatMap((o) => o.allowedOrigins));
    this.wildcard = this.anyOrg.has('*');
  }

  /** The desk's own origin for this request. */
  private selfOrigin(req: Request): string {
    return this.publicOrigin ?? `${req.protocol}://${req.get('host') ?? ''}`;
  }

  private allowedSomewhere(req: Request, origin: string): boolean {
    return origin === this.selfOrigin(req) || this.wildcard || this.anyOrg.has(origin);
  }

  /** Whether a page on `origin` may use this org's desk. */
  allowedFor(req: Request, org: Org): boolean {
    const origin = req.get('origin');
    if (!origin) return true;
    return origin === this.selfOrigin(req) || org.allowedOrigins.includes('*') || org.allowedOrigins.includes(origin);
  }

  /** Throws 403 when the request's page may not use this org's desk. */
  check(req: Request, org: Org): void {
    if (!this.allowedFor(req, org)) {
      throw new ApiError(403, 'origin_not_allowed', 'このサイトからはこの相談窓口を利用できません。窓口の設定（allowedOrigins）を確認してください。');
    }
  }

  /** Answers preflights and sets the CORS headers; the route then checks the specific org. */
  middleware() {
    return (req: Request, res: Response, next: NextFunction): void => {
      const origin = req.get('origin');
      res.vary('Origin');
      if (origin && this.allowedSomewhere(req, origin)) {
        res.setHeader('Access-Control-Allow-Origin', origin);
        res.setHeader('Access-Control-Expose-Headers', 'Retry-After');
      }
      if (req.method === 'OPTIONS') {
        if (origin && this.allowedSomewhere(req, origin)) {
          res.setHeader('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
          res.setHeader('Access-Control-Allow-Headers', 'Content-Type, Authorization, Last-Event-ID');
          res.setHeader('Access-Control-Max-Age', '600');
          res.status(204).end();
        } else {
          res.status(403).json({ error: { code: 'origin_not_allowed', message: 'このサイトからはこの相談窓口を利用できません。' } });
        }
        return;
      }
      next();
    };
  }
}
