import { createHmac, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the desk sent to the (simulated) user. */
export interface SimOutput {
  via: 'reply' | 'push';
  messages: SimMessage[];
}

export interface SimMessage {
  type: string;
  text?: string;
  altText?: string;
  quickReply?: { items: { action: { type: string; label: string; data?: string; text?: string } }[] };
  contents?: unknown;
}

export interface SimulatorOptions {
  /** The running desk's webhook, e.g. http://localhost:3978/webhooks/line. */
  webhookUrl: string;
  channelSecret: string;
  channelAccessToken: string;
  /** Port for the stand-in LINE API (0: any free port). */
  port?: number;
  userId?: string;
}

/**
 * A stand-in for LINE on loopback, for trying the LINE flow without a LINE channel: it sends
 * webhook events in LINE's documented format, signed with the channel secret, to the running
 * desk, and answers the Messaging API calls the desk makes (reply, push, loading animation,
 * read marks), keeping what the desk sent. Start the desk with LINE_API_BASE_URL pointing here.
 */
export class LineSimulator {
  readonly userId: string;
  readonly outputs: SimOutput[] = [];
  private server?: Server;
  private waiters: (() => void)[] = [];
  private counter = 0;
  private readonly replyTokens = new Set<string>();

  constructor(private readonly o: SimulatorOptions) {
    this.userId = o.userId ?? 'U' + randomUUID().replace(/-/g, '');
  }

  /** Starts the stand-in API; returns its base URL (for LINE_API_BASE_URL). */
  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.api(req, res));
    await new Promise<void>((r) => this.server!.listen(this.o.port ?? 0, '127.0.0.1', () => r()));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise((r) => this.server?.close(r));
  }

  /** The user types a message. */
  text(text: string): Promise<number> {
    return this.send({ type: 'message', message: { type: 'text', id: this.messageId(), text, quoteToken: randomUUID() } });
  }

  /** The user taps a quick reply or button (its postback data). */
  postback(data: string): Promise<number> {
    return this.send({ type: 'postback', postback: { data } });
  }

  follow(): Promise<number> {
    return this.send({ type: 'follow', follow: { isUnblocked: false } });
  }

  unfollow(): Promise<number> {
    return this.send({ type: 'unfollow' }, false);
  }

  sticker(): Promise<number> {
    return this.send({ type: 'message', message: { type: 'sticker', id: this.messageId(), quoteToken: randomUUID(), packageId: '446', stickerId: '1988', stickerResourceType: 'STATIC' } });
  }

  /** Resolves with the next thing the desk sends (or after `timeoutMs` with undefined). */
  async next(timeoutMs = 5000): Promise<SimOutput | undefined> {
    const seen = this.outputs.length;
    const deadline = Date.now() + timeoutMs;
    while (this.outputs.length === seen && Date.now() < deadline) {
      await new Promise<void>((r) => {
        this.waiters.push(r);
        setTimeout(r, Math.max(0, deadline - Date.now()));
      });
    }
    return this.outputs[seen];
  }

  /** The latest quick reply choices, to pick by number. */
  latestChoices(): { label: string; data: string }[] {
    for (let i = this.outputs.length - 1; i >= 0; i--) {
      const last = this.outputs[i]!.messages.at(-1);
      const items = last?.quickReply?.items;
      if (items) return items.map((it) => ({ label: it.action.label, data: it.action.data ?? it.action.text ?? it.action.label }));
    }
    return [];
  }

  /** Posts one signed webhook event to the desk; returns the HTTP status. */
  private async send(event: Record<string, unknown>, withReplyToken = true): Promise<number> {
    const replyToken = randomUUID().replace(/-/g, '');
    if (withReplyToken) this.replyTokens.add(replyToken);
    const body = JSON.stringify({
      destination: 'Usimulatordestination0000000000000',
      events: [
        {
          ...event,
          mode: 'active',
          timestamp: Date.now(),
          source: { type: 'user', userId: this.userId },
          webhookEventId: `01SIM${Date.now().toString(36).toUpperCase()}${this.counter++}`,
          deliveryContext: { isRedelivery: false },
          ...(withReplyToken ? { replyToken } : {}),
        },
      ],
    });
    const signature = createHmac('sha256', this.o.channelSecret).update(body).digest('base64');
    const res = await fetch(this.o.webhookUrl, { method: 'POST', headers: { 'content-type': 'application/json', 'x-line-signature': signature }, body });
    return res.status;
  }

  private messageId(): string {
    return String(Date.now()) + String(this.counter++).padStart(4, '0');
  }

  /** The Messaging API endpoints the desk calls, answered as LINE documents them. */
  private async api(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req as AsyncIterable<Buffer>) chunks.push(c);
    const answer = (status: number, body: object) => {
      res.writeHead(status, { 'content-type': 'application/json', 'x-line-request-id': randomUUID() });
      res.end(JSON.stringify(body));
    };
    if (req.headers.authorization !== `Bearer ${this.o.channelAccessToken}`) return answer(401, { message: 'Authentication failed' });
    let body: { replyToken?: string; to?: string; messages?: SimMessage[] } = {};
    try {
      body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : {};
    } catch {
      return answer(400, { message: 'The request body has 1 error(s)' });
    }
    switch (req.url) {
      case '/v2/bot/message/reply':
        if (!body.replyToken || !this.replyTokens.delete(body.replyToken)) return answer(400, { message: 'Invalid reply token' });
        return this.keep('reply', body.messages ?? [], answer);
      case '/v2/bot/message/push':
        if (body.to !== this.userId) return answer(400, { message: 'The property, \'to\', in the request body is invalid' });
        return this.keep('push', body.messages ?? [], answer);
      case '/v2/bot/chat/loading/start':
      case '/v2/bot/chat/markAsRead':
        return answer(200, {});
      // What the desk reads for its console: the account's settings, the quota, display names.
      case '/v2/bot/info':
        return answer(200, { userId: 'Usimulatorbot', basicId: '@simulator', displayName: 'シミュレーター', chatMode: 'chat', markAsReadMode: 'manual' });
      case '/v2/bot/message/quota':
        return answer(200, { type: 'limited', value: 200 });
      case '/v2/bot/message/quota/consumption':
        return answer(200, { totalUsage: this.outputs.filter((o) => o.via === 'push').length });
      case `/v2/bot/profile/${this.userId}`:
        return answer(200, { userId: this.userId, displayName: 'シミュレーターの利用者', language: 'ja' });
      default:
        return answer(404, { message: 'Not found' });
    }
  }

  private keep(via: SimOutput['via'], messages: SimMessage[], answer: (s: number, b: object) => void): void {
    if (messages.length === 0 || messages.length > 5) return answer(400, { message: 'Size must be between 1 and 5' });
    this.outputs.push({ via, messages });
    answer(200, { sentMessages: messages.map(() => ({ id: randomUUID(), quoteToken: randomUUID() })) });
    for (const w of this.waiters.splice(0)) w();
  }
}

/** A plain-text view of what the desk sent, for the terminal. */
export function describeOutput(out: SimOutput): string {
  const lines: string[] = [];
  for (const m of out.messages) {
    if (m.type === 'text') lines.push(m.text ?? '');
    else if (m.type === 'flex') {
      lines.push(`[Flex] ${m.altText ?? ''}`);
      for (const uri of JSON.stringify(m.contents ?? {}).match(/"uri":"[^"]+"/g) ?? []) lines.push(`  → ${uri.slice(7, -1)}`);
    } else lines.push(`[${m.type}]`);
    const items = m.quickReply?.items;
    if (items) lines.push(items.map((it, i) => `  (${i + 1}) ${it.action.label}`).join('\n'));
  }
  return `〈${out.via === 'reply' ? '応答' : 'プッシュ'}〉\n${lines.join('\n')}`;
}
