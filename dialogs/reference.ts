import type { Turn } from '../bot/turn.js';
import type { Card, Choice, Reply } from '../bot/types.js';
import type { KnowledgeBase } from '../knowledge/knowledge-base.js';
import { compact } from '../knowledge/normalize.js';
import { contactCard, contactLine } from '../knowledge/render.js';
import type { ThreatsYear } from '../knowledge/schema.js';
import type { Dialog } from './dialog.js';

/**
 * Questions answered straight from reference data rather than from an entry: the 10 major
 * threats of a given year and edition ("10大脅威2025の1位は？", then "個人編は？"), the
 * guideline's 3 principles and 7 important actions, and a contact's phone, mail or hours.
 */

type Edition = 'organization' | 'individual';
interface ThreatsQuery {
  year?: number;
  edition?: Edition;
  rank?: number;
  /** "去年" / "前年" relative to the year asked before (or the latest). */
  previous?: boolean;
}

export interface ThreatsState {
  year: number;
  edition: Edition;
  /** The rank asked about, carried to follow-ups ("1位は？" then "個人編は？"). */
  rank?: number;
}

const THREATS_WORDS = ['10大脅威', '十大脅威', '10大セキュリティ脅威', '脅威ランキング', '脅威の順位'].map(compact);
const EDITION_LABEL: Record<Edition, string> = { organization: '組織編', individual: '個人編' };

/** Reads year, edition and rank out of a question; undefined fields were not mentioned. */
export function parseThreatsQuery(text: string): ThreatsQuery {
  const q = compact(text);
  const out: ThreatsQuery = {};
  const year = /(20\d\d)/.exec(q) ?? /令和(\d{1,2})/.exec(q);
  if (year) out.year = Number(year[1]) < 100 ? 2018 + Number(year[1]) : Number(year[1]);
  if (/個人/.test(q)) out.edition = 'individual';
  else if (/組織|企業|会社|法人/.test(q)) out.edition = 'organization';
  const rank = /(\d{1,2})位/.exec(q) ?? (/トップ|一位|首位/.test(q) ? ['', '1'] : null);
  if (rank) out.rank = Number(rank[1]);
  if (/去年|昨年|前年|前の年/.test(q)) out.previous = true;
  if (/今年|最新/.test(q)) out.year = undefined;
  return out;
}

/** Whether a question asks for the threats list itself (not "what are the 10 threats about"). */
function asksForThreatsList(text: string): boolean {
  const q = compact(text);
  if (!THREATS_WORDS.some((w) => q.includes(w))) return false;
  const p = parseThreatsQuery(text);
  return p.year !== undefined || p.rank !== undefined || p.edition !== undefined || /一覧|ランキング|順位|何位|最新|今年|去年|昨年|教えて|は$|とは$/.test(q);
}

function threatsAnswer(kb: KnowledgeBase, query: ThreatsQuery, base?: ThreatsState): { reply: Reply; state?: ThreatsState } {
  const latest = kb.threats[0]!;
  let year = query.year ?? base?.year ?? latest.year;
  if (query.previous) year = (query.year ?? base?.year ?? latest.year) - 1;
  const edition = query.edition ?? base?.edition ?? 'organization';
  const rank = query.rank ?? base?.rank;
  const data = kb.threats.find((t) => t.year === year);
  if (!data) {
    const years = kb.threats.map((t) => t.year);
    return {
      reply: {
        text: `この窓口でご案内できるのは ${Math.min(...years)}年版〜${Math.max(...years)}年版です。${year}年版は IPA のウェブサイトでご確認ください。`,
        choices: [yearChoice(latest.year, edition)],
      },
    };
  }
  const state: ThreatsState = { year, edition, ...(rank !== undefined ? { rank } : {}) };
  const title = `情報セキュリティ10大脅威 ${year}（${EDITION_LABEL[edition]}）`;
  const list = edition === 'organization' ? data.organization : data.individual.threats;
  const ranked = edition === 'organization' || data.individual.ranked;
  const lines: string[] = [];
  if (rank !== undefined && ranked) {
    const name = list[rank - 1];
    lines.push(name ? `${title}の${rank}位は「${name}」です。` : `10大脅威は 1位〜10位です。`);
    lines.push('', '全体は次のとおりです。');
  } else {
    if (rank !== undefined) lines.push(`${title}には順位がありません。個人編は 2024年版から、順位を付けずに五十音順で発表されています。`);
    lines.push(`【${title}】${ranked ? '' : '（順位なし・五十音順）'}`);
  }
  list.forEach((name, i) => lines.push(ranked ? `${i + 1}位 ${name}` : `・${name}`));
  for (const note of data.notes) lines.push('', note);
  lines.push('', `出典: ${data.sources.map((s) => `${s.publisher}「${s.title}」`).join('、')}（IPA 発表${data.published ? ` ${data.published}` : ''}）`);
  const choices: Choice[] = [
    edition === 'organization' ? editionChoice('individual') : editionChoice('organization'),
    ...(kb.threats.some((t) => t.year === year - 1) ? [yearChoice(year - 1, edition)] : []),
    { label: '中小企業は何をすれば？', value: 'topic:ten-threats' },
  ];
  return { reply: { text: lines.join('\n'), choices }, state };
}

function editionChoice(edition: Edition): Choice {
  return { label: `${EDITION_LABEL[edition]}は？`, value: `threats:${edition}` };
}
function yearChoice(year: number, edition: Edition): Choice {
  return { label: `${year}年版`, value: `threats:${year}:${edition}` };
}

/** A pressed threats button (`threats:individual`, `threats:2024:organization`) as a query. */
function queryFromValue(value: string): ThreatsQuery | undefined {
  const m = /^threats:(?:(\d{4}):)?(organization|individual)$/.exec(value);
  if (!m) return undefined;
  return { year: m[1] ? Number(m[1]) : undefined, edition: m[2] as Edition };
}

/**
 * The follow-up on a threats answer: "個人編は？", "2024年は？", "3位は？" continue from the year
 * and edition just shown. Anything else ends it (it is a one-step prompt).
 */
export function threatsDialog(kb: KnowledgeBase): Dialog<ThreatsState> {
  return {
    id: 'threats',
    title: '10大脅威',
    resumable: false,
    begin: (_turn, args) => ({ step: 'more', state: args as unknown as ThreatsState }),
    steps: {
      more: {
        // The answer that began the dialog carries the choices; nothing more to ask.
        ask: () => undefined,
        answer(input, state, turn) {
          const query =
            input.type === 'choice'
              ? queryFromValue(input.value)
              : input.type === 'text' && compact(input.text).length <= 20
                ? parseThreatsQuery(input.text)
                : undefined;
          if (!query || (query.year === undefined && query.edition === undefined && query.rank === undefined && !query.previous)) {
            return undefined;
          }
          const { reply, state: next } = threatsAnswer(kb, query, state);
          turn.say(reply);
          if (next) Object.assign(state, next);
          return { wait: true };
        },
      },
    },
  };
}

/** Answers from reference data when the question is one; returns what to begin after, if anything. */
export function referenceAnswer(turn: Turn, kb: KnowledgeBase, text: string): { begin?: { dialog: string; args: Record<string, unknown> } } | undefined {
  if (asksForThreatsList(text)) {
    const { reply, state } = threatsAnswer(kb, parseThreatsQuery(text));
    turn.say(reply);
    return state ? { begin: { dialog: 'threats', args: { ...state } } } : {};
  }
  const guideline = guidelineAnswer(kb, text);
  if (guideline) {
    turn.say(guideline);
    return {};
  }
  const contact = contactAnswer(kb, text);
  if (contact) {
    turn.say(contact);
    return {};
  }
  return undefined;
}

/** A pressed threats button outside the follow-up (an older message). */
export function threatsButton(turn: Turn, kb: KnowledgeBase, value: string): ThreatsState | undefined {
  const query = queryFromValue(value);
  if (!query) return undefined;
  const { reply, state } = threatsAnswer(kb, query);
  turn.say(reply);
  return state;
}

function guidelineAnswer(kb: KnowledgeBase, text: string): Reply | undefined {
  const q = compact(text);
  const g = kb.guideline;
  const principles = /3原則|三原則/.test(q);
  const actions = /7項目|七項目|重要7|重要七/.test(q);
  if (!principles && !actions) return undefined;
  const lines: string[] = [`${g.title}（${g.edition}）の経営者編より。`];
  if (principles) lines.push('', '■ 経営者が認識すべき3原則', ...g.principles.map((p, i) => `原則${i + 1} ${p}`));
  if (actions) lines.push('', '■ 経営者が実行すべき重要7項目の取組', ...g.actions.map((a, i) => `取組${i + 1} ${a}`));
  lines.push('', `出典: IPA「${g.title}」 ${g.url}`);
  return { text: lines.join('\n'), choices: [{ label: 'ガイドラインの使い方', value: 'topic:guideline' }] };
}

const CONTACT_ASKS = ['電話番号', '番号', '電話', '連絡先', 'メールアドレス', 'アドレス', '受付時間', '何時', '営業時間', 'url', 'サイト', 'ホームページ'].map(compact);

function contactAnswer(kb: KnowledgeBase, text: string): Reply | undefined {
  const q = compact(text);
  if (q.length > 40 || !CONTACT_ASKS.some((w) => q.includes(w))) return undefined;
  const found = [...kb.contacts.values()].filter((c) => [c.name, ...c.aliases].some((a) => compact(a).length >= 2 && q.includes(compact(a))));
  if (found.length === 0) return undefined;
  const lines = found.map((c) => [contactLine(c), c.note ? `　${c.note}` : ''].filter(Boolean).join('\n'));
  // Call, write or open with one tap: a card per contact (LINE: Flex buttons; the web: links).
  const cards = found.map((c) => contactCard(c, false)).filter((c): c is Card => Boolean(c));
  return {
    text: `${lines.join('\n\n')}\n\n番号や受付時間は変わることがあります。最新は各窓口の公式サイトでご確認ください。`,
    ...(cards.length ? { cards } : {}),
  };
}
