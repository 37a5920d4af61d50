import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Case } from '../../bot/cases.js';
import type { StoredMessage } from '../../bot/types.js';
import { ConsoleClient } from '../helpers/console-client.js';
import { startTestDesk, tempDir, type TestDesk } from '../helpers/test-desk.js';
import { SseReader, type Session } from '../helpers/web-client.js';

/**
 * The console API against a whole desk: two chambers (orgs), advisers in each, users on the web
 * widget's API asking for a person.
 */
let desk: TestDesk;
const PASSWORD = 'correct horse battery';
const ids: Record<string, string> = {};

beforeAll(async () => {
  const dir = tempDir();
  const orgsFile = join(dir, 'orgs.json');
  writeFileSync(
    orgsFile,
    JSON.stringify([
      { id: 'minato', name: 'みなと商工会議所 相談窓口', allowedOrigins: [] },
      { id: 'kita', name: 'きた商工会 相談窓口', allowedOrigins: [] },
    ]),
  );
  desk = await startTestDesk({ ORGS_FILE: orgsFile, RATE_LIMIT_SESSION_PER_MIN: '1000' });
  const add = async (key: string, org: string, email: string, name: string, role: 'adviser' | 'admin') =>
    (ids[key] = (await desk.advisers.add({ org, email, name, role, password: PASSWORD })).id);
  await add('sato', 'minato', 'sato@minato.example.jp', '佐藤', 'admin');
  await add('suzuki', 'minato', 'suzuki@minato.example.jp', '鈴木', 'adviser');
  await add('tanaka', 'kita', 'tanaka@kita.example.jp', '田中', 'adviser');
  await add('locked', 'minato', 'lock@minato.example.jp', '試験', 'adviser');
});
afterAll(() => desk.stop());

async function adviser(email: string): Promise<ConsoleClient> {
  const c = new ConsoleClient(desk.url);
  expect((await c.login(email, PASSWORD)).status).toBe(200);
  return c;
}

/** A web user of `org` who asks for a person and goes through the intake. */
async function userInLine(org: string, question: string): Promise<Session> {
  const s = await desk.client.newSession(org);
  await desk.client.ask(s, question);
  await desk.client.ask(s, '担当者と話したい');
  await desk.client.ask(s, 'はい');
  await desk.client.ask(s, '有限会社みなと印刷');
  await desk.client.ask(s, '東京');
  await desk.client.ask(s, 'スキップ');
  return s;
}

const caseOf = async (c: ConsoleClient, status: string) => (await c.get(`/api/console/cases?status=${status}`)).body.cases as (Case & { position?: number })[];
const lastBot = async (s: Session) => (await desk.client.history(s)).filter((m) => m.from === 'bot').at(-1)!;

describe('console login', () => {
  it('sets an HttpOnly, SameSite cookie and returns the CSRF token; logout ends the session', async () => {
    const c = new ConsoleClient(desk.url);
    const r = await c.login('SATO@minato.example.jp', PASSWORD);
    expect(r.body.adviser).toEqual({ id: ids.sato, org: 'minato', email: 'sato@minato.example.jp', name: '佐藤', role: 'admin' });
    expect(r.headers.get('set-cookie')).toMatch(/^desk_console=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=36000$/);
    expect(r.body.csrfToken.length).toBeGreaterThanOrEqual(32);
    expect((await c.get('/api/console/me')).body.adviser.name).toBe('佐藤');
    expect((await c.post('/api/console/logout')).status).toBe(200);
    const after = await c.get('/api/console/me');
    expect(after.status).toBe(401);
    expect(after.body.error.message).toBe('ログインしてください。');
  });

  it('says the same for a wrong password and an unknown address, and locks after five failures', async () => {
    const c = new ConsoleClient(desk.url);
    const unknown = await c.login('nobody@minato.example.jp', PASSWORD);
    const wrong = await c.login('lock@minato.example.jp', 'wrong password!!');
    expect([unknown.status, wrong.status]).toEqual([401, 401]);
    expect(unknown.body.error.message).toBe(wrong.body.error.message);
    for (let i = 0; i < 4; i++) await c.login('lock@minato.example.jp', 'wrong password!!');
    const locked = await c.login('lock@minato.example.jp', PASSWORD);
    expect(locked.status).toBe(423);
    expect(locked.body.error.message).toMatch(/一時的にロックされています。15 分ほどたってから/);
  });

  it('refuses changes without the CSRF token or from another origin, and requests without a session', async () => {
    const c = await adviser('suzuki@minato.example.jp');
    const missing = await c.request('POST', '/api/console/cases/x/claim', {}, { csrf: null });
    expect(missing.status).toBe(403);
    expect(missing.body.error.code).toBe('csrf');
    expect((await c.request('POST', '/api/console/cases/x/claim', {}, { csrf: 'forged' })).status).toBe(403);
    expect((await c.request('POST', '/api/console/cases/x/claim', {}, { origin: 'https://evil.example' })).body.error.code).toBe('bad_origin');
    expect((await new ConsoleClient(desk.url).get('/api/console/cases')).status).toBe(401);
    expect((await c.request('POST', '/api/console/cases/x/notes', undefined)).status).toBe(404);
  });
});

describe('the hand-off from queue to close', () => {
  let a: Session;
  let b: Session;
  let caseA: Case;
  let caseB: Case;
  let sato: ConsoleClient;
  let suzuki: ConsoleClient;

  it('queues requests in order and tells each user their place', async () => {
    sato = await adviser('sato@minato.example.jp');
    suzuki = await adviser('suzuki@minato.example.jp');
    a = await userInLine('minato', '取引先を名乗るメールで振込先の変更を頼まれました');
    expect((await lastBot(a)).text).toMatch(/担当者へのおつなぎを受け付けました。現在 1 番目です。/);
    b = await userInLine('minato', 'パスワードの決め方を相談したい');
    expect((await lastBot(b)).text).toMatch(/現在 2 番目です。/);
    const waiting = await caseOf(sato, 'waiting');
    expect(waiting.map((c) => c.position)).toEqual([1, 2]);
    [caseA, caseB] = waiting as [Case, Case];
    expect(caseA.intake).toEqual({ consent: true, company: '有限会社みなと印刷', prefecture: '東京都' });
    expect(caseA.summary.userSaid).toContain('取引先を名乗るメールで振込先の変更を頼まれました');
    expect(caseA.summary.topicTitle).toBeTruthy();
  });

  it('puts an urgent request first', async () => {
    const u = await desk.client.newSession('minato');
    const r = await desk.client.ask(u, '今朝から共有フォルダのファイルが全部暗号化されて開けない。身代金を要求するファイルも置かれてる');
    expect(r.map((m) => m.text).join('\n')).toContain('【至急】');
    await desk.client.press(u, 'cmd:handoff');
    await desk.client.ask(u, 'はい');
    expect((await lastBot(u)).text).toMatch(/^チャットが途中で切れたときのご連絡先/); // urgent: consent and contact only
    await desk.client.ask(u, '03-1234-5678');
    expect((await lastBot(u)).text).toMatch(/現在 1 番目です。/);
    const waiting = await caseOf(sato, 'waiting');
    expect(waiting[0]).toMatchObject({ priority: 'urgent', reason: 'urgent', intake: { contact: '03-1234-5678' } });
    // The two already waiting are told they moved back.
    await expect.poll(async () => (await lastBot(b)).text).toBe('お待たせしています。現在 3 番目です。');
    // Clear it so the rest of the story is about a and b.
    expect((await sato.post(`/api/console/cases/${waiting[0]!.id}/close`, { outcome: 'referred' })).status).toBe(200);
    await expect.poll(async () => (await lastBot(b)).text).toBe('順番が進みました。現在 2 番目です。もうしばらくお待ちください。');
  });

  it('claims: the user sees a person join, the next in line moves up, the bot falls silent', async () => {
    const stream = new SseReader(`${desk.url}/api/console/events`, { cookie: sato.cookie });
    const r = await sato.post(`/api/console/cases/${caseA.id}/claim`);
    expect(r.status).toBe(200);
    expect(r.body.case).toMatchObject({ status: 'active', adviserId: ids.sato, adviserName: '佐藤' });
    expect((await lastBot(a)).text).toBe('相談員の佐藤がおつなぎしました。ここからは相談員がお答えします。');
    await expect.poll(async () => (await lastBot(b)).text).toBe('順番が進みました。現在 1 番目です。もうしばらくお待ちください。');

    // While active the bot says nothing, whatever the user writes; the adviser sees it live.
    const seq = await desk.client.say(a, 'ランサムウェアって何ですか？');
    const after = await desk.client.messages(a, seq - 1);
    expect(after.map((m) => m.from)).toEqual(['user']);
    await expect.poll(() => stream.events.some((e) => e.data.includes('"ランサムウェアって何ですか？"'))).toBe(true);
    const live = JSON.parse(stream.events.find((e) => e.data.includes('ランサムウェアって何ですか？'))!.data);
    expect(live).toMatchObject({ caseId: caseA.id, messages: [{ from: 'user', text: 'ランサムウェアって何ですか？' }] });
    stream.close();

    expect((await sato.post(`/api/console/cases/${caseA.id}/claim`)).status).toBe(409);
    expect((await sato.post(`/api/console/cases/${caseA.id}/claim`)).body.error.message).toBe('この相談は「対応中」のため、この操作はできません。');
  });

  it('sends the adviser\'s messages to the user, with their name, and keeps notes internal', async () => {
    const r = await sato.post(`/api/console/cases/${caseA.id}/messages`, { text: 'お電話でも確認できます。振込はまだですか？' });
    expect(r.status).toBe(201);
    const seen = (await desk.client.history(a)).at(-1)!;
    expect(seen).toMatchObject({ from: 'adviser', author: '佐藤', text: 'お電話でも確認できます。振込はまだですか？' });
    // Only the adviser in charge (or an admin) may write in the chat.
    const other = await suzuki.post(`/api/console/cases/${caseA.id}/messages`, { text: '割り込み' });
    expect(other.status).toBe(409);
    expect(other.body.error.message).toBe('この相談は佐藤さんが担当しています。');
    expect((await sato.post(`/api/console/cases/${caseA.id}/messages`, { text: '   ' })).status).toBe(400);

    expect((await sato.post(`/api/console/cases/${caseA.id}/notes`, { text: '振込前。経理担当に電話で確認予定' })).status).toBe(201);
    const detail = (await sato.get(`/api/console/cases/${caseA.id}`)).body;
    expect(detail.case.notes.map((n: { text: string }) => n.text)).toEqual(['振込前。経理担当に電話で確認予定']);
    expect(JSON.stringify(await desk.client.history(a))).not.toContain('経理担当に電話で確認予定');
    expect(detail.transcript.map((m: StoredMessage) => m.from)).toContain('bot'); // bot turns are in the transcript
  });

  it('transfers within the org only, and returns the chat to the bot, which answers again', async () => {
    expect((await sato.post(`/api/console/cases/${caseA.id}/transfer`, { adviserId: ids.tanaka })).status).toBe(404);
    const t = await sato.post(`/api/console/cases/${caseA.id}/transfer`, { adviserId: ids.suzuki });
    expect(t.body.case).toMatchObject({ adviserId: ids.suzuki, adviserName: '鈴木' });
    expect((await lastBot(a)).text).toBe('担当の相談員が鈴木に代わりました。');

    const back = await suzuki.post(`/api/console/cases/${caseA.id}/return`);
    expect(back.body.case.status).toBe('returned');
    expect((await lastBot(a)).text).toMatch(/^相談員との会話を終え、ボットの案内に戻りました。/);
    const answer = await desk.client.ask(a, 'ランサムウェアって何ですか？');
    expect(answer[0]!.text).toMatch(/^【/);
    expect((await suzuki.post(`/api/console/cases/${caseA.id}/return`)).status).toBe(409);
  });

  it('closes with an outcome and asks the user how it went', async () => {
    await suzuki.post(`/api/console/cases/${caseB.id}/claim`);
    expect((await suzuki.post(`/api/console/cases/${caseB.id}/close`, { outcome: 'maybe' })).status).toBe(400);
    const closed = await suzuki.post(`/api/console/cases/${caseB.id}/close`, { outcome: 'advised' });
    expect(closed.body.case).toMatchObject({ status: 'closed', outcome: 'advised' });
    const ask = await lastBot(b);
    expect(ask.text).toMatch(/^ご相談ありがとうございました。今回の対応はいかがでしたか？/);
    expect(ask.choices?.map((c) => c.label)).toEqual(['5 とても満足', '4 満足', '3 ふつう', '2 不満', '1 とても不満']);
    const thanks = await desk.client.ask(b, '4');
    expect(thanks[0]!.text).toBe('ご回答ありがとうございました。またいつでもご相談ください。');
    const detail = (await suzuki.get(`/api/console/cases/${caseB.id}`)).body;
    expect(detail.case.satisfaction).toBe(4);
    expect((await caseOf(suzuki, 'closed')).map((c) => c.id)).toEqual(expect.arrayContaining([caseA.id, caseB.id]));
  });

  it('lets the user withdraw while waiting', async () => {
    const u = await userInLine('minato', 'SNSの乗っ取りについて');
    const id = (await caseOf(sato, 'waiting')).at(-1)!.id;
    const r = await desk.client.ask(u, 'キャンセル');
    expect(r[0]!.text).toMatch(/取り消しました/);
    const detail = (await sato.get(`/api/console/cases/${id}`)).body;
    expect(detail.case).toMatchObject({ status: 'closed', outcome: 'withdrawn' });
    expect((await sato.post(`/api/console/cases/${id}/claim`)).status).toBe(409);
  });

  it('keeps orgs apart: another chamber\'s adviser sees nothing and gets 404', async () => {
    const tanaka = await adviser('tanaka@kita.example.jp');
    expect(await caseOf(tanaka, 'closed')).toEqual([]);
    expect((await tanaka.get(`/api/console/cases/${caseA.id}`)).status).toBe(404);
    expect((await tanaka.post(`/api/console/cases/${caseB.id}/notes`, { text: 'x' })).status).toBe(404);
    const u = await userInLine('kita', 'ウイルスに感染したかも');
    expect((await caseOf(tanaka, 'waiting')).map((c) => c.org)).toEqual(['kita']);
    expect((await caseOf(sato, 'waiting')).some((c) => c.org === 'kita')).toBe(false);
    expect((await lastBot(u)).text).toMatch(/現在 1 番目です。/);
  });

  it('keeps an audit log of who viewed, claimed, sent, transferred, returned and closed, for admins', async () => {
    const log = (await sato.get('/api/console/audit')).body.entries as { action: string; adviserName: string; caseId?: string }[];
    const onA = log.filter((e) => e.caseId === caseA.id).map((e) => `${e.adviserName}:${e.action}`).reverse();
    expect(onA).toEqual(expect.arrayContaining(['佐藤:claim', '佐藤:send', '佐藤:note', '佐藤:view', '佐藤:transfer', '鈴木:return']));
    expect(log.some((e) => e.action === 'close' && e.caseId === caseB.id)).toBe(true);
    expect(log.some((e) => e.action === 'login-failed')).toBe(true);
    expect((await suzuki.get('/api/console/audit')).status).toBe(403);
  });

  it('lets an adviser step into a conversation nobody asked about', async () => {
    const u = await desk.client.newSession('minato');
    await desk.client.ask(u, '偽の警告画面が出て電話してしまいました');
    const recent = (await suzuki.get('/api/console/conversations')).body.conversations as { id: string; lastUserText?: string; caseId?: string }[];
    const mine = recent.find((c) => c.lastUserText === '偽の警告画面が出て電話してしまいました')!;
    expect(mine.caseId).toBeUndefined();
    const picked = await suzuki.post(`/api/console/conversations/${mine.id}/pickup`);
    expect(picked.status).toBe(201);
    expect(picked.body.case).toMatchObject({ status: 'active', reason: 'adviser', adviserName: '鈴木' });
    expect((await lastBot(u)).text).toBe('相談員の鈴木が、このチャットに加わりました。ここからは相談員がお答えします。');
    expect((await suzuki.post(`/api/console/conversations/${mine.id}/pickup`)).status).toBe(409);
    const tanaka = await adviser('tanaka@kita.example.jp');
    expect((await tanaka.post(`/api/console/conversations/${mine.id}/pickup`)).status).toBe(404);
    expect((await tanaka.get('/api/console/conversations')).body.conversations.some((c: { id: string }) => c.id === mine.id)).toBe(false);
  });

  it('finds knowledge to insert into a reply', async () => {
    const r = (await sato.get(`/api/console/knowledge?q=${encodeURIComponent('偽の警告画面 電話番号')}`)).body.entries;
    expect(r[0].id).toBe('fake-alert');
    expect(r[0].text).toMatch(/^【偽の警告画面/);
  });
});
