import { randomUUID } from 'node:crypto';
import { CASES, positionOf, summarize, type Case, type CaseReason } from '../bot/cases.js';
import { openCase, withdrawCase } from '../bot/handoff.js';
import { pushIsMetered } from '../bot/channels.js';
import { describeHours, isOpen } from '../bot/hours.js';
import type { Turn, UserInput } from '../bot/turn.js';
import type { Choice } from '../bot/types.js';
import type { KnowledgeBase } from '../knowledge/knowledge-base.js';
import { contactLine } from '../knowledge/render.js';
import { pickChoice } from './choices.js';
import { COMMAND_CHOICES } from './commands.js';
import { nameOf, prefectureOf, skipped } from './diagnosis/intake.js';
import { typedAnswer } from './diagnosis/typed-answer.js';
import type { Dialog, Outcome } from './dialog.js';

export const HANDOFF_DIALOG = 'handoff';

/** Where to turn when nobody at the desk can answer now. */
const EMERGENCY_CONTACTS = ['ipa-cs', 'police-9110', 'police-online', 'otasuketai'];

const YES: Choice = { label: 'はい、見せてよい', value: 'ho:yes' };
const NO: Choice = { label: 'いいえ', value: 'ho:no' };
const SKIP: Choice = { label: 'スキップ', value: 'ho:skip' };

export interface HandoffState {
  reason: CaseReason;
  urgent: boolean;
  open: boolean;
  /** The transcript before the request: the summary quotes what the user said there, not the intake answers. */
  beforeSeq: number;
  company?: string;
  prefecture?: string;
  contact?: string;
}

/**
 * The short intake before a person takes over: consent to show the conversation, company,
 * prefecture, a contact in case the chat drops (each but the consent skippable; an urgent
 * request asks only consent and contact). Its end opens the case, asynchronously, through
 * `onDone` (the bot needs the queue to tell the user their place).
 */
export function handoffDialog(kb: KnowledgeBase, onDone: (turn: Turn, state: HandoffState) => void): Dialog<HandoffState> {
  const skipOr = (input: UserInput, read: (t: string) => string | undefined): { skip: true } | { value: string } | undefined => {
    if (skipped(input, SKIP.value)) return { skip: true };
    if (input.type !== 'text') return undefined;
    const v = read(input.text);
    return v ? { value: v } : undefined;
  };
  const finish = (turn: Turn, state: HandoffState): Outcome => {
    onDone(turn, state);
    return { end: true };
  };
  return {
    id: HANDOFF_DIALOG,
    title: '担当者への取り次ぎ',
    resumable: true,
    begin(turn, args) {
      const c = turn.conversation;
      const incident = c.incidents?.at(-1);
      const profile = { ...(incident?.prefecture ? { prefecture: incident.prefecture } : {}), ...c.diagnoses?.at(-1)?.profile };
      const state: HandoffState = {
        reason: (args.reason as CaseReason | undefined) ?? 'user',
        // An emergency, or an incident the triage found serious: consent and a contact are enough.
        urgent: Boolean(args.urgent) || c.topics.at(-1)?.urgent === true || (incident !== undefined && incident.severity !== 'low' && turn.now.getTime() - Date.parse(incident.at) < 86_400_000),
        open: isOpen(turn.org.hours, turn.now),
        beforeSeq: turn.conversation.lastSeq,
        ...(profile.company ? { company: profile.company } : {}),
        ...(profile.prefecture ? { prefecture: profile.prefecture } : {}),
      };
      return { step: 'consent', state };
    },
    steps: {
      consent: {
        ask: (state, turn) => ({
          text:
            (state.open
              ? '担当者（相談員）におつなぎします。'
              : `ただいま受付時間外です（受付時間: ${describeHours(turn.org.hours)}）。ご依頼を受け付けて、受付時間になりしだい相談員からご連絡します。`) +
            '\nそのために、これまでのチャットの内容を相談員が読んでもよいですか？',
          choices: [YES, NO],
        }),
        answer(input, state, turn) {
          const picked = pickChoice(input, [YES, NO], { [YES.value]: ['はい', 'いいよ', 'どうぞ', 'ok'], [NO.value]: ['いいえ', 'だめ', 'いやです'] });
          const typed = !picked && input.type === 'text' ? typedAnswer(input.text) : undefined;
          if (picked === YES || typed === 'done') {
            if (state.urgent) return { next: 'contact' };
            return { next: state.company ? (state.prefecture ? 'contact' : 'prefecture') : 'company' };
          }
          if (picked === NO || typed === 'not') {
            turn.say({ text: ['わかりました。相談員へのおつなぎはやめておきます。急ぎのときは次の窓口にもご相談ください。', ...emergencyLines(kb)].join('\n'), choices: [COMMAND_CHOICES.menu] });
            return { end: true };
          }
          return undefined;
        },
        reask: '「はい」か「いいえ」でお答えください。',
      },
      company: {
        ask: () => ({ text: '会社名（屋号）を教えてください。', choices: [SKIP] }),
        answer(input, state) {
          const r = skipOr(input, nameOf);
          if (!r) return undefined;
          if ('value' in r) state.company = r.value;
          return { next: state.prefecture ? 'contact' : 'prefecture' };
        },
        freeText: true,
      },
      prefecture: {
        ask: () => ({ text: '所在地の都道府県を教えてください。', choices: [SKIP] }),
        answer(input, state) {
          const r = skipOr(input, prefectureOf);
          if (!r) return undefined;
          if ('value' in r) state.prefecture = r.value;
          return { next: 'contact' };
        },
        reask: '都道府県名を入力するか（例: 東京都、大阪）、「スキップ」を押してください。',
      },
      contact: {
        ask: (state) => ({
          text: state.open
            ? 'チャットが途中で切れたときのご連絡先（電話番号かメールアドレス）を教えてください。'
            : '受付時間になりしだい、相談員から折り返しご連絡します。ご連絡先（電話番号かメールアドレス）を教えてください。このチャットでの連絡でよければ「スキップ」を押してください。',
          choices: [SKIP],
        }),
        answer(input, state, turn) {
          const r = skipOr(input, contactOf);
          if (!r) return undefined;
          if ('value' in r) state.contact = r.value;
          return finish(turn, state);
        },
        reask: '電話番号（例: 03-1234-5678）かメールアドレスを入力するか、「スキップ」を押してください。',
        freeText: true,
      },
    },
  };
}

/** A phone number or an e-mail address, as typed. */
function contactOf(text: string): string | undefined {
  const t = text.normalize('NFKC').trim();
  if (t.length > 100) return undefined;
  if (/[^\s@]+@[^\s@]+\.[^\s@]+/.test(t)) return t;
  return (t.match(/\d/g)?.length ?? 0) >= 10 ? t : undefined;
}

function emergencyLines(kb: KnowledgeBase): string[] {
  return EMERGENCY_CONTACTS.map((id) => kb.contact(id))
    .filter((c) => c !== undefined)
    .map(contactLine);
}

/** Opens the waiting case at the end of the intake and tells the user their place in line. */
export async function openHandoffCase(turn: Turn, kb: KnowledgeBase, state: HandoffState): Promise<void> {
  const conversation = turn.conversation;
  const before = (await turn.recent(60)).filter((m) => m.seq <= state.beforeSeq);
  const summary = summarize(conversation, before, (t) => kb.entry(t)?.title);
  const c: Case = {
    id: randomUUID(),
    org: conversation.org,
    conversationId: conversation.id,
    channel: conversation.channel,
    status: 'waiting',
    priority: state.urgent || summary.urgent ? 'urgent' : 'normal',
    reason: state.reason,
    createdAt: turn.now.toISOString(),
    duringHours: state.open,
    intake: {
      consent: true,
      ...(state.company ? { company: state.company } : {}),
      ...(state.prefecture ? { prefecture: state.prefecture } : {}),
      ...(state.contact ? { contact: state.contact } : {}),
    },
    summary,
    notes: [],
  };
  const waiting = await turn.find<Case>(CASES, { org: c.org, status: 'waiting' });
  c.toldPosition = positionOf(waiting, c);
  openCase(conversation, c);
  turn.save(CASES, c.id, c);
  if (state.open) {
    turn.say({
      text:
        `担当者へのおつなぎを受け付けました。現在 ${c.toldPosition} 番目です。順番が来たら、相談員がこのチャットでお返事します。\n` +
        'お待ちの間もボットへの質問は続けられます。取り消すときは「キャンセル」と送ってください。',
    });
    return;
  }
  turn.say(
    `ご依頼を受け付けました。受付時間（${describeHours(turn.org.hours)}）になりしだい、相談員から${state.contact ? `「${state.contact}」に` : 'このチャットで'}ご連絡します。` +
      '取り消すときは「キャンセル」と送ってください。',
  );
  turn.say(['急ぎの被害が起きている場合は、待たずに次の窓口にもご相談ください。', ...emergencyLines(kb)].join('\n'));
  // The incident sheet carries what happened to whoever the user calls in the meantime.
  const incident = conversation.incidents?.at(-1);
  if (incident && Date.parse(incident.sheetExpiresAt) > turn.now.getTime()) {
    turn.say({
      text: '警察やお助け隊、保険会社に連絡するときは、このシートを見せると状況が早く伝わります。',
      cards: [{ title: 'インシデント連絡シート', buttons: [{ label: 'シートを開く', url: incident.sheetUrl }] }],
    });
  } else if (state.urgent) {
    turn.say({ text: '待っている間に、状況を整理して連絡用のシートを作っておけます（2〜3分）。', choices: [{ label: '状況を整理する', value: 'start:triage' }] });
  }
}

/** The user asks for a person while already in line or with an adviser: say where things stand. */
export async function alreadyHandedOff(turn: Turn): Promise<boolean> {
  const c = turn.conversation;
  if (c.owner === 'adviser') {
    turn.say('担当者がこのチャットを担当しています。そのままメッセージをお送りください。');
    return true;
  }
  if (c.owner !== 'waiting' || !c.handoff) return false;
  const mine = await turn.read<Case>(CASES, c.handoff.caseId);
  const waiting = await turn.find<Case>(CASES, { org: c.org, status: 'waiting' });
  const place = mine ? positionOf(waiting, mine) : undefined;
  if (mine && place !== undefined && mine.toldPosition !== place) {
    mine.toldPosition = place;
    turn.save(CASES, mine.id, mine);
  }
  turn.say(
    `担当者へのおつなぎは受け付け済みです${place ? `（現在 ${place} 番目）` : ''}。順番にご案内しますので、このままお待ちください。取り消すときは「キャンセル」と送ってください。`,
  );
  return true;
}

/**
 * On a channel where pushes are paid for (LINE), a waiting user is not pushed each change of
 * their place in line; they hear it with the bot's next answer instead. Called at the end of
 * a turn: says the place if it moved since they were last told (and nothing else said it).
 */
export async function tellPlaceIfMoved(turn: Turn): Promise<void> {
  const conversation = turn.conversation;
  if (!pushIsMetered(conversation.channel) || conversation.owner !== 'waiting' || !conversation.handoff) return;
  const mine = await turn.read<Case>(CASES, conversation.handoff.caseId);
  if (!mine || mine.status !== 'waiting') return;
  const place = positionOf(await turn.find<Case>(CASES, { org: conversation.org, status: 'waiting' }), mine);
  if (mine.toldPosition === place) return;
  mine.toldPosition = place;
  turn.save(CASES, mine.id, mine);
  turn.say(`（担当者へのおつなぎ: 現在 ${place} 番目です）`);
}

/** The user cancels their waiting request; says so. False when there was nothing to withdraw. */
export async function withdrawRequest(turn: Turn): Promise<boolean> {
  const conversation = turn.conversation;
  if (conversation.owner !== 'waiting' || !conversation.handoff) return false;
  const c = await turn.read<Case>(CASES, conversation.handoff.caseId);
  if (!c || c.status !== 'waiting') return false;
  withdrawCase(conversation, c, turn.now);
  turn.save(CASES, c.id, c);
  turn.say({ text: '担当者へのおつなぎを取り消しました。引き続きボットがお答えします。', choices: [COMMAND_CHOICES.menu] });
  return true;
}
