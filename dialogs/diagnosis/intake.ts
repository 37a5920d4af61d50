import type { UserInput } from '../../bot/turn.js';
import { compact } from '../../knowledge/normalize.js';

/** The questions asked before item 1: who the company is. Every one can be skipped. */

export { PREFECTURES } from '../../knowledge/prefectures.js';
import { PREFECTURES } from '../../knowledge/prefectures.js';

/** 「東京」「大阪府です」「神奈川県横浜市」 → the prefecture. Full names first: 「東京都」 contains 「京都」. */
export function prefectureOf(text: string): string | undefined {
  const t = compact(text);
  const full = PREFECTURES.find((p) => t.includes(compact(p)));
  if (full) return full;
  return PREFECTURES.find((p) => t.includes(compact(p === '北海道' ? p : p.slice(0, -1))));
}

export const INDUSTRIES = ['製造業', '建設業', '卸売・小売業', '飲食・宿泊業', '医療・福祉', '士業・専門サービス', 'その他のサービス業', '情報通信業'];

export const EMPLOYEE_BANDS: { label: string; upTo: number }[] = [
  { label: '1〜5人', upTo: 5 },
  { label: '6〜20人', upTo: 20 },
  { label: '21〜50人', upTo: 50 },
  { label: '51〜100人', upTo: 100 },
  { label: '101人以上', upTo: Infinity },
];

/** 「12人」「従業員30名くらい」 → the band; a text without a number is not understood. */
export function employeesOf(text: string): string | undefined {
  const m = /(\d+)/.exec(text.normalize('NFKC').replace(/,/g, ''));
  if (!m) return undefined;
  const n = Number(m[1]);
  if (n < 1) return undefined;
  return EMPLOYEE_BANDS.find((b) => n <= b.upTo)!.label;
}

/** Whole messages only: 「パスコ」 is a company name, not 「パス」. */
const SKIP_PHRASES = new Set(
  ['スキップ', 'とばす', '飛ばす', '飛ばして', 'パス', 'なし', '無し', '特になし', '答えない', '答えたくない', '言いたくない', '内緒', 'ひみつ', '秘密', 'skip', '次へ', 'いらない']
    .flatMap((w) => [w, `${w}します`, `${w}で`, `${w}です`, `${w}でお願いします`])
    .map(compact),
);

export function isSkip(text: string): boolean {
  return SKIP_PHRASES.has(compact(text));
}

/** The whole message must be a way of saying "back": 「株式会社モドル」 is a company name. */
const BACK_PHRASES = new Set(
  ['戻る', 'もどる', '戻って', '戻りたい', '戻ります', '前へ', '前に戻る', '前の質問', '前の質問に戻る', '前の質問に戻って', 'ひとつ前', '一つ前', 'ひとつ前に戻る', '一つ前に戻る', 'back']
    .flatMap((w) => [w, `${w}ください`, `${w}です`])
    .map(compact),
);

export function isBack(text: string): boolean {
  return BACK_PHRASES.has(compact(text));
}

/** The skip button (its value in this dialog) pressed, or a way of saying skip typed. */
export function skipped(input: UserInput, skipValue: string): boolean {
  return (input.type === 'choice' && input.value === skipValue) || (input.type === 'text' && isSkip(input.text));
}

/** The back button (its value in this dialog) pressed, or 戻る typed. */
export function wentBack(input: UserInput, backValue: string): boolean {
  return (input.type === 'choice' && input.value === backValue) || (input.type === 'text' && isBack(input.text));
}

/** A company name as typed, within reason: one line, not a paragraph. */
export function nameOf(text: string): string | undefined {
  const t = text.normalize('NFKC').replace(/\s+/g, ' ').trim();
  return t && t.length <= 60 ? t : undefined;
}
