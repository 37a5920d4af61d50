import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/browser.js';
import { startTestDesk, type TestDesk } from '../helpers/test-desk.js';
import { chatLog, openChat, clickAndWait } from '../helpers/widget-page.js';

let desk: TestDesk;
let browser: Browser;
beforeAll(async () => {
  desk = await startTestDesk({ RATE_LIMIT_SESSION_PER_MIN: '1000' });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await desk?.stop();
});



describe('an incident in the widget, and its sheet', () => {
  it('triages with buttons and opens a printable, copyable sheet that shows the user\'s words as text', async () => {
    const page = await browser.newPage();
    await openChat(page, desk.url);
    const input = page.getByLabel('メッセージ');
    // Hostile text in the report: it must come back as text on the sheet.
    await input.fill('顧客名簿のエクセルを間違えて別の取引先にメールで送ってしまいました <img src=x onerror=alert(1)>');
    await input.press('Enter');
    await expect.poll(() => chatLog(page), { timeout: 5000 }).toContain('【至急】個人情報が漏れた');
    await clickAndWait(page, '状況を整理する', '情報は今も外から見られる状態ですか');
    await clickAndWait(page, '止まっている', 'いつ気づきましたか');
    await clickAndWait(page, '今日', '個人情報');
    await clickAndWait(page, 'ある', '何人分');
    await clickAndWait(page, '100人以下', 'どんな情報');
    await clickAndWait(page, '氏名・連絡先など', '誰かに伝えましたか');
    await clickAndWait(page, '社長・責任者', 'お助け隊サービスの契約');
    await clickAndWait(page, 'どちらもない', '都道府県');
    await input.fill('大阪');
    await input.press('Enter');
    await expect.poll(() => chatLog(page), { timeout: 5000 }).toContain('「インシデント連絡シート」を作りました');
    expect(await chatLog(page)).toMatch(/重大度は「中」です/);
    expect(await chatLog(page)).toMatch(/個人情報保護委員会への報告: 聞いた範囲では報告が義務になる4つの場合に当たりません/);

    const [sheet] = await Promise.all([page.context().waitForEvent('page'), page.getByRole('link', { name: 'シートを開く' }).last().click()]);
    await sheet.waitForLoadState();
    expect(sheet.url()).toMatch(/\/incidents\/[A-Za-z0-9_-]{24}$/);
    await expect(sheet.locator('h1').innerText()).resolves.toBe('インシデント連絡シート');
    await expect(sheet.getByTestId('said').innerText()).resolves.toContain('<img src=x onerror=alert(1)>');
    await expect(sheet.locator('img').count()).resolves.toBe(0);
    await expect(sheet.getByTestId('severity').innerText()).resolves.toBe('中');
    const facts = await sheet.getByTestId('facts').innerText();
    expect(facts).toContain('人数: 100人以下');
    expect(facts).toContain('所在地: 大阪府');
    // Few people, basic data, no wrongful intent: the commission's duty does not apply; the sheet says why.
    await expect(sheet.locator('.referral[data-target="ppc"]').count()).resolves.toBe(0);
    await expect(sheet.getByTestId('ppc').innerText()).resolves.toMatch(/^不要/);
    await expect(sheet.locator('#sheet-text').inputValue()).resolves.toContain('【重大度】中');
    await sheet.getByRole('button', { name: 'テキストをコピー' }).click();
    await expect.poll(() => sheet.locator('#copied').innerText()).toBe('コピーしました');
    const pdf = await sheet.pdf({ format: 'A4' });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    await sheet.screenshot({ path: '/tmp/incident-sheet.png', fullPage: true });
  }, 60_000);
});
