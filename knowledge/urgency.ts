import { compact } from './normalize.js';
import type { KnowledgeEntry } from './schema.js';

/**
 * Whether a message describes an incident happening now (files being encrypted, money already
 * sent, a server intruded, a leak under way, an infected attachment just opened).
 *
 * Only topics whose entry lists `urgentWhen` can be urgent, and only when the message contains
 * all the words of one of its items ("拡張子+変わ" = both words, in any order). A question
 * about prevention, a "what if" or something heard of is not an emergency.
 */
const NOT_HAPPENING = [
  'もしも', '場合', 'としたら', 'たらどう', 'ないようにする', 'ないようにしたい', 'ないための', 'ないためには', '防ぐ', '防ぎ', '防げ',
  '防止', '予防', '備え', '事前に', '手口', 'と聞', 'って聞', 'とは', 'どんなもの', 'どのような', '方法', '見分け',
  // asking whether it happened, or what would happen
  'たかどうか', 'たか確認', 'か調べ', 'と何が',
  // already over
  'もう直', '直してくれ', '復旧した', '解決した',
].map(compact);

/** A word ending in た matches "送金した", not "送金したい" or "送金したら". */
const AFTER_TA_NOT = new Set(['イ', 'ラ']);

function contains(q: string, word: string): boolean {
  let from = 0;
  for (;;) {
    const i = q.indexOf(word, from);
    if (i < 0) return false;
    if (!(word.endsWith('タ') && AFTER_TA_NOT.has(q[i + word.length] ?? ''))) return true;
    from = i + 1;
  }
}

export function isUrgent(text: string, entry: KnowledgeEntry | undefined): boolean {
  if (!entry || entry.urgentWhen.length === 0) return false;
  const q = compact(text);
  const happening = entry.urgentWhen.some((item) => item.split('+').every((w) => contains(q, compact(w))));
  return happening && !NOT_HAPPENING.some((w) => q.includes(w));
}
