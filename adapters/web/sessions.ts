import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Desk } from '../../bot/desk.js';
import type { DocumentCollection } from '../../bot/store.js';

/** A widget session as stored: the token itself is never stored, only its SHA-256. */
interface SessionDoc {
  org: string;
  tokenHash: string;
  createdAt: string;
}

export interface WebSession {
  id: string;
  org: string;
  /** Known once the conversation exists (it is created with the session). */
  conversationId: string;
}

const CACHE_MAX = 20_000;

function hash(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

/**
 * Web chat sessions. A session is a web conversation's key; its bearer token is 256 random
 * bits, compared in constant time against the stored hash. Verified sessions are cached so a
 * busy widget does not cost a database read per request.
 */
export class WebSessions {
  private readonly docs: DocumentCollection<SessionDoc>;
  private readonly cache = new Map<string, WebSession & { tokenHash: Buffer }>();

  constructor(private readonly desk: Desk) {
    this.docs = desk.store.documents<SessionDoc>('web_sessions');
  }

  /** Creates a session for an org and lets the bot greet in it. */
  async create(org: string): Promise<{ session: WebSession; token: string }> {
    const id = randomUUID();
    const token = randomBytes(32).toString('base64url');
    const tokenHash = hash(token);
    await this.docs.put(id, { org, tokenHash: tokenHash.toString('hex'), createdAt: new Date().toISOString() });
    const { conversation } = await this.desk.start('web', org, id, id);
    const session = { id, org, conversationId: conversation.id };
    this.remember({ ...session, tokenHash });
    return { session, token };
  }

  /** The session if it exists; null for an unknown id. */
  async find(id: string): Promise<(WebSession & { tokenHash: Buffer }) | null> {
    const cached = this.cache.get(id);
    if (cached) return cached;
    const doc = await this.docs.get(id);
    if (!doc) return null;
    const conversation = await this.desk.store.findConversation('web', id);
    if (!conversation) return null;
    const s = { id, org: doc.org, conversationId: conversation.id, tokenHash: Buffer.from(doc.tokenHash, 'hex') };
    this.remember(s);
    return s;
  }

  /** Constant-time comparison of a presented token with the session's stored hash. */
  static tokenMatches(session: { tokenHash: Buffer }, token: string): boolean {
    const presented = hash(token);
    return presented.length === session.tokenHash.length && timingSafeEqual(presented, session.tokenHash);
  }

  private remember(s: WebSession & { tokenHash: Buffer }): void {
    if (this.cache.size >= CACHE_MAX) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(s.id, s);
  }
}
