import { compact } from './normalize.js';

/**
 * Character n-grams of a question's search form. Japanese has no spaces; bigrams and trigrams
 * of characters catch words without a dictionary and survive conjugation, particles and most
 * typos (one wrong character spoils only the n-grams around it).
 */
export function grams(text: string, sizes: readonly number[] = [2, 3]): string[] {
  const s = compact(text);
  const out: string[] = [];
  if (s.length === 1) out.push(s);
  for (const n of sizes) for (let i = 0; i + n <= s.length; i++) out.push(s.slice(i, i + n));
  return out;
}

/** Term counts of a list of grams. */
export function counts(terms: readonly string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const t of terms) m.set(t, (m.get(t) ?? 0) + 1);
  return m;
}
