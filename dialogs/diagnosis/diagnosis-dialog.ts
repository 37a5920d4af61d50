import { randomUUID } from 'node:crypto';
import type { Turn } from '../../bot/turn.js';
import type { Choice, DiagnosisSummary, Reply } from '../../bot/types.js';
import type { KnowledgeBase } from '../../knowledge/knowledge-base.js';
import type { AnswerId, DiagnosisItem } from '../../knowledge/schema.js';
import { pickChoice } from '../choices.js';
import type { Dialog, Outcome, Step } from '../dialog.js';
import { EMPLOYEE_BANDS, INDUSTRIES, employeesOf, nameOf, prefectureOf, skipped, wentBack } from './intake.js';
import { DIAGNOSES, REPORTS, REPORT_DAYS, answersByNumber, packAnswers, type CompanyProfile, type DiagnosisRecord, type ReportGrant } from './record.js';
import { grantLink } from '../secret-links.js';
import { resultReplies } from './result-replies.js';
import { score } from './scoring.js';
import { typedAnswer } from './typed-answer.js';
import { isHesitation, isHowToQuestion, itemVocabularies, mentionsItem, otherItemMeant } from './item-reading.js';

export const DIAGNOSIS_DIALOG = 'diagnosis';
/** How many finished diagnoses the conversation keeps a summary of. */
const SUMMARIES_KEPT = 10;

export interface DiagnosisState {
  id: string;
  startedAt: string;
  profile: CompanyProfile;
  /** By item number; JSON keys are strings. */
  answers: Record<string, AnswerId>;
  /** The item being asked (1-based). */
  item: number;
}

const SKIP: Choice = { label: 'スキップ', value: 'dg:skip' };
const BACK: Choice = { label: '戻る', value: 'dg:back' };
const REUSE: Choice = { label: 'この情報で始める', value: 'dg:reuse' };
const RETYPE: Choice = { label: '入力し直す', value: 'dg:retype' };


export interface DiagnosisOptions {
  /** The desk's public address, for the report link (`PUBLIC_URL`, or where it listens). */
  publicUrl: () => string;
}

/**
 * IPA's 25-item self-diagnosis as a conversation: four skippable questions about the company,
 * then the items one by one with progress, answered by button or in the user's own words;
 * 戻る goes back one question. At the end the result, the plan and SECURITY ACTION guidance
 * are shown, the diagnosis and its report link are stored with the turn.
 */
export function diagnosisDialog(kb: KnowledgeBase, options: DiagnosisOptions): Dialog<DiagnosisState> {
  const data = kb.diagnosis;
  const answerChoices: Choice[] = data.answers.map((a) => ({ label: a.label, value: `dg:${a.id}` }));
  const last = data.items.length;

  /** A step of the intake: its question, how to read the answer, where 戻る goes. */
  const intakeStep = (
    field: keyof CompanyProfile,
    question: string,
    choices: Choice[],
    read: (text: string) => string | undefined,
    previous: string | undefined,
    next: string,
    reask: string,
    freeText = false,
  ): Step<DiagnosisState> => ({
    ask: () => ({ text: question, choices: [...choices, SKIP, ...(previous ? [BACK] : [])] }),
    answer(input, state) {
      if (skipped(input, SKIP.value)) {
        delete state.profile[field];
        return { next };
      }
      if (previous && wentBack(input, BACK.value)) return { next: previous };
      const picked = pickChoice(input, choices);
      const value = picked?.label ?? (input.type === 'text' ? read(input.text) : undefined);
      if (!value) return undefined;
      state.profile[field] = value;
      return { next };
    },
    reask,
    freeText,
  });

  const vocab = itemVocabularies(kb);
  const unknownChoice = answerChoices.find((c) => c.value === 'dg:unknown')!;

  /**
   * A typed reply that is not simply an answer gets a reply of its own and records nothing:
   * a hesitation is asked again with 「わからない」 first; an answer about another item is
   * pointed back to this one; a how-to question on this item gets the how-to, then the item.
   */
  const readTyped = (text: string, it: DiagnosisItem): { answer?: AnswerId; reply?: Reply; then?: Outcome } => {
    if (isHesitation(text)) {
      return {
        reply: { text: 'ゆっくりで大丈夫です。はっきりしないときは「わからない」を選んでください（結果の計画で、確かめる項目としてお伝えします）。', choices: [unknownChoice, ...answerChoices.filter((c) => c !== unknownChoice), BACK] },
        then: { wait: true },
      };
    }
    if (isHowToQuestion(text) && (mentionsItem(text, it, vocab) || kb.understand(text).matches[0]!.id === it.topic)) {
      return { reply: howTo(kb, it), then: { repeat: true } };
    }
    const answer = typedAnswer(text, it);
    if (!answer) return {};
    const other = otherItemMeant(text, it, data.items, vocab);
    if (other) {
      return {
        reply: {
          text: `それは No.${other.no}（${other.question.slice(0, 24)}…）のことのようです。いまは No.${it.no} について伺っています。当てはまるものを選んでください。`,
          choices: [...answerChoices, BACK],
        },
        then: { wait: true },
      };
    }
    return { answer };
  };

  const item: Step<DiagnosisState> = {
    ask(state) {
      const it = data.items[state.item - 1]!;
      const part = data.parts.find((p) => p.from <= it.no && it.no <= p.to)!;
      return {
        text: `【${it.no}/${last}】${part.title}\n${it.question}\n\n${it.plain}`,
        choices: [...answerChoices, BACK],
      };
    },
    answer(input, state, turn): Outcome | undefined {
      if (wentBack(input, BACK.value)) {
        if (state.item === 1) return { next: 'employees' };
        state.item -= 1;
        return { repeat: true };
      }
      const it = data.items[state.item - 1]!;
      const picked = pickChoice(input, answerChoices);
      let answer = picked?.value.slice(3) as AnswerId | undefined;
      if (!answer && input.type === 'text') {
        const reading = readTyped(input.text, it);
        if (reading.reply) {
          turn.say(reading.reply);
          return reading.then;
        }
        answer = reading.answer;
      }
      if (!answer) return undefined;
      state.answers[String(it.no)] = answer;
      // A typed answer is read, not chosen: say how it was read, so a misreading is caught now.
      if (input.type === 'text' && picked?.label !== input.text.trim()) {
        turn.say(`「${data.answers.find((a) => a.id === answer)!.label}」として記録しました（「戻る」で訂正できます）。`);
      }
      if (state.item < last) {
        state.item += 1;
        return { repeat: true };
      }
      finish(kb, options, state, turn);
      return { end: true };
    },
    reask: '「実施している」「一部実施している」「実施していない」「わからない」のどれかを選ぶか、「はい」「一部」「いいえ」のように入力してください。前の質問に戻るときは「戻る」です。',
  };

  return {
    id: DIAGNOSIS_DIALOG,
    title: '自社診断',
    resumable: true,
    progress: (state) => (state.item > 1 || Object.keys(state.answers).length ? `${state.item}/${last}問目` : '会社情報の入力中'),
    begin(turn) {
      turn.say(
        `これから IPA の「${data.title}」の${last}問に順にお答えいただきます。ボタンを押すだけで、5〜10分ほどで終わります。` +
          '最後に点数と、何から手をつければよいかの計画をお出しします。\n' +
          '前の質問に戻るときは「戻る」、中止するときは「やめる」と入力してください。途中で離れても、次に来たときに続きから再開できます。',
      );
      const previous = turn.conversation.diagnoses?.at(-1)?.profile;
      const state: DiagnosisState = { id: randomUUID(), startedAt: turn.now.toISOString(), profile: {}, answers: {}, item: 1 };
      if (previous && Object.keys(previous).length) {
        state.profile = { ...previous };
        return { step: 'reuse', state };
      }
      turn.say('はじめに、会社のことを4つだけ伺います。答えたくないものは「スキップ」で飛ばせます。');
      return { step: 'company', state };
    },
    steps: {
      reuse: {
        ask: (state) => ({ text: `前回の会社情報を使いますか？\n${describeProfile(state.profile)}`, choices: [REUSE, RETYPE] }),
        answer(input, state) {
          const picked = pickChoice(input, [REUSE, RETYPE]);
          const typed = input.type === 'text' && !picked ? typedAnswer(input.text) : undefined;
          if (picked === REUSE || typed === 'done') return { next: 'item' };
          if (picked === RETYPE || typed === 'not') {
            state.profile = {};
            return { next: 'company' };
          }
          return undefined;
        },
      },
      company: intakeStep('company', '会社名（屋号）を教えてください。', [], nameOf, undefined, 'prefecture', '会社名を入力するか、「スキップ」を押してください。', true),
      prefecture: intakeStep(
        'prefecture',
        '所在地の都道府県はどちらですか？（例: 東京都、大阪）',
        [],
        prefectureOf,
        'company',
        'industry',
        '都道府県名を漢字で入力してください（例: 東京都、大阪、北海道）。答えたくなければ「スキップ」です。',
      ),
      industry: intakeStep(
        'industry',
        '業種を選んでください。当てはまるものがなければ、入力してください。',
        INDUSTRIES.map((label, i) => ({ label, value: `dg:industry:${i}` })),
        nameOf,
        'prefecture',
        'employees',
        '業種を選ぶか入力してください。',
        true,
      ),
      employees: intakeStep(
        'employees',
        '従業員は何人くらいですか？',
        EMPLOYEE_BANDS.map((b, i) => ({ label: b.label, value: `dg:employees:${i}` })),
        employeesOf,
        'industry',
        'item',
        '人数を数字で入力するか（例: 12人）、ボタンから選んでください。',
      ),
      item,
    },
  };
}

/** Scores the answers, stores the diagnosis and its report link with this turn, shows the result. */
function finish(kb: KnowledgeBase, options: DiagnosisOptions, state: DiagnosisState, turn: Turn): void {
  const data = kb.diagnosis;
  const c = turn.conversation;
  const result = score(data, answersByNumber(state.answers));
  const before = c.diagnoses?.at(-1);
  const at = turn.now.toISOString();
  const record: DiagnosisRecord = {
    id: state.id,
    org: c.org,
    conversationId: c.id,
    startedAt: state.startedAt,
    finishedAt: at,
    profile: state.profile,
    answers: state.answers,
    score: result,
    ...(before ? { previous: { id: before.id, at: before.at, total: before.total, parts: before.parts.map((p) => ({ id: p.id, score: p.score })) } } : {}),
  };
  turn.save(DIAGNOSES, state.id, record);
  const reportLink: Pick<ReportGrant, 'diagnosisId'> = { diagnosisId: state.id };
  const { url: reportUrl, expiresAt } = grantLink(turn, { grants: REPORTS, path: 'reports', days: REPORT_DAYS }, options.publicUrl(), reportLink);
  const summary: DiagnosisSummary = {
    id: state.id,
    at,
    total: result.total,
    max: result.max,
    band: result.band.label,
    parts: result.parts,
    answers: packAnswers(state.answers, data.items.length),
    profile: state.profile,
    reportUrl,
    reportExpiresAt: expiresAt,
  };
  c.diagnoses = [...(c.diagnoses ?? []), summary].slice(-SUMMARIES_KEPT);
  for (const r of resultReplies(kb, record, reportUrl, expiresAt)) turn.say(r);
}

function describeProfile(p: CompanyProfile): string {
  return [
    `会社名: ${p.company ?? '（なし）'}`,
    `都道府県: ${p.prefecture ?? '（なし）'}`,
    `業種: ${p.industry ?? '（なし）'}`,
    `従業員: ${p.employees ?? '（なし）'}`,
  ].join('\n');
}

/** How to do an item, in a few lines: its first action and the first steps of its topic. */
function howTo(kb: KnowledgeBase, it: DiagnosisItem): Reply {
  const entry = kb.entry(it.topic);
  const lines = [`No.${it.no} のやり方の目安です。`, `・${it.action}`];
  for (const s of entry?.brief?.first ?? []) lines.push(`・${s}`);
  if (entry) lines.push(`くわしくは「${entry.title}」を、診断のあとで聞いてください。`);
  return { text: lines.join('\n') };
}
