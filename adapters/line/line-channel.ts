import { randomUUID } from 'node:crypto';
import type { webhook } from '@line/bot-sdk';
import type { Desk } from '../../bot/desk.js';
import { KeyedQueue } from '../../bot/keyed-queue.js';
import type { Logger } from '../../bot/logger.js';
import type { MessageBus } from '../../bot/message-bus.js';
import type { Store } from '../../bot/store.js';
import type { Conversation, Inbound, InboundContent } from '../../bot/types.js';
import { LineApiError, QuotaExhaustedError, type LineApi } from './line-api.js';
import { batches, renderMessages } from './render.js';

/** Event ids already taken in (LINE redelivers; the same event must not be answered twice). */
export const LINE_SEEN = 'line-seen';
/** Events stored but not yet finished: what a restart picks up. */
export const LINE_INBOX = 'line-inbox';
/** Per conversation: what has reached the user, what could not, the pending read mark. */
export const LINE_DELIVERY = 'line-delivery';
/** Channel-wide state the console shows (the monthly push quota). */
export const LINE_STATUS = 'line-status';

/**
 * How long after the event a reply token is used. LINE gives no exact lifetime and a token
 * used late fails; past this age the desk pushes instead (and falls back to a push whenever a
 * reply is refused for its token).
 */
export const REPLY_TOKEN_FRESH_MS = 50_000;

/** Seen event ids are kept this long: LINE redelivers within hours, not weeks. */
export const SEEN_KEPT_DAYS = 14;

export interface InboxRecord {
  event: webhook.Event;
  receivedAt: string;
  /** Set in the same transaction as the turn: the turn must not run again, only delivery. */
  handled?: boolean;
}

export interface DeliveryState {
  /** Messages up to this seq were sent or given up on. */
  deliveredSeq: number;
  /** Bot and adviser messages that could not be sent, for the console. */
  undelivered: { seq: number; reason: string; at: string }[];
  /** A push batch under way: its retry key survives a crash, so LINE accepts it once. */
  pending?: { retryKey: string; throughSeq: number };
  /** The newest unread user message's token; marked read once someone answers. */
  readToken?: string;
  /** The user blocked the account (unfollow): nothing can be sent until they follow again. */
  blocked?: boolean;
}

export interface QuotaStatus {
  exhaustedAt: string;
  requestId?: string;
}

const NOT_TEXT: Record<string, string> = {
  sticker: 'sticker',
  image: 'image',
  video: 'video',
  audio: 'audio',
  file: 'file',
  location: 'location',
};

const ONE_TO_ONE_ONLY =
  'この相談窓口は、1対1のトークでご相談をお受けしています。グループやトークルームではお答えできません。' +
  'お手数ですが、このアカウントを友だち追加して、個別のトークでメッセージを送ってください。';

export interface LineChannelOptions {
  desk: Desk;
  store: Store;
  bus: MessageBus;
  api: LineApi;
  /** The org whose desk this LINE account is. */
  org: string;
  log: Logger;
  /** A turn still running after this long shows the loading animation. */
  loadingAfterMs: number;
  clock?: () => Date;
}

/**
 * The LINE channel: takes verified webhook events in durably, runs them through the desk one
 * user at a time, and delivers what the desk stored (bot answers, adviser messages) by reply
 * token while it is fresh, by push otherwise. Delivery is driven by the transcript: whatever
 * bot or adviser message of a LINE conversation has not reached the user yet is sent, so a
 * crash at any point neither loses nor doubles a message.
 */
export class LineChannel {
  private readonly queue = new KeyedQueue();
  private readonly clock: () => Date;
  private unsubscribe?: () => void;
  private pruner?: NodeJS.Timeout;
  /** Work in flight, so tests and shutdown can wait for it. */
  private readonly inflight = new Set<Promise<unknown>>();

  constructor(private readonly o: LineChannelOptions) {
    this.clock = o.clock ?? (() => new Date());
  }

  /** Picks up events a previous run stored but did not finish, and starts delivering adviser messages. */
  async start(): Promise<void> {
    this.unsubscribe = this.o.bus.subscribeAll((e) => {
      if (e.conversation.channel !== 'line' || !e.messages.some((m) => m.from === 'bot' || m.from === 'adviser')) return;
      const conversation = e.conversation;
      this.track(this.queue.run(conversation.key, () => this.deliver(conversation)));
    });
    await this.pruneSeen();
    this.pruner = setInterval(() => void this.pruneSeen(), 6 * 3_600_000).unref();
    const pending = await this.o.store.documents<InboxRecord>(LINE_INBOX).list(10_000);
    if (pending.length) this.o.log.info({ events: pending.length }, 'LINE: resuming events stored before the restart');
    for (const { id, doc } of pending) this.schedule(id, doc);
  }

  stop(): void {
    this.unsubscribe?.();
    clearInterval(this.pruner);
  }

  /** Forgets event ids older than SEEN_KEPT_DAYS, so the dedupe set does not grow forever. */
  async pruneSeen(): Promise<number> {
    const before = new Date(this.clock().getTime() - SEEN_KEPT_DAYS * 86_400_000).toISOString();
    const n = await this.o.store.documents(LINE_SEEN).prune(before).catch(() => 0);
    if (n) this.o.log.info({ pruned: n }, 'LINE: old event ids forgotten');
    return n;
  }

  /** Resolves when every event taken in so far is processed (tests, graceful shutdown). */
  async idle(): Promise<void> {
    while (this.inflight.size) await Promise.allSettled([...this.inflight]);
  }

  /**
   * Takes verified events in: each new one is stored before this resolves (the webhook then
   * answers 200); one seen before is dropped. Processing continues in the background.
   */
  async receive(events: webhook.Event[]): Promise<{ accepted: number; duplicates: number }> {
    const seen = this.o.store.documents<{ at: string }>(LINE_SEEN);
    const inbox = this.o.store.documents<InboxRecord>(LINE_INBOX);
    const at = this.clock().toISOString();
    let accepted = 0;
    let duplicates = 0;
    for (const event of events) {
      const id = event.webhookEventId;
      if (!(await seen.insertNew(id, { at }))) {
        duplicates++;
        this.o.log.info({ webhookEventId: id, redelivery: event.deliveryContext?.isRedelivery }, 'LINE: event already taken in, ignored');
        continue;
      }
      const record: InboxRecord = { event, receivedAt: at };
      await inbox.put(id, record);
      accepted++;
      this.schedule(id, record);
    }
    return { accepted, duplicates };
  }

  private schedule(id: string, record: InboxRecord): void {
    this.track(this.queue.run(queueKey(record.event), () => this.process(id, record)));
  }

  private track(p: Promise<unknown>): void {
    const q = p.catch((e) => this.o.log.error({ err: e }, 'LINE: processing failed'));
    this.inflight.add(q);
    void q.finally(() => this.inflight.delete(q));
  }

  private async process(id: string, record: InboxRecord): Promise<void> {
    const { event } = record;
    const inbox = this.o.store.documents<InboxRecord>(LINE_INBOX);
    try {
      if (event.mode === 'standby') return; // another module owns the chat now
      const source = event.source;
      if (event.type === 'join') {
        await this.replyText(event, ONE_TO_ONE_ONLY);
        return;
      }
      if (source?.type !== 'user' || !source.userId) return; // group and room talk is not for the desk
      const userId = source.userId;

      if (event.type === 'unsend') {
        await this.o.desk.redact('line', userId, event.unsend.messageId);
        return;
      }
      const content = this.contentOf(event);
      if (!content) return;
      let conversation: Conversation;
      if (record.handled) {
        conversation = (await this.o.store.findConversation('line', userId))!;
      } else {
        const inbound: Inbound = {
          channel: 'line',
          org: this.o.org,
          key: userId,
          userId,
          content,
          ...(event.type === 'message' ? { messageId: event.message.id } : {}),
          alsoWrite: [{ collection: LINE_INBOX, id, doc: { ...record, handled: true } }],
        };
        conversation = (await this.withLoading(userId, event, () => this.o.desk.handle(inbound))).conversation;
      }
      await this.deliver(conversation, event);
    } finally {
      await inbox.delete(id);
    }
  }

  /** The event as the desk's input, or undefined for events the desk does not act on. */
  private contentOf(event: webhook.Event): InboundContent | undefined {
    switch (event.type) {
      case 'message':
        if (event.message.type === 'text') return { type: 'text', text: (event.message as webhook.TextMessageContent).text };
        return { type: 'other', kind: NOT_TEXT[event.message.type] ?? event.message.type };
      case 'postback':
        return { type: 'choice', value: event.postback.data };
      case 'follow':
        return { type: 'start' };
      case 'unfollow':
        return { type: 'notice', text: '［利用者が LINE でこのアカウントをブロックしました。メッセージは届きません］' };
      default:
        return undefined;
    }
  }

  /** Runs the turn; if it is still running after `loadingAfterMs`, LINE shows the "…" animation. */
  private async withLoading<T>(userId: string, event: webhook.Event, work: () => Promise<T>): Promise<T> {
    if (event.type !== 'message' && event.type !== 'postback') return work();
    let shown: Promise<void> | undefined;
    const show = () => (shown = this.o.api.showLoading(userId).catch(() => undefined));
    // 0 means always (before the turn starts); otherwise only for a turn that is slow.
    let timer: NodeJS.Timeout | undefined;
    if (this.o.loadingAfterMs === 0) show();
    else timer = setTimeout(show, this.o.loadingAfterMs);
    try {
      return await work();
    } finally {
      clearTimeout(timer);
      await shown;
    }
  }

  /**
   * Sends the conversation's bot and adviser messages that have not reached the user: the
   * first batch of five by the event's reply token when it is fresh, the rest by push. The
   * event (if any) first tells the delivery state what changed: blocked, followed again, a new
   * unread message.
   */
  private async deliver(conversation: Conversation, event?: webhook.Event): Promise<void> {
    const deliveries = this.o.store.documents<DeliveryState>(LINE_DELIVERY);
    const state = (await deliveries.get(conversation.id)) ?? newDelivery();
    if (event?.type === 'unfollow') state.blocked = true;
    if (event?.type === 'follow') state.blocked = false;
    const readToken = event?.type === 'message' ? (event.message as { markAsReadToken?: string }).markAsReadToken : undefined;
    if (readToken) state.readToken = readToken;
    const all = await this.o.store.listMessages(conversation.id, state.deliveredSeq, 500);
    const outgoing = all.filter((m) => m.from === 'bot' || m.from === 'adviser');
    if (all.length === 0) {
      if (event) await deliveries.put(conversation.id, state);
      return;
    }
    const throughSeq = all[all.length - 1]!.seq;
    if (outgoing.length === 0 || state.blocked) {
      // Blocked: LINE would refuse; the console shows these as not delivered.
      if (state.blocked) state.undelivered.push(...outgoing.map((m) => ({ seq: m.seq, reason: 'blocked', at: this.clock().toISOString() })));
      state.deliveredSeq = throughSeq;
      await deliveries.put(conversation.id, state);
      return;
    }

    let replyToken = replyTokenOf(event, this.clock());
    let reason: string | undefined;
    const groups = batches(renderMessages(outgoing));
    for (const [i, group] of groups.entries()) {
      const messages = group.map((g) => g.message);
      const groupThrough = i === groups.length - 1 ? throughSeq : group[group.length - 1]!.seq - 1;
      try {
        if (replyToken) {
          const token = replyToken;
          replyToken = undefined; // single use
          try {
            await this.o.api.reply(token, messages);
            state.deliveredSeq = groupThrough;
            await deliveries.put(conversation.id, state);
            continue;
          } catch (e) {
            if (!(e instanceof LineApiError && e.invalidReplyToken)) throw e;
            this.o.log.info({ conversation: conversation.id }, 'LINE: reply token no longer valid, sending by push');
          }
        }
        // Keep the retry key before sending: after a crash the same batch goes with the same key.
        const retryKey = state.pending && state.pending.throughSeq === groupThrough ? state.pending.retryKey : randomUUID();
        state.pending = { retryKey, throughSeq: groupThrough };
        await deliveries.put(conversation.id, state);
        await this.o.api.push(conversation.key, messages, retryKey);
        delete state.pending;
        state.deliveredSeq = groupThrough;
        await deliveries.put(conversation.id, state);
      } catch (e) {
        reason = e instanceof QuotaExhaustedError ? 'quota' : e instanceof LineApiError ? `LINE ${e.status ?? 'network'}` : String(e);
        if (e instanceof QuotaExhaustedError) {
          await this.o.store.documents<QuotaStatus>(LINE_STATUS).put('quota', { exhaustedAt: this.clock().toISOString(), ...(e.requestId ? { requestId: e.requestId } : {}) });
        }
        const failed = outgoing.filter((m) => m.seq > state.deliveredSeq);
        this.o.log.error({ conversation: conversation.id, seqs: failed.map((m) => m.seq), reason }, 'LINE: messages could not be delivered');
        state.undelivered.push(...failed.map((m) => ({ seq: m.seq, reason: reason!, at: this.clock().toISOString() })));
        delete state.pending;
        state.deliveredSeq = throughSeq;
        await deliveries.put(conversation.id, state);
        return;
      }
    }
    // Someone answered: the user's messages so far are read.
    if (state.readToken) {
      const token = state.readToken;
      delete state.readToken;
      await deliveries.put(conversation.id, state);
      await this.o.api.markAsRead(token).catch(() => undefined);
    }
  }

  /** A text straight to the event's reply token (group join), without a conversation. */
  private async replyText(event: webhook.Event, text: string): Promise<void> {
    const token = replyTokenOf(event, this.clock());
    if (token) await this.o.api.reply(token, [{ type: 'text', text }]).catch(() => undefined);
  }
}

function newDelivery(): DeliveryState {
  return { deliveredSeq: 0, undelivered: [] };
}

/** The event's reply token while it is still worth trying. */
function replyTokenOf(event: webhook.Event | undefined, now: Date): string | undefined {
  const token = event && 'replyToken' in event ? (event as { replyToken?: string }).replyToken : undefined;
  if (!token || now.getTime() - event!.timestamp > REPLY_TOKEN_FRESH_MS) return undefined;
  return token;
}

/** Events of one user run in order; group events by group. */
function queueKey(event: webhook.Event): string {
  const s = event.source as { userId?: string; groupId?: string; roomId?: string } | undefined;
  return s?.userId ?? s?.groupId ?? s?.roomId ?? event.webhookEventId;
}

