import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Case } from '../../bot/cases.js';
import type { StoredMessage } from '../../bot/types.js';
import { INCIDENTS, type IncidentRecord } from '../../dialogs/incident/record.js';
import { ConsoleClient } from '../helpers/console-client.js';
import { startTestDesk, tempDir, type TestDesk } from '../helpers/test-desk.js';
import type { Session } from '../helpers/web-client.js';

/**
 * An incident from the first message to the adviser, through the web API of a whole desk: the
 * urgent answer, the triage in the user's words, the result with referrals and the commission's
 * dates, the incident sheet, the hand-off that does not ask again, and the referrals moved on
 * in the console (advisers of the org only).
 */
let desk: TestDesk;
const PASSWORD = 'correct horse battery';
const text = (ms: StoredMessage[]) => ms.map((m) => m.text).join('\n');
const lastOf = (ms: StoredMessage[]) => ms[ms.length - 1]!;

beforeAll(async () => {
  const dir = tempDir();
  const orgsFile = join(dir, 'orgs.json');
  writeFileSync(orgsFile, JSON.stringify([{ id: 'minato', name: 'みなと商工会議所 相談窓口', allowedOrigins: [] }, { id: 'kita', name: 'きた商工会 相談窓口', allowedOrigins: [] }]));
  desk = await startTestDesk({ ORGS_FILE: orgsFile, RATE_LIMIT_SESSION_PER_MIN: '1000' });
  await desk.advisers.add({ org: 'minato', email: 'sato@minato.example.jp', name: '佐藤', role: 'adviser', password: PASSWORD });
  await desk.advisers.add({ org: 'kita', email: 'tanaka@kita.example.jp', name: '田中', role: 'adviser', password: PASSWORD });
});
afterAll(() => desk.stop());

async function adviser(email: string): Promise<ConsoleClient> {
  const c = new ConsoleClient(desk.url);
  expect((await c.login(email, PASSWORD)).status).toBe(200);
  return c;
}

describe('an incident reported on the web', () => {
  let s: Session;
  let sheetUrl = '';
  let incidentId = '';

  it('answers at once, then triages in the user\'s words and ends with severity, referrals, deadlines and a sheet', async () => {
    s = await desk.client.newSession('minato');
    const first = await desk.client.ask(s, '昨日の夜、顧客管理のサーバーに知らない管理者アカウントが作られていて、海外のIPからログインされた記録がありました');
    expect(first[0]!.text).toMatch(/^【至急】サーバーや社内ネットワークに侵入/);
    expect(first[0]!.choices!.map((c) => c.label)[0]).toBe('相談員に今すぐ相談');

    let r = await desk.client.press(s, 'start:triage');
    expect(text(r)).toContain('状況を整理します');
    // The day was in the first message: not asked again. First: is it still going on?
    expect(lastOf(r).text).toMatch(/被害は今も続いていますか/);
    expect(lastOf(r).choices!.map((c) => c.label)).toEqual(['今も続いている', '止まっている', 'わからない', 'スキップ']);
    r = await desk.client.ask(s, 'わかりません');
    expect(lastOf(r).text).toMatch(/影響はどこまで/);
    r = await desk.client.ask(s, 'サーバー1台とパソコン3台');
    expect(lastOf(r).text).toMatch(/ネットワークから切り離しましたか/);
    r = await desk.client.ask(s, 'まだつながってます');
    expect(lastOf(r).text).toMatch(/個人情報/);
    r = await desk.client.press(s, lastOf(r).choices!.find((c) => c.label === 'ある')!.value);
    expect(lastOf(r).text).toMatch(/何人分/);
    r = await desk.client.ask(s, '3000人くらい');
    expect(lastOf(r).text).toMatch(/どんな情報/);
    r = await desk.client.ask(s, '氏名と電話番号、あとカード番号も一部');
    expect(lastOf(r).text).toMatch(/誰かに伝えましたか/);
    r = await desk.client.ask(s, '社長にだけ');
    expect(lastOf(r).text).toMatch(/お助け隊サービスの契約や、サイバー保険/);
    r = await desk.client.ask(s, 'サイバー保険には入ってます');
    expect(lastOf(r).text).toMatch(/都道府県/);
    r = await desk.client.ask(s, '神奈川県です');

    const all = text(r);
    expect(all).toMatch(/重大度は「高」です/);
    // The commission: reportable (card numbers, more than 1,000 people, wrongful intent), dates from the day noticed (yesterday).
    expect(all).toMatch(/個人情報保護委員会/);
    expect(all).toMatch(/速報（おおむね3〜5日以内） \d{4}年\d+月\d+日（.）〜\d{4}年\d+月\d+日（.）まで/);
    expect(all).toMatch(/確報（60日以内）/);
    // The prefecture's police desk as sourced, #9110 and the online form (not a 被害届).
    expect(all).toContain('神奈川県警察サイバーセキュリティホットライン');
    expect(all).toContain('045-681-3180');
    expect(all).toMatch(/#9110/);
    expect(all).toMatch(/被害届の代わりにはなりません/);
    expect(all).toMatch(/JPCERT\/CC/);
    expect(all).toMatch(/契約している保険会社/);
    const sheet = lastOf(r).cards?.[0]?.buttons?.[0] as { url: string };
    sheetUrl = sheet.url;
    expect(sheetUrl).toMatch(/\/incidents\/[A-Za-z0-9_-]{24}$/);
    expect(lastOf(r).choices!.map((c) => c.label)).toContain('相談員に今すぐ相談');

    const conversation = (await desk.store.findConversation('web', s.id))!;
    const summary = conversation.incidents!.at(-1)!;
    incidentId = summary.id;
    const record = (await desk.store.documents<IncidentRecord>(INCIDENTS).get(incidentId))!;
    expect(record).toMatchObject({ org: 'minato', topic: 'server-intrusion', severity: 'high' });
    expect(record.answers).toMatchObject({ ongoing: 'unknown', scope: 'servers', scopeCount: 1, disconnected: 'no', personal: 'yes', people: 'over1000', told: ['boss'], contracts: ['insurance'], prefecture: '神奈川県' });
    expect(record.answers.kinds).toEqual(expect.arrayContaining(['card', 'basic']));
    expect(record.ppc).toMatchObject({ verdict: 'required', categories: [2, 3, 4], final: { days: 60 } });
    expect(record.referrals.map((x) => x.target)).toEqual(expect.arrayContaining(['insurer', 'police', 'ppc', 'jpcert', 'ipa', 'otasuketai']));
    expect(record.userSaid[0]).toMatch(/知らない管理者アカウント/);
  });

  it('serves the sheet: what happened, the answers, severity, referrals with dates; as text too; refuses a wrong token', async () => {
    const page = await fetch(sheetUrl);
    expect(page.status).toBe(200);
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    expect(page.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/);
    const html = await page.text();
    expect(html).toContain('インシデント連絡シート');
    expect(html).toContain('知らない管理者アカウント');
    expect(html).toMatch(/重大度[\s\S]*高/);
    expect(html).toContain('href="tel:0456813180"');
    expect(html).toMatch(/確報（60日以内）: \d{4}年/);
    const txt = await fetch(`${sheetUrl}/sheet.txt`);
    expect(txt.headers.get('content-disposition')).toMatch(/attachment/);
    const bytes = Buffer.from(await txt.arrayBuffer());
    expect(bytes.subarray(0, 3).toString('hex')).toBe('efbbbf'); // a BOM: Windows Notepad reads it as UTF-8
    const body = bytes.toString('utf8');
    expect(body).toContain('\r\n【状況】\r\n');
    expect((await fetch(sheetUrl.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')))).status).toBe(404);
    expect((await fetch(`${new URL(sheetUrl).origin}/incidents/short`)).status).toBe(404);
  });

  it('hands over without asking again, and the adviser sees the triage and moves the referrals on; other orgs cannot', async () => {
    let r = await desk.client.press(s, 'cmd:handoff');
    expect(lastOf(r).text).toMatch(/読んでもよいですか/);
    r = await desk.client.ask(s, 'はい');
    expect(lastOf(r).text).toMatch(/ご連絡先/); // serious incident: consent and contact only
    await desk.client.ask(s, '045-123-4567');

    const sato = await adviser('sato@minato.example.jp');
    const [c] = (await sato.get('/api/console/cases?status=waiting')).body.cases as Case[];
    expect(c!.priority).toBe('urgent');
    expect(c!.intake.prefecture).toBe('神奈川県');
    expect(c!.summary.incident).toMatchObject({ id: incidentId, severity: 'high' });
    expect(c!.summary.incident!.facts.join('\n')).toMatch(/人数: 1,000人を超える/);
    const detail = (await sato.get(`/api/console/cases/${c!.id}`)).body;
    expect(detail.incident.referrals.find((x: any) => x.target === 'ppc').deadlines).toHaveLength(2);
    expect(detail.incident.facts).toContain('ネットワークからの切り離し: まだつながっている');

    const moved = await sato.post(`/api/console/incidents/${incidentId}/referrals/police`, { status: 'contacted' });
    expect(moved.status).toBe(200);
    expect(moved.body.incident.referrals.find((x: any) => x.id === 'police')).toMatchObject({ status: 'contacted', updatedBy: '佐藤' });
    expect((await sato.post(`/api/console/incidents/${incidentId}/referrals/police`, { status: 'constructor' })).status).toBe(400);
    expect((await sato.post(`/api/console/incidents/${incidentId}/referrals/nobody`, { status: 'closed' })).status).toBe(404);

    const tanaka = await adviser('tanaka@kita.example.jp');
    expect((await tanaka.post(`/api/console/incidents/${incidentId}/referrals/police`, { status: 'closed' })).status).toBe(404);
    expect((await tanaka.get(`/api/console/cases/${c!.id}`)).status).toBe(404);
    const stored = (await desk.store.documents<IncidentRecord>(INCIDENTS).get(incidentId))!;
    expect(stored.referrals.find((x) => x.id === 'police')!.status).toBe('contacted');
  });
});

describe('triage answers', () => {
  it('can be skipped, go back, and are understood in several ways; money paid leads to the issuer first', async () => {
    const s = await desk.client.newSession('minato');
    await desk.client.ask(s, 'パソコンに警告が出て、電話したら言われるままギフトカードを3万円分買って番号を伝えてしまいました');
    let r = await desk.client.ask(s, '状況を整理したい');
    expect(lastOf(r).text).toMatch(/被害は今も続いていますか/); // the money was in the message: not asked again
    r = await desk.client.ask(s, 'スキップ');
    expect(lastOf(r).text).toMatch(/いつ気づきましたか/);
    r = await desk.client.ask(s, '戻る');
    expect(lastOf(r).text).toMatch(/被害は今も続いていますか/);
    r = await desk.client.ask(s, 'もう止まってます');
    r = await desk.client.ask(s, 'ついさっき');
    expect(lastOf(r).text).toMatch(/影響はどこまで/);
    for (let i = 0; i < 8 && !/重大度/.test(text(r)); i++) r = await desk.client.ask(s, 'スキップ');
    expect(text(r)).toMatch(/重大度は「高」です。お金がすでに支払われていて/);
    const list = text(r);
    expect(list.indexOf('電子マネー（ギフトカード）の発行会社')).toBeGreaterThanOrEqual(0);
    expect(list.indexOf('電子マネー（ギフトカード）の発行会社')).toBeLessThan(list.indexOf('警察'));
    expect(list).toMatch(/消費者ホットライン 188/);
  });
});
