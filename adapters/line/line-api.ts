import { randomUUID } from 'node:crypto';
import { HTTPFetchError, messagingApi } from '@line/bot-sdk';
import type { Logger } from '../../bot/logger.js';

/** LINE answered that the account's free messages for the month are used up (push only). */
export class QuotaExhaustedError extends Error {
  constructor(readonly requestId: string | undefined) {
    super('LINE の今月の送信上限（無料メッセージ数）に達したため、プッシュメッセージを送れません。');
    this.name = 'QuotaExhaustedError';
  }
}

/** A call LINE refused for good (4xx other than 429), or that kept failing after the retries. */
export class LineApiError extends Error {
  constructor(
    readonly status: number | undefined,
    readonly requestId: string | undefined,
    readonly body: string,
  ) {
    super(`LINE API error ${status ?? 'network'}: ${body.slice(0, 200)}`);
    this.name = 'LineApiError';
  }

  /** The reply token was already used or has expired: send by push instead. */
  get invalidReplyToken(): boolean {
    return this.status === 400 && /reply token/i.test(this.body);
  }
}

/**
 * A reply failed in a way that leaves its fate unknown: an attempt timed out or got a 5xx, so
 * LINE may have delivered it, and the single-use reply token may be spent. The same messages
 * must not be pushed again (the user could get them twice); they are marked for advisers.
 */
export class ReplyOutcomeUnknownError extends Error {
  constructor(readonly failure: LineApiError) {
    super(`LINE reply outcome unknown: ${failure.message}`);
    this.name = 'ReplyOutcomeUnknownError';
  }
}

/** The account's monthly message plan and what it has used (LINE counts pushes, not replies). */
export interface QuotaReading {
  /** `limited`: a monthly cap; `none`: no cap (a paid plan with extra messages allowed). */
  type: 'limited' | 'none';
  limit?: number;
  used: number;
}

export interface LineApiOptions {
  channelAccessToken: string;
  baseURL?: string;
  /** api-data.line.me (message content, rich menu images), or a stand-in. */
  dataBaseURL?: string;
  log: Logger;
  /** Retries after the first try for 429 and 5xx (with backoff). */
  retries?: number;
  /** First backoff step in ms; doubles each retry, plus jitter; a Retry-After header wins. */
  backoffMs?: number;
  /** An attempt still unanswered after this long is abandoned (and counts as a network failure). */
  timeoutMs?: number;
}

/**
 * The LINE Messaging API calls the desk makes, through the official SDK, with the failure
 * handling LINE documents: every error is logged with its `x-line-request-id`; 429 (rate
 * limit) and 5xx are retried with backoff; a push carries an `X-Line-Retry-Key` that stays the
 * same across retries, so LINE accepts it once (a retry of an accepted push answers 409, which
 * is success); a 429 saying the monthly limit is reached is not retried but reported.
 */
export class LineApi {
  private readonly client: messagingApi.MessagingApiClient;
  private readonly blob: messagingApi.MessagingApiBlobClient;
  private readonly retries: number;
  private readonly backoffMs: number;

  constructor(private readonly options: LineApiOptions) {
    this.client = new messagingApi.MessagingApiClient({
      channelAccessToken: options.channelAccessToken,
      ...(options.baseURL ? { baseURL: options.baseURL } : {}),
    });
    this.blob = new messagingApi.MessagingApiBlobClient({
      channelAccessToken: options.channelAccessToken,
      ...(options.dataBaseURL ? { baseURL: options.dataBaseURL } : {}),
    });
    this.retries = options.retries ?? 4;
    this.backoffMs = options.backoffMs ?? 250;
    this.timeoutMs = options.timeoutMs ?? 15_000;
  }

  private readonly timeoutMs: number;

  /**
   * Sends by reply token. Retrying a reply cannot answer twice (the token is single use: if an
   * earlier try did reach the user, the retry fails with "Invalid reply token"), but it means
   * that after a 5xx or a timeout nobody knows whether the user got it: then this throws
   * `ReplyOutcomeUnknownError` rather than letting the caller push the same messages.
   */
  async reply(replyToken: string, messages: messagingApi.Message[]): Promise<void> {
    let uncertain = false;
    try {
      await this.call('reply', () => this.client.replyMessage({ replyToken, messages }).then(() => undefined), {
        onFailedAttempt: (status) => (uncertain ||= status === undefined || status >= 500),
      });
    } catch (e) {
      if (uncertain && e instanceof LineApiError) throw new ReplyOutcomeUnknownError(e);
      throw e;
    }
  }

  /** `retryKey`: a UUID kept by the caller for this batch, so a retry after a crash is deduplicated too. */
  push(to: string, messages: messagingApi.Message[], retryKey: string = randomUUID()): Promise<void> {
    return this.call('push', () => this.client.pushMessage({ to, messages }, retryKey).then(() => undefined), { acceptedOn409: true });
  }

  /** The "…" animation in the chat, for a turn that takes a while (one-to-one chats only). */
  showLoading(userId: string, seconds = 20): Promise<void> {
    return this.call('loading', () => this.client.showLoadingAnimation({ chatId: userId, loadingSeconds: seconds }).then(() => undefined), { retries: 0 });
  }

  /** Marks the user's messages up to the one carrying this token as read. */
  markAsRead(markAsReadToken: string): Promise<void> {
    return this.call('read', () => this.client.markMessagesAsReadByToken({ markAsReadToken }).then(() => undefined), { retries: 1 });
  }

  /** Leaves a group or room the account was invited to (the desk is one-to-one). */
  leave(chat: { groupId: string } | { roomId: string }): Promise<void> {
    return this.call('leave', () => ('groupId' in chat ? this.client.leaveGroup(chat.groupId) : this.client.leaveRoom(chat.roomId)).then(() => undefined), { retries: 2 });
  }

  /** The account's settings that matter to the desk: chat mode and who marks messages read. */
  botInfo(): Promise<messagingApi.BotInfoResponse> {
    return this.get('bot info', () => this.client.getBotInfo());
  }

  /** The month's plan and consumption (two calls; LINE documents both). */
  async quota(): Promise<QuotaReading> {
    const [plan, consumption] = await Promise.all([
      this.get('quota', () => this.client.getMessageQuota()),
      this.get('quota consumption', () => this.client.getMessageQuotaConsumption()),
    ]);
    return { type: plan.type, ...(plan.type === 'limited' && typeof plan.value === 'number' ? { limit: plan.value } : {}), used: consumption.totalUsage };
  }

  /** The user's LINE display name; undefined when LINE will not say (the user blocked the account, or is not a friend). */
  async displayName(userId: string): Promise<string | undefined> {
    try {
      return (await this.get('profile', () => this.client.getProfile(userId))).displayName;
    } catch (e) {
      if (e instanceof LineApiError && e.status === 404) return undefined;
      throw e;
    }
  }

  /**
   * The bytes of an image or file the user sent (LINE keeps them only for a while: fetched at
   * once). At most `maxBytes`; more is refused as too large.
   */
  async content(messageId: string, maxBytes: number): Promise<Buffer> {
    return this.get('content', async () => collect(await this.blob.getMessageContent(messageId), maxBytes));
  }

  private async get<T>(what: string, fn: () => Promise<T>): Promise<T> {
    let out: T | undefined;
    await this.call(what, async () => {
      out = await fn();
    }, { retries: 1 });
    return out as T;
  }

  private async call(
    what: string,
    fn: () => Promise<void>,
    opts: { acceptedOn409?: boolean; retries?: number; onFailedAttempt?: (status: number | undefined) => void } = {},
  ): Promise<void> {
    const retries = opts.retries ?? this.retries;
    for (let attempt = 0; ; attempt++) {
      try {
        await withTimeout(fn(), this.timeoutMs);
        return;
      } catch (e) {
        if (e instanceof ContentTooLargeError) throw e;
        const status = e instanceof HTTPFetchError ? e.status : undefined;
        const requestId = e instanceof HTTPFetchError ? headerOf(e.headers, 'x-line-request-id') : undefined;
        const body = e instanceof HTTPFetchError ? String(e.body ?? '') : e instanceof Error ? e.message : String(e);
        if (status === 409 && opts.acceptedOn409) {
          // The same retry key was accepted before (our earlier try reached LINE): sent once.
          this.options.log.info({ what, requestId, accepted: headerOf((e as HTTPFetchError).headers, 'x-line-accepted-request-id') }, 'LINE push already accepted');
          return;
        }
        if (status === 429 && /monthly limit/i.test(body)) {
          this.options.log.error({ what, status, requestId, body }, 'LINE monthly message quota exhausted');
          throw new QuotaExhaustedError(requestId);
        }
        opts.onFailedAttempt?.(status);
        const retriable = status === undefined || status === 429 || status >= 500;
        this.options.log.warn({ what, status, requestId, body: body.slice(0, 300), attempt }, 'LINE API call failed');
        if (!retriable || attempt >= retries) throw new LineApiError(status, requestId, body);
        await sleep(this.delay(attempt, e));
      }
    }
  }

  private delay(attempt: number, e: unknown): number {
    const after = e instanceof HTTPFetchError ? Number(headerOf(e.headers, 'retry-after')) : NaN;
    if (Number.isFinite(after) && after > 0) return Math.min(after * 1000, 30_000);
    return this.backoffMs * 2 ** attempt * (1 + Math.random() * 0.2);
  }
}

function headerOf(headers: unknown, name: string): string | undefined {
  if (!headers) return undefined;
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  const v = (headers as Record<string, string | string[] | undefined>)[name];
  return Array.isArray(v) ? v[0] : v;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

class TimeoutError extends Error {
  constructor(ms: number) {
    super(`no answer from LINE within ${ms} ms`);
    this.name = 'TimeoutError';
  }
}

/** The SDK's fetch has no timeout: stop waiting (the request may still reach LINE). */
function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([p, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new TimeoutError(ms)), ms)))]).finally(() => clearTimeout(timer));
}

/** A file that is bigger than the desk takes. */
export class ContentTooLargeError extends Error {
  constructor() {
    super('content too large');
    this.name = 'ContentTooLargeError';
  }
}

/** Reads a stream into memory, stopping past `maxBytes`. */
export async function collect(stream: AsyncIterable<Buffer | Uint8Array>, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += chunk.length;
    if (size > maxBytes) throw new ContentTooLargeError();
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks);
}
