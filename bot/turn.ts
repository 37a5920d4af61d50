import type { AttachmentRef } from './attachments.js';
import type { Org } from './orgs.js';
import type { Conversation, Reply, StoredMessage } from './types.js';

/** What the user sent, as the bot sees it: a pressed choice comes with the label it showed. */
export type UserInput =
  | { type: 'text'; text: string }
  | { type: 'choice'; value: string; label: string }
  | { type: 'other'; kind: string }
  /** A screenshot, photo or PDF (the text on it comes later, as `read`). */
  | { type: 'attachment'; attachment: AttachmentRef; caption?: string }
  /** The text read on an image the user sent: answered like a question, quoting what it shows. */
  | { type: 'read'; attachment: AttachmentRef; caption?: string }
  /** The user opened the chat (new web session, LINE follow): greet them. */
  | { type: 'start' };

/**
 * One turn as the bot's logic sees it. `conversation` is a working copy: the logic changes it
 * freely (dialog stack, owner, ...) and the desk commits it together with the replies, or
 * throws it away if the logic fails.
 */
export interface Turn {
  readonly conversation: Conversation;
  readonly org: Org;
  readonly input: UserInput;
  readonly now: Date;
  readonly replies: readonly Reply[];
  say(reply: Reply | string): void;
  /** Writes a document together with this turn (atomically with the conversation and the replies). */
  save(collection: string, id: string, doc: object): void;
  /** Reads a stored document (a case, to update it with `save`). */
  read<T extends object>(collection: string, id: string): Promise<T | null>;
  /** Stored documents by field values (the org's waiting cases). */
  find<T extends object>(collection: string, filter: Record<string, string | readonly string[]>): Promise<T[]>;
  /** The conversation's latest stored messages, oldest first (not this turn's). */
  recent(limit: number): Promise<StoredMessage[]>;
}

/** The bot's logic, plugged into the desk (see dialogs/desk-bot.ts). */
export interface Responder {
  respond(turn: Turn): Promise<void>;
  /**
   * The label of a choice value that is not among the latest offered choices (a button from an
   * older message), so the transcript shows what the user pressed. Undefined when unknown.
   */
  labelFor(value: string): string | undefined;
}
