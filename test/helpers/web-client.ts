import type { StoredMessage } from '../../bot/types.js';

export interface HttpResult<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export interface Session {
  id: string;
  token: string;
}

/** A small client for the web chat API, as the widget uses it. */
export class WebClient {
  constructor(readonly base: string) {}

  async request<T = any>(method: string, path: string, init: { body?: unknown; raw?: string; headers?: Record<string, string> } = {}): Promise<HttpResult<T>> {
    const headers: Record<string, string> = { ...(init.headers ?? {}) };
    let body: string | undefined = init.raw;
    if (init.body !== undefined) {
      body = JSON.stringify(init.body);
      headers['content-type'] ??= 'application/json';
    }
    const res = await fetch(this.base + path, { method, headers, body });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      /* not JSON: keep the text */
    }
    return { status: res.status, body: parsed as T, headers: res.headers };
  }

  async newSession(org?: string, headers: Record<string, string> = {}): Promise<Session> {
    const r = await this.request('POST', '/api/web/sessions', { body: org ? { org } : {}, headers });
    if (r.status !== 201) throw new Error(`session not created: ${r.status} ${JSON.stringify(r.body)}`);
    return { id: r.body.sessionId, token: r.body.token };
  }

  send(s: Session, body: unknown): Promise<HttpResult<{ seq: number }>> {
    return this.request('POST', `/api/web/sessions/${s.id}/messages`, { body, headers: { authorization: `Bearer ${s.token}` } });
  }

  async say(s: Session, text: string): Promise<number> {
    const r = await this.send(s, { text });
    if (r.status !== 202) throw new Error(`not accepted: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body.seq;
  }

  async choose(s: Session, choice: string): Promise<number> {
    const r = await this.send(s, { choice });
    if (r.status !== 202) throw new Error(`not accepted: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body.seq;
  }

  async messages(s: Session, after = 0): Promise<StoredMessage[]> {
    const r = await this.request('GET', `/api/web/sessions/${s.id}/messages?after=${after}`, {
      headers: { authorization: `Bearer ${s.token}` },
    });
    if (r.status !== 200) throw new Error(`history: ${r.status}`);
    return r.body.messages;
  }

  /** The whole transcript, page by page. */
  async history(s: Session): Promise<StoredMessage[]> {
    const all: StoredMessage[] = [];
    for (;;) {
      const page = await this.messages(s, all.length ? all[all.length - 1]!.seq : 0);
      if (page.length === 0) return all;
      all.push(...page);
    }
  }

  /** Sends text and returns the bot's replies to it (the turn is committed before the 202). */
  async ask(s: Session, text: string): Promise<StoredMessage[]> {
    const seq = await this.say(s, text);
    return (await this.messages(s, seq)).filter((m) => m.from !== 'user');
  }

  async press(s: Session, choice: string): Promise<StoredMessage[]> {
    const seq = await this.choose(s, choice);
    return (await this.messages(s, seq)).filter((m) => m.from !== 'user');
  }
}

/** A server-sent events reader over fetch, for asserting what the stream delivers. */
export class SseReader {
  readonly events: { id?: string; data: string }[] = [];
  private readonly controller = new AbortController();
  private waiters: (() => void)[] = [];
  status = 0;
  done: Promise<void>;

  constructor(url: string, headers: Record<string, string> = {}) {
    this.done = this.run(url, headers);
  }

  private async run(url: string, headers: Record<string, string>): Promise<void> {
    try {
      const res = await fetch(url, { headers, signal: this.controller.signal });
      this.status = res.status;
      this.notify();
      if (!res.body) return;
      const decoder = new TextDecoder();
      let buffer = '';
      for await (const chunk of res.body) {
        buffer += decoder.decode(chunk as Uint8Array, { stream: true });
        let i: number;
        while ((i = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, i);
          buffer = buffer.slice(i + 2);
          const ev: { id?: string; data: string } = { data: '' };
          let hasData = false;
          for (const line of block.split('\n')) {
            if (line.startsWith('id: ')) ev.id = line.slice(4);
            else if (line.startsWith('data: ')) {
              ev.data += line.slice(6);
              hasData = true;
            }
          }
          if (hasData) {
            this.events.push(ev);
            this.notify();
          }
        }
      }
    } catch (e) {
      if ((e as Error).name !== 'AbortError') throw e;
    } finally {
      this.notify();
    }
  }

  private notify(): void {
    const w = this.waiters;
    this.waiters = [];
    w.forEach((f) => f());
  }

  messages(): StoredMessage[] {
    return this.events.map((e) => JSON.parse(e.data) as StoredMessage);
  }

  /** Waits until `predicate` holds over the received messages. */
  async until(predicate: (m: StoredMessage[]) => boolean, timeoutMs = 5000): Promise<StoredMessage[]> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this.messages())) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`stream: condition not met; got seqs ${this.messages().map((m) => m.seq).join(',')}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
    return this.messages();
  }

  async opened(timeoutMs = 5000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    while (!this.status && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    return this.status;
  }

  close(): void {
    this.controller.abort();
  }
}
