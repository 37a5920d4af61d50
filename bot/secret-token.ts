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
