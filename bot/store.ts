import type { ReadText, StoredAttachment } from './attachments.js';
import type { Channel, Conversation, DocumentWrite, NewMessage, StoredMessage } from './types.js';

/**
 * The storage port. The core owns this interface; adapters implement it (SQLite by default,
 * MongoDB later). Records are documents keyed by ids, so a document database fits as well as
 * a relational one. Every method is async so that a networked store can implement it.
 *
 * The one rule every implementation must keep: `commit` is atomic. The conversation document
 * and the turn's messages are written together or not at all, because a channel is only told
 * "received" after `commit` resolves.
 */
export interface Store {
  getConversation(id: string): Promise<Conversation | null>;
  findConversation(channel: Channel, key: string): Promise<Conversation | null>;

  /**
   * Writes the conversation and appends `messages` to its transcript in one transaction,
   * assigning consecutive seqs after `conversation.lastSeq`. The conversation must carry the
   * version that was read (0 for a new one); a mismatch throws `ConflictError` and writes
   * nothing. On success `conversation.version` and `conversation.lastSeq` are advanced in place.
   * `documents` (a finished diagnosis, its report) are written in the same transaction.
   */
  commit(conversation: Conversation, messages: NewMessage[], documents?: DocumentWrite[]): Promise<StoredMessage[]>;

  /** The org's conversations, most recently active first (for advisers to pick one up). */
  recentConversations(org: string, limit: number): Promise<Conversation[]>;

  /** Messages with seq > `afterSeq`, oldest first, at most `limit`. */
  listMessages(conversationId: string, afterSeq: number, limit: number): Promise<StoredMessage[]>;

  /**
   * Replaces the text of the message a channel knows by `channelMessageId` (a LINE message the
   * user took back) and drops its content; returns false when there is no such message.
   */
  redactMessage(conversationId: string, channelMessageId: string, text: string): Promise<boolean>;

  /**
   * Writes (or, with `doc: null`, deletes) several documents in one transaction: all or none.
   * Used where two records must never disagree (an event moved from a channel's inbox to its
   * parked list).
   */
  writeDocuments(writes: DocumentWrite[]): Promise<void>;

  /**
   * Keeps an attachment's bytes (and its thumbnail) durably. Written before the message that
   * refers to it is committed, so an acknowledged message never points to missing bytes. A
   * document store can keep them as a binary field or in its file store (GridFS).
   */
  putAttachment(attachment: StoredAttachment, data: Buffer): Promise<void>;
  getAttachment(id: string): Promise<{ attachment: StoredAttachment; data: Buffer } | null>;
  /** The attachment's record without its bytes (what was read from it, who may see it). */
  attachmentInfo(id: string): Promise<StoredAttachment | null>;
  /** Records the text read from an image (OCR); the attachment is then no longer waiting to be read. */
  setAttachmentRead(id: string, read: ReadText): Promise<void>;
  /** Images stored since `since` (ISO) and not read yet: what a restart reads. */
  unreadAttachments(since: string, limit: number): Promise<StoredAttachment[]>;

  /** A collection of small JSON documents keyed by id (web sessions, processed event ids, ...). */
  documents<T extends object>(collection: string): DocumentCollection<T>;

  close(): Promise<void>;
}

export interface DocumentCollection<T extends object> {
  get(id: string): Promise<T | null>;
  put(id: string, doc: T): Promise<void>;
  /**
   * Inserts only if the id is new; returns false when it already existed. `alongside` is
   * written in the same transaction, and only when the insert happened: a webhook event's
   * "seen" mark and its inbox record are stored together or not at all.
   */
  insertNew(id: string, doc: T, alongside?: DocumentWrite[]): Promise<boolean>;
  delete(id: string): Promise<void>;
  /** The oldest documents first (by last write), at most `limit`: work left in an inbox. */
  list(limit: number): Promise<{ id: string; doc: T }[]>;
  /**
   * Documents whose top-level fields equal the given values (a list means any of them), oldest
   * write first: the waiting cases of an org, an adviser by e-mail. Fields are plain names.
   */
  find(filter: Record<string, string | number | boolean | readonly string[]>, limit?: number): Promise<T[]>;
  /** Deletes the documents last written before `before` (ISO time); returns how many. */
  prune(before: string): Promise<number>;
}

/** Two writers raced for the same conversation; the later one must reload and retry. */
export class ConflictError extends Error {
  constructor(readonly conversationId: string) {
    super(`conversation ${conversationId} was changed by another writer`);
    this.name = 'ConflictError';
  }
}
