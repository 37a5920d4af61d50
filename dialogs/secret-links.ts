import { newLinkToken, secretTokenKey, type LinkGrant } from '../bot/secret-token.js';
import type { Turn } from '../bot/turn.js';

/** Where a kind of link is kept and served: the grants' collection, the URL path, how long it works. */
export interface LinkKind {
  grants: string;
  path: string;
  days: number;
}

/**
 * Makes a secret link to a record the turn stores: a fresh token, its grant (for this
 * conversation, until `days` from now) saved with the turn, and the URL to hand over.
 */
export function grantLink<F extends object>(turn: Turn, kind: LinkKind, publicUrl: string, fields: F): { url: string; expiresAt: string } {
  const token = newLinkToken();
  const expiresAt = new Date(turn.now.getTime() + kind.days * 86_400_000).toISOString();
  const grant: F & LinkGrant = { ...fields, org: turn.conversation.org, conversationId: turn.conversation.id, createdAt: turn.now.toISOString(), expiresAt };
  turn.save(kind.grants, secretTokenKey(token), grant);
  return { url: `${publicUrl.replace(/\/$/, '')}/${kind.path}/${token}`, expiresAt };
}
