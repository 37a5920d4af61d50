import Database from 'better-sqlite3';
import nock from 'nock';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/browser.js';
import { ACCESS_TOKEN, LINE_API, SECRET, body, events, sign } from '../helpers/line.js';
import { startTestDesk, type TestDesk } from '../helpers/test-desk.js';

/**
 * The console as an adviser of a desk on LINE sees it when the month's push quota is spent and
 * a message could not be processed: the banner, the warning before sending, the messages
 * waiting for the user's next message, the parked message and its retry.
 */
let desk: TestDesk;
let browser: Browser;
const pushes: any[] = [];
const replies: any[] = [];

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
  nock(LINE_API)
    .persist()
    .post('/v2/bot/message/push')
    .reply((_p, b) => (pushes.push(b), [429, { message: 'You have reached your monthly limit.' }]))
    .post('/v2/bot/message/reply')
    .reply((_p, b) => (replies.push(b), [200, { sentMessages: [] }]))
    .post(/.*/)
    .reply(200, {})
    .get('/v2/bot/message/quota')
    .reply(200, { type: 'limited', value: 200 })
    .get('/v2/bot/message/quota/consumption')
    .reply(200, { totalUsage: 200 })
    .get(/\/v2\/bot\/profile\/.*/)
    .reply(200, { displayName: 'みなと太郎' })
    .get('/v2/bot/info')
    .reply(200, { userId: 'Ubot', basicId: '@desk', displayName: '相談窓口', chatMode: 'chat', markAsReadMode: 'manual' });
  desk = await startTestDesk({ LINE_CHANNEL_SECRET: SECRET, LINE_CHANNEL_ACCESS_TOKEN: ACCESS_TOKEN, LINE_LOADING_AFTER_MS: '60000', LINE_RETRY_FIRST_MS: '10' });
  await desk.advisers.add({ org: 'default', email: 'line@example.jp', name: '佐藤', role: 'adviser', password: 'correct horse battery' });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await desk?.stop();
  nock.cleanAll();
  nock.enableNetConnect();
});

async function send(...evs: object[]) {
  const payload = body(evs);
  const r = await fetch(`${desk.url}/webhooks/line`, { method: 'POST', headers: { 'x-line-signature': sign(payload) }, body: payload });
  expect(r.status).toBe(200);
  await desk.line!.idle();
}

describe('the console for a desk on LINE', () => {
  it('shows the spent quota, warns before sending, marks waiting messages, and lets the adviser retry a parked message', async () => {
    const u = { userId: 'Ubrowser' };
    await send(events.postback('cmd:handoff', u));
    await send(events.postback('ho:yes', u));
    for (let i = 0; i < 3; i++) await send(events.text('スキップ', u));

    // A message the database refuses, again and again: parked for advisers.
    const refused = '社長のメールから請求書が大量に送られているようです';
    const db = new Database(join(desk.dataDir, 'desk.sqlite'));
    db.exec(`CREATE TRIGGER refuse BEFORE INSERT ON messages WHEN json_extract(NEW.doc, '$.text') = '${refused}' BEGIN SELECT RAISE(ABORT, 'simulated'); END`);
    await send(events.text(refused, { userId: 'Uparked2' }));

    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.goto(`${desk.url}/console`);
    await page.getByLabel('メールアドレス').fill('line@example.jp');
    await page.getByLabel('パスワード').fill('correct horse battery');
    await page.getByRole('button', { name: 'ログイン' }).click();

    await expect.poll(() => page.locator('#quota').innerText(), { timeout: 5000 }).toContain('上限に達しています（200／200 通）');
    const parked = page.locator('#parked');
    await expect.poll(() => parked.innerText(), { timeout: 5000 }).toContain(refused);

    // The parked message, retried once the database takes it again.
    db.exec('DROP TRIGGER refuse');
    db.close();
    await parked.getByRole('button', { name: 'もう一度処理する' }).click();
    await expect.poll(() => parked.isHidden(), { timeout: 5000 }).toBe(true);
    await desk.line!.idle();
    const conversation = await desk.store.findConversation('line', 'Uparked2');
    expect((await desk.store.listMessages(conversation!.id, 0, 10)).map((m) => m.text)).toContain(refused);

    // The case: claimed; the claim notice is refused for the quota and waits.
    await page.locator('#case-list button', { hasText: '相談' }).first().click();
    await page.getByRole('button', { name: '担当する' }).click();
    await desk.line!.idle();
    await expect.poll(() => page.locator('.case-meta').innerText(), { timeout: 5000 }).toContain('LINE の表示名: みなと太郎');
    await expect.poll(() => page.locator('.reply-warning').innerText(), { timeout: 5000 }).toContain('利用者が次にメッセージを送ったときに届きます');
    // Opened again after the notice was tried: it is marked as waiting for the user.
    await page.locator('#case-list button').first().click();
    await expect.poll(() => page.locator('.transcript .held').count(), { timeout: 5000 }).toBe(1);
    await expect(page.locator('.transcript .held').innerText()).resolves.toContain('送信待ち');

    // Sending asks first, then the message waits too.
    let asked = '';
    page.once('dialog', (d) => {
      asked = d.message();
      void d.accept();
    });
    await page.getByLabel('利用者へのメッセージ').fill('確認しますので、少しお待ちください。');
    await page.getByRole('button', { name: '送信' }).click();
    await expect.poll(() => asked, { timeout: 5000 }).toContain('送信上限に達しています');
    await desk.line!.idle();
    await expect.poll(() => page.locator('.transcript .held').count(), { timeout: 5000 }).toBe(2);

    // The user writes: the waiting messages go out with the reply, for free.
    replies.length = 0;
    await send(events.text('よろしくお願いします', u));
    expect(replies).toHaveLength(1);
    expect(replies[0].messages.map((m: any) => m.text)).toEqual(['相談員の佐藤がおつなぎしました。ここからは相談員がお答えします。', '確認しますので、少しお待ちください。']);
    await page.screenshot({ path: '/tmp/console-line.png' });
    await context.close();
  }, 60_000);
});
