import type { KnowledgeBase } from '../../knowledge/knowledge-base.js';
import { compact } from '../../knowledge/normalize.js';
import type { DiagnosisItem } from '../../knowledge/schema.js';

/**
 * What a typed reply to a diagnosis item is when it is not simply an answer: a hesitation
 * (「うーん」), an answer about something else (「鍵かけてます」 on the e-mail item), or a
 * question about how to do the item (「OSの更新ってどうやるの？」 on item 1).
 */

const HESITATIONS = ['うーん', 'うーむ', 'うむ', 'んー', 'んーと', 'えーと', 'えっと', 'ええと', 'あのー', 'そうですね', 'どうかな', 'どうだろ', '迷う', '迷います', '悩む', '悩みます', '微妙', 'びみょう', '難しい', 'むずかしい', 'なんとも', '何とも', 'うーんと', 'ちょっと待って', 'まって', '待って'];
const HESITATIONS_C = HESITATIONS.map(compact);

/** 「うーん」「えーと…」「微妙」: thinking aloud, not an answer. */
export function isHesitation(text: string): boolean {
  const t = compact(text);
  if (!t) return /^[.…・ー〜～\s]+$/.test(text.trim()) && text.trim().length > 0;
  return t.length <= 12 && HESITATIONS_C.some((h) => t === h || t.startsWith(h));
}

const HOW_TO = /どうやる|どうやって|やり方|やりかた|方法|どうすれば|どうしたら|どうする|手順|仕方|とは[?？]?$|って何|ってなに|ってどういう|どういう意味|意味/;

/** A question about how to do something (or what it means): 「OSの更新ってどうやるの？」. */
export function isHowToQuestion(text: string): boolean {
  return HOW_TO.test(text.normalize('NFKC'));
}

/**
 * Runs of kanji, of two katakana and more, or of three latin letters, as typed (hiragana is
 * grammar here: 「かけてます」), in search form: the things a reply talks about.
 */
function contentWords(text: string): string[] {
  return [...text.normalize('NFKC').toLowerCase().matchAll(/[\u4e00-\u9fff々]+|[\u30a1-\u30ff]{2,}|[a-z]{3,}/g)].map((m) => compact(m[0])).filter(Boolean);
}

/**
 * Each item's vocabulary: its wording, plain explanation, action and own yes/no words. (Not its
 * topic's keywords: the e-mail topic speaks of パスワード and 鍵 for attachments, which would make
 * 「鍵かけてます」 an answer about e-mail.)
 */
export function itemVocabularies(kb: KnowledgeBase): Map<number, string> {
  return new Map(kb.diagnosis.items.map((it) => [it.no, compact([it.question, it.plain, it.action, ...it.yesWords, ...it.noWords].join(' '))]));
}

/** Words of how much, who and when, which go with any item (「全部やってます」「業者に任せてる」). */
const GENERAL = new Set(['全部', '全員', '全て', '全然', '毎日', '毎回', '毎週', '毎月', '一応', '社員', '会社', '社長', '自分', '担当', '担当者', '定期的', '必', '常', '基本', '基本的', '大体', '今', '前', '最近', '去年', '今年', '月', '週', '日', '年', '回', '人', '台', '時々', '一部', '半分', '多分', '不明', '実施', '対策', '済', '業者', '外部', '委託', '外注', '任', 'ベンダー', 'IT'].map(compact));
/** A word held by more items than this is common to the diagnosis, not a sign of one item. */
const DISTINCTIVE_MAX = 4;

/** Whether a reply talks about the item (one of its words is in the item's vocabulary). */
export function mentionsItem(text: string, it: DiagnosisItem, vocab: Map<number, string>): boolean {
  return contentWords(text).some((w) => vocab.get(it.no)!.includes(w));
}

/**
 * The item a reply is about when it is not the one asked: one of its words belongs to a few
 * other items and none to the current one. Words found in many items (パソコン, 全部) or
 * in none (社長) say nothing about which item is meant.
 */
export function otherItemMeant(text: string, current: DiagnosisItem, items: readonly DiagnosisItem[], vocab: Map<number, string>): DiagnosisItem | undefined {
  const words = contentWords(text).filter((w) => !GENERAL.has(w));
  if (words.length === 0) return undefined;
  const inItem = (no: number, w: string) => vocab.get(no)!.includes(w);
  if (mentionsItem(text, current, vocab)) return undefined;
  for (const w of words) {
    const holders = items.filter((it) => inItem(it.no, w));
    if (holders.length >= 1 && holders.length <= DISTINCTIVE_MAX) return holders[0];
  }
  return undefined;
}
