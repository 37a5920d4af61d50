import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/browser.js';
import { renderScreens } from '../helpers/screens.js';
import { startTestDesk, type TestDesk } from '../helpers/test-desk.js';
import { chatLog, openChat } from '../helpers/widget-page.js';

let desk: TestDesk;
let browser: Browser;
let screens: Awaited<ReturnType<typeof renderScreens>>;
beforeAll(async () => {
  screens = await renderScreens();
  desk = await startTestDesk({ RATE_LIMIT_SESSION_PER_MIN: '1000' });
  await desk.advisers.add({ org: 'default', email: 'img@example.jp', name: '佐藤', role: 'adviser', password: 'correct horse battery' });
  browser = await launchChromium();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await desk?.stop();
});


describe('screenshots in the widget and the console', () => {
  it('attaches a screenshot with a preview, shows its thumbnail (also after a reload), and the adviser sees it with the text read', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await openChat(page, desk.url);

    // Wrong type and too big: refused in Japanese before anything is sent.
    await page.locator('.file-input').setInputFiles({ name: 'memo.txt', mimeType: 'text/plain', buffer: Buffer.from('hello') });
    await expect.poll(() => page.locator('.status').innerText()).toContain('送れるのは画像（PNG・JPEG・GIF・WebP）と PDF だけです。');
    await page.locator('.file-input').setInputFiles({ name: 'big.png', mimeType: 'image/png', buffer: Buffer.alloc(11 * 1024 * 1024) });
    await expect.poll(() => page.locator('.status').innerText()).toContain('ファイルが大きすぎます（10 MB まで）');

    // The preview can be cancelled.
    await page.locator('.file-input').setInputFiles({ name: 'warning.png', mimeType: 'image/png', buffer: screens.fakeWarning });
    await expect(page.locator('.preview').isVisible()).resolves.toBe(true);
    await page.getByRole('button', { name: 'やめる' }).click();
    await expect(page.locator('.preview').isHidden()).resolves.toBe(true);

    await page.getByLabel('メッセージ').fill('この画面が消えません');
    await page.locator('.file-input').setInputFiles({ name: 'warning.png', mimeType: 'image/png', buffer: screens.fakeWarning });
    await expect.poll(() => page.locator('.preview .name').innerText()).toMatch(/warning\.png.*入力中の文も一緒に送ります/);
    await page.getByRole('button', { name: '送る', exact: true }).click();
    await expect.poll(() => chatLog(page), { timeout: 15000 }).toContain('表示されている 050-5812-3746 には電話しないでください');
    await expect.poll(() => page.locator('.msg.user .thumb img').evaluate((img: any) => img.naturalWidth), { timeout: 5000 }).toBeGreaterThan(0);
    await expect(page.locator('.msg.user .bubble').last().innerText()).resolves.toContain('この画面が消えません');

    await page.reload();
    await expect.poll(() => page.locator('.msg.user .thumb img').evaluate((img: any) => img.naturalWidth), { timeout: 5000 }).toBeGreaterThan(0);

    // The adviser opens the conversation: the thumbnail, a link to the full image, the text read.
    const adviser = await context.newPage();
    await adviser.goto(`${desk.url}/console`);
    await adviser.getByLabel('メールアドレス').fill('img@example.jp');
    await adviser.getByLabel('パスワード').fill('correct horse battery');
    await adviser.getByRole('button', { name: 'ログイン' }).click();
    await adviser.getByRole('tab', { name: /最近の会話/ }).click();
    await adviser.getByRole('button', { name: 'この会話に入る' }).first().click();
    const shot = adviser.locator('.transcript .attachment').first();
    await expect.poll(() => shot.locator('img').evaluate((img: any) => img.naturalWidth), { timeout: 5000 }).toBeGreaterThan(0);
    await expect(shot.locator('.read').innerText()).resolves.toMatch(/機械が読み取った文字[\s\S]*050-5812-3746/);
    const href = await shot.locator('a').getAttribute('href');
    const full = await adviser.request.get(`${desk.url}${href}`);
    expect(full.headers()['content-type']).toBe('image/png');
    await adviser.screenshot({ path: '/tmp/console-attachment.png' });
    await context.close();
  }, 60_000);
});
