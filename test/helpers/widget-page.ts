import type { Page } from 'playwright-core';
import { expect } from 'vitest';

/** The chat widget in a browser page, as the browser tests drive it. */

/** Everything the chat log shows, as text. */
export const chatLog = (page: Page): Promise<string> => page.locator('.log').innerText();

/** Opens the desk's demo page, opens the widget and waits for the greeting. */
export async function openChat(page: Page, deskUrl: string): Promise<void> {
  await page.goto(`${deskUrl}/`);
  await page.getByRole('button', { name: 'セキュリティ相談' }).click();
  await expect.poll(() => chatLog(page), { timeout: 5000 }).toContain('こんにちは。セキュリティ相談窓口です。');
}

/** Clicks the newest button with this label and waits for the chat to move on. */
export async function clickAndWait(page: Page, label: string, next: string | RegExp): Promise<void> {
  await page.getByRole('button', { name: label, exact: true }).last().click();
  await expect.poll(() => chatLog(page), { timeout: 5000 }).toMatch(next);
}
