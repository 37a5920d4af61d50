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
    return (t.length >= 2 && label.includes(t)) || (label.length >= 2 && t.includes(label));
  });
  return partial.length === 1 ? partial[0] : undefined;
}
