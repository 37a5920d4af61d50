import type { Request, Response } from 'express';
import { CASES, type Case } from '../../bot/cases.js';
import type { MessageBus } from '../../bot/message-bus.js';
import type { Actor } from './console-auth.js';

const HEARTBEAT_MS = 25_000;

/**
 * `GET /api/console/events`: server-sent events for the advisers of one org.
 * - `case`: a case was opened or changed (the queue list refreshes from it);
 * - `messages`: new messages in a conversation that has an open case (the chat view appends).
 * Only the actor's org is ever sent.
 */
export class ConsoleEvents {
  private readonly clients = new Map<string, Set<Response>>();
  private readonly unsubscribe: () => void;

  constructor(bus: MessageBus) {
    this.unsubscribe = bus.subscribeAll((e) => {
      const org = e.conversation.org;
      const listeners = this.clients.get(org);
      if (!listeners?.size) return;
      const cases = (e.documents ?? []).filter((d) => d.collection === CASES && d.doc).map((d) => d.doc as Case);
      for (const c of cases) this.send(org, 'case', { case: c });
      const caseId = e.conversation.handoff?.caseId ?? cases[0]?.id;
      if (caseId && e.messages.length) this.send(org, 'messages', { caseId, conversationId: e.conversation.id, messages: e.messages });
    });
  }

  open(req: Request, res: Response, actor: Actor): void {
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.write(': connected\n\n');
    let set = this.clients.get(actor.org);
    if (!set) this.clients.set(actor.org, (set = new Set()));
    set.add(res);
    const beat = setInterval(() => res.write(': ping\n\n'), HEARTBEAT_MS);
    req.on('close', () => {
      clearInterval(beat);
      set.delete(res);
    });
  }

  closeAll(): void {
    this.unsubscribe();
    for (const set of this.clients.values()) for (const res of set) res.end();
    this.clients.clear();
  }

  private send(org: string, event: string, data: unknown): void {
    const frame = `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
    for (const res of this.clients.get(org) ?? []) res.write(frame);
  }
}
