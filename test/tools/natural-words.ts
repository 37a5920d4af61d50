import { createRequire } from 'node:module';
import { normalize } from '../../knowledge/normalize.js';

/**
 * Words of a Japanese text, from natural's tokenizer (a TinySegmenter port: a small statistical
 * segmenter, no dictionary), as extra classifier features beside the character n-grams, for the
 * measurement in test/tools/natural-eval.ts. Not used by the desk: the gain did not pay for the
 * cost (docs/benchmarks.md, Notes).
 *
 * Imported deeply: `require('natural')` loads `.env` into process.env, prints to stdout and
 * pulls in database clients (../shared/stack-notes.md §3). This file needs none of that.
 */
const TokenizerJa = createRequire(import.meta.url)('natural/lib/natural/tokenizers/tokenizer_ja.js') as new () => { tokenize(text: string): string[] };
const tokenizer = new TokenizerJa();

/** Words of two characters or more, in search form, marked apart from the n-grams (「w:添付」). */
export function words(text: string): string[] {
  return tokenizer
    .tokenize(text.normalize('NFKC'))
    .map((w) => normalize(w).replace(/\s/g, ''))
    .filter((w) => w.length >= 2)
    .map((w) => `w:${w}`);
}
