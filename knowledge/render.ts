import { splitText } from '../bot/split-text.js';
import type { Card, CardButton, Choice, Reply } from '../bot/types.js';
import { compact } from './normalize.js';
import { factFor, subQuestion } from './sub-question.js';
import type { KnowledgeBase } from './knowledge-base.js';
import type { Contact, KnowledgeEntry } from './schema.js';

/** What rendering needs of the knowledge base besides the entry: its contacts (so `knowledge:check` can render without training the classifier). */
export type ContactBook = Pick<KnowledgeBase, 'contact'>;

/**
 * Knowledge entries in chat form, channel-neutral. The first bubble is what a worried user
 * needs: the summary and the steps, most important first. 詳しく brings the rest.
 */

const STEPS_HEADING: Record<KnowledgeEntry['kind'], string> = {
  incident: '今すぐやること',
  prevention: '今週からできること',
  service: 'ご案内',
  action: '進め方',
};

/** Bubble length kept well under every channel's limit and readable on a phone. */
export const BUBBLE_MAX = 1000;

export function answerReplies(entry: KnowledgeEntry): Reply[] {
  const lines = [`【${entry.title}】`, entry.summary, '', `■ ${STEPS_HEADING[entry.kind]}`];
  entry.steps.forEach((s, i) => lines.push(`${i + 1}. ${s}`));
  if (entry.sources.length) lines.push('', `出典: ${shortSources(entry)}`);
  const replies = splitText(lines.join('\n'), BUBBLE_MAX).map((text) => ({ text }) as Reply);
  const card = linksCard(entry);
  if (card) replies[replies.length - 1]!.cards = [card];
  return replies;
}

/** The longest first message of any answer: one glance on a phone. */
export const FIRST_MESSAGE_MAX = 300;
/** The longest first message of an urgent answer (the same glance). */
export const FIRST_AID_MAX = FIRST_MESSAGE_MAX;

/** How many contacts a contact question shows in the first message (the 連絡先 button has them all). */
const CONTACTS_FIRST = 2;

/**
 * The first message of an answer, read in one glance: the title, what was asked first (a
 * fact for 「月いくら？」, the numbers for 「電話番号は？」), then what this is in one sentence,
 * the first things to do and where it comes from, as far as they fit in 300 characters. The
 * buttons under it lead to the rest.
 */
export function briefReply(kb: ContactBook, entry: KnowledgeEntry, message = ''): Reply {
  const asked = subQuestion(message);
  const fact = factFor(entry, asked);
  const contacts = asked === 'contact' ? reachableContacts(kb, entry).slice(0, CONTACTS_FIRST) : [];
  const brief = entry.brief ?? { lead: entry.summary, first: [] };
  const blocks = [
    `【${entry.title}】`,
    ...(fact ? [fact.text] : []),
    ...(contacts.length ? [contacts.map(reachLine).join('\n')] : []),
    brief.lead,
    ...brief.first.map((s, i) => `${i + 1}. ${s}`),
  ];
  if (entry.sources.length) blocks.push(sourceLine(entry, fact?.source));
  const cards = contacts.map((c) => contactCard(c, false)).filter((c): c is Card => Boolean(c));
  return { text: fitBlocks(blocks, FIRST_MESSAGE_MAX), choices: answerChoices(kb, entry), ...(cards.length ? { cards } : {}) };
}

/** Blocks joined by line breaks, in order, skipping any that would take the text over `max` (the first is always kept). */
function fitBlocks(blocks: string[], max: number): string {
  let text = blocks[0]!;
  for (const b of blocks.slice(1)) if (text.length + 1 + b.length <= max) text += `\n${b}`;
  return text;
}

/** The buttons under an answer: the rest of it, then how it went, then a person. */
export function answerChoices(kb: ContactBook, entry: KnowledgeEntry): Choice[] {
  const choices: Choice[] = [];
  if (entry.steps.length > (entry.brief?.first.length ?? 0)) choices.push({ label: '次にすること', value: `next:${entry.id}` });
  if (hasDetails(entry)) choices.push({ label: '詳しく', value: `detail:${entry.id}` });
  if (reachableContacts(kb, entry).length) choices.push({ label: '連絡先', value: `contacts:${entry.id}` });
  choices.push(...OUTCOME_CHOICES);
  return choices;
}

/** How an answer went, and a person: under every answer, recorded on the conversation. */
export const OUTCOME_CHOICES: readonly Choice[] = [
  { label: '解決した', value: 'fb:solved' },
  { label: '解決しない', value: 'fb:unsolved' },
  { label: '担当者に相談', value: 'cmd:handoff' },
];

/** The entry's contacts, most relevant first (ids the contacts file lacks are skipped). */
function entryContacts(kb: ContactBook, entry: KnowledgeEntry): Contact[] {
  return entry.contacts.map((id) => kb.contact(id)).filter((c): c is Contact => Boolean(c));
}

/** The entry's contacts that can be called, written to or opened. */
function reachableContacts(kb: ContactBook, entry: KnowledgeEntry): Contact[] {
  return entryContacts(kb, entry).filter((c) => c.phone || c.email || c.url);
}

/** A contact in one line, every way to reach it written out (the widget and LINE make them links). */
function reachLine(c: Contact): string {
  const reach = reachParts(c);
  return `・${c.name}${reach.length ? `: ${reach.join(' / ')}` : ''}`;
}

/** 「出典: IPA ほか（2026-11-22 確認）」; the source of the fact shown comes first. */
function sourceLine(entry: KnowledgeEntry, factSource?: string): string {
  const first = entry.sources.find((s) => factSource && s.url === factSource) ?? entry.sources[0]!;
  const others = new Set(entry.sources.map((s) => s.publisher).filter((p) => p !== first.publisher));
  return `出典: ${first.publisher}${others.size ? ' ほか' : ''}（${entry.reviewed} 確認）`;
}

/** Buttons under an urgent answer, a person first. */
export function firstAidChoices(topic: string): Choice[] {
  return [
    { label: '相談員に今すぐ相談', value: 'cmd:handoff' },
    { label: '状況を整理する', value: 'start:triage' },
    { label: '次にすること', value: `next:${topic}` },
    { label: '詳しく', value: `detail:${topic}` },
    { label: '連絡先', value: `contacts:${topic}` },
  ];
}

/**
 * The answer to an incident happening now, in one message that fits one glance: what it looks
 * like, the three most important actions, and the one contact that fits now (as a card with a
 * call or mail button, which LINE shows as Flex buttons). The message's words pick a variant:
 * money paid by e-money leads to the issuer, a card number to the card company.
 */
export function firstAidReply(kb: ContactBook, entry: KnowledgeEntry, message: string): Reply | undefined {
  const aid = entry.firstAid;
  if (!aid) return undefined;
  const words = compact(message);
  const variant = aid.variants.find((v) => v.when.some((w) => words.includes(compact(w))));
  const chosen = variant ?? aid;
  const contact = chosen.contact ? kb.contact(chosen.contact) : undefined;
  const lines = [`【至急】${chosen.looksLike}`, ...chosen.actions.map((a, i) => `${i + 1}. ${a}`)];
  const reach = contact ? reachOf(contact) : '';
  if (contact) lines.push(`連絡先: ${contact.name}${reach ? `（${reach}）` : ''}`);
  // The card only carries the buttons: what the contact is for would push them out of view.
  const card = contact ? contactCard(contact, false) : undefined;
  return { text: lines.join('\n'), choices: firstAidChoices(entry.id), ...(card ? { cards: [card] } : {}) };
}

/**
 * The ways to reach a contact, quickest first: its phone (unless its name already says it, as
 * 「警察相談専用電話 #9110」 does), its mail address, and its page only when it has neither.
 */
function reachParts(c: Contact): string[] {
  const parts: string[] = [];
  if (c.phone && !c.name.includes(c.phone)) parts.push(`電話 ${c.phone}`);
  if (c.email) parts.push(`メール ${c.email}`);
  if (!c.phone && !c.email && c.url) parts.push(c.url);
  return parts;
}

/** The quickest way to reach a contact, as one phrase. */
export function reachOf(c: Contact): string {
  return reachParts(c)[0] ?? '';
}

/** A contact as a card whose buttons call, write or open the page (with what it is for, unless `withPurpose` is false). */
export function contactCard(c: Contact, withPurpose = true): Card | undefined {
  const buttons: CardButton[] = [];
  if (c.phone) buttons.push({ label: `電話する ${c.phone}`, url: telUri(c.phone) });
  if (c.email) buttons.push({ label: 'メールを書く', url: `mailto:${c.email}` });
  if (c.url) buttons.push({ label: '公式ページ', url: c.url });
  if (buttons.length === 0) return undefined;
  return { title: c.name, ...(withPurpose ? { body: c.for } : {}), buttons };
}

/** 「03-5978-7509」 → tel:0359787509; 「#9110」 → tel:%239110 (# must be escaped in a URI). */
export function telUri(phone: string): string {
  return `tel:${phone.normalize('NFKC').replace(/[^0-9#+]/g, '').replace(/#/g, '%23')}`;
}

/** The contacts of an entry, each with its call/mail/page buttons (the 連絡先 button). */
export function contactsReplies(kb: ContactBook, entry: KnowledgeEntry): Reply[] {
  const contacts = entryContacts(kb, entry);
  if (contacts.length === 0) return [];
  const cards = contacts.map((c) => contactCard(c)).filter((c): c is Card => Boolean(c));
  return [{ text: ['■ 相談先', ...contacts.map(contactLine)].join('\n'), ...(cards.length ? { cards } : {}) }];
}

/** How many steps an emergency answer puts first, alone in the first message. */
export const URGENT_STEPS = 3;

/**
 * An emergency: the first message is only the most important actions, so that someone whose
 * files are being encrypted reads what to do before anything else. The rest follows.
 */
export function urgentReplies(entry: KnowledgeEntry): Reply[] {
  const first = [`【至急】${entry.title}`, 'まず、次のことをすぐに行ってください。'];
  entry.steps.slice(0, URGENT_STEPS).forEach((s, i) => first.push(`${i + 1}. ${s}`));
  const rest = [entry.summary];
  if (entry.steps.length > URGENT_STEPS) {
    rest.push('', '■ 続いて');
    entry.steps.slice(URGENT_STEPS).forEach((s, i) => rest.push(`${i + 1 + URGENT_STEPS}. ${s}`));
  }
  if (entry.sources.length) rest.push('', `出典: ${shortSources(entry)}`);
  const replies = [...splitText(first.join('\n'), BUBBLE_MAX), ...splitText(rest.join('\n'), BUBBLE_MAX)].map((text) => ({ text }) as Reply);
  const card = linksCard(entry);
  if (card) replies[replies.length - 1]!.cards = [card];
  return replies;
}

/** 次にすること: every step of an entry, numbered (the first message gave only the first ones). */
export function stepsReplies(entry: KnowledgeEntry): Reply[] {
  const lines = [`■ ${STEPS_HEADING[entry.kind]}（${entry.title}）`, ...entry.steps.map((s, i) => `${i + 1}. ${s}`)];
  return splitText(lines.join('\n'), BUBBLE_MAX).map((text) => ({ text }));
}

/** Whether 詳しく would add anything beyond the first answer. */
export function hasDetails(entry: KnowledgeEntry): boolean {
  return Boolean(entry.detail || entry.donts.length || entry.serious.length || entry.contacts.length || entry.sources.length);
}


/** 詳しく: what this is, the explanation, what not to do, when it is serious, whom to contact, and the sources with their URLs. */
export function detailReplies(kb: ContactBook, entry: KnowledgeEntry): Reply[] {
  const parts: string[] = [`【${entry.title}】\n${entry.summary}`];
  if (entry.facts.length) parts.push(['■ よく聞かれること', ...entry.facts.map((f) => `・${f.text}`)].join('\n'));
  if (entry.detail) parts.push(entry.detail);
  if (entry.donts.length) parts.push(['■ やってはいけないこと', ...entry.donts.map((d) => `・${d}`)].join('\n'));
  if (entry.serious.length) parts.push(['■ こんなときは深刻です', ...entry.serious.map((d) => `・${d}`)].join('\n'));
  const contacts = entryContacts(kb, entry);
  if (contacts.length) parts.push(['■ 相談先', ...contacts.map(contactLine)].join('\n'));
  const related: string[] = [];
  if (entry.diagnosisItems.length) related.push(`自社診断 ${entry.diagnosisItems.map((n) => `No.${n}`).join('・')}`);
  if (entry.fiveRules.length) related.push(`5か条 ${entry.fiveRules.map((n) => `第${n}条`).join('・')}`);
  if (related.length) parts.push(`■ 関連する項目: ${related.join(' / ')}`);
  if (entry.sources.length) {
    parts.push(
      [
        '■ 出典',
        ...entry.sources.map((s) => `・${s.publisher}「${s.title}」${s.year ? `(${s.year})` : ''}${s.url ? ` ${s.url}` : ''}`),
        `（出典と照らし合わせて最後に確認した日: ${entry.reviewed}）`,
      ].join('\n'),
    );
  }
  return splitText(parts.join('\n\n'), BUBBLE_MAX).map((text) => ({ text }));
}

/** One contact in a list: name and how to reach it, then when, then what for. */
export function contactLine(c: Contact): string {
  const reach = [c.phone && `電話 ${c.phone}`, c.email && `メール ${c.email}`, c.url].filter(Boolean).join(' / ');
  const lines = [`・${c.name}${reach ? `: ${reach}` : ''}`];
  if (c.hours) lines.push(`　受付: ${c.hours}`);
  lines.push(`　${c.for}`);
  return lines.join('\n');
}

/** One line naming the first source ("IPA「…」ほか（2026-11-22 確認）"); only for entries with sources. */
function shortSources(entry: KnowledgeEntry): string {
  const first = entry.sources[0]!;
  return `${first.publisher}「${first.title}」${entry.sources.length > 1 ? 'ほか' : ''}（${entry.reviewed} 確認）`;
}

function linksCard(entry: KnowledgeEntry): Card | undefined {
  if (entry.links.length === 0) return undefined;
  return { title: '公式の情報', buttons: entry.links.map((l) => ({ label: l.label, url: l.url })) };
}

/** The buttons that bring the rest of an answer: 次にすること, 詳しく, 連絡先. */
const MORE_KINDS = ['next', 'detail', 'contacts'] as const;

/** Whether a button value is one of an answer's "more" buttons (次にすること, 詳しく, 連絡先). */
export function isMoreValue(value: string): boolean {
  const [kind, id] = value.split(':', 2);
  return MORE_KINDS.includes(kind as (typeof MORE_KINDS)[number]) && Boolean(id);
}

/** The replies behind one of an answer's buttons (`next:`, `detail:`, `contacts:` + topic id); undefined for any other value. */
export function moreReplies(kb: KnowledgeBase, value: string): { entry: KnowledgeEntry; replies: Reply[] } | undefined {
  if (!isMoreValue(value)) return undefined;
  const [kind, id] = value.split(':', 2) as [string, string];
  const entry = kb.entry(id);
  if (!entry) return undefined;
  const replies = kind === 'next' ? stepsReplies(entry) : kind === 'detail' ? detailReplies(kb, entry) : contactsReplies(kb, entry);
  return { entry, replies };
}
