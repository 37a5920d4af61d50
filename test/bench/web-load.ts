import http from 'node:http';
import type { StoredMessage } from '../../bot/types.js';

/**
 * An open-loop load generator for the web chat API, meant to run in its own process beside the
 * desk. Sends are scheduled ahead of time and fired when due, whether or not earlier ones have
 * finished (so a slow server shows up as latency, not as a politely reduced load). A turn's
 * latency runs from the start of the POST until the bot's first reply to it arrives on the
 * session's server-sent event stream.
 */

export interface LoadSession {
  id: string;
  token: string;
}

export interface TurnRecord {
  session: string;
  text: string;
  seq?: number;
  /** ms from POST start to the 202. */
  ackMs?: number;
  /** ms from POST start to the reply on the stream. */
  turnMs?: number;
  error?: string;
}

export interface StepResult {
  offeredPerSec: number;
  seconds: number;
  sent: number;
  acked: number;
  replied: number;
  errors: number;
  achievedPerSec: number;
  turn: Percentiles;
  ack: Percentiles;
  records: TurnRecord[];
}

export interface Percentiles {
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

export const QUESTIONS = [
  'パソコンに突然ウイルス感染の警告が出て、電話するよう言われています',
  '共有フォルダのファイルが開けなくなりました。拡張子が変です',
  '取引先からの返信メールの添付を開いてしまいました',
  'カード会社を名乗るSMSのリンクからカード番号を入れてしまった',
  '小さな会社が最初にやるべき対策は何ですか',
  'お助け隊サービスって何をしてくれるんですか',
  'どこに相談すればいいのか教えてください',
  '自社のセキュリティ対策をチェックしたいです',
  'ﾗﾝｻﾑｳｪｱの被害にあったかもしれません😱',
  '警告音が鳴り止まないのですが大丈夫でしょうか',
];

const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

function percentiles(values: number[]): Percentiles {
  if (values.length === 0) return { p50: NaN, p90: NaN, p99: NaN, max: NaN };
  const s = [...values].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]!;
  return { p50: at(0.5), p90: at(0.9), p99: at(0.99), max: s[s.length - 1]! };
}

function post(url: URL, path: string, body: unknown, token?: string): Promise<{ status: number; body: any }> {
  const data = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        path,
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(data),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : null }));
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

/** One session's live stream, matching bot replies to the session's outstanding sends. */
class SessionStream {
  /** Sends awaiting a reply, oldest first. `userSeq` is set when the echo of the user's message arrives. */
  readonly outstanding: { record: TurnRecord; started: number; userSeq?: number }[] = [];
  private req?: http.ClientRequest;
  lastSeq = 0;
  broken = false;

  constructor(
    private readonly url: URL,
    readonly session: LoadSession,
  ) {}

  open(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.req = http.get(
        {
          host: this.url.hostname,
          port: this.url.port,
          path: `/api/web/sessions/${this.session.id}/stream`,
          headers: { authorization: `Bearer ${this.session.token}`, accept: 'text/event-stream' },
        },
        (res) => {
          if (res.statusCode !== 200) return reject(new Error(`stream ${res.statusCode}`));
          res.setEncoding('utf8');
          let buffer = '';
          res.on('data', (chunk: string) => {
            buffer += chunk;
            let i: number;
            while ((i = buffer.indexOf('\n\n')) >= 0) {
              const block = buffer.slice(0, i);
              buffer = buffer.slice(i + 2);
              const line = block.split('\n').find((l) => l.startsWith('data: '));
              if (line) this.onMessage(JSON.parse(line.slice(6)) as StoredMessage);
            }
          });
          res.on('close', () => (this.broken = true));
          resolve();
        },
      );
      this.req.on('error', (e) => {
        this.broken = true;
        reject(e);
      });
    });
  }

  private onMessage(m: StoredMessage): void {
    this.lastSeq = Math.max(this.lastSeq, m.seq);
    const now = performance.now();
    if (m.from === 'user') {
      const waiting = this.outstanding.find((o) => o.userSeq === undefined && o.record.text === m.text);
      if (waiting) waiting.userSeq = m.seq;
      return;
    }
    const i = this.outstanding.findIndex((o) => o.userSeq !== undefined && m.seq > o.userSeq);
    if (i >= 0) {
      const [o] = this.outstanding.splice(i, 1);
      o!.record.turnMs = now - o!.started;
    }
  }

  close(): void {
    this.req?.destroy();
  }
}

export class WebLoad {
  private readonly url: URL;
  readonly streams: SessionStream[] = [];

  constructor(base: string) {
    this.url = new URL(base);
  }

  /** Opens `n` sessions and their streams, a few at a time. */
  async open(n: number): Promise<void> {
    const batch = 25;
    for (let i = 0; i < n; i += batch) {
      await Promise.all(
        Array.from({ length: Math.min(batch, n - i) }, async () => {
          const r = await post(this.url, '/api/web/sessions', {});
          if (r.status !== 201) throw new Error(`session: ${r.status} ${JSON.stringify(r.body)}`);
          const s = new SessionStream(this.url, { id: r.body.sessionId, token: r.body.token });
          await s.open();
          this.streams.push(s);
        }),
      );
    }
  }

  /**
   * Offers `perSec` turns a second for `seconds`, spread over the sessions round-robin with
   * random phase, then waits up to `drainMs` for the last replies.
   */
  async run(perSec: number, seconds: number, drainMs = 3000): Promise<StepResult> {
    const total = Math.round(perSec * seconds);
    const interval = 1000 / perSec;
    const records: TurnRecord[] = [];
    const inflight: Promise<void>[] = [];
    const start = performance.now() + 20;
    let next = 0;
    await new Promise<void>((resolve) => {
      const tick = () => {
        const now = performance.now();
        while (next < total && start + next * interval <= now) {
          const s = this.streams[next % this.streams.length]!;
          const text = `${QUESTIONS[next % QUESTIONS.length]}（${next}）`;
          const record: TurnRecord = { session: s.session.id, text };
          records.push(record);
          inflight.push(this.send(s, record));
          next++;
        }
        // Sleep until the next send is due (a busy loop would steal a core from the desk).
        if (next >= total) resolve();
        else setTimeout(tick, Math.max(0, start + next * interval - performance.now()));
      };
      tick();
    });
    await Promise.all(inflight);
    const deadline = performance.now() + drainMs;
    while (records.some((r) => r.seq !== undefined && r.turnMs === undefined) && performance.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
    }
    const elapsed = (performance.now() - start) / 1000;
    const acked = records.filter((r) => r.seq !== undefined);
    const replied = records.filter((r) => r.turnMs !== undefined);
    const lastAck = Math.max(...acked.map((r) => r.ackMs ?? 0));
    return {
      offeredPerSec: perSec,
      seconds: Math.min(elapsed, seconds + lastAck / 1000),
      sent: records.length,
      acked: acked.length,
      replied: replied.length,
      errors: records.filter((r) => r.error).length + (acked.length - replied.length),
      achievedPerSec: replied.length / seconds,
      turn: percentiles(replied.map((r) => r.turnMs!)),
      ack: percentiles(acked.map((r) => r.ackMs!)),
      records,
    };
  }

  private async send(s: SessionStream, record: TurnRecord): Promise<void> {
    const started = performance.now();
    const entry = { record, started };
    s.outstanding.push(entry);
    try {
      const r = await post(this.url, `/api/web/sessions/${s.session.id}/messages`, { text: record.text }, s.session.token);
      record.ackMs = performance.now() - started;
      if (r.status === 202) record.seq = r.body.seq;
      else record.error = `${r.status} ${r.body?.error?.code ?? ''}`;
    } catch (e) {
      record.error = (e as Error).message;
    }
    if (record.error) s.outstanding.splice(s.outstanding.indexOf(entry), 1);
  }

  brokenStreams(): number {
    return this.streams.filter((s) => s.broken).length;
  }

  close(): void {
    for (const s of this.streams) s.close();
    agent.destroy();
  }
}
