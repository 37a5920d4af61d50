import { afterEach, describe, expect, it } from 'vitest';
import { CASES, type Case } from '../../bot/cases.js';
import type { Org } from '../../bot/orgs.js';
import type { StoredMessage } from '../../bot/types.js';
import { botDesk, removeBotDesks } from '../helpers/bot-desk.js';

afterEach(removeBotDesks);

const chamber: Org = {
  id: 'chamber',
  name: 'みなと商工会議所 セキュリティ相談窓口',
  allowedOrigins: [],
  hours: { weekly: { mon: ['09:00-17:00'], tue: ['09:00-17:00'], wed: ['09:00-17:00'], thu: ['09:00-17:00'], fri: ['09:00-17:00'] }, holidays: 'closed', closedDates: [] },
};

const setup = (now = new Date('2026-11-24T10:00:00+09:00')) => botDesk({ org: chamber, now });
const last = (ms: StoredMessage[]) => ms[ms.length - 1]!;
const labels = (m: StoredMessage) => m.choices?.map((c) => c.label);

describe('the desk bot', () => {
  it('greets with the org name and the menu', async () => {
    const { start } = setup();
    const [greeting] = await start();
    expect(greeting!.text).toMatch(/^こんにちは。みなと商工会議所 セキュリティ相談窓口です。/);
    expect(labels(greeting!)).toEqual(['相談する', '自社診断', 'お助け隊サービス', '担当者と話す']);
  });

  it('understands a menu choice typed instead of pressed', async () => {
    const { start, say } = setup();
    await start();
    const r = await say('相談したい');
    expect(r[0]!.text).toMatch(/^どのようなことでお困りですか/);
    expect(labels(r[0]!)).toContain('偽の警告画面が出た');
  });

  it('answers in one glance with the rest behind buttons; 詳しく shows more, then asks whether it helped', async () => {
    const { say, press, store } = setup();
    const r = await say('ﾌﾞﾗｳｻﾞに出る警告の電話番号って本物ですか？😱');
    expect(r).toHaveLength(1);
    expect(r[0]!.text).toMatch(/^【偽の警告画面・サポート詐欺】/);
    expect(r[0]!.text!.length).toBeLessThanOrEqual(300);
    expect(labels(r[0]!)).toEqual(['次にすること', '詳しく', '連絡先', '解決した', '解決しない', '担当者に相談']);
    const more = await press('detail:fake-alert');
    expect(more.map((m) => m.text).join('\n')).toContain('■ やってはいけないこと');
    expect(last(more).text).toBe('この回答で解決しましたか？');
    expect(labels(last(more))).toEqual(['次にすること', '連絡先', '解決した', '解決しない', '担当者に相談']);
    const next = await press('next:fake-alert');
    expect(next[0]!.text).toMatch(/^■ 今すぐやること/);
    expect(labels(last(next))).toEqual(['連絡先', '解決した', '解決しない', '担当者に相談']);
    const thanks = await say('ありがとう、助かりました');
    expect(thanks[0]!.text).toMatch(/よかったです/);
    const c = (await store.findConversation('web', 'u1'))!;
    expect(c.topics).toEqual([expect.objectContaining({ topic: 'fake-alert', helpful: true })]);
    expect(c.dialogs).toEqual([]);
  });

  it('records 解決した pressed on an older answer against the latest one', async () => {
    const { say, press, store } = setup();
    await say('パスワードの決め方を教えて');
    await say('明日の天気を教えてください');
    const r = await press('fb:solved');
    expect(r[0]!.text).toMatch(/よかったです/);
    expect((await store.findConversation('web', 'u1'))!.topics.at(-1)).toEqual(expect.objectContaining({ topic: 'password', helpful: true }));
  });

  it('offers a person when the answer did not solve it', async () => {
    const { say, press, store } = setup();
    await say('ランサムウェアに感染したかもしれない');
    const r = await press('fb:unsolved');
    expect(r[0]!.text).toMatch(/人の相談員/);
    expect(labels(r[0]!)).toEqual(['担当者と話す', 'メニュー']);
    expect((await store.findConversation('web', 'u1'))!.topics[0]!.helpful).toBe(false);
  });

  it('answers a new question typed at the "was this helpful?" prompt', async () => {
    const { say } = setup();
    await say('ランサムウェアに感染したかもしれない');
    const r = await say('お助け隊サービスについて教えて');
    expect(r[0]!.text).toMatch(/^【サイバーセキュリティお助け隊サービス】/);
  });

  it('says kindly what the desk does for an unrelated question, and offers a person the second time', async () => {
    const { say } = setup();
    const r = await say('明日の天気を教えてください');
    expect(r[0]!.text).toMatch(/この窓口では、ウイルス感染/);
    expect(r[0]!.text).not.toMatch(/人の相談員と話すこともできます/);
    expect(labels(r[0]!)).toEqual(['メニュー', '担当者と話す']);
    const again = await say('経理ソフトの使い方がわからない');
    expect(again[0]!.text).toMatch(/人の相談員と話すこともできます/);
  });

  it('asks which topic when unsure, and the pressed topic is answered', async () => {
    const { say, press } = setup();
    const r = await say('セキュリティってどうしたら');
    expect(r[0]!.text).toBe('ご相談の内容は、次のどれに近いですか？');
    const options = r[0]!.choices!;
    expect(options.length).toBeGreaterThanOrEqual(2);
    expect(options[options.length - 1]!.label).toBe('どれでもない');
    const answered = await press(options[0]!.value);
    expect(answered[0]!.text).toMatch(/^【/);
  });

  it('asks for text when only emoji arrive, and answers a sticker in kind, with the menu', async () => {
    const { say, desk } = setup();
    expect((await say('🙏🙏'))[0]!.text).toMatch(/文字を読み取れませんでした/);
    const sticker = await desk.handle({ channel: 'web', org: 'chamber', key: 'u1', userId: 'u1', content: { type: 'other', kind: 'sticker' } });
    expect(sticker.messages[1]!.text).toBe('スタンプありがとうございます。ご相談があれば、そのまま文章で送ってください。');
    expect(sticker.messages[1]!.choices!.map((c) => c.label)).toContain('相談する');
    const audio = await desk.handle({ channel: 'web', org: 'chamber', key: 'u1', userId: 'u1', content: { type: 'other', kind: 'audio' } });
    expect(audio.messages[1]!.text).toMatch(/^音声はこの窓口では見ることができません/);
    const location = await desk.handle({ channel: 'web', org: 'chamber', key: 'u1', userId: 'u1', content: { type: 'other', kind: 'location' } });
    expect(location.messages[1]!.text).toMatch(/文字のメッセージだけ/);
  });

  it('an old menu button still works later in the conversation', async () => {
    const { start, say, press } = setup();
    await start();
    await say('ランサムウェアに感染したかもしれない');
    const r = await press('menu:otasuketai');
    expect(r[0]!.text).toMatch(/^【サイバーセキュリティお助け隊サービス】/);
  });

  it('outside business hours, records the request and gives the emergency paths', async () => {
    const { say, store } = setup(new Date('2026-11-23T10:00:00+09:00')); // 勤労感謝の日
    const r = await say('担当者と話したい');
    expect(r[0]!.text).toMatch(/^ただいま受付時間外です（受付時間: 月 09:00-17:00/);
    await say('はい');
    await say('みなと印刷');
    await say('スキップ');
    const done = await say('03-1234-5678');
    expect(done[0]!.text).toMatch(/^ご依頼を受け付けました。受付時間（月 09:00-17:00.*）になりしだい、相談員から「03-1234-5678」にご連絡します。/);
    expect(done[1]!.text).toContain('警察相談専用電話 #9110');
    expect(done[1]!.text).toContain('cs-support@ipa.go.jp');
    expect((await store.findConversation('web', 'u1'))!.handoff).toMatchObject({ duringHours: false, reason: 'user' });
    const again = await say('担当者');
    expect(again[0]!.text).toMatch(/受け付け済み/);
  });

  it('outside business hours, an emergency gets the contacts at once, a callback request, and its incident sheet', async () => {
    const { say, press } = setup(new Date('2026-11-28T22:00:00+09:00')); // Saturday night
    const first = await say('社内のNASのファイルが全部 .akira という拡張子になって開けません');
    expect(first[0]!.text).toMatch(/^【至急】ランサムウェア/);
    // Without a triage yet, the sheet is offered while they wait.
    await press('cmd:handoff');
    await say('はい');
    const done = await say('090-1234-5678');
    expect(done[0]!.text).toMatch(/^ご依頼を受け付けました。受付時間.*「090-1234-5678」にご連絡します/);
    expect(done[1]!.text).toContain('警察相談専用電話 #9110');
    expect(done.at(-1)!.choices?.map((c) => c.value)).toContain('start:triage');
    // With the triage done, the sheet itself comes with the request.
    await press('start:triage');
    for (let i = 0; i < 12; i++) {
      const r = await say('スキップ');
      if (r.some((m) => m.cards?.some((c) => c.title === 'インシデント連絡シート'))) break;
    }
    await say('キャンセル');
    await press('cmd:handoff');
    await say('はい');
    const again = await say('090-1234-5678');
    const sheet = again.find((m) => m.cards?.some((c) => c.title === 'インシデント連絡シート'));
    expect((sheet!.cards![0]!.buttons![0] as { url: string }).url).toMatch(/^https:\/\/desk\.example\.jp\/incidents\/[A-Za-z0-9_-]{24}$/);
  });

  it('withdraws a hand-off request with キャンセル', async () => {
    const { say, store } = setup();
    await say('オペレーターにつないでください');
    await say('はい');
    for (const _ of [1, 2, 3]) await say('スキップ');
    expect((await store.findConversation('web', 'u1'))!.owner).toBe('waiting');
    const r = await say('キャンセル');
    expect(r[0]!.text).toMatch(/取り消しました/);
    const c = (await store.findConversation('web', 'u1'))!;
    expect(c.owner).toBe('bot');
    const cases = await store.documents<Case>(CASES).find({ org: 'chamber' });
    expect(cases.map((x) => [x.status, x.outcome])).toEqual([['closed', 'withdrawn']]);
  });
});

describe('the desk bot on urgent, close and hand-off questions', () => {
  it('answers an emergency in one message that fits one glance: what it looks like, three actions, a person first', async () => {
    const { say, store } = setup();
    const r = await say('今朝から共有フォルダのファイルが全部暗号化されて開けない。身代金を要求するファイルも置かれてる');
    expect(r).toHaveLength(1);
    expect(r[0]!.text).toMatch(/^【至急】ランサムウェアの被害/);
    expect([...r[0]!.text].length).toBeLessThanOrEqual(300);
    expect(r[0]!.text.split('\n').filter((l) => /^\d\. /.test(l))).toHaveLength(3);
    expect(r[0]!.text).toMatch(/1\. .*ネットワークから切り離/); // for ransomware, cutting it off comes first
    expect(labels(r[0]!)).toEqual(['相談員に今すぐ相談', '状況を整理する', '次にすること', '詳しく', '連絡先']);
    expect((await store.findConversation('web', 'u1'))!.topics[0]).toMatchObject({ topic: 'ransomware', urgent: true });
  });

  it('names the one contact that fits: the e-money issuer, the card company, the bank', async () => {
    const cases: [string, RegExp][] = [
      ['偽のサポートに電話して、言われるままコンビニでギフトカードを5万円分買って番号を伝えてしまいました', /連絡先: 電子マネー（ギフトカード）の発行会社/],
      ['偽の通販サイトでカード番号とセキュリティコードを入れちゃいました', /連絡先: クレジットカード会社/],
      ['社長を名乗るメールの指示で、さっき200万円を振り込んでしまいました', /連絡先: 取引のある金融機関/],
    ];
    for (const [q, contact] of cases) {
      const { say } = setup();
      const [first] = await say(q);
      expect(first!.text, q).toMatch(/^【至急】/);
      expect(first!.text, q).toMatch(contact);
    }
  });

  it('tells someone already remote-controlled to disconnect first', async () => {
    const { say } = setup();
    const [first] = await say('偽の警告の番号に電話して、言われた通りに遠隔操作のソフトを入れてしまいました。まだ画面が勝手に動いてます');
    expect(first!.text).toMatch(/^【至急】/);
    expect(first!.text.split('\n').find((l) => l.startsWith('1. '))).toMatch(/LANケーブル|Wi-Fi|ネットワーク/);
  });

  it('answers a restore question during a ransomware attack with the ransomware answer: the backup stays off the network', async () => {
    const { say, store } = setup();
    const [first] = await say('ランサムウェアでサーバーのファイルが暗号化されました。バックアップから戻したいんですが、すぐつないでいいですか');
    expect(first!.text).toMatch(/^【至急】ランサムウェア/);
    expect(first!.text).toMatch(/バックアップ/);
    expect((await store.findConversation('web', 'u1'))!.topics[0]).toMatchObject({ topic: 'ransomware', urgent: true });
    const next = await say('次にすること');
    expect(next.map((m) => m.text).join('\n')).toMatch(/バックアップ.*(つながない|つながず|接続しない|切り離)/);
  });

  it('tells someone who only sees the fake warning that it is fake, not that they are remote-controlled', async () => {
    const { say } = setup();
    const r = await say('ﾌﾞﾗｳｻﾞに警告が出て電話番号が表示されてる😱');
    const text = r.map((m) => m.text).join('\n');
    expect(text).toMatch(/偽/);
    expect(text).not.toMatch(/遠隔操作されている/);
    expect(text).toMatch(/かけないで/);
  });

  it('reads a short follow-up as part of the incident just discussed', async () => {
    const { say, store } = setup();
    await say('取引先の名前で請求書のメールが来ました。Wordの添付があります');
    const r = await say('あ、もう開いちゃいました…');
    expect(r[0]!.text).toMatch(/^【至急】/);
    expect((await store.findConversation('web', 'u1'))!.topics.at(-1)).toMatchObject({ urgent: true });
  });

  it('starts the hand-off when someone asks for a person in their own words', async () => {
    const { say, store } = setup();
    const r = await say('自動の返事じゃ埒が明かないので、詳しい人と直接やりとりしたいです');
    expect(r[0]!.text).toMatch(/^担当者（相談員）におつなぎします。/);
    await say('はい');
    for (const _ of [1, 2, 3]) await say('スキップ');
    expect((await store.findConversation('web', 'u1'))!.owner).toBe('waiting');
  });
});
