import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnDesk } from '../helpers/desk-process.js';
import { tempDir } from '../helpers/test-desk.js';
import { WebClient, type Session } from '../helpers/web-client.js';

const dataDir = tempDir('desk-crash-');
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('crash safety', () => {
  it('keeps every acknowledged message and the dialog state across SIGKILL', async () => {
    const first = await spawnDesk({ DATA_DIR: dataDir, RATE_LIMIT_SESSION_PER_MIN: '100000', RATE_LIMIT_IP_PER_MIN: '1000000' });
    const client = new WebClient(first.url);
    const s: Session = await client.newSession();

    // A question: the bot answers and waits on "was this helpful?" (a dialog frame).
    await client.say(s, 'マクロ付きのWordファイルがメールで届いたら、開く前にどこを確かめればいいですか');

    // A second conversation gets a burst of messages; the process is killed while some are in
    // flight. Whatever was acknowledged (202) must survive; the rest may or may not.
    const busy = await client.newSession();
    const acked: { seq: number; text: string }[] = [];
    let attempted = 0;
    // Each sender keeps going until the dying process refuses it.
    const sender = async (n: number) => {
      for (let i = 0; ; i++) {
        const text = `送信者${n}のメッセージ${i} について相談です`;
        attempted++;
        try {
          const r = await client.send(busy, { text });
          if (r.status === 202) acked.push({ seq: r.body.seq, text });
        } catch {
          return; // refused by the dying process: not acknowledged
        }
      }
    };
    const senders = [1, 2, 3, 4].map(sender);
    await new Promise((r) => setTimeout(r, 300));
    first.child.kill('SIGKILL');
    await Promise.all(senders);
    await first.exited;
    expect(acked.length).toBeGreaterThan(10);
    expect(attempted).toBeGreaterThan(acked.length); // some were in flight when it died

    const second = await spawnDesk({ DATA_DIR: dataDir });
    try {
      const again = new WebClient(second.url);
      const history = await again.history(busy);
      for (const a of acked) expect(history.find((m) => m.seq === a.seq)?.text, `seq ${a.seq}`).toBe(a.text);
      // Every stored user message still has the bot's reply right after it: turns are atomic.
      history.forEach((m, i) => {
        if (m.from === 'user') expect(history[i + 1]?.from, `reply to seq ${m.seq}`).toBe('bot');
      });

      // The first conversation's dialog resumes: the answer's buttons are there, and a typed
      // 「ありがとう」 is read by the pending "was this helpful?" (outside it, it is small talk).
      const before = await again.messages(s);
      expect(before[before.length - 1]!.choices?.map((c) => c.label)).toContain('解決した');
      const reply = await again.ask(s, 'ありがとう');
      expect(reply[0]!.text).toMatch(/お役に立ててよかったです/);
    } finally {
      second.child.kill('SIGTERM');
      await second.exited;
    }
  });

  it('shuts down cleanly on SIGTERM', async () => {
    const p = await spawnDesk({ DATA_DIR: dataDir });
    p.child.kill('SIGTERM');
    expect(await p.exited).toBe(0);
    expect(p.logs.some((l) => l.includes('shutting down'))).toBe(true);
  });
});
