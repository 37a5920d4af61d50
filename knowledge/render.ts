import { splitText } from '../bot/split-text.js';
import type { Card, Reply } from '../bot/types.js';
import type { KnowledgeBase } from './knowledge-base.js';
import type { Contact, KnowledgeEntry } from './schema.js';

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

/** Whether 詳しく would add anything beyond the first answer. */
export function hasDetails(entry: KnowledgeEntry): boolean {
  return Boolean(entry.detail || entry.donts.length || entry.serious.length || entry.contacts.length || entry.sources.length);
}


export function detailReplies(kb: KnowledgeBase, entry: KnowledgeEntry): Reply[] {
  const parts: string[] = [];
  if (entry.detail) parts.push(entry.detail);
  if (entry.donts.length) parts.push(['■ やってはいけないこと', ...entry.donts.map((d) => `・${d}`)].join('\n'));
  if (entry.serious.length) parts.push(['■ こんなときは深刻です', ...entry.serious.map((d) => `・${d}`)].join('\n'));
  const contacts = entry.contacts.map((id) => kb.contact(id)).filter((c): c is Contact => Boolean(c));
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
        `（内容の最終確認: ${entry.reviewed}）`,
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
