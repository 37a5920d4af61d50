import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../adapters/sqlite/sqlite-store.js';
import type { StoredMessage } from '../../bot/types.js';
import { ConsoleClient } from '../helpers/console-client.js';
import { renderScreens } from '../helpers/screens.js';
import { startTestDesk, tempDir, type TestDesk } from '../helpers/test-desk.js';
import type { Session } from '../helpers/web-client.js';

/**
 * Screenshots through the web API of a whole desk, read by the real OCR engine: each rendered
 * in Chromium from HTML the team wrote. Bad files get precise errors; files are only shown to
 * their sender and their org's advisers; a restart between the upload and the answer loses nothing.
 */
let desk: TestDesk;
let dataDir: string;
let screens: Awaited<ReturnType<typeof renderScreens>>;

beforeAll(async () => {
  screens = await renderScreens();
  dataDir = tempDir();
  desk = await startTestDesk({ DATA_DIR: dataDir, RATE_LIMIT_SESSION_PER_MIN: '1000' });
  await desk.advisers.add({ org: 'default', email: 'files@example.jp', name: '佐藤', role: 'adviser', password: 'correct horse battery' });
}, 60_000);
afterAll(() => desk.stop());

async function upload(s: Session, data: Buffer, headers: Record<string, string> = {}) {
  const res = await fetch(`${desk.url}/api/web/sessions/${s.id}/attachments`, {
    method: 'POST',
    headers: { authorization: `Bearer ${s.token}`, 'content-type': 'image/png', ...headers },
    body: data,
  });
  return { status: res.status, body: (await res.json().catch(() => null)) as any };
}

/** Sends a screenshot and waits until the text on it is read and answered. */
async function sendScreenshot(data: Buffer, caption?: string): Promise<{ s: Session; answer: string; all: StoredMessage[] }> {
  const s = await desk.client.newSession();
  const r = await upload(s, data, caption ? { 'x-caption': encodeURIComponent(caption) } : {});
  expect(r.status).toBe(202);
  await desk.reading.idle();
  const all = await desk.client.history(s);
  const at = all.findIndex((m) => m.seq === r.body.seq);
  return { s, all, answer: all.slice(at + 1).filter((m) => m.from === 'bot').map((m) => m.text).join('\n') };
}

describe('screenshots sent on the web', () => {
  it('reads a fake warning, says it is fake and quotes the number not to call', async () => {
    const { answer, all } = await sendScreenshot(screens.fakeWarning);
    expect(all.find((m) => m.from === 'user')).toMatchObject({ text: '［画像］', attachments: [expect.objectContaining({ mime: 'image/png', width: 1280, height: 800 })] });
    expect(answer).toMatch(/画像を受け取りました/);
    expect(answer).toMatch(/これは偽の警告（サポート詐欺）の画面です。表示されている 050-5812-3746 には電話しないでください。/);
    expect(answer).toMatch(/【至急】その警告は偽物/);
  }, 30_000);

  it('takes a ransom note down the ransomware path, as an emergency', async () => {
    const { answer } = await sendScreenshot(screens.ransomNote);
    expect(answer).toMatch(/【至急】ランサムウェアの被害/);
  }, 30_000);

  it('reads a phishing SMS and a fake login page as phishing, quoting the address not to open', async () => {
    const sms = await sendScreenshot(screens.sms);
    expect(sms.answer).toMatch(/フィッシング/);
    expect(sms.answer).toMatch(/delivery-check\.top/);
    const login = await sendScreenshot(screens.loginPage, 'このページにパスワードを入れてしまいました');
    expect(login.answer).toMatch(/【至急】偽サイト（フィッシング）/);
    expect(login.answer).toMatch(/secure-verify\.com/);
  }, 60_000);

  it('refuses a program renamed .png (415), a file over 10 MB (413), an HEIC photo (415 with a hint), and keeps nothing', async () => {
    const s = await desk.client.newSession();
    const exe = Buffer.concat([Buffer.from('MZ\x90\x00', 'latin1'), Buffer.alloc(4096)]);
    const r1 = await upload(s, exe, { 'x-file-name': encodeURIComponent('請求書.png') });
    expect(r1.status).toBe(415);
    expect(r1.body.error).toMatchObject({ code: 'unsupported_type', message: '送れるのは画像（PNG・JPEG・GIF・WebP）と PDF だけです。' });
    const big = Buffer.concat([screens.sms, Buffer.alloc(12 * 1024 * 1024)]);
    const r2 = await upload(s, big);
    expect(r2.status).toBe(413);
    expect(r2.body.error.message).toMatch(/10 MB まで/);
    const heic = Buffer.concat([Buffer.from('00000018', 'hex'), Buffer.from('ftypheic'), Buffer.alloc(64)]);
    const r3 = await upload(s, heic);
    expect(r3.status).toBe(415);
    expect(r3.body.error.message).toMatch(/HEIC/);
    expect((await desk.client.history(s)).filter((m) => m.from === 'user')).toEqual([]);
  });

  it('shows a file only to its sender (thumbnail too) and to advisers of its org, never as a page', async () => {
    const s = await desk.client.newSession();
    const pdf = Buffer.from('%PDF-1.4\n% a tiny test PDF\n<script>alert(1)</script>\n%%EOF\n');
    const r = await upload(s, pdf, { 'content-type': 'text/html', 'x-file-name': encodeURIComponent('見積書.pdf') });
    expect(r.status).toBe(202);
    expect(r.body.attachment).toMatchObject({ mime: 'application/pdf', name: '見積書.pdf' });
    const own = await fetch(`${desk.url}/api/web/sessions/${s.id}/attachments/${r.body.attachment.id}`, { headers: { authorization: `Bearer ${s.token}` } });
    expect(own.status).toBe(200);
    expect(own.headers.get('content-type')).toBe('application/pdf');
    expect(own.headers.get('x-content-type-options')).toBe('nosniff');
    expect(own.headers.get('content-security-policy')).toMatch(/sandbox/);
    expect(own.headers.get('content-disposition')).toMatch(/^attachment;/);
    expect(Buffer.from(await own.arrayBuffer()).equals(pdf)).toBe(true);

    const other = await desk.client.newSession();
    const stranger = await fetch(`${desk.url}/api/web/sessions/${other.id}/attachments/${r.body.attachment.id}`, { headers: { authorization: `Bearer ${other.token}` } });
    expect(stranger.status).toBe(404);

    const img = await sendScreenshot(screens.sms);
    const imgRef = img.all.find((m) => m.attachments)!.attachments![0]!;
    const thumb = await fetch(`${desk.url}/api/web/sessions/${img.s.id}/attachments/${imgRef.id}?thumb=1`, { headers: { authorization: `Bearer ${img.s.token}` } });
    expect(thumb.headers.get('content-type')).toBe('image/jpeg');
    expect(Buffer.from(await thumb.arrayBuffer()).subarray(0, 2).toString('hex')).toBe('ffd8');

    const adviser = new ConsoleClient(desk.url);
    await adviser.login('files@example.jp', 'correct horse battery');
    const full = await fetch(`${desk.url}/api/console/attachments/${imgRef.id}`, { headers: { cookie: adviser.cookie } });
    expect(full.status).toBe(200);
    expect(full.headers.get('content-type')).toBe('image/png');
    expect((await fetch(`${desk.url}/api/console/attachments/${imgRef.id}`)).status).toBe(401);
  }, 30_000);
});

describe('a restart between the upload and the answer', () => {
  it('loses nothing: the image is read and answered after the restart', async () => {
    // The files as they were when the desk died: the image and its message stored, not yet read.
    const s = await desk.client.newSession();
    await desk.stop();
    const store = new SqliteStore({ dataDir });
    const { takeAttachment } = await import('../../adapters/attachments/intake.js');
    const ref = await takeAttachment(store, { org: 'default', channel: 'web', key: s.id }, screens.fakeWarning);
    const conversation = (await store.findConversation('web', s.id))!;
    await store.commit(conversation, [{ from: 'user', text: '［画像］', at: new Date().toISOString(), attachments: [ref] }]);
    await store.close();

    desk = await startTestDesk({ DATA_DIR: dataDir, RATE_LIMIT_SESSION_PER_MIN: '1000' });
    await desk.reading.idle();
    const answer = (await desk.client.history(s)).filter((m) => m.from === 'bot').map((m) => m.text).join('\n');
    expect(answer).toMatch(/表示されている 050-5812-3746 には電話しないでください/);
    expect((await desk.store.attachmentInfo(ref.id))!.ref.read?.text).toMatch(/050-5812-3746/);
  }, 60_000);
});
