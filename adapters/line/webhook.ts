import type { IncomingMessage, ServerResponse } from 'node:http';
import { validateSignature, type webhook } from '@line/bot-sdk';
import type { Logger } from '../../bot/logger.js';
import { ApiError } from '../http/errors.js';
import { parseJson, readRaw, sendApiError, sendJson } from '../http/plain.js';
import type { LineChannel } from './line-channel.js';

export const LINE_WEBHOOK_PATH = '/webhooks/line';
/** LINE's webhook bodies are small; anything this big is not LINE. */
export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * `POST /webhooks/line`. In this order: the body is read (413 past 1 MB), the
 * `x-line-signature` is checked over the raw bytes with the channel secret in constant time
 * (401, nothing processed), the JSON is parsed (400), the events are stored, and only then
 * LINE gets its 200. The events are processed after the answer (see LineChannel).
 */
export class LineWebhook {
  constructor(
    private readonly channelSecret: string,
    private readonly channel: LineChannel,
    private readonly log: Logger,
  ) {}

  static owns(url: string | undefined): boolean {
    return url === LINE_WEBHOOK_PATH || url?.startsWith(`${LINE_WEBHOOK_PATH}?`) === true;
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      if (req.method !== 'POST') throw new ApiError(405, 'method_not_allowed', 'このアドレスは POST だけを受け付けます。', { Allow: 'POST' });
      const body = await readRaw(req, MAX_BODY_BYTES);
      const signature = req.headers['x-line-signature'];
      if (typeof signature !== 'string' || !signature || !validateSignature(body, this.channelSecret, signature)) {
        this.log.warn({ hasSignature: typeof signature === 'string' }, 'LINE webhook: bad or missing signature');
        throw new ApiError(401, 'bad_signature', '署名 (x-line-signature) が正しくありません。');
      }
      const payload = parseJson(body) as Partial<webhook.CallbackRequest> | null;
      if (!payload || typeof payload !== 'object' || !Array.isArray(payload.events)) {
        throw new ApiError(400, 'bad_payload', 'LINE の Webhook の形式（events の配列）ではありません。');
      }
      const events = payload.events.filter(isEvent);
      const { accepted, duplicates } = await this.channel.receive(events);
      this.log.info({ events: payload.events.length, accepted, duplicates }, 'LINE webhook');
      sendJson(res, 200, {});
    } catch (e) {
      if (e instanceof ApiError) return sendApiError(res, e);
      this.log.error({ err: e }, 'LINE webhook failed');
      // 500: LINE redelivers (when redelivery is on); nothing was acknowledged.
      sendApiError(res, new ApiError(500, 'internal', 'サーバーでエラーが起きました。'));
    }
  }
}

/** An event we can keep: LINE sends an id and a type with every one (an empty list is the URL check). */
function isEvent(e: unknown): e is webhook.Event {
  const x = e as { webhookEventId?: unknown; type?: unknown; timestamp?: unknown } | null;
  return Boolean(x && typeof x.webhookEventId === 'string' && x.webhookEventId && typeof x.type === 'string' && typeof x.timestamp === 'number');
}
