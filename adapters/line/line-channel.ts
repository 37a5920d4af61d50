import type { webhook } from '@line/bot-sdk';
import type { Desk } from '../../bot/desk.js';
import { KeyedQueue } from '../../bot/keyed-queue.js';
import type { Logger } from '../../bot/logger.js';
import type { MessageBus } from '../../bot/message-bus.js';
import { backoff, retrying } from '../../bot/retry.js';
import type { Store } from '../../bot/store.js';
import type { Conversation, Inbound, InboundContent } from '../../bot/types.js';
import { ContentTooLargeError, collect, type LineApi } from './line-api.js';
import { MAX_ATTACHMENT_BYTES, type TextReader } from '../../bot/attachments.js';
import { AttachmentRejected, takeAttachment } from '../attachments/intake.js';
import { LineDelivery, type DeliveryView } from './line-delivery.js';
import { LineInbox, type InboxRecord, type ParkedRecord } from './line-inbox.js';
import { LineProfiles } from './line-profiles.js';
import { LineQuota, type QuotaView } from './line-quota.js';

const NOT_TEXT: Record<string, string> = {
  sticker: 'sticker',
  image: 'image',
  video: 'video',
  audio: 'audio',
  file: 'file',
  location: 'location',
};

const NOT_TEXT_LABEL: Record<string, string> = {
  sticker: '［スタンプ］',
  image: '［画像］',
  video: '［動画］',
  audio: '［音声］',
  file: '［ファイル］',
  location: '［位置情報］',
};

const ONE_TO_ONE_ONLY =
  'この相談窓口は、1対1のトークでご相談をお受けしています。グループやトークルームではお答えできないため、ここから退出します。' +
  'お手数ですが、このアカウントを友だち追加して、個別のトークでメッセージを送ってください。';

/** A failed turn is tried again after these delays, then parked for advisers (about two minutes in all). */
export const TURN_RETRY_DELAYS_MS = backoff(7, 1_000, 60_000);

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
  /** Delays between tries of a turn that fails (then it is parked). */
  retryDelaysMs?: readonly number[];
  /** Reads the text on images users send (the answer then goes out with the free reply token). */
  reader?: TextReader;
  clock?: () => Date;
}

/**
 * The LINE channel: takes verified webhook events in durably (`LineInbox`), runs them through
 * the desk one user at a time, in order, and delivers what the desk stored (`LineDelivery`).
 *
 * A turn that fails (the database busy or full, a bug) leaves its event in the inbox; it is
 * tried again with backoff while the user's later events wait their turn, then parked where
 * advisers see it. A restart resumes the inbox, and delivers what a crash left in the outbox.
 */
export class LineChannel {
  private readonly queue = new KeyedQueue();
  private readonly clock: () => Date;
  private readonly inbox: LineInbox;
  private readonly delivery: LineDelivery;
  readonly quota: LineQuota;
  readonly profiles: LineProfiles;
  private readonly retryDelays: readonly number[];
  /** Users whose event is being turned now: their delivery follows the turn, not the bus. */
  private readonly turning = new Set<string>();
  private unsubscribe?: () => void;
  private pruner?: NodeJS.Timeout;
  /** Work in flight, so tests and shutdown can wait for it. */
  private readonly inflight = new Set<Promise<unknown>>();

  constructor(private readonly o: LineChannelOptions) {
    this.clock = o.clock ?? (() => new Date());
    this.inbox = new LineInbox(o.store, o.org, this.clock);
    this.quota = new LineQuota(o.api, o.store, o.log, this.clock);
    this.delivery = new LineDelivery({ store: o.store, api: o.api, quota: this.quota, log: o.log, clock: this.clock });
    this.profiles = new LineProfiles(o.api, o.store, o.log, this.clock);
    this.retryDelays = o.retryDelaysMs ?? TURN_RETRY_DELAYS_MS;
  }

  get org(): string {
    return this.o.org;
  }

  /**
   * Starts delivering adviser messages, resumes what a previous run left (events not turned
   * yet, in each user's order; deliveries a crash interrupted), and checks the account's
   * settings in the background.
   */
  async start(): Promise<void> {
    this.unsubscribe = this.o.bus.subscribeAll((e) => {
      const c = e.conversation;
      if (c.channel !== 'line' || this.turning.has(c.key) || !e.messages.some((m) => m.from === 'bot' || m.from === 'adviser')) return;
      // Written outside a user's turn (an adviser, the console): mark it due first, so a
      // crash before sending is picked up at the next start.
      this.track(this.queue.run(c.key, async () => {
        await this.delivery.due(c.key);
        await this.deliverRetrying(c);
      }));
    });
    await this.pruneSeen();
    this.pruner = setInterval(() => void this.pruneSeen(), 6 * 3_600_000).unref();
    const pending = await this.inbox.pending();
    if (pending.length) this.o.log.info({ events: pending.length }, 'LINE: resuming events stored before the restart');
    for (const { id, record } of pending) this.schedule(id, record);
    for (const userId of await this.delivery.leftovers()) {
      this.track(this.queue.run(userId, async () => {
        const conversation = await this.o.store.findConversation('line', userId);
        if (conversation) await this.deliverRetrying(conversation);
      }));
    }
    this.track(this.checkAccount());
  }

  stop(): void {
    this.unsubscribe?.();
    clearInterval(this.pruner);
  }

  /** Forgets old event ids (see SEEN_KEPT_DAYS). */
  async pruneSeen(): Promise<number> {
    const n = await this.inbox.pruneSeen().catch(() => 0);
    if (n) this.o.log.info({ pruned: n }, 'LINE: old event ids forgotten');
    return n;
  }

  /** Resolves when every event taken in so far is processed (tests, graceful shutdown). */
  async idle(): Promise<void> {
    while (this.inflight.size) await Promise.allSettled([...this.inflight]);
  }

  /**
   * Takes verified events in: each new one is stored (seen mark and inbox record in one
   * transaction) before this resolves and the webhook answers 200; one seen before is dropped.
   * Processing continues in the background.
   */
  async receive(events: webhook.Event[]): Promise<{ accepted: number; duplicates: number }> {
    const { accepted, duplicates } = await this.inbox.take(events);
    if (duplicates) this.o.log.info({ duplicates }, 'LINE: events already taken in, ignored');
    for (const { id, record } of accepted) this.schedule(id, record);
    return { accepted: accepted.length, duplicates };
  }

  /** The org's events whose turn kept failing (the console's 「処理できなかったメッセージ」). */
  parked(): Promise<(ParkedRecord & { id: string })[]> {
    return this.inbox.parked(this.o.org);
  }

  /** Tries a parked event again; false when there is no such parked event. */
  async retryParked(id: string): Promise<boolean> {
    const record = await this.inbox.unpark(id, this.o.org);
    if (!record) return false;
    this.schedule(id, record);
    return true;
  }

  dismissParked(id: string): Promise<boolean> {
    return this.inbox.dismiss(id, this.o.org);
  }

  /** The console's view of a conversation's delivery. */
  deliveryOf(conversationId: string): Promise<DeliveryView> {
    return this.delivery.view(conversationId);
  }

  /** An adviser resends messages that may not have arrived; returns the seqs sent. */
  resend(conversation: Conversation, seqs: readonly number[]): Promise<number[]> {
    return this.queue.run(conversation.key, () => this.delivery.resend(conversation, seqs));
  }

  quotaView(): Promise<QuotaView> {
    return this.quota.view();
  }

  private schedule(id: string, record: InboxRecord): void {
    this.track(this.queue.run(queueKey(record.event), () => this.work(id, record)));
  }

  private track(p: Promise<unknown>): void {
    const q = p.catch((e) => this.o.log.error({ err: e }, 'LINE: processing failed'));
    this.inflight.add(q);
    void q.finally(() => this.inflight.delete(q));
  }

  /** One event: its turn (tried again, then parked, when it fails), then delivery. */
  private async work(id: string, record: InboxRecord): Promise<void> {
    const userId = (record.event.source as { userId?: string } | undefined)?.userId;
    let conversation: Conversation | undefined;
    if (userId) this.turning.add(userId);
    try {
      conversation = await retrying(() => this.process(id, record), this.retryDelays, (err, attempt, next) =>
        this.o.log.error({ err, webhookEventId: id, attempt, retryInMs: next }, 'LINE: event could not be processed'),
      );
    } catch (e) {
      await this.park(id, record, e);
      return;
    } finally {
      if (userId) this.turning.delete(userId);
    }
    if (!conversation) return;
    await this.deliverRetrying(conversation);
    this.track(this.profiles.refresh(conversation.key));
  }

  /** Runs the event; returns the conversation when it had a turn (and so something to deliver). */
  private async process(id: string, record: InboxRecord): Promise<Conversation | undefined> {
    const { event } = record;
    const source = event.source as { type?: string; userId?: string; groupId?: string; roomId?: string } | undefined;
    if (record.handled && source?.userId) {
      // Stored by an older version after its turn committed: only delivery is left.
      await this.o.store.writeDocuments([await this.delivery.outboxWrite(source.userId, event), LineInbox.leaveWith(id)]);
      return (await this.o.store.findConversation('line', source.userId)) ?? undefined;
    }
    if (event.mode === 'standby') return this.skip(id); // another module owns the chat now
    if (source?.type === 'group' || source?.type === 'room') {
      // The desk is one-to-one: say so (when LINE gave a reply token) and leave.
      if (event.type === 'join' || event.type === 'message' || event.type === 'postback') await this.leaveChat(event, source);
      return this.skip(id);
    }
    if (!source?.userId) return this.skip(id);
    const userId = source.userId;
    if (event.type === 'unsend') {
      await this.o.desk.redact('line', userId, event.unsend.messageId);
      return this.skip(id);
    }
    const content = event.type === 'message' && (event.message.type === 'image' || event.message.type === 'file') ? await this.fileContent(event, userId) : contentOf(event);
    if (!content) return this.skip(id);
    const inbound: Inbound = {
      channel: 'line',
      org: this.o.org,
      key: userId,
      userId,
      content,
      ...(event.type === 'message' ? { messageId: event.message.id } : {}),
      // The event leaves the inbox, and what delivery needs enters the outbox, with the turn.
      alsoWrite: [LineInbox.leaveWith(id), await this.delivery.outboxWrite(userId, event)],
    };
    return (await this.withLoading(userId, event, () => this.o.desk.handle(inbound))).conversation;
  }

  /**
   * An image or file the user sent: fetched at once (LINE keeps content only for a while),
   * stored, and for an image read before the turn, so the answer quoting it goes out with the
   * event's free reply token. A file the desk does not take becomes a line advisers can see.
   */
  private async fileContent(event: webhook.MessageEvent, userId: string): Promise<InboundContent> {
    const message = event.message as { id: string; type: string; fileName?: string; contentProvider?: { type: string; originalContentUrl?: string } };
    let data: Buffer;
    try {
      data = message.contentProvider?.type === 'external' && message.contentProvider.originalContentUrl
        ? await fetchExternal(message.contentProvider.originalContentUrl)
        : await this.o.api.content(message.id, MAX_ATTACHMENT_BYTES);
    } catch (e) {
      this.o.log.warn({ err: e, messageId: message.id }, 'LINE: the content could not be fetched');
      return { type: 'other', kind: e instanceof ContentTooLargeError ? 'large-file' : message.type };
    }
    try {
      const attachment = await takeAttachment(this.o.store, { org: this.o.org, channel: 'line', key: userId }, data, {
        id: `line-${message.id}`,
        ...(message.fileName ? { name: message.fileName } : {}),
        now: this.clock(),
      });
      if (this.o.reader && attachment.mime.startsWith('image/') && !attachment.read) {
        attachment.read = await this.withLoading(userId, event, () => this.o.reader!.read(data, attachment.mime));
        await this.o.store.setAttachmentRead(attachment.id, attachment.read);
      }
      return { type: 'attachment', attachment };
    } catch (e) {
      if (e instanceof AttachmentRejected) return { type: 'other', kind: 'unsupported-file' };
      throw e;
    }
  }

  private async skip(id: string): Promise<undefined> {
    await this.inbox.done(id);
    return undefined;
  }

  /** A turn that kept failing: parked for advisers, never dropped. If even that fails, it stays in the inbox for the next start. */
  private async park(id: string, record: InboxRecord, error: unknown): Promise<void> {
    try {
      await retrying(() => this.inbox.park(id, record, this.retryDelays.length + 1, error, textOf(record.event)), backoff(5, 1_000));
      this.o.log.error({ webhookEventId: id, err: error }, 'LINE: event parked after repeated failures; advisers see it in the console');
    } catch (e) {
      this.o.log.error({ webhookEventId: id, err: e }, 'LINE: event could not be parked either; it stays in the inbox until the next start');
    }
  }

  private deliverRetrying(conversation: Conversation): Promise<void> {
    return retrying(() => this.delivery.deliver(conversation), this.retryDelays.slice(0, 4), (err, attempt) =>
      this.o.log.warn({ err, attempt, conversation: conversation.id }, 'LINE: delivery failed; trying again'),
    ).catch((err) => this.o.log.error({ err, conversation: conversation.id }, 'LINE: delivery failed; it is retried with the next event or at the next start'));
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

  /** Explains in a group or room that the desk is one-to-one, then leaves it. */
  private async leaveChat(event: webhook.Event, source: { type?: string; groupId?: string; roomId?: string }): Promise<void> {
    const token = 'replyToken' in event ? (event as { replyToken?: string }).replyToken : undefined;
    if (token && this.clock().getTime() - event.timestamp < 50_000) {
      await this.o.api.reply(token, [{ type: 'text', text: ONE_TO_ONE_ONLY }]).catch(() => undefined);
    }
    const chat = source.type === 'group' && source.groupId ? { groupId: source.groupId } : source.roomId ? { roomId: source.roomId } : undefined;
    if (chat) await this.o.api.leave(chat).catch((err) => this.o.log.warn({ err }, 'LINE: could not leave the group or room'));
  }

  /**
   * The desk expects chat mode "on" in LINE Official Account Manager: then LINE leaves the
   * user's messages unread until the desk marks them read (when someone answers). With chat
   * off, LINE marks everything read at once and ignores the mark-as-read API (docs/line.md).
   */
  private async checkAccount(): Promise<void> {
    try {
      const info = await this.o.api.botInfo();
      if (info.chatMode !== 'chat' || info.markAsReadMode !== 'manual') {
        this.o.log.warn(
          { chatMode: info.chatMode, markAsReadMode: info.markAsReadMode },
          'LINE: このアカウントのチャットが「オフ」です。LINE Official Account Manager の応答設定でチャットを「オン」にしてください（既読は相談員やボットが答えたときに付きます）。docs/line.md を参照',
        );
      } else {
        this.o.log.info({ account: info.basicId }, 'LINE: account settings as the desk expects (chat on, manual read marks)');
      }
    } catch (e) {
      this.o.log.warn({ err: e }, 'LINE: could not read the account settings (getBotInfo)');
    }
  }
}

/** The event as the desk's input, or undefined for events the desk does not act on. */
function contentOf(event: webhook.Event): InboundContent | undefined {
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

/** What the user sent, for advisers reading a parked event. */
function textOf(event: webhook.Event): string {
  if (event.type === 'message') {
    if (event.message.type === 'text') return (event.message as webhook.TextMessageContent).text;
    return NOT_TEXT_LABEL[event.message.type] ?? '［テキスト以外のメッセージ］';
  }
  if (event.type === 'postback') return `［ボタン: ${event.postback.data}］`;
  if (event.type === 'follow') return '［友だち追加］';
  if (event.type === 'unfollow') return '［ブロック］';
  return `［${event.type}］`;
}

/** Events of one user run in order; group events by group. */
function queueKey(event: webhook.Event): string {
  const s = event.source as { userId?: string; groupId?: string; roomId?: string } | undefined;
  if (s?.groupId || s?.roomId) return s.groupId ?? s.roomId!;
  return s?.userId ?? event.webhookEventId;
}

/**
 * Content a LINE user shared from an external provider (LINE gives its address instead of the
 * bytes): fetched over HTTPS only, within a time and size limit.
 */
async function fetchExternal(url: string): Promise<Buffer> {
  if (!/^https:\/\//i.test(url)) throw new Error('external content must be https');
  const res = await fetch(url, { signal: AbortSignal.timeout(10_000), redirect: 'error' });
  if (!res.ok || !res.body) throw new Error(`external content: HTTP ${res.status}`);
  return collect(res.body as unknown as AsyncIterable<Uint8Array>, MAX_ATTACHMENT_BYTES);
}
