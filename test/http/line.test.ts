import nock from 'nock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DeliveryState, QuotaStatus } from '../../adapters/line/line-channel.js';
import { LINE_DELIVERY, LINE_INBOX, LINE_STATUS } from '../../adapters/line/line-channel.js';
import { SqliteStore } from '../../adapters/sqlite/sqlite-store.js';
import { ConsoleClient } from '../helpers/console-client.js';
import { ACCESS_TOKEN, LINE_API, SECRET, body, events, sign } from '../helpers/line.js';
import { startTestDesk, tempDir, type TestDesk } from '../helpers/test-desk.js';

type Kind = 'reply' | 'push' | 'loading' | 'read' | 'other';
interface Call {
  kind: Kind;
  body: any;
  headers: Record<string, string | string[] | undefined>;
  at: number;
}

/** LINE's Messaging API on nock: every call recorded; scripted answers per endpoint, else 200. */
const calls: Call[] = [];
const script: Record<Kind, [number, object, Record<string, string>?][]> = { reply: [], push: [], loading: [], read: [], other: [] };
const kindOf = (path: string): Kind =>
  path === '/v2/bot/message/reply' ? 'reply' : path === '/v2/bot/message/push' ? 'push' : path === '/v2/bot/chat/loading/start' ? 'loading' : path === '/v2/bot/chat/markAsRead' ? 'read' : 'other';

function mockLine(): void {
  nock(LINE_API)
    .persist()
    .post(/.*/)
    .reply(function (path, requestBody) {
      const kind = kindOf(path);
      calls.push({ kind, body: requestBody, headers: this.req.headers as Call['headers'], at: Date.now() });
      const [status, json, headers] = script[kind].shift() ?? [200, kind === 'reply' || kind === 'push' ? { sentMessages: [{ id: '1', quoteToken: 'x' }] } : {}];
      return [status, json, { 'x-line-request-id': `req-${calls.length}`, ...(headers ?? {}) }];
    });
}
const of = (kind: Kind) => calls.filter((c) => c.kind === kind);
const texts = (c: Call) => (c.body.messages as { type: string; text?: string; altText?: string }[]).map((m) => m.text ?? m.altText ?? '');

let desk: TestDesk;
let dataDir: string;
const env = () => ({
  DATA_DIR: dataDir,
  LINE_CHANNEL_SECRET: SECRET,
  LINE_CHANNEL_ACCESS_TOKEN: ACCESS_TOKEN,
  LINE_LOADING_AFTER_MS: '60000',
});

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
  dataDir = tempDir();
  desk = await startTestDesk(env());
});
afterAll(async () => {
  await desk.stop();
  nock.cleanAll();
  nock.enableNetConnect();
});
beforeEach(() => {
  calls.length = 0;
  for (const k of Object.keys(script) as Kind[]) script[k].length = 0;
  mockLine();
});
afterEach(() => nock.cleanAll());

async function post(evs: object[], opts: { signature?: string | null; raw?: string } = {}) {
  const payload = opts.raw ?? body(evs);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (opts.signature !== null) headers['x-line-signature'] = opts.signature ?? sign(payload);
  const started = Date.now();
  const res = await fetch(`${desk.url}/webhooks/line`, { method: 'POST', headers, body: payload });
  return { status: res.status, json: (await res.json().catch(() => null)) as any, ms: Date.now() - started };
}
/** Posts and waits until the channel has processed everything. */
async function send(...evs: object[]) {
  const r = await post(evs);
  expect(r.status).toBe(200);
  await desk.line!.idle();
  return r;
}
const transcript = async (userId: string) => {
  const c = await desk.store.findConversation('line', userId);
  return c ? desk.store.listMessages(c.id, 0, 100) : [];
};

describe('LINE webhook: verification before anything else', () => {
  it('refuses a missing or wrong signature with 401 and processes nothing', async () => {
    const ev = events.text('こんにちは', { userId: 'Usig1' });
    expect((await post([ev], { signature: null })).status).toBe(401);
    const wrong = await post([ev], { signature: sign(body([ev]), 'another-secret') });
    expect(wrong.status).toBe(401);
    expect(wrong.json.error.code).toBe('bad_signature');
    await desk.line!.idle();
    expect(await transcript('Usig1')).toEqual([]);
    expect(calls).toEqual([]);
  });

  it('answers malformed JSON with 400, a body over 1 MB with 413, and GET with 405', async () => {
    const raw = '{"events": [';
    const bad = await post([], { raw, signature: sign(raw) });
    expect(bad.status).toBe(400);
    expect(bad.json.error.code).toBe('bad_json');
    const big = JSON.stringify({ events: [], pad: 'x'.repeat(1024 * 1024) });
    expect((await post([], { raw: big, signature: sign(big) })).status).toBe(413);
    expect((await fetch(`${desk.url}/webhooks/line`)).status).toBe(405);
  });

  it('answers the console\'s "verify" call (no events) with 200', async () => {
    expect((await post([])).status).toBe(200);
  });
});

describe('LINE events', () => {
  it('answers a text message by reply token, with a quick reply within LINE limits, then marks it read', async () => {
    const ev = events.text('パソコンに突然ウイルス感染の警告が出て、電話するよう言われています', { userId: 'Utext1', markAsReadToken: 'read-token-1' });
    const r = await send(ev);
    expect(r.ms).toBeLessThan(1000);
    expect(of('reply')).toHaveLength(1);
    const reply = of('reply')[0]!;
    expect(reply.body.replyToken).toBe(ev.replyToken);
    expect(reply.headers.authorization).toBe(`Bearer ${ACCESS_TOKEN}`);
    expect(reply.body.messages.length).toBeLessThanOrEqual(5);
    expect(texts(reply).join('\n')).toContain('偽の警告');
    const quick = reply.body.messages.at(-1).quickReply.items;
    expect(quick.map((i: any) => i.action.label)).toEqual(['詳しく', '解決した', '解決しない', '担当者に相談']);
    expect(quick[0].action).toMatchObject({ type: 'postback', data: 'fb:more', displayText: '詳しく' });
    expect(of('push')).toEqual([]);
    expect(of('read').map((c) => c.body)).toEqual([{ markAsReadToken: 'read-token-1' }]);
    const t = await transcript('Utext1');
    expect(t[0]).toMatchObject({ from: 'user', channelMessageId: ev.message.id });
  });

  it('does not answer a redelivered event twice', async () => {
    const ev = events.text('こんにちは', { userId: 'Uredeliver' });
    await send(ev);
    const again = { ...ev, deliveryContext: { isRedelivery: true } };
    await send(again);
    await send(ev);
    // Forgetting old ids keeps the recent ones: a redelivery after pruning is still recognised.
    await desk.line!.pruneSeen();
    await send(ev);
    expect(of('reply')).toHaveLength(1);
    expect((await transcript('Uredeliver')).filter((m) => m.from === 'user')).toHaveLength(1);
  });

  it('greets a new friend with the menu, takes postbacks as choices, and records an unfollow', async () => {
    await send(events.follow({ userId: 'Ufollow' }));
    const greeting = of('reply')[0]!;
    expect(texts(greeting)[0]).toMatch(/^こんにちは。セキュリティ相談窓口です。/);
    expect(greeting.body.messages.at(-1).quickReply.items.map((i: any) => i.action.label)).toEqual(['相談する', '自社診断', 'お助け隊サービス', '担当者と話す']);

    await send(events.postback('menu:consult', { userId: 'Ufollow' }));
    expect(texts(of('reply')[1]!)[0]).toMatch(/^どのようなことでお困りですか/);
    expect((await transcript('Ufollow')).find((m) => m.from === 'user')!.text).toBe('相談する');

    await send(events.unfollow({ userId: 'Ufollow' }));
    const t = await transcript('Ufollow');
    expect(t.at(-1)).toMatchObject({ from: 'system', text: '［利用者が LINE でこのアカウントをブロックしました。メッセージは届きません］' });
    const conversation = (await desk.store.findConversation('line', 'Ufollow'))!;
    expect((await desk.store.documents<DeliveryState>(LINE_DELIVERY).get(conversation.id))!.blocked).toBe(true);
    expect(of('reply')).toHaveLength(2);
    expect(of('push')).toHaveLength(0);
  });

  it('says it reads text when a sticker or an image comes, and keeps a line in the transcript', async () => {
    await send(events.sticker({ userId: 'Usticker' }));
    await send(events.image({ userId: 'Usticker' }));
    expect(of('reply').map((c) => texts(c)[0])).toEqual([
      '申し訳ありません。この窓口では文字のメッセージだけを読み取れます。ご相談の内容を文章で送ってください。',
      '申し訳ありません。この窓口では文字のメッセージだけを読み取れます。ご相談の内容を文章で送ってください。',
    ]);
    expect((await transcript('Usticker')).filter((m) => m.from === 'user').map((m) => m.text)).toEqual(['［スタンプ］', '［画像］']);
  });

  it('removes an unsent message from the transcript', async () => {
    const ev = events.text('うちの口座番号は 1234567 です', { userId: 'Uunsend', messageId: '555001' });
    await send(ev);
    await send(events.unsend('555001', { userId: 'Uunsend' }));
    const t = await transcript('Uunsend');
    expect(t[0]).toMatchObject({ from: 'user', text: '（送信者がこのメッセージを取り消しました）' });
    expect(JSON.stringify(t)).not.toContain('1234567');
  });

  it('explains in a group that the desk is for one-to-one chats', async () => {
    await send(events.join('Cgroup1'));
    expect(texts(of('reply')[0]!)[0]).toMatch(/^この相談窓口は、1対1のトークで/);
    await send({ ...events.text('グループでの質問です'), source: { type: 'group', groupId: 'Cgroup1', userId: 'Uingroup' } });
    expect(of('reply')).toHaveLength(1);
  });
});

describe('LINE diagnosis', () => {
  it('runs the self-diagnosis on quick replies and sends the result with a Flex card linking the report', async () => {
    const u = { userId: 'Udiagnosis' };
    await send(events.postback('menu:diagnosis', u));
    for (let i = 0; i < 4; i++) await send(events.postback('dg:skip', u));
    let last = of('reply').at(-1)!;
    expect(texts(last).at(-1)).toMatch(/^【1\/25】/);
    expect(last.body.messages.at(-1).quickReply.items.map((i: any) => i.action.label)).toEqual(['実施している', '一部実施している', '実施していない', 'わからない', '戻る']);
    for (let i = 0; i < 24; i++) await send(events.postback('dg:done', u));
    await send(events.text('一部やってます', u));
    last = of('reply').at(-1)!;
    expect(last.body.messages.length).toBeLessThanOrEqual(5);
    expect(texts(last)[0]).toMatch(/^自社診断の結果は 98点（100点満点）です。\n【ほぼできていますが、すき間があります】/);
    const flex = last.body.messages.find((m: any) => m.type === 'flex');
    expect(flex.altText).toMatch(/^自社診断レポート: 98点／100点/);
    const uri = flex.contents.footer.contents[0].action.uri as string;
    expect(uri).toMatch(/\/reports\/[A-Za-z0-9_-]{24}$/);
    expect((await fetch(uri)).status).toBe(200);
    expect(of('push')).toEqual([]);
  });
});

describe('LINE with an adviser', () => {
  it('stays silent while an adviser has the chat, pushes the adviser\'s words, and marks read only then', async () => {
    const u = { userId: 'Uadviser' };
    await desk.advisers.add({ org: 'default', email: 'line-adviser@example.jp', name: '佐藤', role: 'adviser', password: 'correct horse battery' });
    const adviser = new ConsoleClient(desk.url);
    await adviser.login('line-adviser@example.jp', 'correct horse battery');
    await send(events.postback('cmd:handoff', u));
    await send(events.postback('ho:yes', u));
    for (let i = 0; i < 3; i++) await send(events.text('スキップ', u));
    expect(texts(of('reply').at(-1)!).join('\n')).toMatch(/現在 1 番目です/);
    const [waiting] = (await adviser.get('/api/console/cases?status=waiting')).body.cases;
    calls.length = 0;

    await adviser.post(`/api/console/cases/${waiting.id}/claim`);
    await desk.line!.idle();
    expect(of('push').map((c) => texts(c)[0])).toEqual(['相談員の佐藤がおつなぎしました。ここからは相談員がお答えします。']);

    await send(events.text('請求書のメールのことです', { ...u, markAsReadToken: 'unread-1' }));
    expect(of('reply')).toEqual([]);
    expect(of('read')).toEqual([]); // nobody has answered yet

    await adviser.post(`/api/console/cases/${waiting.id}/messages`, { text: '確認します。少々お待ちください。' });
    await desk.line!.idle();
    expect(texts(of('push').at(-1)!)).toEqual(['確認します。少々お待ちください。']);
    expect(of('read').map((c) => c.body)).toEqual([{ markAsReadToken: 'unread-1' }]);
  });
});

describe('LINE delivery', () => {
  it('pushes when the reply token is too old, with a retry key', async () => {
    await send(events.text('こんにちは', { userId: 'Uold', timestamp: Date.now() - 120_000 }));
    expect(of('reply')).toEqual([]);
    const push = of('push')[0]!;
    expect(push.body.to).toBe('Uold');
    expect(push.headers['x-line-retry-key']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('falls back to push when LINE refuses the reply token', async () => {
    script.reply.push([400, { message: 'Invalid reply token' }]);
    await send(events.text('こんにちは', { userId: 'Urefused' }));
    expect(of('reply')).toHaveLength(1);
    expect(of('push')).toHaveLength(1);
    expect(texts(of('push')[0]!)[0]).toMatch(/^こんにちは。/);
  });

  it('retries a push on 429 and 500 with the same retry key, and counts a 409 as already sent', async () => {
    script.push.push([429, { message: 'The API rate limit has been exceeded. Try again later.' }], [500, { message: 'error' }], [409, { message: 'The retry key is already accepted' }, { 'x-line-accepted-request-id': 'req-accepted' }]);
    await send(events.text('こんにちは', { userId: 'Uretry', timestamp: Date.now() - 120_000 }));
    const pushes = of('push');
    expect(pushes).toHaveLength(3);
    expect(new Set(pushes.map((p) => p.headers['x-line-retry-key'])).size).toBe(1);
    expect(pushes[1]!.at - pushes[0]!.at).toBeGreaterThanOrEqual(200); // backoff
    const conversation = (await desk.store.findConversation('line', 'Uretry'))!;
    const state = (await desk.store.documents<DeliveryState>(LINE_DELIVERY).get(conversation.id))!;
    expect(state.undelivered).toEqual([]);
    expect(state.deliveredSeq).toBe(conversation.lastSeq);
  });

  it('reports the monthly quota clearly and keeps the messages as undelivered', async () => {
    script.push.push([429, { message: 'You have reached your monthly limit.' }]);
    await send(events.text('こんにちは', { userId: 'Uquota', timestamp: Date.now() - 120_000 }));
    expect(of('push')).toHaveLength(1); // not retried
    const conversation = (await desk.store.findConversation('line', 'Uquota'))!;
    const state = (await desk.store.documents<DeliveryState>(LINE_DELIVERY).get(conversation.id))!;
    expect(state.undelivered.map((u) => u.reason)).toEqual(['quota']);
    const bot = (await transcript('Uquota')).filter((m) => m.from === 'bot');
    expect(state.undelivered.map((u) => u.seq)).toEqual(bot.map((m) => m.seq));
    expect((await desk.store.documents<QuotaStatus>(LINE_STATUS).get('quota'))!.requestId).toBe(`req-${calls.length}`);
  });

  it('shows the loading animation when a turn takes longer than the configured time', async () => {
    const slow = await startTestDesk({ ...env(), DATA_DIR: tempDir(), LINE_LOADING_AFTER_MS: '0' });
    try {
      const payload = body([events.text('ランサムウェアって何？', { userId: 'Uloading' })]);
      const r = await fetch(`${slow.url}/webhooks/line`, { method: 'POST', headers: { 'x-line-signature': sign(payload) }, body: payload });
      expect(r.status).toBe(200);
      await slow.line!.idle();
      expect(of('loading').map((c) => c.body)).toEqual([{ chatId: 'Uloading', loadingSeconds: 20 }]);
      expect(of('loading')[0]!.at).toBeLessThanOrEqual(of('reply')[0]!.at);
    } finally {
      await slow.stop();
    }
  });

  it('after a crash between the turn and its push, pushes once with the stored retry key and does not redo the turn', async () => {
    const ev = events.text('こんにちは', { userId: 'Uhalf', timestamp: Date.now() - 120_000 });
    await send(ev);
    const conversation = (await desk.store.findConversation('line', 'Uhalf'))!;
    await desk.stop();
    // Put the files back as they were at the crash: the turn committed (its inbox record marked
    // handled), a push with this retry key under way, nothing confirmed delivered.
    const retryKey = '6f1c2f3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f';
    const store = new SqliteStore({ dataDir });
    await store.documents(LINE_INBOX).put(ev.webhookEventId, { event: ev, receivedAt: new Date().toISOString(), handled: true });
    await store.documents(LINE_DELIVERY).put(conversation.id, { deliveredSeq: 0, undelivered: [], pending: { retryKey, throughSeq: conversation.lastSeq } });
    await store.close();
    calls.length = 0;
    desk = await startTestDesk(env());
    await desk.line!.idle();
    expect(of('push').map((p) => p.headers['x-line-retry-key'])).toEqual([retryKey]);
    expect((await transcript('Uhalf')).filter((m) => m.from === 'user')).toHaveLength(1);
  });

  it('finishes, after a restart, events that were stored but not processed', async () => {
    const ev = events.text('こんにちは', { userId: 'Ucrash', timestamp: Date.now() - 5000 });
    // As if the desk had stored the event and died before processing it.
    await desk.store.documents(LINE_INBOX).put(ev.webhookEventId, { event: ev, receivedAt: new Date().toISOString() });
    await desk.stop();
    desk = await startTestDesk(env());
    await desk.line!.idle();
    expect(of('reply').map((c) => c.body.replyToken)).toEqual([ev.replyToken]);
    expect((await transcript('Ucrash')).filter((m) => m.from === 'user')).toHaveLength(1);
    expect(await desk.store.documents(LINE_INBOX).list(10)).toEqual([]);
  });
});
