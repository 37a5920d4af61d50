import type { UserInput } from '../bot/turn.js';
import type { Choice } from '../bot/types.js';
import { compact } from '../knowledge/normalize.js';

/**
 * Which offered choice the user meant: a pressed button, its number ("2", "２番", "②"), its
 * label typed out, or a part of a label that fits only one choice ("解決" fits 解決した but
 * also 解決しない, so it fits neither). `synonyms` adds typed words per choice value.
 */
export function pickChoice(
  input: UserInput,
  choices: readonly Choice[],
  synonyms: Record<string, readonly string[]> = {},
): Choice | undefined {
  if (input.type === 'choice') return choices.find((c) => c.value === input.value);
  if (input.type !== 'text') return undefined;
  const t = compact(input.text);
  if (!t) return undefined;

  const number = /^(\d{1,2})(番|番目|つ目)?$/.exec(t);
  if (number) return choices[Number(number[1]) - 1];

  const exact = choices.find((c) => compact(c.label) === t || (synonyms[c.value] ?? []).some((s) => compact(s) === t));
  if (exact) return exact;

  const partial = choices.filter((c) => {
    const label = compact(c.label);
    // A label inside the text counts when the text is about as long as the label (「詳しくお願い
    // します」): 「IPAの窓口の連絡先を教えて」 holds 連絡先 but is a question of its own.
    return (t.length >= 2 && label.includes(t)) || (label.length >= 2 && t.includes(label) && t.length <= label.length + LABEL_SLACK);
  });
  if (partial.length === 1) return partial[0];
  if (partial.length > 1 || t.length > LOOSE_MAX) return undefined;

  // A short sentence around a synonym ("ありがとう、助かりました"): the choice whose synonym
  // found in it is longest wins, so "解決しない" beats the "解決" inside it.
  let best: Choice | undefined;
  let bestLength = 0;
  let tie = false;
  for (const c of choices) {
    const length = Math.max(0, ...(synonyms[c.value] ?? []).map(compact).filter((s) => s.length >= 2 && (isLoose(s) ? t.startsWith(s) : t.includes(s))).map((s) => s.length));
    if (length > bestLength) {
      best = c;
      bestLength = length;
      tie = false;
    } else if (length > 0 && length === bestLength) tie = true;
  }
  return tie ? undefined : best;
}

/** Longer texts are questions or stories, not answers to a prompt. */
const LOOSE_MAX = 20;
/** Characters a typed label may carry around it and still be that button. */
const LABEL_SLACK = 6;

/**
 * Two kana or latin letters (はい, ok; in search form) turn up inside other words
 * (サポートは|いつまで, 今日は|いい天気, facebook): such a word counts only at the start of a text.
 */
export function isLoose(word: string): boolean {
  return word.length <= 2 && /^[\u30a0-\u30ffa-z]+$/.test(word);
}
