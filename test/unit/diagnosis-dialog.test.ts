import { afterEach, describe, expect, it } from 'vitest';
import type { StoredMessage } from '../../bot/types.js';
import { DIAGNOSES, type DiagnosisRecord } from '../../dialogs/diagnosis/record.js';
import { botDesk, removeBotDesks } from '../helpers/bot-desk.js';

afterEach(removeBotDesks);
const setup = () => botDesk({ channel: 'line', now: new Date('2026-11-24T10:00:00+09:00') });
const text = (ms: StoredMessage[]) => ms.map((m) => m.text).join('\n');
const last = (ms: StoredMessage[]) => ms[ms.length - 1]!;

async function toItem(say: (t: string) => Promise<StoredMessage[]>, n: number): Promise<void> {
  await say('自社診断をやってみたい');
  for (let i = 0; i < 4; i++) await say('スキップ');
  for (let i = 1; i < n; i++) await say('はい');
}

describe('the self-diagnosis dialog', () => {
  it('starts from the topic in the user words, and starting again resumes instead of restarting', async () => {
    const { say } = setup();
    expect(text(await say('うちの会社のセキュリティの点数を知りたい'))).toContain('25問に順にお答えいただきます');
    for (let i = 0; i < 4; i++) await say('スキップ');
    await say('はい');
    await say('はい');
    const again = await say('自社診断したい');
    expect(again[0]!.text).toBe('「自社診断」（3/25問目）の続きから再開します。');
    expect(last(again).text).toMatch(/^【3\/25】/);
  });

  it('re-asks with the choices when an answer is not understood, and tells how to get out after two tries', async () => {
    const { say } = setup();
    await toItem(say, 4);
    const once = await say('今日は雨ですね');
    expect(once[0]!.text).toMatch(/^すみません、お答えを読み取れませんでした。「実施している」/);
    expect(last(once).choices?.map((c) => c.label)).toEqual(['実施している', '一部実施している', '実施していない', 'わからない', '戻る']);
    expect(text(await say('明日も雨かな'))).toContain('中断するときは「やめる」');
  });

  it('goes back through the items and into the company questions with 戻る', async () => {
    const { say } = setup();
    await toItem(say, 2);
    expect(last(await say('戻る')).text).toMatch(/^【1\/25】/);
    expect(last(await say('もどる')).text).toBe('従業員は何人くらいですか？');
    expect(last(await say('30人')).text).toMatch(/^【1\/25】/);
  });

  it('stops with やめる and says so', async () => {
    const { say } = setup();
    await toItem(say, 5);
    expect(last(await say('やめる')).text).toBe('「自社診断」を中止しました。');
    expect(last(await say('はい')).text).not.toMatch(/^【/);
  });

  it('reminds a user who comes back days later where they were', async () => {
    const { say, later } = setup();
    await toItem(say, 12);
    later(3 * 86_400_000);
    const back = await say('一部やってます');
    expect(back[0]!.text).toBe('おかえりなさい。「自社診断」（12/25問目）の途中でした。続きからどうぞ（中止するときは「やめる」）。');
    expect(last(back).text).toMatch(/^【13\/25】/);
  });

  it('offers to continue when a LINE user re-adds the desk in the middle of a diagnosis', async () => {
    const { say, start, press } = setup();
    await toItem(say, 7);
    const r = await start();
    expect(r.map((m) => m.text)).toEqual(['おかえりなさい。', '「自社診断」（7/25問目）の途中です。続けますか？']);
    expect(last(await press('cmd:resume')).text).toMatch(/^【7\/25】/);
  });

  it('stores the finished diagnosis with the conversation, in its org', async () => {
    const { say, store, desk } = setup();
    await toItem(say, 25);
    const result = await say('はい');
    expect(text(result)).toContain('自社診断の結果は 100点（100点満点）です。');
    const conversation = (await desk.store.findConversation('line', 'u1'))!;
    expect(conversation.dialogs).toEqual([]);
    expect(conversation.diagnoses).toHaveLength(1);
    const summary = conversation.diagnoses![0]!;
    expect(summary).toMatchObject({ total: 100, max: 100, answers: 'd'.repeat(25), profile: {} });
    const record = (await store.documents<DiagnosisRecord>(DIAGNOSES).get(summary.id))!;
    expect(record).toMatchObject({ org: 'default', conversationId: conversation.id, score: { total: 100 } });
    expect(Object.keys(record.answers)).toHaveLength(25);
  });

  it('asking for a person in the middle starts the intake, with the diagnosis kept below it', async () => {
    const { say, desk } = setup();
    await toItem(say, 6);
    const r = await say('人の相談員と話したいです');
    expect(r.map((m) => m.text).join('\n')).not.toContain('の途中です。続けますか？');
    expect(r.at(-1)!.text).toMatch(/^担当者（相談員）におつなぎします。/);
    const c = (await desk.store.findConversation('line', 'u1'))!;
    expect(c.dialogs.map((d) => d.dialog)).toEqual(['diagnosis', 'handoff']);
  });

  it('offers a person and the Otasuketai service when the score is very low', async () => {
    const { say } = setup();
    await say('自社診断');
    for (let i = 0; i < 4; i++) await say('スキップ');
    let r: StoredMessage[] = [];
    for (let i = 0; i < 25; i++) r = await say('してない');
    expect(text(r)).toContain('自社診断の結果は 0点（100点満点）です。');
    expect(text(r)).toContain('お助け隊サービス');
    expect(last(r).choices?.map((c) => c.value)).toContain('cmd:handoff');
  });

  it('does not record a hesitation: it asks again with わからない first', async () => {
    const { say, store } = setup();
    await toItem(say, 3);
    const r = await say('うーん…');
    expect(r).toHaveLength(1);
    expect(r[0]!.text).toMatch(/「わからない」を選んでください/);
    expect(r[0]!.choices?.map((c) => c.label)).toEqual(['わからない', '実施している', '一部実施している', '実施していない', '戻る']);
    expect(last(await say('わからない')).text).toMatch(/^【4\/25】/);
    const c = (await store.findConversation('line', 'u1'))!;
    expect(c.dialogs.at(-1)!.state).toMatchObject({ answers: { '1': 'done', '2': 'done', '3': 'unknown' } });
  });

  it('points an answer about another item back to the one asked, and records nothing', async () => {
    const { say, store } = setup();
    await toItem(say, 6);
    const r = await say('鍵かけてます');
    expect(r[0]!.text).toMatch(/^それは No\.1[2679]/);
    expect(r[0]!.text).toContain('いまは No.6 について');
    let c = (await store.findConversation('line', 'u1'))!;
    expect(c.dialogs.at(-1)!.state).toMatchObject({ item: 6 });
    expect((c.dialogs.at(-1)!.state as { answers: object }).answers).not.toHaveProperty('6');
    // The same words on the item they belong to are an answer.
    await say('はい');
    for (let i = 7; i < 17; i++) await say('はい');
    const kept = await say('鍵かけてます');
    expect(kept[0]!.text).toBe('「実施している」として記録しました（「戻る」で訂正できます）。');
    c = (await store.findConversation('line', 'u1'))!;
    expect(c.dialogs.at(-1)!.state).toMatchObject({ answers: { '17': 'done' } });
  });

  it('says how a typed answer was read, and 戻る corrects it', async () => {
    const { say, store } = setup();
    await toItem(say, 2);
    const r = await say('半分くらいかな');
    expect(r[0]!.text).toBe('「一部実施している」として記録しました（「戻る」で訂正できます）。');
    expect(last(r).text).toMatch(/^【3\/25】/);
    await say('戻る');
    await say('実施している');
    const c = (await store.findConversation('line', 'u1'))!;
    expect(c.dialogs.at(-1)!.state).toMatchObject({ item: 3, answers: { '2': 'done' } });
  });

  it('answers a how-to question on the current item with its how-to, then asks the item again', async () => {
    const { say, store } = setup();
    await toItem(say, 1);
    const r = await say('OSの更新ってどうやるの？');
    expect(r[0]!.text).toMatch(/^No\.1 のやり方の目安です。/);
    expect(r[0]!.text).toContain('自動更新');
    expect(last(r).text).toMatch(/^【1\/25】/);
    const c = (await store.findConversation('line', 'u1'))!;
    expect(c.dialogs.at(-1)!.state).toMatchObject({ item: 1, answers: {} });
  });
});
