import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/browser.js';
import { startTestDesk, type TestDesk } from '../helpers/test-desk.js';
import { chatLog, openChat } from '../helpers/widget-page.js';

/** The widget in a real browser (see helpers/browser.ts). */

let desk: TestDesk;
let browser: Browser;
beforeAll(async () => {
  desk = await startTestDesk();
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await desk?.stop();
});

/** The widget's saved session, read inside the page. */
const storedSession = (): { sessionId?: string } => {
  const ls = (globalThis as any).localStorage;
  const key = Object.keys(ls).find((k) => k.startsWith('sme-desk:'));
  return key ? JSON.parse(ls.getItem(key)) : {};
};


describe('chat widget', () => {
  it('opens, sends a Japanese question with Enter, shows the answer and takes a choice', async () => {
    const page = await browser.newPage();
    await openChat(page, desk.url);
    await expect(page.locator('.log').getAttribute('aria-live')).resolves.toBe('polite');
    const input = page.getByLabel('メッセージ');
    await expect.poll(() => input.evaluate((el: any) => el === el.getRootNode().activeElement)).toBe(true); // focus in the box
    await input.fill('ブラウザに出る偽の警告って、どうして出るんですか？');
    await input.press('Enter');
    await expect.poll(() => chatLog(page), { timeout: 5000 }).toContain('【偽の警告画面・サポート詐欺】');
    await expect(input.inputValue()).resolves.toBe('');
    await page.getByRole('button', { name: '解決した' }).click();
    await expect.poll(() => chatLog(page), { timeout: 5000 }).toContain('お役に立ててよかったです');
    // Older choices are disabled once answered.
    await expect(page.getByRole('button', { name: '詳しく' }).isDisabled()).resolves.toBe(true);
    await page.close();
  });

  it('does not send while a Japanese IME composition is active', async () => {
    const page = await browser.newPage();
    await openChat(page, desk.url);
    const input = page.getByLabel('メッセージ');
    await input.fill('うぃるす');
    await input.evaluate((el: any) => el.dispatchEvent(new (globalThis as any).KeyboardEvent('keydown', { key: 'Enter', isComposing: true, bubbles: true, cancelable: true })));
    await page.waitForTimeout(300);
    await expect(input.inputValue()).resolves.toBe('うぃるす');
    await expect(page.locator('.msg.user').count()).resolves.toBe(0);
    await page.close();
  });

  it('keeps the conversation across a reload and delivers a message sent while offline', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await openChat(page, desk.url);
    const input = page.getByLabel('メッセージ');
    await input.fill('お助け隊サービスについて教えて');
    await input.press('Enter');
    await expect.poll(() => chatLog(page), { timeout: 5000 }).toContain('【サイバーセキュリティお助け隊サービス】');
    const session = await page.evaluate(storedSession);

    await page.reload();
    // The panel reopens by itself with the whole conversation, same session.
    await expect.poll(() => chatLog(page), { timeout: 5000 }).toContain('【サイバーセキュリティお助け隊サービス】');
    const after = await page.evaluate(storedSession);
    expect(after.sessionId).toBeTruthy();
    expect(after.sessionId).toBe(session.sessionId);
    const asked = await page.locator('.msg.user .bubble').allInnerTexts();
    expect(asked.filter((t) => t.includes('お助け隊サービスについて教えて'))).toHaveLength(1); // each message once

    await context.setOffline(true);
    await input.fill('ランサムウェアに感染したかもしれない');
    await input.press('Enter');
    await expect.poll(() => page.locator('.status').innerText(), { timeout: 5000 }).toMatch(/送信できませんでした|接続が切れました/);
    await context.setOffline(false);
    await expect.poll(() => chatLog(page), { timeout: 15000 }).toContain('ランサムウェア（ファイルの暗号化');
    const texts = await page.locator('.msg.user .bubble').allInnerTexts();
    expect(texts.filter((t) => t.includes('ランサムウェアに感染したかもしれない'))).toHaveLength(1);
    await context.close();
  });

  it('answers an emergency on a phone in one glance: tel and mail links, and its buttons in view without scrolling', async () => {
    const page = await browser.newPage({ viewport: { width: 375, height: 667 } });
    await openChat(page, desk.url);
    const input = page.getByLabel('メッセージ');
    await input.fill('脅迫メールの通りにビットコインを5万円分払ってしまいました');
    await input.press('Enter');
    const urgent = page.locator('.msg.bot').filter({ hasText: '【至急】' }).last();
    await expect.poll(() => urgent.count(), { timeout: 5000 }).toBe(1);
    // The number is a link that dials (# escaped), in the text and as the card's button.
    await expect(urgent.locator('.bubble a[href="tel:%239110"]').count()).resolves.toBe(1);
    await expect(urgent.locator('.card a[href="tel:%239110"]').count()).resolves.toBe(1);
    const person = urgent.getByRole('button', { name: '相談員に今すぐ相談' });
    const box = await person.boundingBox();
    expect(box).not.toBeNull();
    expect(box!.y + box!.height).toBeLessThanOrEqual(667);
    expect(box!.y).toBeGreaterThanOrEqual(0);
    // The other buttons follow it: triage, the remaining steps, details, contacts.
    await expect(urgent.locator('.choices button').allInnerTexts()).resolves.toEqual(['相談員に今すぐ相談', '状況を整理する', '次にすること', '詳しく', '連絡先']);

    await input.fill('それと、偽のサポートに電話して遠隔操作のソフトを入れてしまったこともあります');
    await input.press('Enter');
    const second = page.locator('.msg.bot').filter({ hasText: '遠隔操作' }).last();
    await expect.poll(() => second.locator('a[href="mailto:cs-support@ipa.go.jp"]').count(), { timeout: 5000 }).toBeGreaterThan(0);
    await page.screenshot({ path: '/tmp/widget-urgent.png' });
    await page.close();
  });

  it('answers an ordinary question on a phone in one glance, its buttons in view; a question for a contact gets links', async () => {
    const page = await browser.newPage({ viewport: { width: 375, height: 667 } });
    await openChat(page, desk.url);
    const input = page.getByLabel('メッセージ');
    await input.fill('お助け隊は月いくら？');
    await input.press('Enter');
    const answer = page.locator('.msg.bot').filter({ hasText: '【サイバーセキュリティお助け隊サービス】' }).last();
    await expect.poll(() => answer.count(), { timeout: 5000 }).toBe(1);
    await expect(answer.locator('.bubble').innerText()).resolves.toMatch(/月額1万円以下/);
    await expect(answer.locator('.choices button').allInnerTexts()).resolves.toEqual(['次にすること', '詳しく', '連絡先', '解決した', '解決しない', '担当者に相談']);
    const person = await answer.getByRole('button', { name: '担当者に相談' }).boundingBox();
    const top = await answer.boundingBox();
    expect(top!.y).toBeGreaterThanOrEqual(0);
    expect(person!.y + person!.height).toBeLessThanOrEqual(667);

    await input.fill('IPAの相談窓口の連絡先を教えて');
    await input.press('Enter');
    const contact = page.locator('.msg.bot').filter({ hasText: 'cs-support@ipa.go.jp' }).last();
    await expect.poll(() => contact.count(), { timeout: 5000 }).toBe(1);
    await expect(contact.locator('.bubble a[href="mailto:cs-support@ipa.go.jp"]').count()).resolves.toBe(1);
    await expect(contact.locator('.card a[href="mailto:cs-support@ipa.go.jp"]').count()).resolves.toBe(1);
    await page.screenshot({ path: '/tmp/widget-brief.png' });
    await page.close();
  });

  it('fills a phone screen', async () => {
    const page = await browser.newPage({ viewport: { width: 375, height: 667 } });
    await openChat(page, desk.url);
    const box = await page.locator('.panel').boundingBox();
    expect(box?.width).toBe(375);
    await page.getByRole('button', { name: 'チャットを閉じる' }).click();
    await expect(page.locator('.panel').isHidden()).resolves.toBe(true);
    await page.close();
  });
});
