import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import type { StoredMessage } from '../../bot/types.js';
import { secretTokenKey as reportKey } from '../../bot/secret-token.js';
import { REPORTS, type ReportGrant } from '../../dialogs/diagnosis/record.js';
import { startTestDesk, tempDir, type TestDesk } from '../helpers/test-desk.js';
import type { Session } from '../helpers/web-client.js';

const dataDir = tempDir();
let desk: TestDesk | undefined;
afterAll(async () => {
  await desk?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

// The sheet answered below, one letter an item (d 実施 / p 一部 / n 未実施 / u わからない).
// By hand: part 1 d p n d u = 4+2+0+4−1 = 9; part 2 d d d d p p p n n n d d d = 16+6+0+12 = 34;
// part 3 d p n u d d d = 4+2+0−1+12 = 17; total 60 (the 50–69 band).
const SHEET = 'dpndu' + 'ddddpppnnnddd' + 'dpnuddd';
const TYPED: Record<string, string> = { d: 'はい、やってます', p: '一部だけ', n: 'やってない', u: 'わかんない' };
const BUTTON: Record<string, string> = { d: 'dg:done', p: 'dg:partly', n: 'dg:not', u: 'dg:unknown' };

const text = (ms: StoredMessage[]) => ms.map((m) => m.text).join('\n');
const lastOf = (ms: StoredMessage[]) => ms[ms.length - 1]!;

async function answerItem(s: Session, no: number, letter: string): Promise<StoredMessage[]> {
  // Odd items typed in the user's words, even items by button.
  return no % 2 ? desk!.client.ask(s, TYPED[letter]!) : desk!.client.press(s, BUTTON[letter]!);
}

describe('the self-diagnosis through the web API', () => {
  let s: Session;
  let reportUrl = '';

  it('runs 25 items with typed and button answers, 戻る, a question in passing and a restart, and scores them', async () => {
    desk = await startTestDesk({ DATA_DIR: dataDir, RATE_LIMIT_SESSION_PER_MIN: '1000' });
    s = await desk.client.newSession();

    const intro = await desk.client.press(s, 'menu:diagnosis');
    expect(text(intro)).toContain('25問');
    expect(text(intro)).toMatch(/5〜10分/);
    expect(lastOf(intro).text).toBe('会社名（屋号）を教えてください。');
    expect(lastOf(intro).choices?.map((c) => c.label)).toEqual(['スキップ']);

    expect(lastOf(await desk.client.ask(s, '有限会社みなと印刷')).text).toMatch(/^所在地の都道府県/);
    expect(lastOf(await desk.client.ask(s, 'にほん')).text).toMatch(/^所在地の都道府県/); // not understood: asked again
    expect(lastOf(await desk.client.ask(s, '東京')).text).toMatch(/^業種を選んでください/);
    expect(lastOf(await desk.client.press(s, 'dg:industry:0')).text).toMatch(/^従業員は何人くらい/);
    let r = await desk.client.ask(s, '12人くらいです');
    expect(lastOf(r).text).toMatch(/^【1\/25】基本的対策\nパソコンやスマートフォンなど情報機器のOSやソフトウェアは常に最新の状態にしていますか？/);
    expect(lastOf(r).choices?.map((c) => c.label)).toEqual(['実施している', '一部実施している', '実施していない', 'わからない', '戻る']);

    for (let no = 1; no <= 25; no++) {
      const letter = SHEET[no - 1]!;
      if (no === 6) {
        // A wrong answer, then 戻る, then the right one.
        expect(lastOf(await answerItem(s, 6, 'n')).text).toMatch(/^【7\/25】/);
        expect(lastOf(await desk.client.ask(s, '戻る')).text).toMatch(/^【6\/25】従業員としての対策/);
      }
      if (no === 10) {
        // Something not an answer is re-asked; a question in passing is answered and the item offered again.
        expect(text(await desk.client.ask(s, '今日はいい天気ですね'))).toMatch(/お答えを読み取れませんでした[\s\S]*【10\/25】/);
        const aside = await desk.client.ask(s, 'パスワードは何文字以上にすればいいですか？');
        expect(text(aside)).toContain('パスワード');
        expect(lastOf(aside).text).toBe('「自社診断」（10/25問目）の途中です。続けますか？');
        expect(lastOf(await desk.client.press(s, 'cmd:resume')).text).toMatch(/^【10\/25】/);
      }
      if (no === 15) {
        // The desk restarts between two answers: the diagnosis continues where it was.
        await desk.stop();
        desk = await startTestDesk({ DATA_DIR: dataDir, RATE_LIMIT_SESSION_PER_MIN: '1000' });
      }
      r = await answerItem(s, no, letter);
      if (no < 25) expect(lastOf(r).text).toMatch(new RegExp(`^【${no + 1}/25】`));
    }

    const result = text(r);
    expect(result).toContain('自社診断の結果は 60点（100点満点）です。');
    expect(result).toContain('【対策が行き届いていないところが目立ちます】');
    expect(result).toContain('・基本的対策: 9／20点');
    expect(result).toContain('・従業員としての対策: 34／52点');
    expect(result).toContain('・組織としての対策: 17／28点');
    expect(result).toContain('「わからない」と答えた項目（社内で確かめてください）: No.5、No.22');
    // Not in place: 3, 13, 14, 15, 21 (0 points), then partly: 2, 9, 10, 11, 20; priority orders within each.
    expect(result).toMatch(/1\. まず（No\.3）/);
    expect(result).toContain('★ 一つ星: 5か条にあたる No.2、No.3、No.5 を「実施している」にすると');
    expect(result).toContain('★★ 二つ星: ✔ 自社診断で現状を把握（今回済み）');
    const final = lastOf(r);
    reportUrl = final.cards![0]!.buttons!.map((b) => ('url' in b ? b.url : '')).find(Boolean)!;
    expect(reportUrl).toMatch(new RegExp(`^${desk.url}/reports/[A-Za-z0-9_-]{24}$`));
    expect(final.choices?.map((c) => c.value)).toContain('topic:password');
    expect(final.choices?.map((c) => c.label)).toContain('基本方針のひな形を作る');
  });

  it('serves the report at its unguessable link, and the policy draft as a download', async () => {
    const page = await fetch(reportUrl);
    expect(page.status).toBe(200);
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    expect(page.headers.get('cache-control')).toContain('no-store');
    const html = await page.text();
    expect(html).toContain('60点');
    expect(html).toContain('有限会社みなと印刷');
    expect(html).toContain('情報セキュリティ基本方針（下書き）');

    const txt = await fetch(`${reportUrl}/policy.txt`);
    expect(txt.status).toBe(200);
    expect(txt.headers.get('content-disposition')).toMatch(/^attachment;/);
    const draft = await txt.text();
    expect(draft).toContain('【下書き】');
    expect(draft).toContain('有限会社みなと印刷は、');
  });

  it('does not open for a changed token, for another session, or after 30 days', async () => {
    const token = reportUrl.split('/').pop()!;
    const changed = token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A');
    expect((await fetch(`${desk!.url}/reports/${changed}`)).status).toBe(404);
    expect((await fetch(`${desk!.url}/reports/not-a-token`)).status).toBe(404);

    // Another session has no diagnosis of its own and cannot reach this one.
    const other = await desk!.client.newSession();
    const policy = await desk!.client.press(other, 'start:diagnosis-policy');
    expect(lastOf(policy).text).toMatch(/^基本方針のひな形は、自社診断の回答をもとに作ります。先に自社診断/);
    expect(text(await desk!.client.history(other))).not.toContain('/reports/');

    const reports = desk!.store.documents<ReportGrant>(REPORTS);
    const grant = (await reports.get(reportKey(token)))!;
    expect(Date.parse(grant.expiresAt) - Date.parse(grant.createdAt)).toBe(30 * 86_400_000);
    await reports.put(reportKey(token), { ...grant, expiresAt: new Date(Date.now() - 1000).toISOString() });
    const expired = await fetch(reportUrl);
    expect(expired.status).toBe(410);
    expect(await expired.text()).toContain('公開期間は終わりました');
  });

  it('shows the policy draft in the chat on request', async () => {
    const r = await desk!.client.press(s, 'start:diagnosis-policy');
    const t = text(r);
    expect(t).toMatch(/^【下書き】/);
    expect(t).toContain('1. 経営者の責任');
    expect(t).toContain('有限会社みなと印刷は、');
  });

  it('compares a second diagnosis with the first, reusing the company details', async () => {
    let r = await desk!.client.ask(s, '自社診断をもう一度やりたい');
    expect(lastOf(r).text).toMatch(/^前回の会社情報を使いますか？\n会社名: 有限会社みなと印刷\n都道府県: 東京都\n業種: 製造業\n従業員: 6〜20人/);
    r = await desk!.client.press(s, 'dg:reuse');
    expect(lastOf(r).text).toMatch(/^【1\/25】/);
    for (let no = 1; no <= 25; no++) r = await desk!.client.press(s, 'dg:done');
    const t = text(r);
    expect(t).toContain('自社診断の結果は 100点（100点満点）です。前回（');
    expect(t).toContain('より +40点。');
    expect(t).toContain('★ 一つ星: 5か条にあたる No.1〜5 はすべて実施できています。');
    const url = lastOf(r).cards![0]!.buttons!.map((b) => ('url' in b ? b.url : '')).find(Boolean)!;
    expect(url).not.toBe(reportUrl);
    const html = await (await fetch(url)).text();
    expect(html).toMatch(/前回（[^）]+）より \+40点/);
  });
});
