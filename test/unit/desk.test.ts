import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../adapters/sqlite/sqlite-store.js';
import { Desk, UnknownOrgError } from '../../bot/desk.js';
import { MessageBus, type MessageEvent } from '../../bot/message-bus.js';
import { DEFAULT_ORG, OrgDirectory } from '../../bot/orgs.js';
import type { Responder, Turn } from '../../bot/turn.js';
import type { Inbound } from '../../bot/types.js';
import { tempDir } from '../helpers/test-desk.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A responder that echoes, counts turns in its state, and can be told to fail or to wait. */
class EchoBot implements Responder {
  fail = false;
  delayMs = 0;
  async respond(turn: Turn): Promise<void> {
    const c = turn.conversation;
    c.lowConfidenceStreak += 1; // stands in for any state the logic keeps
    if (this.delayMs) await new Promise((r) => setTimeout(r, this.delayMs));
    if (this.fail) throw new Error('logic broke');
    const input = turn.input;
    const what = input.type === 'text' ? input.text : input.type === 'choice' ? `${input.value}/${input.label}` : input.type;
    turn.say({ text: `echo ${what} #${c.lowConfidenceStreak}`, choices: [{ label: 'はい', value: 'yes' }] });
  }
  labelFor(value: string) {
    return value === 'old' ? '前のボタン' : undefined;
  }
}

function setup() {
  const dir = tempDir();
  dirs.push(dir);
  const store = new SqliteStore({ dataDir: dir });
  const bus = new MessageBus();
  const bot = new EchoBot();
  const desk = new Desk({ store, responder: bot, orgs: new OrgDirectory([DEFAULT_ORG]), bus });
  return { store, bus, bot, desk, dir };
}
const text = (t: string, key = 'u1'): Inbound => ({ channel: 'web', org: 'default', key, userId: key, content: { type: 'text', text: t } });

describe('Desk turn pipeline', () => {
  it('stores the user message and the replies, in order, before resolving', async () => {
    const { desk, store } = setup();
    const r = await desk.handle(text('こんにちは'));
    expect(r.messages.map((m) => [m.seq, m.from, m.text])).toEqual([
      [1, 'user', 'こんにちは'],
      [2, 'bot', 'echo こんにちは #1'],
    ]);
    const stored = await store.listMessages(r.conversation.id, 0, 10);
    expect(stored).toEqual(r.messages);
    expect((await store.getConversation(r.conversation.id))?.lastChoices).toEqual([{ label: 'はい', value: 'yes' }]);
  });

  it('greets on start without storing a user message', async () => {
    const { desk } = setup();
    const r = await desk.start('web', 'default', 'u1', 'u1');
    expect(r.messages.map((m) => m.from)).toEqual(['bot']);
    expect(r.messages[0]!.text).toBe('echo start #1');
  });

  it('shows a pressed choice by its label, from the latest choices or the bot', async () => {
    const { desk } = setup();
    await desk.handle(text('a'));
    const r = await desk.handle({ ...text(''), content: { type: 'choice', value: 'yes' } });
    expect(r.messages[0]!.text).toBe('はい');
    expect(r.messages[1]!.text).toBe('echo yes/はい #2');
    const old = await desk.handle({ ...text(''), content: { type: 'choice', value: 'old' } });
    expect(old.messages[0]!.text).toBe('前のボタン');
    const unknown = await desk.handle({ ...text(''), content: { type: 'choice', value: 'zzz' } });
    expect(unknown.messages[0]!.text).toBe('zzz');
  });

  it('keeps the bot silent while an adviser owns the conversation, but stores the message', async () => {
    const { desk, store } = setup();
    const first = await desk.handle(text('最初'));
    const c = (await store.getConversation(first.conversation.id))!;
    c.owner = 'adviser';
    await store.commit(c, []);
    const r = await desk.handle(text('担当の方へ'));
    expect(r.messages.map((m) => m.from)).toEqual(['user']);
    expect((await store.listMessages(c.id, 0, 10)).map((m) => m.text)).toContain('担当の方へ');
  });

  it('reopens a closed conversation to the bot', async () => {
    const { desk, store } = setup();
    const first = await desk.handle(text('a'));
    const c = (await store.getConversation(first.conversation.id))!;
    c.owner = 'closed';
    await store.commit(c, []);
    const r = await desk.handle(text('また来ました'));
    expect(r.conversation.owner).toBe('bot');
    expect(r.messages.map((m) => m.from)).toEqual(['user', 'bot']);
  });

  it('stores the message with an apology when the logic fails, and keeps the old state', async () => {
    const { desk, store, bot } = setup();
    const first = await desk.handle(text('a'));
    bot.fail = true;
    const r = await desk.handle(text('壊れる'));
    expect(r.messages.map((m) => m.from)).toEqual(['user', 'bot']);
    expect(r.messages[1]!.text).toMatch(/申し訳ありません/);
    const c = (await store.getConversation(first.conversation.id))!;
    expect(c.lowConfidenceStreak).toBe(1); // the failed turn's change was thrown away
    expect(c.lastChoices).toEqual([]); // the apology offers no choices
  });

  it('runs the turns of one conversation one at a time, in arrival order', async () => {
    const { desk, bot } = setup();
    bot.delayMs = 20;
    const results = await Promise.all(['1', '2', '3'].map((t) => desk.handle(text(t))));
    expect(results.map((r) => r.messages[1]!.text)).toEqual(['echo 1 #1', 'echo 2 #2', 'echo 3 #3']);
    expect(results.map((r) => r.messages[0]!.seq)).toEqual([1, 3, 5]);
  });

  it('keeps conversations apart', async () => {
    const { desk } = setup();
    const a = await desk.handle(text('a', 'alice'));
    const b = await desk.handle(text('b', 'bob'));
    expect(a.conversation.id).not.toBe(b.conversation.id);
    expect(b.messages[0]!.seq).toBe(1);
  });

  it('labels non-text messages in the transcript', async () => {
    const { desk } = setup();
    const r = await desk.handle({ ...text(''), content: { type: 'other', kind: 'sticker' } });
    expect(r.messages[0]!.text).toBe('［スタンプ］');
  });

  it('publishes only committed messages', async () => {
    const { desk, bus } = setup();
    const seen: MessageEvent[] = [];
    bus.subscribeAll((e) => seen.push(e));
    const r = await desk.handle(text('x'));
    expect(seen).toHaveLength(1);
    expect(seen[0]!.messages).toEqual(r.messages);
  });

  it('redoes a turn from fresh state when another writer changed the conversation meanwhile', async () => {
    const { desk, store, dir } = setup();
    await desk.handle(text('最初'));
    // A second instance on the same database (as with several processes on a shared store).
    const other = new SqliteStore({ dataDir: dir });
    let calls = 0;
    const racing: Responder = {
      async respond(turn) {
        calls++;
        if (calls === 1) {
          // While this turn is thinking, the other instance stores a message of its own.
          const c = (await other.getConversation(turn.conversation.id))!;
          c.lowConfidenceStreak = 99;
          await other.commit(c, [{ from: 'system', text: '他のインスタンス', at: new Date().toISOString() }]);
        }
        turn.say(`見えた値 ${turn.conversation.lowConfidenceStreak}`);
      },
      labelFor: () => undefined,
    };
    const raced = new Desk({ store, responder: racing, orgs: new OrgDirectory([DEFAULT_ORG]), bus: new MessageBus() });
    const r = await raced.handle(text('二番目'));
    expect(calls).toBe(2);
    expect(r.messages.map((m) => m.text)).toEqual(['二番目', '見えた値 99']);
    const all = await store.listMessages(r.conversation.id, 0, 10);
    expect(all.map((m) => m.text)).toEqual(['最初', 'echo 最初 #1', '他のインスタンス', '二番目', '見えた値 99']);
    await other.close();
  });

  it('rejects an unknown org', async () => {
    const { desk } = setup();
    await expect(desk.handle({ ...text('x'), org: 'nope' })).rejects.toBeInstanceOf(UnknownOrgError);
  });
});
