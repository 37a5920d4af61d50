import { briefReply, FIRST_MESSAGE_MAX, type ContactBook } from './render.js';
import type { Contact, KnowledgeEntry } from './schema.js';

/**
 * What every answer must look like, checked by `npm run knowledge:check` and the tests: a
 * first message that fits one glance, whatever was asked, and sources people can use.
 */

/** The questions an answer's first message is measured with: the topic alone, and each sub-question. */
export const MEASURED_ASKS = ['', '料金はいくら？', '期限はいつまで？', 'いつから？', '対象は？', '申し込み方法は？', '連絡先の電話番号は？'] as const;

/** Publishers whose own documents are the primary sources the desk cites first. */
export const PRIMARY_PUBLISHERS = ['IPA', '個人情報保護委員会', '警察庁', '経済産業省', 'JPCERT/CC'] as const;

const isPrimary = (publisher: string) => PRIMARY_PUBLISHERS.some((p) => publisher.split(/[・、]/).includes(p));

/** The longest first message of an entry over the measured questions. */
export function longestFirstMessage(kb: ContactBook, entry: KnowledgeEntry): { length: number; asked: string } {
  return MEASURED_ASKS.map((asked) => ({ length: briefReply(kb, entry, asked).text!.length, asked })).reduce((a, b) => (b.length > a.length ? b : a));
}

/** Problems with an entry's shape, in Japanese for whoever edits the file. */
export function shapeProblems(kb: ContactBook, entry: KnowledgeEntry): string[] {
  const problems: string[] = [];
  if (entry.kind !== 'action' && !entry.brief) problems.push('brief（最初のメッセージ）がありません');
  const longest = longestFirstMessage(kb, entry);
  if (longest.length > FIRST_MESSAGE_MAX) problems.push(`最初のメッセージが ${longest.length} 文字です（「${longest.asked}」のとき。${FIRST_MESSAGE_MAX} 文字以内）`);
  const bare = entry.sources.filter((s) => !s.url);
  if (bare.length) problems.push(`URL のない出典: ${bare.map((s) => `${s.publisher}「${s.title}」`).join('、')}`);
  if (entry.sources.some((s) => isPrimary(s.publisher)) && !isPrimary(entry.sources[0]!.publisher)) {
    problems.push(`一次資料（${PRIMARY_PUBLISHERS.join('・')}）を出典の最初に書いてください`);
  }
  return problems;
}

/** Problems with the contacts' sources: each needs a URL people can open. */
export function contactProblems(contacts: Iterable<Contact>): string[] {
  return [...contacts].flatMap((c) =>
    c.sources.filter((s) => !s.url).map((s) => `相談先 ${c.id}: URL のない出典: ${s.publisher}「${s.title}」`),
  );
}
