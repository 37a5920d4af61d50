import Database from 'better-sqlite3';
import nock from 'nock';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LINE_DELIVERY, LINE_OUTBOX, type DeliveryState } from '../../adapters/line/line-delivery.js';
import { LINE_INBOX, LINE_PARKED } from '../../adapters/line/line-inbox.js';
import { LINE_STATUS, type QuotaStatus } from '../../adapters/line/line-quota.js';
import { SqliteStore } from '../../adapters/sqlite/sqlite-store.js';
import { captureLog } from '../helpers/capture-log.js';
import { ConsoleClient } from '../helpers/console-client.js';
import { ACCESS_TOKEN, LINE_API, LINE_DATA_API, SECRET, body, events, sign } from '../helpers/line.js';
import { renderScreens } from '../helpers/screens.js';
import { startTestDesk, tempDir, type TestDesk } from '../helpers/test-desk.js';

type Kind = 'reply' | 'push' | 'loading' | 'read' | 'leave' | 'quota' | 'consumption' | 'profile' | 'info' | 'other';
interface Call {
  kind: Kind;
  path: string;
  body: any;
  headers: Record<string, string | string[] | undefined>;
  at: number;
}

/** LINE's Messaging API on nock: every call recorded; scripted answers per endpoint, else LINE's documented success. */
const calls: Call[] = [];
const script: Record<Kind, [number, object, Record<string, string>?][]> = {
  reply: [], push: [], loading: [], read: [], leave: [], quota: [], consumption: [], profile: [], info: [], other: [],
};
/** Users LINE answers 404 for on the profile API (they blocked the account). */
const noProfile = new Set<string>();
let quotaUsed = 12;
const kindOf = (path: string): Kind =>
  path === '/v2/bot/message/reply' ? 'reply'
  : path === '/v2/bot/message/push' ? 'push'
  : path === '/v2/bot/chat/loading/start' ? 'loading'
  : path === '/v2/bot/chat/markAsRead' ? 'read'
  : /^\/v2\/bot\/(group|room)\/[^/]+\/leave$/.test(path) ? 'leave'
  : path === '/v2/bot/message/quota' ? 'quota'
  : path === '/v2/bot/message/quota/consumption' ? 'consumption'
  : path.startsWith('/v2/bot/profile/') ? 'profile'
  : path === '/v2/bot/info' ? 'info'
  : 'other';

function success(kind: Kind, path: string): [number, object] {
  switch (kind) {
    case 'reply':
    case 'push':
      return [200, { sentMessages: [{ id: '1', quoteToken: 'x' }] }];
    case 'quota':
      return [200, { type: 'limited', value: 200 }];
    case 'consumption':
      return [200, { totalUsage: quotaUsed }];
    case 'profile': {
      const userId = path.split('/').at(-1)!;
      return noProfile.has(userId) ? [404, { message: 'Not found' }] : [200, { userId, displayName: `表示名-${userId}`, language: 'ja' }];
    }
    case 'info':
      return [200, { userId: 'Ubot', basicId: '@123abcde', displayName: '相談窓口', chatMode: 'chat', markAsReadMode: 'manual' }];
    default:
      return [200, {}];
  }
}

function mockLine(): void {
  const answer = function (this: { req: { headers: object } }, path: string, requestBody: unknown) {
    const kind = kindOf(path.split('?')[0]!);
    calls.push({ kind, path, body: requestBody, headers: this.req.headers as Call['headers'], at: Date.now() });
    const [status, json, headers] = script[kind].shift() ?? success(kind, path);
    return [status, json, { 'x-line-request-id': `req-${calls.length}`, ...(headers ?? {}) }] as [number, object, Record<string, string>];
  };
  nock(LINE_API).persist().post(/.*/).reply(answer).get(/.*/).reply(answer);
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
  // A failed turn is retried after 20, 40, 80 … ms (7 tries, about 2.5 s), then parked.
  LINE_RETRY_FIRST_MS: '20',
});

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
  await renderScreens(); // Chromium renders them before nock intercepts the network
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
  noProfile.clear();
  quotaUsed = 12;
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
    expect(calls.filter((c) => c.kind !== 'info')).toEqual([]);
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
    expect(quick.map((i: any) => i.action.label)).toEqual(['次にすること', '詳しく', '連絡先', '解決した', '解決しない', '担当者に相談']);
    expect(quick[1].action).toMatchObject({ type: 'postback', data: 'detail:fake-alert', displayText: '詳しく' });
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

  it('answers a sticker with a friendly line and the menu, a video with a polite line, and keeps both in the transcript', async () => {
    await send(events.sticker({ userId: 'Usticker' }));
    await send(events.video({ userId: 'Usticker' }));
    const [sticker, video] = of('reply');
    expect(texts(sticker!)[0]).toBe('スタンプありがとうございます。ご相談があれば、そのまま文章で送ってください。');
    expect(texts(sticker!).join('')).not.toMatch(/申し訳/);
    expect(sticker!.body.messages.at(-1).quickReply.items.map((i: any) => i.action.label)).toEqual(['相談する', '自社診断', 'お助け隊サービス', '担当者と話す']);
    expect(texts(video!)[0]).toMatch(/^動画はこの窓口では見ることができません（送っていただいたことは相談員にも伝わります）/);
    expect((await transcript('Usticker')).filter((m) => m.from === 'user').map((m) => m.text)).toEqual(['［スタンプ］', '［動画］']);
  });

  it('fetches an image at once, reads it, and answers with the free reply token, quoting the number on a fake warning', async () => {
    const screens = await renderScreens();
    nock(LINE_DATA_API).get('/v2/bot/message/777001/content').reply(200, screens.fakeWarning, { 'content-type': 'image/png' });
    await send(events.image({ userId: 'Uimage', messageId: '777001' }));
    expect(of('push')).toEqual([]);
    const reply = texts(of('reply')[0]!).join('\n');
    expect(reply).toMatch(/表示されている 050-5812-3746 には電話しないでください/);
    const [user] = (await transcript('Uimage')).filter((m) => m.from === 'user');
    expect(user).toMatchObject({ text: '［画像］', attachments: [expect.objectContaining({ id: 'line-777001', mime: 'image/png' })] });
    const stored = (await desk.store.attachmentInfo('line-777001'))!;
    expect(stored.ref.read?.text).toMatch(/050-5812-3746/);
    // LINE redelivers: the same file is not stored twice.
    expect(await desk.store.getAttachment('line-777001')).not.toBeNull();
  }, 30_000);

  it('reads a ransom note, a phishing SMS and a fake login page sent on LINE, and answers each on its own path', async () => {
    const screens = await renderScreens();
    const cases: [Buffer, string, RegExp][] = [
      [screens.ransomNote, '778001', /【至急】ランサムウェアの被害/],
      [screens.sms, '778002', /フィッシング[\s\S]*delivery-check\.top/],
      [screens.loginPage, '778003', /フィッシング[\s\S]*secure-verify\.com/],
    ];
    for (const [image, id, answer] of cases) {
      nock(LINE_DATA_API).get(`/v2/bot/message/${id}/content`).reply(200, image);
      await send(events.image({ userId: `Ushot${id}`, messageId: id }));
      expect(texts(of('reply').at(-1)!).join('\n')).toMatch(answer);
    }
    expect(of('push')).toEqual([]);
  }, 30_000);

  it('keeps a PDF file for advisers, and refuses a program sent as a file with a clear line', async () => {
    nock(LINE_DATA_API).get('/v2/bot/message/777002/content').reply(200, Buffer.from('%PDF-1.4\n%%EOF\n'));
    await send(events.file('見積書.pdf', { userId: 'Ufile', messageId: '777002' }));
    expect(texts(of('reply')[0]!)[0]).toMatch(/^PDF を受け取りました/);
    nock(LINE_DATA_API).get('/v2/bot/message/777003/content').reply(200, Buffer.concat([Buffer.from('MZ'), Buffer.alloc(100)]));
    await send(events.file('invoice.pdf.exe', { userId: 'Ufile', messageId: '777003' }));
    expect(texts(of('reply')[1]!)[0]).toMatch(/^このファイルは受け取れない形式でした/);
    expect((await transcript('Ufile')).filter((m) => m.from === 'user').map((m) => m.text)).toEqual(['［PDF］', '［ファイル（受け取れない形式）］']);
  });

  it('removes an unsent message from the transcript', async () => {
    const ev = events.text('うちの口座番号は 1234567 です', { userId: 'Uunsend', messageId: '555001' });
    await send(ev);
    await send(events.unsend('555001', { userId: 'Uunsend' }));
    const t = await transcript('Uunsend');
    expect(t[0]).toMatchObject({ from: 'user', text: '（送信者がこのメッセージを取り消しました）' });
    expect(JSON.stringify(t)).not.toContain('1234567');
  });

  it('explains in a group or a room that the desk is one-to-one, then leaves it', async () => {
    await send(events.join('Cgroup1'));
    expect(texts(of('reply')[0]!)[0]).toMatch(/^この相談窓口は、1対1のトークで/);
    expect(of('leave').map((c) => c.path)).toEqual(['/v2/bot/group/Cgroup1/leave']);
    expect(of('leave')[0]!.at).toBeGreaterThanOrEqual(of('reply')[0]!.at);
    await send({ ...events.join('Rroom1'), source: { type: 'room', roomId: 'Rroom1' } });
    expect(of('leave').map((c) => c.path)).toEqual(['/v2/bot/group/Cgroup1/leave', '/v2/bot/room/Rroom1/leave']);
    // Talk in a group the desk is still in (added before this version): explained and left, never answered as a consultation.
    await send({ ...events.text('グループでの質問です'), source: { type: 'group', groupId: 'Cgroup2', userId: 'Uingroup' } });
    expect(texts(of('reply')[2]!)[0]).toMatch(/^この相談窓口は、1対1のトークで/);
    expect(of('leave').at(-1)!.path).toBe('/v2/bot/group/Cgroup2/leave');
    expect(await transcript('Uingroup')).toEqual([]);
  });
});

describe('LINE emergencies', () => {
  it('answers in one message that fits one glance, with the contact as a Flex call button and a person first', async () => {
    await send(events.text('脅迫メールの通りに、ビットコインを5万円分払ってしまいました', { userId: 'Uurgent' }));
    const reply = of('reply')[0]!;
    const [first, flex] = reply.body.messages;
    expect(first.text).toMatch(/^【至急】/);
    expect(first.text.length).toBeLessThanOrEqual(300);
    expect(flex.type).toBe('flex');
    expect(flex.contents.footer.contents[0].action).toMatchObject({ type: 'uri', uri: 'tel:%239110' });
    expect(flex.quickReply.items.map((i: any) => i.action.label)).toEqual(['相談員に今すぐ相談', '状況を整理する', '次にすること', '詳しく', '連絡先']);
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
    expect(texts(last)[0]).toBe('「一部実施している」として記録しました（「戻る」で訂正できます）。');
    expect(texts(last)[1]).toMatch(/^自社診断の結果は 98点（100点満点）です。\n【ほぼできていますが、すき間があります】/);
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

    // A sticker while the adviser has the chat: the bot stays quiet, the adviser sees it.
    await send(events.sticker(u));
    expect(of('reply')).toEqual([]);
    const detail = (await adviser.get(`/api/console/cases/${waiting.id}`)).body;
    expect(detail.transcript.at(-1)).toMatchObject({ from: 'user', text: '［スタンプ］' });
    expect(detail.userName).toBe('表示名-Uadviser');
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

  it('keeps messages LINE refused for the monthly quota and sends them with the user\'s next reply', async () => {
    script.push.push([429, { message: 'You have reached your monthly limit.' }]);
    await send(events.text('こんにちは', { userId: 'Uquota', timestamp: Date.now() - 120_000 }));
    expect(of('push')).toHaveLength(1); // not retried
    const conversation = (await desk.store.findConversation('line', 'Uquota'))!;
    let state = (await desk.store.documents<DeliveryState>(LINE_DELIVERY).get(conversation.id))!;
    expect(state.undelivered).toEqual([]);
    expect(state.heldSince).toBeDefined();
    const greeting = (await transcript('Uquota')).filter((m) => m.from === 'bot');
    expect(state.deliveredSeq).toBeLessThan(greeting[0]!.seq);
    expect((await desk.store.documents<QuotaStatus>(LINE_STATUS).get('quota'))!.requestId).toBe(`req-${calls.indexOf(of('push')[0]!) + 1}`);

    // The user writes again: the held greeting goes out first, by the free reply token, then the new answer.
    await send(events.text('ランサムウェアとは何ですか', { userId: 'Uquota' }));
    expect(of('push')).toHaveLength(1);
    const reply = of('reply')[0]!;
    expect(texts(reply)[0]).toBe(greeting[0]!.text);
    expect(texts(reply).join('\n')).toContain('ランサムウェア');
    state = (await desk.store.documents<DeliveryState>(LINE_DELIVERY).get(conversation.id))!;
    expect(state.heldSince).toBeUndefined();
    expect(state.deliveredSeq).toBe((await desk.store.findConversation('line', 'Uquota'))!.lastSeq);
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
    // Put the files back as they were at the crash: the turn committed (the event out of the
    // inbox, its outbox entry written), a push with this retry key under way, nothing confirmed.
    const retryKey = '6f1c2f3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f';
    const store = new SqliteStore({ dataDir });
    await store.documents(LINE_OUTBOX).put('Uhalf', { eventAt: ev.timestamp, replyToken: ev.replyToken });
    await store.documents(LINE_DELIVERY).put(conversation.id, { deliveredSeq: 0, undelivered: [], pending: { retryKey, throughSeq: conversation.lastSeq } });
    await store.close();
    calls.length = 0;
    desk = await startTestDesk(env());
    await desk.line!.idle();
    expect(of('push').map((p) => p.headers['x-line-retry-key'])).toEqual([retryKey]);
    expect(of('reply')).toEqual([]); // the token is too old
    expect((await transcript('Uhalf')).filter((m) => m.from === 'user')).toHaveLength(1);
    expect(await desk.store.documents(LINE_OUTBOX).get('Uhalf')).toBeNull();
  });

  it('finishes, after a restart, events that were stored but not processed, in each user\'s order', async () => {
    const now = Date.now();
    const first = events.text('こんにちは', { userId: 'Ucrash', timestamp: now - 5000 });
    const second = events.text('ありがとう', { userId: 'Ucrash', timestamp: now - 4000 });
    // As if the desk had stored the events and died before processing them; the later one was
    // written first, so only LINE's timestamps give the order.
    await desk.store.documents(LINE_INBOX).put(second.webhookEventId, { event: second, receivedAt: new Date(now - 3000).toISOString() });
    await desk.store.documents(LINE_INBOX).put(first.webhookEventId, { event: first, receivedAt: new Date(now - 3000).toISOString() });
    await desk.stop();
    desk = await startTestDesk(env());
    await desk.line!.idle();
    expect(of('reply').map((c) => c.body.replyToken)).toEqual([first.replyToken, second.replyToken]);
    expect((await transcript('Ucrash')).filter((m) => m.from === 'user').map((m) => m.text)).toEqual(['こんにちは', 'ありがとう']);
    expect(await desk.store.documents(LINE_INBOX).list(10)).toEqual([]);
  });

  it('delivers an event an older version left marked handled, without running its turn again', async () => {
    const ev = events.text('こんにちは', { userId: 'Ulegacy', timestamp: Date.now() - 120_000 });
    await send(ev);
    const conversation = (await desk.store.findConversation('line', 'Ulegacy'))!;
    await desk.store.documents(LINE_DELIVERY).put(conversation.id, { deliveredSeq: 0, undelivered: [] });
    await desk.store.documents(LINE_INBOX).put(ev.webhookEventId, { event: ev, receivedAt: new Date().toISOString(), handled: true });
    await desk.stop();
    calls.length = 0;
    desk = await startTestDesk(env());
    await desk.line!.idle();
    expect(of('push')).toHaveLength(1);
    expect((await transcript('Ulegacy')).filter((m) => m.from === 'user')).toHaveLength(1);
    expect(await desk.store.documents(LINE_INBOX).list(10)).toEqual([]);
  });
});

/** Makes the database itself refuse the turn that stores this text (a real write failure, not a stub). */
function refuseTurnsWith(text: string): { release(): void } {
  const db = new Database(join(dataDir, 'desk.sqlite'));
  const name = `refuse_${Math.random().toString(36).slice(2)}`;
  db.exec(`CREATE TRIGGER ${name} BEFORE INSERT ON messages WHEN json_extract(NEW.doc, '$.text') = '${text}'
           BEGIN SELECT RAISE(ABORT, 'simulated: the database refused the write'); END`);
  return {
    release() {
      db.exec(`DROP TRIGGER ${name}`);
      db.close();
    },
  };
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function adviserFor(email: string): Promise<ConsoleClient> {
  await desk.advisers.add({ org: 'default', email, name: '山田', role: 'adviser', password: 'correct horse battery' });
  const adviser = new ConsoleClient(desk.url);
  await adviser.login(email, 'correct horse battery');
  return adviser;
}

/** The user asks for a person and skips the intake questions; returns their case id. */
async function queueFor(userId: string, adviser: ConsoleClient): Promise<string> {
  const u = { userId };
  await send(events.postback('cmd:handoff', u));
  await send(events.postback('ho:yes', u));
  for (let i = 0; i < 3; i++) await send(events.text('スキップ', u));
  const conversation = (await desk.store.findConversation('line', userId))!;
  const cases = (await adviser.get('/api/console/cases?status=waiting')).body.cases as { id: string; conversationId: string }[];
  return cases.find((c) => c.conversationId === conversation.id)!.id;
}

describe('LINE: an event answered 200 is never lost', () => {
  it('answers, exactly once, a message whose turn failed while the database refused it, and drops a redelivery meanwhile', async () => {
    const text = '請求書のファイルを開いたら画面が変になりました';
    const refusal = refuseTurnsWith(text);
    const ev = events.text(text, { userId: 'Ufailonce' });
    expect((await post([ev])).status).toBe(200);
    await sleep(100); // the first tries fail
    expect(of('reply')).toEqual([]);
    expect(await desk.store.documents(LINE_INBOX).get(ev.webhookEventId)).not.toBeNull();
    expect((await post([{ ...ev, deliveryContext: { isRedelivery: true } }])).status).toBe(200);
    refusal.release();
    await desk.line!.idle();
    expect(of('reply')).toHaveLength(1);
    expect(texts(of('reply')[0]!).join('\n')).toMatch(/添付|ファイル|ウイルス/);
    expect((await transcript('Ufailonce')).filter((m) => m.from === 'user').map((m) => m.text)).toEqual([text]);
    expect(await desk.store.documents(LINE_INBOX).list(10)).toEqual([]);
  });

  it('stores the seen mark only with the inbox record: when the inbox write fails, LINE\'s redelivery is answered', async () => {
    const db = new Database(join(dataDir, 'desk.sqlite'));
    db.exec(`CREATE TRIGGER refuse_inbox BEFORE INSERT ON documents WHEN NEW.collection = 'line-inbox'
             BEGIN SELECT RAISE(ABORT, 'simulated: disk full'); END`);
    const ev = events.text('こんにちは', { userId: 'Uinboxfail' });
    const first = await post([ev]);
    expect(first.status).toBe(500); // nothing acknowledged: LINE redelivers
    db.exec('DROP TRIGGER refuse_inbox');
    db.close();
    await send({ ...ev, deliveryContext: { isRedelivery: true } });
    expect(of('reply')).toHaveLength(1);
    expect((await transcript('Uinboxfail')).filter((m) => m.from === 'user')).toHaveLength(1);
  });

  it('keeps a later message of the same user behind the failing one, so the order holds', async () => {
    const text = '社内のパソコンの動きが急に重くなりました';
    const refusal = refuseTurnsWith(text);
    const now = Date.now();
    await post([events.text(text, { userId: 'Uorder', timestamp: now - 10 }), events.text('ありがとうございます', { userId: 'Uorder', timestamp: now })]);
    await sleep(100);
    expect(await transcript('Uorder')).toEqual([]);
    refusal.release();
    await desk.line!.idle();
    expect((await transcript('Uorder')).filter((m) => m.from === 'user').map((m) => m.text)).toEqual([text, 'ありがとうございます']);
  });

  it('parks a message whose turn keeps failing, shows it to advisers with its text, and answers it when they retry', async () => {
    const text = '取引先から不審なメールが届いたと連絡がありました';
    const refusal = refuseTurnsWith(text);
    const ev = events.text(text, { userId: 'Uparked' });
    const other = events.text(text, { userId: 'Uparked2' });
    expect((await post([ev, other])).status).toBe(200);
    await desk.line!.idle(); // seven tries, then parked
    expect(of('reply')).toEqual([]);
    expect(await desk.store.documents(LINE_INBOX).get(ev.webhookEventId)).toBeNull();
    expect(await desk.store.documents(LINE_PARKED).get(ev.webhookEventId)).not.toBeNull();

    const adviser = await adviserFor('parked@example.jp');
    expect((await adviser.get('/api/console/status')).body.line.parked).toBe(2);
    const list = (await adviser.get('/api/console/line/parked')).body.events;
    const parked = list.find((p: any) => p.userId === 'Uparked');
    expect(parked).toMatchObject({ id: ev.webhookEventId, text, attempts: 8 });
    expect(parked.error).toMatch(/refused the write/);
    // The other one the adviser handles by phone: dismissed, and the audit log keeps that.
    expect((await adviser.post(`/api/console/line/parked/${other.webhookEventId}/dismiss`)).status).toBe(200);
    expect(await desk.store.documents(LINE_PARKED).get(other.webhookEventId)).toBeNull();

    refusal.release();
    expect((await adviser.post(`/api/console/line/parked/${parked.id}/retry`)).status).toBe(200);
    await desk.line!.idle();
    expect(of('reply')).toHaveLength(1);
    expect((await transcript('Uparked')).filter((m) => m.from === 'user').map((m) => m.text)).toEqual([text]);
    expect((await adviser.get('/api/console/line/parked')).body.events).toEqual([]);
    expect((await adviser.post(`/api/console/line/parked/${parked.id}/retry`)).status).toBe(404);
  });
});

describe('LINE: nothing is sent twice', () => {
  it('does not push a reply whose outcome is unknown (500, then "Invalid reply token"); advisers see the mark and can resend', async () => {
    script.reply.push([500, { message: 'An error occurred.' }], [400, { message: 'Invalid reply token' }]);
    await send(events.text('こんにちは', { userId: 'Uunknown' }));
    expect(of('reply')).toHaveLength(2);
    expect(of('push')).toEqual([]);
    const conversation = (await desk.store.findConversation('line', 'Uunknown'))!;
    const state = (await desk.store.documents<DeliveryState>(LINE_DELIVERY).get(conversation.id))!;
    const greeting = (await transcript('Uunknown')).filter((m) => m.from === 'bot');
    expect(state.undelivered.map((u) => [u.seq, u.reason])).toEqual(greeting.map((m) => [m.seq, 'unknown']));

    const adviser = await adviserFor('resend@example.jp');
    const caseId = await queueFor('Uunknown', adviser);
    await adviser.post(`/api/console/cases/${caseId}/claim`);
    await desk.line!.idle();
    const detail = (await adviser.get(`/api/console/cases/${caseId}`)).body;
    expect(detail.undelivered.map((u: any) => u.reason)).toEqual(greeting.map(() => 'unknown'));
    calls.length = 0;
    const r = await adviser.post(`/api/console/cases/${caseId}/resend`, { seqs: greeting.map((m) => m.seq) });
    expect(r.status).toBe(200);
    expect(of('push')).toHaveLength(1);
    expect(texts(of('push')[0]!)[0]).toBe(greeting[0]!.text);
    expect((await adviser.get(`/api/console/cases/${caseId}`)).body.undelivered).toEqual([]);
    expect((await adviser.post(`/api/console/cases/${caseId}/resend`, { seqs: greeting.map((m) => m.seq) })).status).toBe(409);
    expect((await adviser.post(`/api/console/cases/${caseId}/resend`, { seqs: 'all' })).status).toBe(400);
  });
});

describe('LINE: the monthly push quota', () => {
  it('does not push queue-position changes; the user hears the new place with the next reply', async () => {
    const adviser = await adviserFor('positions@example.jp');
    const first = await queueFor('Upos1', adviser);
    await queueFor('Upos2', adviser);
    const waiting = (await adviser.get('/api/console/cases?status=waiting')).body.cases as { id: string; position: number; conversationId: string }[];
    const second = (await desk.store.findConversation('line', 'Upos2'))!;
    const before = waiting.find((c) => c.conversationId === second.id)!.position;
    calls.length = 0;
    await adviser.post(`/api/console/cases/${first}/claim`);
    await desk.line!.idle();
    // One push: the claim notice to the user whose case was taken. None to the one who moved up.
    expect(of('push').map((c) => c.body.to)).toEqual(['Upos1']);
    await send(events.text('まだでしょうか', { userId: 'Upos2' }));
    expect(texts(of('reply')[0]!).join('\n')).toContain(`現在 ${before - 1} 番目です`);
    // Told once: the next answer does not repeat it.
    await send(events.text('ありがとう', { userId: 'Upos2' }));
    expect(texts(of('reply')[1]!).join('\n')).not.toContain('番目');
  });

  it('shows advisers the month\'s quota, and that it is spent after LINE refuses a push', async () => {
    const adviser = await adviserFor('quota@example.jp');
    let status = (await adviser.get('/api/console/status')).body.line;
    expect(status.quota).toMatchObject({ plan: 'limited', limit: 200 });
    expect(['ok', 'low', 'exhausted']).toContain(status.quota.state);
    script.push.push([429, { message: 'You have reached your monthly limit.' }]);
    await send(events.text('こんにちは', { userId: 'Uquota2', timestamp: Date.now() - 120_000 }));
    quotaUsed = 200;
    status = (await adviser.get('/api/console/status')).body.line;
    expect(status.quota).toMatchObject({ state: 'exhausted', plan: 'limited', limit: 200, used: 200, remaining: 0 });
    expect(status.quota.exhaustedAt).toBeDefined();
  });
});

describe('LINE: the account\'s settings', () => {
  it('warns at start-up when chat is off in LINE Official Account Manager', async () => {
    script.info.push([200, { userId: 'Ubot', basicId: '@123abcde', displayName: '相談窓口', chatMode: 'bot', markAsReadMode: 'auto' }]);
    const log = captureLog();
    const other = await startTestDesk({ ...env(), DATA_DIR: tempDir() }, log);
    try {
      await other.line!.idle();
      const warning = log.lines.find((l) => l.level === 'warn' && /チャットが「オフ」/.test(l.msg ?? ''));
      expect(warning?.obj).toMatchObject({ chatMode: 'bot', markAsReadMode: 'auto' });
    } finally {
      await other.stop();
    }
  });

  it('reads display names for advisers and copes with users LINE will not describe', async () => {
    noProfile.add('Unoprofile');
    await send(events.text('こんにちは', { userId: 'Unoprofile' }));
    await send(events.text('こんにちは', { userId: 'Uprofile' }));
    await desk.line!.idle();
    expect(await desk.line!.profiles.nameOf('Uprofile')).toBe('表示名-Uprofile');
    expect(await desk.line!.profiles.nameOf('Unoprofile')).toBeUndefined();
    // Read once, not on every message.
    await send(events.text('もう一度', { userId: 'Uprofile' }));
    await desk.line!.idle();
    expect(of('profile').filter((c) => c.path.endsWith('/Uprofile'))).toHaveLength(1);
  });
});
