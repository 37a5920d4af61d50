import type { Response } from 'express';
import { LINK_TOKEN, secretTokenKey, type LinkGrant } from '../../bot/secret-token.js';
import type { Store } from '../../bot/store.js';

export interface SecretLinkTexts {
  notFound: [title: string, body: string];
  expired: [title: string, body: string];
  /** The grant is good but its record is gone or belongs elsewhere. */
  removed: [title: string, body: string];
}

/** Where a kind of secret link keeps its grants and its records, and which record a grant opens. */
export interface SecretLinkKind<G extends LinkGrant> {
  grants: string;
  records: string;
  recordId: (grant: G) => string;
}

/**
 * Opens a secret link (a diagnosis report, an incident sheet): the token in the URL is the only
 * key, random, stored hashed. Sets the headers that keep the URL out of Referer headers, caches
 * and search engines, answers 404 for an unknown token or a record that is gone or not the
 * grant's, 410 after expiry, and returns the grant and its record when the link is good.
 */
export async function openSecretLink<G extends LinkGrant, R extends { org: string; conversationId: string }>(
  store: Store,
  kind: SecretLinkKind<G>,
  token: string,
  res: Response,
  now: Date,
  texts: SecretLinkTexts,
): Promise<{ grant: G; record: R } | undefined> {
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('Cache-Control', 'private, no-store');
  res.setHeader('X-Robots-Tag', 'noindex');
  const grant = LINK_TOKEN.test(token) ? await store.documents<G>(kind.grants).get(secretTokenKey(token)) : null;
  if (!grant) {
    messagePage(res, 404, ...texts.notFound);
    return undefined;
  }
  if (Date.parse(grant.expiresAt) <= now.getTime()) {
    messagePage(res, 410, ...texts.expired);
    return undefined;
  }
  const record = await store.documents<R>(kind.records).get(kind.recordId(grant));
  if (!record || record.org !== grant.org || record.conversationId !== grant.conversationId) {
    messagePage(res, 404, ...texts.removed);
    return undefined;
  }
  return { grant, record };
}

/** A short page for a link that does not open (not found, expired, removed). */
export function messagePage(res: Response, status: number, title: string, body: string): void {
  res
    .status(status)
    .type('html')
    .send(`<!doctype html><html lang="ja"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title></head><body style="font-family:sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;line-height:1.7"><h1 style="font-size:1.3rem">${title}</h1><p>${body}</p></body></html>`);
}
