import { describe, expect, it } from 'vitest';
import { splitText, utf16Units } from '../../bot/split-text.js';
import { pickChoice } from '../../dialogs/choices.js';
import { commandOf } from '../../dialogs/commands.js';
import { compact, normalize } from '../../knowledge/normalize.js';

const text = (t: string) => ({ type: 'text' as const, text: t });

describe('normalize', () => {
  it('folds the ways people write the same Japanese word', () => {
    expect(normalize('ｳｲﾙｽ')).toBe(normalize('ウイルス'));
    expect(normalize('ウィルス')).toBe(normalize('ウイルス'));
    expect(normalize('ういるす')).toBe(normalize('ウイルス'));
    expect(normalize('サーバー')).toBe(normalize('サーバ'));
    expect(normalize('ＰＡＳＳＷＯＲＤ１２３')).toBe('password123');
    expect(normalize('ヴァイラス')).toBe(normalize('ブアイラス'));
  });
  it('strips emoji, their modifiers and punctuation', () => {
    expect(normalize('助けて😱🙏🏻！！')).toBe(normalize('助けて'));
    expect(normalize('👨‍💻')).toBe('');
    expect(compact('メニュー を 見せて。')).toBe(compact('メニューを見せて'));
  });
});

describe('commandOf', () => {
  it('recognises whole-message commands however they are written', () => {
    expect(commandOf(text('メニュー'))).toBe('menu');
    expect(commandOf(text('めにゅー'))).toBe('menu');
    expect(commandOf(text('ﾒﾆｭｰ'))).toBe('menu');
    expect(commandOf(text('やめる'))).toBe('cancel');
    expect(commandOf(text('キャンセルします。'))).toBe('cancel');
    expect(commandOf(text('担当者'))).toBe('handoff');
    expect(commandOf(text('担当者と話したい'))).toBe('handoff');
    expect(commandOf(text('人と話したいです！'))).toBe('handoff');
    expect(commandOf(text('オペレーターにつないでください'))).toBe('handoff');
    expect(commandOf(text('続ける'))).toBe('resume');
    expect(commandOf({ type: 'choice', value: 'cmd:menu', label: 'メニュー' })).toBe('menu');
  });
  it('does not take a question that merely contains a command word', () => {
    expect(commandOf(text('担当者から変なメールが来た'))).toBeUndefined();
    expect(commandOf(text('メニューに不審なリンクがある'))).toBeUndefined();
    expect(commandOf(text('人'))).toBeUndefined();
    expect(commandOf(text('やめるべき設定はありますか'))).toBeUndefined();
    expect(commandOf({ type: 'other', kind: 'sticker' })).toBeUndefined();
  });
});

describe('pickChoice', () => {
  const choices = [
    { label: '実施している', value: 'yes' },
    { label: '一部実施している', value: 'part' },
    { label: '実施していない', value: 'no' },
  ];
  it('accepts a button, a number, the label, or a part fitting one label', () => {
    expect(pickChoice({ type: 'choice', value: 'part', label: '' }, choices)?.value).toBe('part');
    expect(pickChoice(text('２'), choices)?.value).toBe('part');
    expect(pickChoice(text('3番'), choices)?.value).toBe('no');
    expect(pickChoice(text('実施していない'), choices)?.value).toBe('no');
    expect(pickChoice(text('一部'), choices)?.value).toBe('part');
    expect(pickChoice(text('はい'), choices, { yes: ['はい'] })?.value).toBe('yes');
  });
  it('finds a synonym inside a short sentence, the longest one winning', () => {
    const fb = [
      { label: '解決した', value: 'solved' },
      { label: '解決しない', value: 'unsolved' },
    ];
    const syn = { solved: ['ありがとう', '助かった', '解決'], unsolved: ['解決していない', 'だめ'] };
    expect(pickChoice(text('ありがとう、助かりました！'), fb, syn)?.value).toBe('solved');
    expect(pickChoice(text('うーん、まだ解決していないです'), fb, syn)?.value).toBe('unsolved');
    expect(pickChoice(text('ありがとうございます。ところでバックアップはどうすれば'), fb, syn)).toBeUndefined();
  });

  it('refuses what fits several labels or none', () => {
    expect(pickChoice(text('実施'), choices)).toBeUndefined();
    expect(pickChoice(text('バナナ'), choices)).toBeUndefined();
    expect(pickChoice(text('9'), choices)).toBeUndefined();
    expect(pickChoice({ type: 'choice', value: 'other', label: '' }, choices)).toBeUndefined();
  });
});

describe('splitText', () => {
  it('keeps short text whole', () => {
    expect(splitText('短い文です。', 100)).toEqual(['短い文です。']);
  });
  it('splits at paragraphs, then lines, then characters, never over the limit', () => {
    const para = 'あ'.repeat(60);
    const parts = splitText([para, para, para].join('\n\n'), 130);
    expect(parts).toEqual([`${para}\n\n${para}`, para]);
    const lines = Array.from({ length: 10 }, (_, i) => `${i}行目の文章です`).join('\n');
    for (const p of splitText(lines, 30)) expect([...p].length).toBeLessThanOrEqual(30);
    expect(splitText(lines, 30).join('\n')).toBe(lines);
    const long = '長'.repeat(250);
    expect(splitText(long, 100)).toEqual(['長'.repeat(100), '長'.repeat(100), '長'.repeat(50)]);
  });
  it('counts emoji as one character each', () => {
    expect(splitText('😀'.repeat(10), 10)).toEqual(['😀'.repeat(10)]);
  });
  it('counts in UTF-16 units when asked (LINE), never cutting an emoji in half', () => {
    const parts = splitText('😀'.repeat(7), 5, utf16Units);
    expect(parts).toEqual(['😀😀', '😀😀', '😀😀', '😀']);
    for (const p of parts) expect(p.length).toBeLessThanOrEqual(5);
    expect(parts.join('')).toBe('😀'.repeat(7));
  });
});
