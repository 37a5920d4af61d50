import { writeFileSync } from 'node:fs';
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



describe('diagnosis in the widget, and its report', () => {
  it('runs the diagnosis with buttons and opens a printable report with the chart, plan and draft policy', async () => {
    const page = await browser.newPage();
    await openChat(page, desk.url);
    await clickAndWait(page, '自社診断', '会社名（屋号）を教えてください。');
    const input = page.getByLabel('メッセージ');
    await input.fill('株式会社テスト&<商事>');
    await input.press('Enter');
    await expect.poll(() => chatLog(page), { timeout: 5000 }).toContain('所在地の都道府県');
    await clickAndWait(page, 'スキップ', '業種を選んでください');
    await clickAndWait(page, 'スキップ', '従業員は何人くらいですか');
    await clickAndWait(page, 'スキップ', '【1/25】');
    // Part 1 all in place, part 2 partly, part 3 not: 20 + 26 + 0 = 46 points.
    for (let no = 1; no <= 25; no++) {
      const answer = no <= 5 ? '実施している' : no <= 18 ? '一部実施している' : '実施していない';
      await clickAndWait(page, answer, no < 25 ? `【${no + 1}/25】` : '自社診断の結果は');
    }
    await expect.poll(() => chatLog(page), { timeout: 5000 }).toContain('自社診断の結果は 46点（100点満点）です。');

    const [report] = await Promise.all([page.context().waitForEvent('page'), page.getByRole('link', { name: 'レポートを開く' }).click()]);
    await report.waitForLoadState();
    expect(report.url()).toMatch(/\/reports\/[A-Za-z0-9_-]{24}$/);
    await expect(report.getByTestId('total').innerText()).resolves.toBe('46点');
    await expect(report.locator('h1').innerText()).resolves.toBe('情報セキュリティ自社診断 レポート');
    // The company name is shown as text, not markup.
    await expect(report.locator('.meta').innerText()).resolves.toContain('株式会社テスト&<商事>');
    // The chart: one bar per part, each as wide as its share of the maximum.
    const bars = await report.locator('svg g[data-part]').evaluateAll((gs) =>
      gs.map((g) => {
        const [track, bar] = [...g.querySelectorAll('rect')];
        return Number(bar!.getAttribute('width')) / Number(track!.getAttribute('width'));
      }),
    );
    expect(bars.map((b) => b.toFixed(2))).toEqual(['1.00', '0.50', '0.00']);
    await expect(report.locator('.plan > li').count()).resolves.toBe(20);
    await expect(report.getByTestId('policy').innerText()).resolves.toContain('株式会社テスト&<商事>は、');
    await expect(report.getByRole('button', { name: '印刷する' }).isVisible()).resolves.toBe(true);
    // It prints: Chromium renders it to a multi-page PDF.
    const pdf = await report.pdf({ format: 'A4' });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    await report.screenshot({ path: '/tmp/report-page.png', fullPage: false });
    writeFileSync('/tmp/report-page.pdf', pdf);
  }, 60_000);
});
