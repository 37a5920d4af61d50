import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INCIDENTS, type IncidentRecord } from '../../dialogs/incident/record.js';
import { launchChromium } from '../helpers/browser.js';
import { startTestDesk, type TestDesk } from '../helpers/test-desk.js';

let desk: TestDesk;
let browser: Browser;
beforeAll(async () => {
  desk = await startTestDesk({ RATE_LIMIT_SESSION_PER_MIN: '1000' });
  await desk.advisers.add({ org: 'default', email: 'sato@example.jp', name: '佐藤', role: 'adviser', password: 'correct horse battery' });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await desk?.stop();
});

describe('the console with a triaged incident', () => {
  it('shows the severity, the answers and the referrals, and moves a referral on', async () => {
    const s = await desk.client.newSession();
    await desk.client.ask(s, '取引先を装ったメールの指示で、今朝100万円を振り込んでしまいました');
    await desk.client.press(s, 'start:triage');
    // The day and the transfer were in the message: not asked again.
    for (const answer of ['止まってます', 'ない', '社長だけ', 'どちらもない', '東京都']) await desk.client.ask(s, answer);
    await desk.client.press(s, 'cmd:handoff');
    await desk.client.ask(s, 'はい');
    await desk.client.ask(s, '03-1111-2222');

    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${desk.url}/console`);
    await page.getByLabel('メールアドレス').fill('sato@example.jp');
    await page.getByLabel('パスワード').fill('correct horse battery');
    await page.getByRole('button', { name: 'ログイン' }).click();
    await page.locator('#case-list button').first().click();
    const incident = page.locator('.incident');
    await expect.poll(() => incident.isVisible(), { timeout: 5000 }).toBe(true);
    await expect(incident.locator('.sev').innerText()).resolves.toBe('重大度 高');
    await expect(incident.locator('.incident-facts').innerText()).resolves.toContain('支払い: 振込');
    const bank = incident.locator('[data-referral="bank"]');
    await expect(bank.innerText()).resolves.toContain('振込に使った銀行');
    await incident.getByLabel('警察（東京都の最寄りの警察署、または #9110）の状況').selectOption('contacted');
    const conversation = (await desk.store.findConversation('web', s.id))!;
    const id = conversation.incidents!.at(-1)!.id;
    await expect
      .poll(async () => (await desk.store.documents<IncidentRecord>(INCIDENTS).get(id))!.referrals.find((r) => r.target === 'police')!.status, { timeout: 5000 })
      .toBe('contacted');
    await page.screenshot({ path: '/tmp/console-incident.png' });
    await page.close();
  }, 60_000);
});
