import { randomUUID } from 'node:crypto';
import { KeyedQueue } from './keyed-queue.js';
import { silentLogger, type Logger } from './logger.js';
import type { MessageBus } from './message-bus.js';
import type { Org, OrgDirectory } from './orgs.js';
import { ConflictError, type Store } from './store.js';
import type { Responder, Turn, UserInput } from './turn.js';
import type { Channel, Conversation, DocumentWrite, Inbound, InboundContent, NewMessage, Reply, Sender, StoredMessage } from './types.js';

export interface DeskOptions {
  store: Store;
  responder: Responder;
  orgs: OrgDirectory;
  bus: MessageBus;
  log?: Logger;
  clock?: () => Date;
}

export interface TurnResult {
  conversation: Conversation;
  /** What this turn stored: the user's message first (when there was one), then the replies. */
  messages: StoredMessage[];
}

/** Thrown for an inbound naming an org the directory does not know. */
export class UnknownOrgError extends Error {
  constructor(readonly org: string) {
    super(`unknown org ${org}`);
    this.name = 'UnknownOrgError';
  }
}

const APOLOGY =
  '申し訳ありません。システムの都合で、いまのメッセージにお答えできませんでした。' +
  'お手数ですが、もう一度送っていただくか、「担当者」と入力して人の相談員におつなぎください。';

/** How a non-text message appears in the transcript. */
const OTHER_LABEL: Record<string, string> = {
  sticker: 'スタンプ',
  image: '画像',
  video: '動画',
  audio: '音声',
  file: 'ファイル',
  location: '位置情報',
  'large-file': 'ファイル（大きすぎて受け取れませんでした）',
  'unsupported-file': 'ファイル（受け取れない形式）',
};

const MAX_CONFLICT_RETRIES = 3;

/** What an outside change (console, queue) may do inside `Desk.apply`. */
export interface ApplyContext {
  readonly conversation: Conversation;
  readonly now: Date;
  /** Adds a message to the transcript (an adviser's words, with their name; a bot line; a system line). */
  say(from: Sender, reply: Reply | string, author?: string): void;
  save(collection: string, id: string, doc: object): void;
  read<T extends object>(collection: string, id: string): Promise<T | null>;
}

export const UNSENT_TEXT = '（送信者がこのメッセージを取り消しました）';

/**
 * The turn pipeline: load the conversation, decide who answers, let the bot's logic respond,
 * commit the user's message and the replies in one transaction, then publish them.
 *
 * Guarantees the adapters rely on:
 * - when `handle` resolves, everything in `messages` is stored; adapters acknowledge only then;
 * - turns of one conversation run one at a time;
 * - while an adviser owns the conversation the bot says nothing, whatever the channel;
 * - if the bot's logic fails, the user's message is still stored, with an apology.
 */
export class Desk {
  private readonly queue = new KeyedQueue();
  private readonly log: Logger;
  private readonly clock: () => Date;

  constructor(private readonly options: DeskOptions) {
    this.log = options.log ?? silentLogger;
    this.clock = options.clock ?? (() => new Date());
  }

  get store(): Store {
    return this.options.store;
  }

  /** Runs one inbound event through the bot (or past it, to the adviser). */
  handle(inbound: Inbound): Promise<TurnResult> {
    const org = this.options.orgs.get(inbound.org);
    if (!org) return Promise.reject(new UnknownOrgError(inbound.org));
    return this.queue.run(`${inbound.channel}\u0000${inbound.key}`, () => this.runTurn(inbound, org));
  }

  /** Opens (or reopens) the chat and lets the bot greet: a new web session, a LINE follow. */
  start(channel: Channel, org: string, key: string, userId: string): Promise<TurnResult> {
    return this.handle({ channel, org, key, userId, content: { type: 'start' } });
  }

  /**
   * The user took a message back (LINE unsend): its text leaves the transcript; a line saying
   * so stays in its place. Returns false when the message is not (or no longer) there.
   */
  redact(channel: Channel, key: string, channelMessageId: string): Promise<boolean> {
    return this.queue.run(`${channel}\u0000${key}`, async () => {
      const c = await this.options.store.findConversation(channel, key);
      return c ? this.options.store.redactMessage(c.id, channelMessageId, UNSENT_TEXT) : false;
    });
  }

  /**
   * Changes a conversation from outside a user's turn (an adviser claims it, writes, returns it
   * to the bot, closes it; the queue tells a waiting user their new place). Runs in the
   * conversation's queue, so it never interleaves with a turn; what `work` says and saves is
   * committed with the conversation in one transaction and published; if `work` throws,
   * nothing is stored. Resolves to undefined for an unknown conversation.
   */
  async apply<T>(conversationId: string, work: (ctx: ApplyContext) => Promise<T> | T): Promise<{ result: T; conversation: Conversation; messages: StoredMessage[] } | undefined> {
    const found = await this.options.store.getConversation(conversationId);
    if (!found) return undefined;
    return this.queue.run(`${found.channel}\u0000${found.key}`, async () => {
      for (let attempt = 1; ; attempt++) {
        const conversation = (await this.options.store.getConversation(conversationId))!;
        const now = this.clock();
        const at = now.toISOString();
        const messages: NewMessage[] = [];
        const documents: DocumentWrite[] = [];
        const result = await work({
          conversation,
          now,
          say: (from, r, author) => messages.push({ from, ...withoutEmpty(typeof r === 'string' ? { text: r } : r), at, ...(author ? { author } : {}) }),
          save: (collection, id, doc) => documents.push({ collection, id, doc }),
          read: (collection, id) => this.readThrough(documents, collection, id),
        });
        const bot = messages.filter((m) => m.from === 'bot');
        if (bot.length) conversation.lastChoices = bot.findLast((m) => m.choices?.length)?.choices ?? conversation.lastChoices;
        conversation.updatedAt = at;
        try {
          const saved = await this.options.store.commit(conversation, messages, documents);
          this.options.bus.publish({ conversation, messages: saved, documents });
          return { result, conversation, messages: saved };
        } catch (e) {
          if (e instanceof ConflictError && attempt < MAX_CONFLICT_RETRIES) continue;
          throw e;
        }
      }
    });
  }

  /** A page of a conversation's transcript, oldest first. */
  history(conversationId: string, afterSeq: number, limit: number): Promise<StoredMessage[]> {
    return this.options.store.listMessages(conversationId, afterSeq, limit);
  }

  private async runTurn(inbound: Inbound, org: Org): Promise<TurnResult> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.tryTurn(inbound, org);
      } catch (e) {
        // Another instance wrote the conversation between our read and our write: nothing of
        // ours was stored or published, so reading again and redoing the turn is safe.
        if (e instanceof ConflictError && attempt < MAX_CONFLICT_RETRIES) continue;
        throw e;
      }
    }
  }

  private async tryTurn(inbound: Inbound, org: Org): Promise<TurnResult> {
    const now = this.clock();
    const at = now.toISOString();
    const stored = await this.options.store.findConversation(inbound.channel, inbound.key);
    const conversation = stored ?? newConversation(inbound, at);
    if (inbound.content.type === 'notice') {
      conversation.updatedAt = at;
      const saved = await this.options.store.commit(conversation, [{ from: 'system', text: inbound.content.text, at }], inbound.alsoWrite);
      this.options.bus.publish({ conversation, messages: saved });
      return { conversation, messages: saved };
    }
    const input = this.interpret(inbound.content, conversation);
    // Text read on an image is for the bot to answer; with an adviser in charge there is nothing to say.
    if (input.type === 'read' && conversation.owner === 'adviser') return { conversation, messages: [] };

    const messages: NewMessage[] = [];
    if (input.type !== 'start' && input.type !== 'read') {
      messages.push({
        from: 'user',
        text: transcriptText(input),
        at,
        ...(inbound.messageId ? { channelMessageId: inbound.messageId } : {}),
        ...(input.type === 'attachment' ? { attachments: [input.attachment] } : {}),
      });
    }

    // Keep an untouched copy: if the logic fails half-way, its changes are thrown away.
    const before = structuredClone(conversation);
    let working = conversation;
    let replies: Reply[] = [];
    let documents: DocumentWrite[] = [];
    if (conversation.owner === 'closed') conversation.owner = 'bot';
    if (conversation.owner !== 'adviser') {
      try {
        ({ replies, documents } = await this.respond(conversation, org, input, now));
      } catch (e) {
        this.log.error({ err: e, conversation: conversation.id }, 'bot logic failed; storing the message with an apology');
        working = before;
        replies = [{ text: APOLOGY }];
        documents = [];
      }
    }
    for (const r of replies) messages.push({ from: 'bot', ...withoutEmpty(r), at });
    if (replies.length > 0) working.lastChoices = replies.findLast((r) => r.choices?.length)?.choices ?? [];
    working.updatedAt = at;

    const written = [...documents, ...(inbound.alsoWrite ?? [])];
    const saved = await this.options.store.commit(working, messages, written);
    this.options.bus.publish({ conversation: working, messages: saved, documents: written });
    this.log.info(
      { conversation: working.id, channel: working.channel, org: working.org, owner: working.owner, stored: saved.length },
      'turn',
    );
    return { conversation: working, messages: saved };
  }

  private async respond(
    conversation: Conversation,
    org: Org,
    input: UserInput,
    now: Date,
  ): Promise<{ replies: Reply[]; documents: DocumentWrite[] }> {
    const replies: Reply[] = [];
    const documents: DocumentWrite[] = [];
    const turn: Turn = {
      conversation,
      org,
      input,
      now,
      replies,
      say: (r) => replies.push(typeof r === 'string' ? { text: r } : r),
      save: (collection, id, doc) => documents.push({ collection, id, doc }),
      read: (collection, id) => this.readThrough(documents, collection, id),
      find: (collection, filter) => this.options.store.documents(collection).find(filter) as Promise<any[]>,
      recent: async (limit) =>
        conversation.lastSeq === 0 ? [] : this.options.store.listMessages(conversation.id, Math.max(0, conversation.lastSeq - limit), limit),
    };
    await this.options.responder.respond(turn);
    return { replies, documents };
  }

  /**
   * A document as this turn will leave it: what the turn already saved (not yet committed),
   * else what is stored. Steps of one turn then never act on a stale copy of each other's work.
   */
  private async readThrough<T extends object>(pending: readonly DocumentWrite[], collection: string, id: string): Promise<T | null> {
    const own = pending.findLast((d) => d.collection === collection && d.id === id);
    if (own) return own.doc === null ? null : (structuredClone(own.doc) as T);
    return this.options.store.documents<T>(collection).get(id);
  }

  /** Resolves a pressed choice to the label the user saw. */
  private interpret(content: Exclude<InboundContent, { type: 'notice' }>, conversation: Conversation): UserInput {
    if (content.type !== 'choice') return content;
    const label =
      conversation.lastChoices.find((c) => c.value === content.value)?.label ??
      this.options.responder.labelFor(content.value) ??
      content.value;
    return { type: 'choice', value: content.value, label };
  }
}

function newConversation(inbound: Inbound, at: string): Conversation {
  return {
    id: randomUUID(),
    org: inbound.org,
    channel: inbound.channel,
    key: inbound.key,
    userId: inbound.userId,
    owner: 'bot',
    createdAt: at,
    updatedAt: at,
    lastSeq: 0,
    version: 0,
    dialogs: [],
    lastChoices: [],
    handoff: null,
    lowConfidenceStreak: 0,
    topics: [],
  };
}

function transcriptText(input: Exclude<UserInput, { type: 'start' | 'read' }>): string {
  switch (input.type) {
    case 'text':
      return input.text;
    case 'choice':
      return input.label;
    case 'other':
      return `［${OTHER_LABEL[input.kind] ?? 'テキスト以外のメッセージ'}］`;
    case 'attachment':
      return input.caption || `［${input.attachment.mime === 'application/pdf' ? 'PDF' : '画像'}］`;
  }
}

/** Leaves out empty choice and card lists so stored messages stay small. */
function withoutEmpty(r: Reply): Reply {
  const out: Reply = { text: r.text };
  if (r.choices?.length) out.choices = r.choices;
  if (r.cards?.length) out.cards = r.cards;
  return out;
}
