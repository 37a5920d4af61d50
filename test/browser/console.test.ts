import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/browser.js';
import { startTestDesk, type TestDesk } from '../helpers/test-desk.js';
import { chatLog, openChat } from '../helpers/widget-page.js';

let desk: TestDesk;
let browser: Browser;
beforeAll(async () => {
  desk = await startTestDesk();
  await desk.advisers.add({ org: 'default', email: 'sato@example.jp', name: '佐藤', role: 'admin', password: 'correct horse battery' });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await desk?.stop();
});

/** Within one second, as the issue asks of both directions. */
const soon = { timeout: 1000, interval: 50 };

async function userClicks(page: Page, label: string): Promise<void> {
  await page.getByRole('button', { name: label, exact: true }).last().click();
}

describe('hand-off in the browser: a user in the widget, an adviser in the console', () => {
  it('queues, claims, exchanges messages both ways within a second, and returns the chat to the bot', async () => {
    // Two separate browsers' worth of state: the user and the adviser share nothing.
    const userContext = await browser.newContext();
    const adviserContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const user = await userContext.newPage();
    const adviser = await adviserContext.newPage();

    await openChat(user, desk.url);
    const input = user.getByLabel('メッセージ');
    await input.fill('取引先を名乗るメールで振込先の変更を頼まれました');
    await input.press('Enter');
    await expect.poll(() => chatLog(user), { timeout: 5000 }).toContain('【ビジネスメール詐欺');
    await userClicks(user, '担当者に相談');
    await expect.poll(() => chatLog(user), { timeout: 5000 }).toContain('相談員が読んでもよいですか');
    await userClicks(user, 'はい、見せてよい');
    await expect.poll(() => chatLog(user), { timeout: 5000 }).toContain('会社名（屋号）を教えてください。');
    await input.fill('有限会社みなと印刷');
    await input.press('Enter');
    await expect.poll(() => chatLog(user), { timeout: 5000 }).toContain('都道府県を教えてください');
    await userClicks(user, 'スキップ');
    await expect.poll(() => chatLog(user), { timeout: 5000 }).toContain('ご連絡先');
    await userClicks(user, 'スキップ');
    await expect.poll(() => chatLog(user), { timeout: 5000 }).toContain('現在 1 番目です');

    // The adviser logs in and sees the case waiting.
    await adviser.goto(`${desk.url}/console`);
    await adviser.getByLabel('メールアドレス').fill('sato@example.jp');
    await adviser.getByLabel('パスワード').fill('correct horse battery');
    await adviser.getByRole('button', { name: 'ログイン' }).click();
    const item = adviser.locator('#case-list button', { hasText: '有限会社みなと印刷' });
    await expect.poll(() => item.count(), { timeout: 5000 }).toBe(1);
    await item.click();
    await expect.poll(() => adviser.locator('.summary').innerText(), { timeout: 5000 }).toContain('取引先を名乗るメールで振込先の変更を頼まれました');
    await expect(adviser.locator('.summary').innerText()).resolves.not.toContain('はい、見せてよい'); // intake answers are not "what happened"
    await adviser.getByRole('button', { name: '担当する' }).click();
    await expect.poll(() => chatLog(user), soon).toContain('相談員の佐藤がおつなぎしました');

    // User → adviser, live.
    await input.fill('振込はまだしていません');
    await input.press('Enter');
    await expect.poll(() => adviser.locator('.transcript').innerText(), soon).toContain('振込はまだしていません');

    // Adviser → user, live, with an answer from the knowledge base inserted and edited.
    await adviser.getByLabel('知識ベースの検索語').fill('ビジネスメール詐欺');
    await adviser.getByRole('button', { name: '検索' }).click();
    await adviser.getByRole('button', { name: '挿入' }).first().click();
    const reply = adviser.getByLabel('利用者へのメッセージ');
    await expect.poll(() => reply.inputValue(), { timeout: 5000 }).toMatch(/^【/);
    await reply.fill('振込前でよかったです。取引先には、いつもの電話番号で確認してください。');
    await adviser.getByRole('button', { name: '送信' }).click();
    await expect.poll(() => chatLog(user), soon).toContain('振込前でよかったです。取引先には、いつもの電話番号で確認してください。');
    await expect(user.locator('.adviser .who').last().innerText()).resolves.toBe('相談員 佐藤');

    // Back to the bot: it says so, and answers the next question itself.
    adviser.once('dialog', (d) => void d.accept());
    await adviser.getByRole('button', { name: 'ボットに戻す' }).click();
    await expect.poll(() => chatLog(user), soon).toContain('ボットの案内に戻りました');
    await input.fill('パスワードは何文字以上にすればいいですか？');
    await input.press('Enter');
    await expect.poll(() => chatLog(user), { timeout: 5000 }).toContain('【パスワード管理・多要素認証】');
    await expect.poll(() => adviser.locator('.case-meta').innerText(), { timeout: 5000 }).toContain('ボットに戻した');

    await adviser.setViewportSize({ width: 820, height: 1180 }); // a tablet
    await adviser.screenshot({ path: '/tmp/console-tablet.png' });
    await userContext.close();
    await adviserContext.close();
  }, 60_000);
});
