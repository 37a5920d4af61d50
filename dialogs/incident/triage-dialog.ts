import { randomUUID } from 'node:crypto';
import { japanTime } from '../../bot/hours.js';
import { japaneseDay } from '../../bot/japanese-date.js';
import type { Turn, UserInput } from '../../bot/turn.js';
import type { Choice, IncidentSummary, Reply } from '../../bot/types.js';
import type { KnowledgeBase } from '../../knowledge/knowledge-base.js';
import { pickChoice } from '../choices.js';
import { COMMAND_CHOICES } from '../commands.js';
import { skipped, wentBack } from '../diagnosis/intake.js';
import type { Dialog, Outcome, Step } from '../dialog.js';
import { assessPpc, type PpcAssessment } from './ppc.js';
import { INCIDENTS, INCIDENT_SHEETS, SEVERITY_LABEL, SHEET_DAYS, type IncidentRecord, type SheetGrant, type Severity, type TriageAnswers } from './record.js';
import { grantLink } from '../secret-links.js';
import { buildReferrals } from './referrals.js';
import { assessSeverity } from './severity.js';
import { factLines, referralLines } from './sheet.js';
import { QUESTIONS, paidIn, type QuestionId } from './triage-questions.js';
import { noticedOn } from './when.js';

export const TRIAGE_DIALOG = 'triage';
/** How many incidents the conversation remembers. */
const INCIDENTS_KEPT = 5;

export interface TriageState {
  id: string;
  topic: string;
  startedAt: string;
  answers: TriageAnswers;
  /** The question being asked. */
  at: QuestionId;
  /** Questions answered or skipped, in order: 戻る walks back through them. */
  asked: QuestionId[];
  /** The user's own words that led here, for the sheet. */
  userSaid: string[];
  /** Answers read from the user's words before the first question: not asked again. */
  prefilled: QuestionId[];
}

const SKIP: Choice = { label: 'スキップ', value: 'tr:skip' };
const BACK: Choice = { label: '戻る', value: 'tr:back' };

/** Topics personal data is at the heart of: the commission's rules are always checked. */
const PERSONAL_DATA_TOPICS = new Set(['data-leak', 'lost-device']);
/** Incidents with wrongful intent behind them (the commission's third category). */
const WRONGFUL = new Set(['ransomware', 'server-intrusion', 'website-defacement', 'emotet', 'account-takeover', 'phishing', 'malware-suspected', 'bec']);

/** What to do first, by severity: the same for every incident, the entry's own steps come with the answer. */
const NEXT_STEPS: Record<Severity, string[]> = {
  high: [
    '被害を広げないことを最優先にしてください（切り離し・パスワードの変更・支払いの停止）。',
    '経営者に報告し、対応の責任者を一人決めてください。',
    '下の連絡先に、今日のうちに上から順に連絡してください。',
  ],
  medium: [
    '画面の写真、時刻、したことを記録に残してください。',
    '経営者・責任者に報告してください。',
    '下の相談先に相談し、調査が必要か判断してもらってください。',
  ],
  low: [
    '原因（開いたメール、入れたソフトなど）を確かめ、同じことが起きないようにしてください。',
    '念のためウイルス対策ソフトで検査し、使っていたパスワードを変えてください。',
    '社内にも注意を呼びかけてください。',
  ],
};

export interface TriageOptions {
  /** The desk's public address, for the sheet link. */
  publicUrl: () => string;
}

/**
 * Incident triage: a few quick questions (each skippable, buttons or the user's own words,
 * 「昨日の夜」 understood as a date), then a severity with its reason, what to do next, the
 * referrals that fit with their contacts and deadlines, and a printable incident sheet. The
 * answers and referrals are stored with the turn and carried into a hand-off.
 */
export function triageDialog(kb: KnowledgeBase, options: TriageOptions): Dialog<TriageState> {
  const byId = new Map(QUESTIONS.map((q) => [q.id, q]));
  const nextAfter = (state: TriageState, from: QuestionId | undefined): QuestionId | undefined => {
    const start = from ? QUESTIONS.findIndex((q) => q.id === from) + 1 : 0;
    return QUESTIONS.slice(start).find((q) => q.applies(state.topic, state.answers) && !state.prefilled.includes(q.id))?.id;
  };
  const advance = (state: TriageState, turn: Turn): Outcome => {
    state.asked.push(state.at);
    const next = nextAfter(state, state.at);
    if (next) {
      state.at = next;
      return { repeat: true };
    }
    finish(kb, options, state, turn);
    return { end: true };
  };

  const step: Step<TriageState> = {
    ask(state) {
      const q = byId.get(state.at)!;
      const n = state.asked.length + 1;
      return { text: `（${n}）${q.ask(state.topic)}`, choices: [...q.choices, SKIP, ...(state.asked.length ? [BACK] : [])] };
    },
    answer(input, state, turn): Outcome | undefined {
      const q = byId.get(state.at)!;
      if (skipped(input, SKIP.value)) return advance(state, turn);
      if (wentBack(input, BACK.value)) {
        const previous = state.asked.pop();
        if (previous) state.at = previous;
        return { repeat: true };
      }
      const value = readAnswer(input, q, turn.now);
      if (!value) return undefined;
      Object.assign(state.answers, value);
      return advance(state, turn);
    },
    reask: 'ボタンから選ぶか、言葉で書いてください。分からなければ「スキップ」で次へ進めます。',
  };

  return {
    id: TRIAGE_DIALOG,
    title: '状況の整理',
    resumable: true,
    progress: (state) => `${state.asked.length + 1}問目`,
    begin(turn, args) {
      const c = turn.conversation;
      const isIncident = (id: string) => kb.entry(id)?.kind === 'incident';
      const latest = c.topics.findLast((t) => t.urgent && isIncident(t.topic)) ?? c.topics.findLast((t) => isIncident(t.topic));
      const topic = String(args.topic ?? latest?.topic ?? 'malware-suspected');
      const userSaid = c.topics.filter((t) => t.topic === topic && t.said).map((t) => t.said!).slice(-3);
      const state: TriageState = { id: randomUUID(), topic, startedAt: turn.now.toISOString(), answers: {}, at: 'ongoing', asked: [], userSaid, prefilled: [] };
      // What the user already said need not be asked again: the day, money paid, the prefecture.
      const said = userSaid.join('\n');
      const noticed = said && DAY_WORDS.test(said.normalize('NFKC')) ? noticedOn(said, turn.now) : undefined;
      if (noticed) state.answers.noticed = noticed;
      const paid = said ? paidIn(said) : undefined;
      if (paid) state.answers.paid = paid;
      const prefecture = c.diagnoses?.at(-1)?.profile.prefecture;
      if (prefecture) state.answers.prefecture = prefecture;
      state.prefilled = (['noticed', 'paid', 'prefecture'] as const).filter((k) => state.answers[k] !== undefined);
      state.at = nextAfter(state, undefined) ?? 'told';
      turn.say(
        '状況を整理します。いくつか質問しますので、分かる範囲でお答えください（どれも「スキップ」できます。やめるときは「やめる」）。' +
          '最後に、重大度と連絡先・期限をまとめた「インシデント連絡シート」をお渡しします。',
      );
      return { step: 'question', state };
    },
    steps: { question: step },
  };
}

/** Words that name a day: only then is the user's first message read as the day they noticed. */
const DAY_WORDS = /今日|今朝|昨日|昨夜|昨晩|おととい|一昨日|日前|週間前|先週|曜|\d+月\d+日|\d+\/\d+/;

function readAnswer(input: UserInput, q: (typeof QUESTIONS)[number], now: Date): Partial<TriageAnswers> | undefined {
  // Words first: 「氏名とカード番号」 names two kinds, where a button label found in it would keep one.
  const typed = input.type === 'text' ? q.read(input.text, now) : undefined;
  if (typed) return typed;
  const picked = pickChoice(input, q.choices);
  if (picked) {
    const index = q.choices.indexOf(picked);
    // The day buttons are read like typed words (「昨日」), so they mean the same thing.
    return q.id === 'noticed' ? q.read(picked.label, now) : q.values[index];
  }
  return undefined;
}

/** Severity, referrals, the record and its sheet, stored with this turn; the result said in the chat. */
function finish(kb: KnowledgeBase, options: TriageOptions, state: TriageState, turn: Turn): void {
  const c = turn.conversation;
  const a = state.answers;
  const at = turn.now.toISOString();
  const entry = kb.entry(state.topic);
  const { severity, reason } = assessSeverity(a, state.topic);
  const awareOn = a.noticed?.date ?? japanTime(turn.now).date;
  const ppc: PpcAssessment | undefined =
    a.personal === 'yes' || a.personal === 'unknown' || PERSONAL_DATA_TOPICS.has(state.topic)
      ? assessPpc({
          involved: a.personal ?? 'unknown',
          kinds: a.kinds ?? [],
          ...(a.people ? { people: a.people === 'over1000' ? 'over1000' : a.people === 'unknown' ? 'unknown' : 'upTo1000' } : {}),
          wrongfulIntent: WRONGFUL.has(state.topic) || (state.topic === 'lost-device' && /盗/.test(state.userSaid.join(''))),
          ...(a.encrypted === 'yes' ? { encrypted: true } : {}),
          awareOn,
        })
      : undefined;
  const referrals = buildReferrals({ kb, topic: state.topic, answers: a, severity, ...(ppc ? { ppc } : {}), at });
  const company = c.diagnoses?.at(-1)?.profile.company;
  const record: IncidentRecord = {
    id: state.id,
    org: c.org,
    conversationId: c.id,
    topic: state.topic,
    topicTitle: entry?.title ?? state.topic,
    userSaid: state.userSaid,
    startedAt: state.startedAt,
    finishedAt: at,
    answers: a,
    severity,
    severityReason: reason,
    ...(ppc ? { ppc } : {}),
    referrals,
    ...(company ? { company } : {}),
  };
  turn.save(INCIDENTS, record.id, record);
  const sheetLink: Pick<SheetGrant, 'incidentId'> = { incidentId: record.id };
  const { url: sheetUrl, expiresAt } = grantLink(turn, { grants: INCIDENT_SHEETS, path: 'incidents', days: SHEET_DAYS }, options.publicUrl(), sheetLink);
  const summary: IncidentSummary = { id: record.id, at, topic: state.topic, severity, severityReason: reason, facts: factLines(a), ...(a.prefecture ? { prefecture: a.prefecture } : {}), sheetUrl, sheetExpiresAt: expiresAt };
  c.incidents = [...(c.incidents ?? []), summary].slice(-INCIDENTS_KEPT);
  for (const r of resultReplies(record, sheetUrl, expiresAt)) turn.say(r);
}

function resultReplies(record: IncidentRecord, sheetUrl: string, expiresAt: string): Reply[] {
  const first = [
    `状況を整理しました。重大度は「${SEVERITY_LABEL[record.severity]}」です。${record.severityReason}です。`,
    '',
    '■ 次にすること',
    ...NEXT_STEPS[record.severity].map((s, i) => `${i + 1}. ${s}`),
    // When the commission's duty does not apply, say so and why (when it may, it is a referral below).
    ...(record.ppc?.verdict === 'not-required' ? ['', `■ 個人情報保護委員会への報告: ${record.ppc.reason}`] : []),
  ];
  const referrals = ['■ 連絡先（上から順に）', ...record.referrals.flatMap((r) => [...referralLines(r), ''])].join('\n').trim();
  const choices: Choice[] = [...(record.severity === 'low' ? [] : [{ label: '相談員に今すぐ相談', value: COMMAND_CHOICES.handoff.value }]), COMMAND_CHOICES.menu];
  return [
    { text: first.join('\n') },
    { text: referrals },
    {
      text: `警察・お助け隊・保険会社などに見せられる「インシデント連絡シート」を作りました（${japaneseDay(japanTime(new Date(expiresAt)).date)}まで有効。印刷やコピーができます）。`,
      cards: [{ title: 'インシデント連絡シート', body: `${record.topicTitle}／重大度 ${SEVERITY_LABEL[record.severity]}`, buttons: [{ label: 'シートを開く', url: sheetUrl }] }],
      choices,
    },
  ];
}
