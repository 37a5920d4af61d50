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

// Hiragana ぁ (U+3041) .. ゖ (U+3096) sit 0x60 below their katakana.
const HIRAGANA = /[\u3041-\u3096]/g;
const toKatakana = (h: string) => String.fromCharCode(h.charCodeAt(0) + 0x60);
const SMALL = /[ァィゥェォヮヵヶヴ]/g;
const toLarge = (k: string) => (k === 'ヴ' ? 'ブ' : SMALL_TO_LARGE[k]!);

export function normalize(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(NOISE, ' ')
    .replace(HIRAGANA, toKatakana)
    .replace(SMALL, toLarge)
    .replace(LONG_VOWEL, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Normalised and without any spaces: for comparing short commands and labels. Memoised: a turn
 * compares the same input and the same button labels several times.
 */
export function compact(text: string): string {
  let c = memo.get(text);
  if (c === undefined) {
    c = normalize(text).replace(/ /g, '');
    if (text.length <= MEMO_MAX_LENGTH) {
      if (memo.size >= MEMO_SIZE) memo.clear();
      memo.set(text, c);
    }
  }
  return c;
}

const memo = new Map<string, string>();
const MEMO_SIZE = 5000;
const MEMO_MAX_LENGTH = 200;
