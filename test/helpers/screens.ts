import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../../bot/project-root.js';
import { launchChromium } from './browser.js';

/** The screenshots the tests send: rendered in Chromium from HTML the team wrote (test/fixtures/screens). */
export const SCREENS = {
  fakeWarning: { file: 'fake-warning.html', width: 1280, height: 800 },
  ransomNote: { file: 'ransom-note.html', width: 1280, height: 800 },
  sms: { file: 'sms.html', width: 390, height: 400 },
  loginPage: { file: 'login-page.html', width: 1280, height: 800 },
} as const;

const cacheDir = join(tmpdir(), 'desk-test-screens');

/** PNG screenshots of the fixtures, rendered once per machine (kept in the temp dir). */
export async function renderScreens(): Promise<Record<keyof typeof SCREENS, Buffer>> {
  mkdirSync(cacheDir, { recursive: true });
  const out = {} as Record<keyof typeof SCREENS, Buffer>;
  let browser: Awaited<ReturnType<typeof launchChromium>> | undefined;
  try {
    for (const [name, s] of Object.entries(SCREENS) as [keyof typeof SCREENS, (typeof SCREENS)[keyof typeof SCREENS]][]) {
      const html = readFileSync(join(projectRoot, 'test', 'fixtures', 'screens', s.file), 'utf8');
      const cached = join(cacheDir, `${name}-${Buffer.from(html).toString('base64url').length}-${s.width}.png`);
      if (existsSync(cached)) {
        out[name] = readFileSync(cached);
        continue;
      }
      browser ??= await launchChromium();
      const page = await browser.newPage({ viewport: { width: s.width, height: s.height } });
      await page.setContent(html);
      out[name] = await page.screenshot({ type: 'png' });
      writeFileSync(cached, out[name]);
      await page.close();
    }
  } finally {
    await browser?.close();
  }
  return out;
}
