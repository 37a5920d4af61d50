import { randomUUID } from 'node:crypto';
import type { webhook } from '@line/bot-sdk';
import type { Logger } from '../../bot/logger.js';
import { backoff, retrying } from '../../bot/retry.js';
import type { Store } from '../../bot/store.js';
import type { Conversation, DocumentWrite, StoredMessage } from '../../bot/types.js';
import { LineApiError, QuotaExhaustedError, ReplyOutcomeUnknownError, type LineApi } from './line-api.js';
import type { LineQuota } from './line-quota.js';
import { batches, renderMessages } from './render.js';

/** Per conversation: what has reached the user, what could not, what waits, the pending read mark. */
export const LINE_DELIVERY = 'line-delivery';
/**
 * Per user: what a committed turn left for delivery (its reply token, read token, follow state).
 * Written in the turn's own transaction, so a crash between the turn and the sending loses
 * nothing: a restart delivers what is here.
 */
export const LINE_OUTBOX = 'line-outbox';

/**
 * How long after the event a reply token is used. LINE gives no exact lifetime and a token
 * used late fails; past this age the desk pushes instead (and falls back to a push whenever a
 * reply is refused for its token).
 */
export const REPLY_TOKEN_FRESH_MS = 50_000;

/**
 * Why a message did not surely reach the user, as advisers see it:
 * - `blocked`: the user blocked the account;
 * - `unknown`: the reply failed with a 5xx or a timeout, so it may or may not have arrived
 *   (it is not pushed again: the user could get it twice; an adviser can resend it);
 * - `failed`: LINE refused it for good (an error other than the quota).
 * Records from older versions may carry other reasons (`quota`, `LINE 400`).
 */
export interface Undelivered {
  seq: number;
  reason: string;
  detail?: string;
  at: string;
}

export interface DeliveryState {
  /** Every bot or adviser message up to this seq was sent, or recorded in `undelivered`. */
  deliveredSeq: number;
  undelivered: Undelivered[];
  /** A push batch under way: its retry key survives a crash, so LINE accepts it once. */
  pending?: { retryKey: string; throughSeq: number };
  /** The newest unread user message's token; marked read once someone answers. */
  readToken?: string;
  /** The user blocked the account (unfollow): nothing can be sent until they follow again. */
  blocked?: boolean;
  /**
   * Set when LINE refused a push for the monthly quota: the messages after `deliveredSeq`
   * wait for the user's next message, whose reply token is free, instead of being dropped.
   */
  heldSince?: string;
}

export interface OutboxRecord {
  replyToken?: string;
  /** When the event happened (LINE's timestamp): the reply token's age is counted from it. */
  eventAt: number;
  readToken?: string;
  /** From a follow (false) or unfollow (true). */
  blocked?: boolean;
}

/** What a LINE conversation's delivery looks like to an adviser. */
export interface DeliveryView {
  undelivered: Undelivered[];
  /** Seqs waiting for the user's next message (the push quota is spent). */
  held: number[];
}

/** Tried again this many times when the database refuses a delivery record (a passing lock). */
const WRITE_RETRIES = backoff(6, 100, 2_000);

/**
 * Sends what the desk stored for a LINE user (bot answers, adviser messages), driven by the
 * transcript: every bot or adviser message after `deliveredSeq` goes out once, the first five
 * by the event's reply token while it is fresh, the rest by push with a stored retry key.
 * Nothing is sent twice: a reply with an unknown outcome is not pushed again but marked, and
 * a push is deduplicated by LINE through its retry key, also after a crash. Nothing is dropped
 * for the quota: refused pushes wait for the user's next reply token.
 */
export class LineDelivery {
  constructor(
    private readonly o: { store: Store; api: LineApi; quota: LineQuota; log: Logger; clock: () => Date },
  ) {}

  /**
   * The outbox entry a turn writes for this event, merged with one a previous turn left
   * undelivered: the newest reply token (only this event's is fresh), the newest read token,
   * the latest follow state.
   */
  async outboxWrite(userId: string, event?: webhook.Event): Promise<DocumentWrite> {
    const previous = await this.o.store.documents<OutboxRecord>(LINE_OUTBOX).get(userId);
    const next = event ? outboxOf(event) : { eventAt: 0 };
    const doc: OutboxRecord = {
      eventAt: next.replyToken ? next.eventAt : (previous?.eventAt ?? next.eventAt),
      ...(next.replyToken ?? previous?.replyToken ? { replyToken: next.replyToken ?? previous!.replyToken } : {}),
      ...(next.readToken ?? previous?.readToken ? { readToken: next.readToken ?? previous!.readToken } : {}),
      ...((next.blocked ?? previous?.blocked) !== undefined ? { blocked: next.blocked ?? previous!.blocked } : {}),
    };
    return { collection: LINE_OUTBOX, id: userId, doc };
  }

  /** Notes that a conversation has something to deliver (an adviser wrote), so a crash before sending is picked up at the next start. */
  async due(userId: string): Promise<void> {
    await this.o.store.writeDocuments([await this.outboxWrite(userId)]);
  }

  /** Delivers a conversation's undelivered messages. Call inside the user's queue. */
  async deliver(conversation: Conversation): Promise<void> {
    const { store } = this.o;
    const state = (await store.documents<DeliveryState>(LINE_DELIVERY).get(conversation.id)) ?? { deliveredSeq: 0, undelivered: [] };
    const outbox = await store.documents<OutboxRecord>(LINE_OUTBOX).get(conversation.key);
    if (outbox?.blocked !== undefined) state.blocked = outbox.blocked;
    if (outbox?.readToken) state.readToken = outbox.readToken;
    // Progress is saved as it happens; the outbox entry goes only with the last write, so a
    // crash anywhere in between leaves it for the next start.
    const save = () => this.save(conversation.id, state, []);
    const finish = () => this.save(conversation.id, state, outbox ? [{ collection: LINE_OUTBOX, id: conversation.key, doc: null }] : []);

    const all = await store.listMessages(conversation.id, state.deliveredSeq, 500);
    if (all.length === 0 && !outbox) return;
    const outgoing = all.filter((m) => m.from === 'bot' || m.from === 'adviser');
    const throughSeq = all.at(-1)?.seq ?? state.deliveredSeq;
    if (outgoing.length === 0 || state.blocked) {
      // Blocked: LINE would refuse; the console shows these as not delivered.
      if (state.blocked) this.mark(state, outgoing, 'blocked');
      state.deliveredSeq = throughSeq;
      return finish();
    }

    let replyToken = freshReplyToken(outbox, this.o.clock());
    let sent = false;
    const groups = batches(renderMessages(outgoing));
    for (const [i, group] of groups.entries()) {
      const messages = group.map((g) => g.message);
      const groupThrough = i === groups.length - 1 ? throughSeq : group[group.length - 1]!.seq - 1;
      const inGroup = outgoing.filter((m) => m.seq > state.deliveredSeq && m.seq <= groupThrough);
      if (replyToken) {
        const token = replyToken;
        replyToken = undefined; // single use
        try {
          await this.o.api.reply(token, messages);
          sent = true;
          state.deliveredSeq = groupThrough;
          delete state.heldSince;
          await save();
          continue;
        } catch (e) {
          if (e instanceof ReplyOutcomeUnknownError) {
            this.o.log.warn({ conversation: conversation.id, seqs: inGroup.map((m) => m.seq) }, 'LINE: reply outcome unknown; not pushing the same messages again');
            this.mark(state, inGroup, 'unknown', e.failure.status ? `LINE ${e.failure.status}` : 'timeout');
            state.deliveredSeq = groupThrough;
            await save();
            continue;
          }
          if (!(e instanceof LineApiError && e.invalidReplyToken)) {
            this.failed(conversation, state, outgoing, throughSeq, e);
            return finish();
          }
          this.o.log.info({ conversation: conversation.id }, 'LINE: reply token no longer valid, sending by push');
        }
      }
      try {
        // Keep the retry key before sending: after a crash the same batch goes with the same key.
        const retryKey = state.pending && state.pending.throughSeq === groupThrough ? state.pending.retryKey : randomUUID();
        state.pending = { retryKey, throughSeq: groupThrough };
        await save();
        await this.o.api.push(conversation.key, messages, retryKey);
        sent = true;
        delete state.pending;
        delete state.heldSince;
        state.deliveredSeq = groupThrough;
        await save();
      } catch (e) {
        delete state.pending;
        if (e instanceof QuotaExhaustedError) {
          // Replies are free: these wait for the user's next message instead of being lost.
          state.heldSince ??= this.o.clock().toISOString();
          this.o.log.warn({ conversation: conversation.id, seqs: outgoing.filter((m) => m.seq > state.deliveredSeq).map((m) => m.seq) }, 'LINE: push quota spent; messages wait for the next reply');
          await this.o.quota.refused(e.requestId);
          break;
        }
        this.failed(conversation, state, outgoing, throughSeq, e);
        return finish();
      }
    }
    // Someone answered: the user's messages so far are read.
    const readToken = sent ? state.readToken : undefined;
    if (readToken) delete state.readToken;
    await finish();
    if (readToken) await this.o.api.markAsRead(readToken).catch(() => undefined);
  }

  /**
   * Pushes messages again that may not have arrived (an adviser pressed 再送). Those that go
   * out leave the undelivered list. Call inside the user's queue.
   */
  async resend(conversation: Conversation, seqs: readonly number[]): Promise<number[]> {
    const state = await this.o.store.documents<DeliveryState>(LINE_DELIVERY).get(conversation.id);
    const wanted = new Set(seqs.filter((s) => state?.undelivered.some((u) => u.seq === s)));
    if (!state || wanted.size === 0) return [];
    const messages = (await this.o.store.listMessages(conversation.id, Math.min(...wanted) - 1, 500)).filter((m) => wanted.has(m.seq));
    for (const group of batches(renderMessages(messages))) {
      try {
        await this.o.api.push(conversation.key, group.map((g) => g.message));
      } catch (e) {
        if (e instanceof QuotaExhaustedError) await this.o.quota.refused(e.requestId);
        throw e;
      }
    }
    state.undelivered = state.undelivered.filter((u) => !wanted.has(u.seq));
    await this.save(conversation.id, state, []);
    return [...wanted];
  }

  /** For the console: what did not surely arrive, and what waits for the user's next message. */
  async view(conversationId: string): Promise<DeliveryView> {
    const state = await this.o.store.documents<DeliveryState>(LINE_DELIVERY).get(conversationId);
    if (!state) return { undelivered: [], held: [] };
    const held = state.heldSince
      ? (await this.o.store.listMessages(conversationId, state.deliveredSeq, 500)).filter((m) => m.from === 'bot' || m.from === 'adviser').map((m) => m.seq)
      : [];
    return { undelivered: state.undelivered, held };
  }

  /** Outbox entries a previous run left (a crash between a turn and its delivery), by user id. */
  async leftovers(): Promise<string[]> {
    return (await this.o.store.documents<OutboxRecord>(LINE_OUTBOX).list(100_000)).map((r) => r.id);
  }

  private mark(state: DeliveryState, messages: readonly StoredMessage[], reason: string, detail?: string): void {
    const at = this.o.clock().toISOString();
    state.undelivered.push(...messages.filter((m) => m.seq > state.deliveredSeq).map((m) => ({ seq: m.seq, reason, at, ...(detail ? { detail } : {}) })));
  }

  /** LINE refused for good (or kept failing): recorded for advisers, who can resend. */
  private failed(conversation: Conversation, state: DeliveryState, outgoing: readonly StoredMessage[], throughSeq: number, e: unknown): void {
    const detail = e instanceof LineApiError ? `LINE ${e.status ?? 'network'}` : String(e).slice(0, 100);
    const seqs = outgoing.filter((m) => m.seq > state.deliveredSeq).map((m) => m.seq);
    this.o.log.error({ conversation: conversation.id, seqs, detail }, 'LINE: messages could not be delivered');
    this.mark(state, outgoing, 'failed', detail);
    state.deliveredSeq = throughSeq;
  }

  /** The delivery record (and the settled outbox entry) in one write, retried through a passing lock. */
  private save(conversationId: string, state: DeliveryState, also: DocumentWrite[]): Promise<void> {
    return retrying(
      () => this.o.store.writeDocuments([{ collection: LINE_DELIVERY, id: conversationId, doc: state }, ...also]),
      WRITE_RETRIES,
      (err, attempt) => this.o.log.warn({ err, attempt, conversation: conversationId }, 'LINE: delivery record not written; retrying'),
    );
  }
}

/** What an event means for delivery. */
function outboxOf(event: webhook.Event): OutboxRecord {
  const replyToken = 'replyToken' in event ? (event as { replyToken?: string }).replyToken : undefined;
  const readToken = event.type === 'message' ? (event.message as { markAsReadToken?: string }).markAsReadToken : undefined;
  return {
    eventAt: event.timestamp,
    ...(replyToken ? { replyToken } : {}),
    ...(readToken ? { readToken } : {}),
    ...(event.type === 'unfollow' ? { blocked: true } : event.type === 'follow' ? { blocked: false } : {}),
  };
}

/** The reply token while it is still worth trying. */
function freshReplyToken(outbox: OutboxRecord | null, now: Date): string | undefined {
  if (!outbox?.replyToken || now.getTime() - outbox.eventAt > REPLY_TOKEN_FRESH_MS) return undefined;
  return outbox.replyToken;
}
