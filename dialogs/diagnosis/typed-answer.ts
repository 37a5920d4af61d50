import { compact } from '../../knowledge/normalize.js';
import { isLoose } from '../choices.js';
import type { AnswerId, DiagnosisItem } from '../../knowledge/schema.js';

/**
 * Understands a typed answer to a diagnosis item: 「はい」「やってます」「一部だけ」「してない」
 * 「わかんない」, the item's own phrasings (「バックアップ取ってる」), and verbs in the
 * affirmative or negative (「鍵かけてます」「決めてない」).
 *
 * Order matters: わからない before the negatives (it ends in ない), the negatives before the
 * affirmatives (「やってない」 contains 「やって」). A question (「してないとまずい？」) is not an
 * answer: the dialog treats it as something asked in passing.
 */
const UNKNOWN = ['わからない', 'わかんない', '分からない', '分かりません', 'わかりません', '不明', '知らない', 'しらない', '把握していない', '把握してない', 'たぶん', '多分', 'どうだろう'];
const PARTLY = ['一部', 'いちぶ', 'たまに', '時々', 'ときどき', '半分', '部分的', '少し', 'すこし', 'ちょっと', 'まあまあ', 'それなり', 'による', 'によります', 'によって', 'まちまち', 'ばらばら', 'だいたい', '大体', 'ほぼ', '一応', 'いちおう', '半々'];
const NO = ['いいえ', 'いや', 'no', 'なし', '無し', 'ない', 'まだ', '未実施', '全然', 'ぜんぜん', 'やっていない', 'していない', 'してない', 'やってない', 'できていない', 'できてない', '実施していない', 'してません', 'やってません', 'できません', 'ありません', 'してないです', '特にない', '特にしてない', 'ノー', 'ゼロ'];
const YES = ['はい', 'yes', 'うん', 'ええ', 'ok', 'おk', 'もちろん', 'ばっちり', 'バッチリ', 'やってる', 'やっている', 'やってます', 'している', 'してる', 'してます', 'しています', 'できてる', 'できている', 'できてます', '実施している', '実施済み', '実施済', '対応済み', '対応済', '済み', '済', 'あり', 'ある', 'あります', '大丈夫', 'だいじょうぶ', 'オッケー'];

const set = (words: string[]) => words.map(compact);
const UNKNOWN_C = set(UNKNOWN);
const PARTLY_C = set(PARTLY);
const NO_C = set(NO);
const YES_C = set(YES);
/** Verb endings: 「…てない」「…ていません」 are no, 「…てる」「…ています」 yes. */
const NEGATIVE_END = /(テナイ|テイナイ|テマセン|テイマセン|ナイデス|ナイ|ナカッタ|マセン|ズ)$/;
// Not a bare です/ます: 「相談員と話したいです」 is a request, not a yes.
const AFFIRMATIVE_END = /(テル|テイル|テマス|テイマス|テオリマス|シテル|ズミ|済ミ|済|デキル|デキマス|アリマス)$/;
/** Longer than this, a text is a story or a question, not an answer to a yes/no item. */
const MAX_ANSWER_CHARS = 30;

export function typedAnswer(text: string, item?: DiagnosisItem): AnswerId | undefined {
  const raw = text.trim();
  if (/[?？]$/.test(raw)) return undefined;
  const t = compact(raw);
  if (!t || t.length > MAX_ANSWER_CHARS) return undefined;
  if (/(カ|ノ|デスカ|マスカ)$/.test(t) && !/^(ハイ|イイエ)/.test(t)) return undefined;
  // Short kana or latin words (はい, ない, ok) only at the start; kanji words (一部, 不明) anywhere.
  const has = (words: string[]) => words.some((w) => (isLoose(w) ? t.startsWith(w) : t.includes(w)));
  if (has(UNKNOWN_C)) return 'unknown';
  if (has(PARTLY_C)) return 'partly';
  if (item && set(item.noWords).some((w) => t.includes(w))) return 'not';
  if (item && set(item.yesWords).some((w) => t.includes(w))) return 'done';
  if (has(NO_C) || NEGATIVE_END.test(t)) return 'not';
  if (has(YES_C) || AFFIRMATIVE_END.test(t)) return 'done';
  return undefined;
}
