/**
 * Japanese text normalisation shared by the matcher and command detection. The output is a
 * "search form", never shown to users: it folds the ways people write the same word.
 *
 * - NFKC: half-width kana → full-width (ｳｲﾙｽ → ウイルス), full-width letters/digits → ASCII.
 * - lower case.
 * - hiragana → katakana (ういるす → ウイルス).
 * - small vowel kana → large (ウィルス → ウイルス, ファイル → フアイル on both sides alike).
 * - long-vowel marks dropped (サーバー = サーバ, コンピューター = コンピュータ).
 * - ヴ → ブ.
 * - emoji, symbols and punctuation → a space; runs of spaces collapsed.
 */

const SMALL_TO_LARGE: Record<string, string> = { ァ: 'ア', ィ: 'イ', ゥ: 'ウ', ェ: 'エ', ォ: 'オ', ヮ: 'ワ', ヵ: 'カ', ヶ: 'ケ' };

// Pictographs, their modifiers and joiners, and everything that is punctuation or a symbol.
const NOISE = /[\p{Extended_Pictographic}\p{Emoji_Modifier}\u200d\ufe0e\ufe0f\u20e3\p{P}\p{S}]/gu;
const LONG_VOWEL = /[ー〜～]/g;

export function normalize(text: string): string {
  let s = text.normalize('NFKC').toLowerCase();
  s = s.replace(NOISE, ' ');
  let out = '';
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    // Hiragana ぁ (U+3041) .. ゖ (U+3096) sit 0x60 below their katakana.
    let k = code >= 0x3041 && code <= 0x3096 ? String.fromCodePoint(code + 0x60) : ch;
    k = SMALL_TO_LARGE[k] ?? k;
    if (k === 'ヴ') k = 'ブ';
    out += k;
  }
  return out.replace(LONG_VOWEL, '').replace(/\s+/g, ' ').trim();
}

/** Normalised and without any spaces: for comparing short commands and labels. */
export function compact(text: string): string {
  return normalize(text).replace(/ /g, '');
}
