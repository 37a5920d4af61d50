import { createHash, randomBytes } from 'node:crypto';

/**
 * Secrets handed to people or browsers (report links, console sessions): random, URL-safe,
 * and stored only as a hash, so a copy of the database gives no working link or login.
 */
export function newSecretToken(bytes: number): string {
  return randomBytes(bytes).toString('base64url');
}

/** The key a secret token is stored under. */
export function secretTokenKey(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * A secret link (a diagnosis report, an incident sheet): which conversation's record it opens,
 * and until when. Stored keyed by `secretTokenKey(token)`, so the database alone gives no
 * working link.
 */
export interface LinkGrant {
  org: string;
  conversationId: string;
  createdAt: string;
  expiresAt: string;
}

/** A link token: 144 random bits, 24 URL-safe characters. */
export const newLinkToken = (): string => newSecretToken(18);

/** A link token as it may appear in a URL: anything else is not worth a database lookup. */
export const LINK_TOKEN = /^[A-Za-z0-9_-]{24}$/;
