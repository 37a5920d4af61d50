import { afterEach, describe, expect, it } from 'vitest';
import { renderMessages } from '../../adapters/line/render.js';
import type { StoredMessage } from '../../bot/types.js';
import { contactProblems, MEASURED_ASKS, shapeProblems } from '../../knowledge/answer-shape.js';
import { briefReply, FIRST_MESSAGE_MAX } from '../../knowledge/render.js';
import { subQuestion } from '../../knowledge/sub-question.js';
import { botDesk, knowledge, removeBotDesks } from '../helpers/bot-desk.js';

const kb = knowledge();
afterEach(removeBotDesks);
const labels = (m: StoredMessage) => (m.choices ?? []).map((c) => c.label);
/** The addresses the buttons of a message's cards open. */
const cardUrls = (m: StoredMessage) => (m.cards ?? []).flatMap((c) => c.buttons ?? []).flatMap((b) => ('url' in b ? [b.url] : []));

/** The first message a user sees on each channel, as that channel shows it. */
function firstOnEachChannel(reply: ReturnType<typeof briefReply>): { web: string; line: string } {
  const stored: StoredMessage = { seq: 1, from: 'bot', at: '2026-12-01T00:00:00Z', ...reply };
  const line = renderMessages([stored])[0]!.message as { type: string; text: string };
  expect(line.type).toBe('text');
  return { web: reply.text!, line: line.text };
}

describe('the shape of every answer', () => {
  it('keeps every first message within 300 characters on the web and LINE, whatever was asked, with a median of at most 250', () => {
    const plain: number[] = [];
    for (const entry of kb.entries) {
      for (const asked of MEASURED_ASKS) {
        const { web, line } = firstOnEachChannel(briefReply(kb, entry, asked));
        expect([...web].length, `${entry.id} 「${asked}」`).toBeLessThanOrEqual(FIRST_MESSAGE_MAX);
        expect([...line].length, `${entry.id} 「${asked}」 on LINE`).toBeLessThanOrEqual(FIRST_MESSAGE_MAX);
        if (!asked) plain.push([...web].length);
      }
    }
    plain.sort((a, b) => a - b);
    expect(plain[Math.floor(plain.length / 2)]).toBeLessThanOrEqual(250);
  });

  it('has no shape problems: a brief for every answer, sources with URLs (contacts\' too), primary sources first', () => {
    const problems = [...kb.entries.flatMap((e) => shapeProblems(kb, e).map((p) => `${e.id}: ${p}`)), ...contactProblems(kb.contacts.values())];
    expect(problems).toEqual([]);
  });

  it('starts with what this is and the first things to do, and puts the rest behind buttons', async () => {
    const { say } = botDesk();
    const r = await say('パスワードはどう決めればいい？');
    expect(r).toHaveLength(1);
    const entry = kb.entry('password')!;
    expect(r[0]!.text).toContain(entry.brief!.lead);
    expect(r[0]!.text).toContain(`1. ${entry.brief!.first[0]}`);
    expect(r[0]!.text).toMatch(/出典: .+（\d{4}-\d{2}-\d{2} 確認）$/);
    expect(labels(r[0]!)).toEqual(['次にすること', '詳しく', '解決した', '解決しない', '担当者に相談'].filter((l) => l !== '連絡先'));
  });
});

describe('sub-questions', () => {
  it('reads what a question asks for, and not a report that mentions a number', () => {
    expect(subQuestion('お助け隊は月いくら？')).toBe('price');
    expect(subQuestion('Windows10のサポートはいつまで？')).toBe('date');
    expect(subQuestion('漏えいの報告期限は何日以内？')).toBe('deadline');
    expect(subQuestion('SECURITY ACTIONの申し込み方法を教えて')).toBe('apply');
    expect(subQuestion('うちみたいな5人の会社も対象ですか')).toBe('target');
    expect(subQuestion('IPAの相談窓口の電話番号は？')).toBe('contact');
    expect(subQuestion('どこに相談すればいいですか')).toBe('contact');
    expect(subQuestion('表示された番号に電話してしまった')).toBeUndefined();
    expect(subQuestion('警告の電話番号って本物ですか？')).toBeUndefined();
    expect(subQuestion('いつも同じパスワードを使っています')).toBeUndefined();
  });

  it('answers 「お助け隊は月いくら？」 with the price first', async () => {
    const { say } = botDesk();
    const [first] = await say('お助け隊は月いくら？');
    const lines = first!.text!.split('\n');
    expect(lines[0]).toBe('【サイバーセキュリティお助け隊サービス】');
    expect(lines[1]).toMatch(/月額1万円以下/);
    expect(lines[1]).toMatch(/2,000円以下/);
  });

  it('answers 「Windows10のサポートはいつまで？」 with the date first, citing Microsoft', async () => {
    const { say } = botDesk();
    const [first] = await say('Windows10のサポートはいつまで？');
    const lines = first!.text!.split('\n');
    expect(lines[1]).toMatch(/2025年10月14日/);
    expect(first!.text).toMatch(/出典: Microsoft/);
  });

  it('takes a new question right after an answer as a question, even with はい inside its words', async () => {
    const { say, store } = botDesk();
    await say('お助け隊は月いくら？');
    const [next] = await say('Windows10のサポートはいつまで？');
    expect(next!.text).toMatch(/2025年10月14日/);
    expect((await store.findConversation('web', 'u1'))!.topics[0]!.helpful).toBeUndefined();
  });

  it('answers a question for a phone number with the numbers and addresses in the first message, as buttons too', async () => {
    const { say } = botDesk();
    const [first] = await say('ランサムウェアのことを相談できる窓口の連絡先は？');
    expect(first!.text).toMatch(/^【ランサムウェア/);
    expect(first!.text).toMatch(/cs-support@ipa\.go\.jp|#9110|03-/);
    const urls = cardUrls(first!);
    expect(urls.some((u) => /^(tel:|mailto:)/.test(u))).toBe(true);
    expect([...first!.text!].length).toBeLessThanOrEqual(FIRST_MESSAGE_MAX);
  });

  it('gives a named contact with call and mail buttons; LINE shows the call as a Flex button and keeps the address in the text', async () => {
    const web = botDesk();
    const [mail] = await web.say('IPAの相談窓口のメールアドレスは？');
    expect(mail!.text).toContain('cs-support@ipa.go.jp');
    expect(cardUrls(mail!)).toContain('mailto:cs-support@ipa.go.jp');
    const line = botDesk({ channel: 'line' });
    const [police] = await line.say('警察の相談窓口の番号を教えて');
    const out = renderMessages([police!]);
    expect((out[0]!.message as { text: string }).text).toContain('#9110');
    const flex = out.find((o) => (o.message as { type: string }).type === 'flex')!.message as { contents: unknown };
    expect(JSON.stringify(flex.contents)).toContain('"uri":"tel:%239110"');
  });
});
