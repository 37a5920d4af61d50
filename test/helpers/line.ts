import { createHmac, randomUUID } from 'node:crypto';

/**
 * Webhook events in LINE's documented format (Messaging API reference, "Webhook event
 * objects"), signed the way LINE signs them: base64 HMAC-SHA256 of the raw body with the
 * channel secret, in `x-line-signature`.
 */
export const SECRET = 'test-channel-secret';
export const ACCESS_TOKEN = 'test-channel-access-token';
export const LINE_API = 'https://api.line.me';
export const LINE_DATA_API = 'https://api-data.line.me';

export function sign(body: string | Buffer, secret = SECRET): string {
  return createHmac('sha256', secret).update(body).digest('base64');
}

let counter = 0;
const eventId = () => `01TEST${Date.now().toString(36).toUpperCase()}${(counter++).toString().padStart(6, '0')}`;

interface Common {
  userId?: string;
  replyToken?: string;
  timestamp?: number;
  webhookEventId?: string;
}

function base(type: string, c: Common) {
  return {
    type,
    mode: 'active',
    timestamp: c.timestamp ?? Date.now(),
    source: { type: 'user', userId: c.userId ?? 'U00000000000000000000000000000001' },
    webhookEventId: c.webhookEventId ?? eventId(),
    deliveryContext: { isRedelivery: false },
    ...(type === 'unfollow' || type === 'unsend' ? {} : { replyToken: c.replyToken ?? randomUUID().replace(/-/g, '') }),
  };
}

export const events = {
  text: (text: string, c: Common & { messageId?: string; markAsReadToken?: string } = {}) => ({
    ...base('message', c),
    message: { type: 'text', id: c.messageId ?? String(100000 + counter++), text, quoteToken: 'q' + counter, ...(c.markAsReadToken ? { markAsReadToken: c.markAsReadToken } : {}) },
  }),
  sticker: (c: Common = {}) => ({
    ...base('message', c),
    message: { type: 'sticker', id: String(200000 + counter++), quoteToken: 'q', stickerId: '52002734', packageId: '11537', stickerResourceType: 'STATIC' },
  }),
  image: (c: Common & { messageId?: string } = {}) => ({ ...base('message', c), message: { type: 'image', id: c.messageId ?? String(300000 + counter++), quoteToken: 'q', contentProvider: { type: 'line' } } }),
  file: (fileName: string, c: Common & { messageId?: string } = {}) => ({ ...base('message', c), message: { type: 'file', id: c.messageId ?? String(400000 + counter++), fileName, fileSize: 1000 } }),
  video: (c: Common = {}) => ({ ...base('message', c), message: { type: 'video', id: String(500000 + counter++), quoteToken: 'q', duration: 6000, contentProvider: { type: 'line' } } }),
  postback: (data: string, c: Common = {}) => ({ ...base('postback', c), postback: { data } }),
  follow: (c: Common = {}) => ({ ...base('follow', c), follow: { isUnblocked: false } }),
  unfollow: (c: Common = {}) => base('unfollow', c),
  unsend: (messageId: string, c: Common = {}) => ({ ...base('unsend', c), unsend: { messageId } }),
  join: (groupId: string, c: Common = {}) => ({ ...base('join', c), source: { type: 'group', groupId } }),
};

export function body(evs: object[]): string {
  return JSON.stringify({ destination: 'Udeadbeefdeadbeefdeadbeefdeadbeef', events: evs });
}
