import { describe, expect, it } from 'vitest';
import { LIMITS, batches, fit, renderMessages } from '../../adapters/line/render.js';
import type { StoredMessage } from '../../bot/types.js';

const msg = (seq: number, m: Partial<StoredMessage>): StoredMessage => ({ seq, from: 'bot', text: 'テキスト', at: '2026-11-30T00:00:00Z', ...m });

describe('LINE rendering', () => {
  it('splits text longer than 5,000 characters and groups messages into calls of five', () => {
    const long = 'あ'.repeat(12_000);
    const out = renderMessages([msg(1, { text: long }), msg(2, {}), msg(3, {}), msg(4, {})]);
    expect(out.map((o) => (o.message as { text: string }).text.length)).toEqual([5000, 5000, 2000, 4, 4, 4]);
    expect(batches(out).map((b) => b.length)).toEqual([5, 1]);
    expect(batches(out)[1]![0]!.seq).toBe(4);
  });

  it('puts at most 13 quick reply items, with labels cut to 20 characters, on the last message', () => {
    const choices = Array.from({ length: 15 }, (_, i) => ({ label: `とても長い選択肢のラベルです、番号は${i + 1}番目です`, value: `v${i}` }));
    const out = renderMessages([msg(1, { text: '一つ目' }), msg(2, { text: '選んでください', choices })]);
    expect((out[0]!.message as any).quickReply).toBeUndefined();
    const items = (out[1]!.message as any).quickReply.items;
    expect(items).toHaveLength(LIMITS.quickReplyItems);
    for (const i of items) expect([...i.action.label].length).toBeLessThanOrEqual(20);
    expect(items[0].action.label).toBe('とても長い選択肢のラベルです、番号は1…');
    expect(items[0].action).toMatchObject({ type: 'postback', data: 'v0', displayText: choices[0]!.label });
  });

  it('renders cards as a Flex bubble with altText and link buttons', () => {
    const out = renderMessages([
      msg(1, {
        text: '結果です',
        cards: [{ title: '自社診断レポート', body: '60点／100点', buttons: [{ label: 'レポートを開く', url: 'https://desk.example.jp/reports/abc' }] }],
        choices: [{ label: 'メニュー', value: 'cmd:menu' }],
      }),
    ]);
    expect(out).toHaveLength(2);
    const flex = out[1]!.message as any;
    expect(flex.type).toBe('flex');
    expect(flex.altText).toBe('自社診断レポート: 60点／100点');
    expect(flex.contents.type).toBe('bubble');
    expect(flex.contents.footer.contents[0].action).toEqual({ type: 'uri', label: 'レポートを開く', uri: 'https://desk.example.jp/reports/abc' });
    expect(flex.quickReply.items[0].action.label).toBe('メニュー');
  });

  it('makes a carousel of several cards and keeps altText within its limit', () => {
    const cards = Array.from({ length: 14 }, (_, i) => ({ title: `カード${i}`, body: 'い'.repeat(200) }));
    const flex = renderMessages([msg(1, { cards })])[1]!.message as any;
    expect(flex.contents.type).toBe('carousel');
    expect(flex.contents.contents).toHaveLength(12);
    expect(flex.altText.length).toBeLessThanOrEqual(1500);
  });

  it('cuts labels by grapheme clusters, as LINE counts them', () => {
    expect(fit('🔒'.repeat(25), 20)).toBe('🔒'.repeat(19) + '…');
    expect(fit('👨‍👩‍👧'.repeat(21), 20)).toBe('👨‍👩‍👧'.repeat(19) + '…');
    expect(fit('短い', 20)).toBe('短い');
  });

  it('splits a text of emoji under 5,000 UTF-16 units a bubble, whole emoji only', () => {
    const text = '🍎'.repeat(3000); // 6,000 UTF-16 units
    const out = renderMessages([msg(1, { text })]);
    const parts = out.map((o) => (o.message as { text: string }).text);
    expect(parts.map((p) => p.length)).toEqual([5000, 1000]);
    expect(parts.join('')).toBe(text);
    for (const p of parts) expect(p).not.toMatch(/[\uD800-\uDBFF]$/);
  });

  it('keeps altText within 1,500 UTF-16 units', () => {
    const cards = [{ title: '絵文字', body: '🍎'.repeat(1000) }];
    const flex = renderMessages([msg(1, { cards })])[1]!.message as any;
    expect(flex.altText.length).toBeLessThanOrEqual(1500);
    expect(flex.altText.endsWith('…')).toBe(true);
  });

  it('renders call buttons as URI actions with tel:, and leaves out mail links, which LINE cannot open', () => {
    const flex = renderMessages([
      msg(1, {
        text: '【至急】…',
        cards: [{ title: '警察相談専用電話 #9110', buttons: [{ label: '電話する #9110', url: 'tel:%239110' }, { label: 'メールを書く', url: 'mailto:a@example.jp' }, { label: '公式ページ', url: 'https://www.npa.go.jp/' }] }],
      }),
    ])[1]!.message as any;
    const actions = flex.contents.footer.contents.map((b: any) => b.action);
    expect(actions).toEqual([
      { type: 'uri', label: '電話する #9110', uri: 'tel:%239110' },
      { type: 'uri', label: '公式ページ', uri: 'https://www.npa.go.jp/' },
    ]);
  });
});
