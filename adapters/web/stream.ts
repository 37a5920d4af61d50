import type { ServerResponse } from 'node:http';
import type { Desk } from '../../bot/desk.js';
import type { MessageBus } from '../../bot/message-bus.js';
import type { StoredMessage } from '../../bot/types.js';
import { ApiError } from '../http/errors.js';
import type { WebSession } from './sessions.js';

/** Open streams, so shutdown can end them and one session cannot hold too many. */
export class StreamRegistry {
  private readonly open = new Map<ServerResponse, string>();
  constructor(readonly perSession = 4) {}

  countFor(sessionId: string): number {
    let n = 0;
    for (const id of this.open.values()) if (id === sessionId) n++;
    return n;
  }
  add(res: ServerResponse, sessionId: string): void {
    this.open.set(res, sessionId);
  }
  remove(res: ServerResponse): void {
    this.open.delete(res);
  }
  get size(): number {
    return this.open.size;
  }
  /** Ends every stream (the browser's EventSource reconnects to the next instance). */
  closeAll(): void {
    for (const res of this.open.keys()) res.end();
    this.open.clear();
  }
}

/** Comment lines keep proxies from closing an idle stream. */
const HEARTBEAT_MS = 25_000;
const BACKLOG_PAGE = 500;

function frame(m: StoredMessage): string {
  return `id: ${m.seq}\ndata: ${JSON.stringify(m)}\n\n`;
}

/**
 * Server-sent events carrying the conversation's messages after `after`, then live ones. The
 * `id:` of each event is its seq, so a reconnecting EventSource sends Last-Event-ID and gets
 * exactly what it missed: nothing lost, nothing twice.
 */
export async function openStream(
  res: ServerResponse,
  deps: { desk: Desk; bus: MessageBus; registry: StreamRegistry; session: WebSession; after: number; headers: Record<string, string> },
): Promise<void> {
  const { desk, bus, registry, session } = deps;
  if (registry.countFor(session.id) >= registry.perSession) {
    throw new ApiError(429, 'too_many_streams', 'この会話の接続が多すぎます。ほかのタブを閉じてからお試しください。', { 'Retry-After': '5' });
  }
  res.writeHead(200, {
    ...deps.headers,
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-cache, no-transform',
    Connection: 'keep-alive',
    'X-Accel-Buffering': 'no',
  });
  res.write('retry: 3000\n\n');
  registry.add(res, session.id);

  // Listen before reading the backlog, holding live messages back until it is sent, so that a
  // message committed in between is neither missed nor sent twice.
  let last = deps.after;
  let pending: StoredMessage[] | null = [];
  /** Writes the messages not sent yet, in one write (one syscall for a whole turn). */
  const send = (messages: StoredMessage[]) => {
    let chunk = '';
    for (const m of messages) {
      if (m.seq <= last) continue;
      last = m.seq;
      chunk += frame(m);
    }
    if (chunk) res.write(chunk);
  };
  const unsubscribe = bus.subscribe(session.conversationId, (event) => {
    if (pending) pending.push(...event.messages);
    else send(event.messages);
  });
  const heartbeat = setInterval(() => res.write(': ping\n\n'), HEARTBEAT_MS);
  heartbeat.unref();
  const close = () => {
    clearInterval(heartbeat);
    unsubscribe();
    registry.remove(res);
  };
  res.on('close', close);

  try {
    for (;;) {
      const page = await desk.history(session.conversationId, last, BACKLOG_PAGE);
      send(page);
      if (page.length < BACKLOG_PAGE) break;
    }
    const held: StoredMessage[] = pending;
    pending = null;
    send(held);
  } catch (e) {
    close();
    res.end();
    throw e;
  }
}
