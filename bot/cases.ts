import type { Channel, Conversation, IncidentSummary, StoredMessage } from './types.js';

/**
 * A hand-off case: one request for a person, from the queue to its end. Stored as a document
 * in `cases` (found by org and status); the conversation points to its open case.
 *
 *   waiting ──claim──▶ active ──close──▶ closed
 *      │                  └──return──▶ returned (the bot takes the chat back)
 *      └──(user cancels)──▶ closed (outcome: withdrawn)
 */
export const CASES = 'cases';

export type CaseStatus = 'waiting' | 'active' | 'closed' | 'returned';

/** How a case ended. The first four are the adviser's choices when closing. */
export const OUTCOMES = {
  resolved: '解決',
  advised: '助言済',
  referred: '外部へ紹介',
  unable: '対応不可',
  withdrawn: '利用者が取り消し',
} as const;
export type CaseOutcome = keyof typeof OUTCOMES;
export const ADVISER_OUTCOMES: CaseOutcome[] = ['resolved', 'advised', 'referred', 'unable'];

export type CaseReason = 'user' | 'unsolved' | 'low-confidence' | 'urgent' | 'low-score' | 'adviser';

export interface CaseIntake {
  /** The user agreed that an adviser may read the conversation. */
  consent: boolean;
  company?: string;
  prefecture?: string;
  /** How to reach them if the chat drops (phone or e-mail, as typed). */
  contact?: string;
}

/** What the bot tells the adviser before they read the transcript. */
export interface CaseSummary {
  topic?: string;
  topicTitle?: string;
  urgent: boolean;
  /** The user's own words, the latest few messages. */
  userSaid: string[];
  /** Topics answered in this conversation, oldest first, with the user's verdict. */
  topics: { id: string; title: string; helpful?: boolean }[];
  diagnosis?: { at: string; total: number; max: number; band: string; reportUrl: string };
  /** The latest triaged incident: severity, the answers, the sheet. */
  incident?: IncidentSummary;
}

export interface CaseNote {
  adviserId: string;
  adviserName: string;
  text: string;
  at: string;
}

export interface Case {
  id: string;
  org: string;
  conversationId: string;
  channel: Channel;
  status: CaseStatus;
  priority: 'urgent' | 'normal';
  reason: CaseReason;
  createdAt: string;
  /** The org was open when the case was made; if not, a callback was offered. */
  duringHours: boolean;
  intake: CaseIntake;
  summary: CaseSummary;
  adviserId?: string;
  adviserName?: string;
  claimedAt?: string;
  closedAt?: string;
  outcome?: CaseOutcome;
  notes: CaseNote[];
  /** The queue position the user was last told, to tell them again only when it moves. */
  toldPosition?: number;
  /** 1-5, asked after the adviser closes the case. */
  satisfaction?: number;
}

/** Urgent cases first, then the longest waiting. */
export function queueOrder(a: Case, b: Case): number {
  if (a.priority !== b.priority) return a.priority === 'urgent' ? -1 : 1;
  return a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id < b.id ? -1 : 1;
}

/** 1-based place of `c` among the waiting cases (which may or may not include it yet). */
export function positionOf(waiting: readonly Case[], c: Case): number {
  return waiting.filter((w) => w.id !== c.id && w.status === 'waiting' && queueOrder(w, c) < 0).length + 1;
}

/** A request that cannot be carried out in the case's present state (the API answers 409). */
export class CaseStateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CaseStateError';
  }
}

const STATUS_LABEL: Record<CaseStatus, string> = { waiting: '待機中', active: '対応中', closed: '終了', returned: 'ボットに戻した' };

export function requireStatus(c: Case, ...allowed: CaseStatus[]): void {
  if (!allowed.includes(c.status)) {
    throw new CaseStateError(`この相談は「${STATUS_LABEL[c.status]}」のため、この操作はできません。`);
  }
}

/** How many of the user's latest messages the summary quotes. */
const USER_SAID = 5;

/** The bot's summary for the adviser, from the conversation and its recent transcript. */
export function summarize(conversation: Conversation, recent: readonly StoredMessage[], titleOf: (topic: string) => string | undefined): CaseSummary {
  const last = conversation.topics.at(-1);
  const diagnosis = conversation.diagnoses?.at(-1);
  return {
    ...(last ? { topic: last.topic, topicTitle: titleOf(last.topic) ?? last.topic } : {}),
    urgent: conversation.topics.some((t) => t.urgent),
    userSaid: userWords(conversation, recent),
    topics: conversation.topics.map((t) => ({ id: t.topic, title: titleOf(t.topic) ?? t.topic, ...(t.helpful === undefined ? {} : { helpful: t.helpful }) })),
    ...(diagnosis ? { diagnosis: { at: diagnosis.at, total: diagnosis.total, max: diagnosis.max, band: diagnosis.band, reportUrl: diagnosis.reportUrl } } : {}),
    ...(conversation.incidents?.length ? { incident: conversation.incidents.at(-1)! } : {}),
  };
}

/**
 * What the user said about their problem: the questions the bot answered (answers to its own
 * prompts, such as the triage's, are not that); without any, their latest messages.
 */
function userWords(conversation: Conversation, recent: readonly StoredMessage[]): string[] {
  const asked = conversation.topics.filter((t) => t.said).map((t) => t.said!);
  if (asked.length) return asked.slice(-USER_SAID);
  return recent
    .filter((m) => m.from === 'user' && !m.text.startsWith('［'))
    .map((m) => m.text)
    .slice(-USER_SAID);
}
