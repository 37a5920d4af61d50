import type { AttachmentRef } from './attachments.js';

/**
 * The words of the core, as types. Everything here is channel-neutral: adapters translate
 * LINE events, Teams activities and widget requests into an `Inbound`, and render `Reply`s
 * back into Flex messages, Adaptive Cards or widget JSON.
 */

/** A channel the desk can be reached on. */
export type Channel = 'web' | 'line' | 'teams';

/**
 * Who may answer a conversation right now.
 * - `bot`: the bot answers.
 * - `waiting`: the user asked for a person; the bot still answers questions meanwhile.
 * - `adviser`: a person has taken over; the bot must stay silent.
 * - `closed`: the conversation ended; a new message reopens it to the bot.
 */
export type Owner = 'bot' | 'waiting' | 'adviser' | 'closed';

/** Who wrote a message in the transcript. `system` is an activity line ("担当者が参加しました"). */
export type Sender = 'user' | 'bot' | 'adviser' | 'system';

/** A button the user can press instead of typing. `value` is what comes back; `label` is shown. */
export interface Choice {
  label: string;
  value: string;
}

/** A button on a card: either opens a link or sends a choice value. */
export type CardButton = { label: string; url: string } | { label: string; value: string };

/** A small card: a title, a short body and link buttons (sources, official pages). */
export interface Card {
  title: string;
  body?: string;
  buttons?: CardButton[];
}

/** One outgoing bubble in neutral form. */
export interface Reply {
  text: string;
  choices?: Choice[];
  cards?: Card[];
}

/** What the user sent, before interpretation. */
export type InboundContent =
  | { type: 'text'; text: string }
  /** A screenshot, photo or PDF, already stored (its bytes by id); with the words the user sent along, if any. */
  | { type: 'attachment'; attachment: AttachmentRef; caption?: string }
  /** The text the desk read on an image the user sent earlier: the bot answers it; nothing is stored as the user's. */
  | { type: 'read'; attachment: AttachmentRef; caption?: string }
  | { type: 'choice'; value: string }
  /** A sticker, image, file, audio clip, location... the desk reads text only. */
  | { type: 'other'; kind: string }
  /** The user opened the chat (a new web session, a LINE follow): nothing to store, the bot greets. */
  | { type: 'start' }
  /** Something happened on the channel (the user blocked the LINE account): a system line for advisers; the bot stays quiet. */
  | { type: 'notice'; text: string };

/** One event from a channel, after the adapter has verified who sent it. */
export interface Inbound {
  channel: Channel;
  org: string;
  /** The channel's own key for the chat: a web session id, a LINE user id, a Teams conversation id. */
  key: string;
  userId: string;
  content: InboundContent;
  /** The channel's id of the user's message (LINE message id), so it can be found again (unsend). */
  messageId?: string;
  /**
   * Documents to write in the same transaction as the turn: a channel marks its inbound event
   * handled there, so a crash can never run the same event twice or lose it.
   */
  alsoWrite?: DocumentWrite[];
}

/** A message as stored in the transcript. `seq` increases by one per message within a conversation. */
export interface StoredMessage {
  seq: number;
  from: Sender;
  text: string;
  choices?: Choice[];
  cards?: Card[];
  /** ISO 8601 time the message was stored. */
  at: string;
  /** The channel's own id of a user's message (LINE), when it has one. */
  channelMessageId?: string;
  /** The adviser's display name on an adviser's message. */
  author?: string;
  /** Screenshots, photos or files the user sent with this message. */
  attachments?: AttachmentRef[];
}

/** A message about to be stored: the store assigns `seq`. */
export type NewMessage = Omit<StoredMessage, 'seq'>;

/** A document written together with a turn (see Store.commit); `doc: null` deletes it. */
export interface DocumentWrite {
  collection: string;
  id: string;
  doc: object | null;
}

/** A finished self-diagnosis, as the conversation remembers it (the answers are in their own document). */
export interface DiagnosisSummary {
  id: string;
  at: string;
  total: number;
  max: number;
  band: string;
  parts: { id: string; title: string; score: number; max: number }[];
  /** The answers, one letter an item in order: d 実施 / p 一部 / n 未実施 / u わからない. */
  answers: string;
  /** What the company told us (reused, if they wish, by the next diagnosis). */
  profile: { company?: string; prefecture?: string; industry?: string; employees?: string };
  /** The printable report, while it is valid. */
  reportUrl: string;
  reportExpiresAt: string;
}

/**
 * A triaged incident, as the conversation remembers it (the whole record, with its referrals,
 * is a document of its own): enough for the adviser's summary and the link to its sheet.
 */
export interface IncidentSummary {
  id: string;
  at: string;
  topic: string;
  severity: 'high' | 'medium' | 'low';
  severityReason: string;
  /** The triage answers in words (「気づいた日: 2026年12月1日（火）」), so the adviser need not ask again. */
  facts: string[];
  /** The company's prefecture, when the triage learnt it. */
  prefecture?: string;
  /** The printable incident sheet, while it is valid. */
  sheetUrl: string;
  sheetExpiresAt: string;
}

/** One frame of the dialog stack (see dialogs/engine.ts). Plain JSON so it persists as is. */
export interface DialogFrame {
  dialog: string;
  step: string;
  state: Record<string, unknown>;
  /** How many times in a row the current step could not understand the answer. */
  retries: number;
  /** Set when the user asked something else mid-flow and was offered to resume. */
  suspended?: boolean;
}

/** The conversation's open hand-off: the case (document in `cases`) waiting for or with an adviser. */
export interface HandoffRequest {
  caseId: string;
  requestedAt: string;
  reason: 'user' | 'unsolved' | 'low-confidence' | 'urgent' | 'low-score' | 'adviser';
  /** Whether the org was open when the request was made. */
  duringHours: boolean;
}

/** A topic the bot answered in this conversation, with the user's verdict when given. */
export interface AnsweredTopic {
  topic: string;
  at: string;
  helpful?: boolean;
  /** The question described an incident happening now. */
  urgent?: boolean;
  /** The user's own words that this topic answered (the adviser's summary and the incident sheet quote them). */
  said?: string;
}

/** One chat between one user and the desk on one channel. Stored as one document. */
export interface Conversation {
  id: string;
  org: string;
  channel: Channel;
  key: string;
  userId: string;
  owner: Owner;
  createdAt: string;
  updatedAt: string;
  /** Highest message seq stored; the store keeps it in step with the transcript. */
  lastSeq: number;
  /** Optimistic concurrency: a write must carry the version it read. */
  version: number;
  /** The dialog stack, top last. Empty when the bot is waiting for a free question. */
  dialogs: DialogFrame[];
  /** The choices of the bot's latest prompt: lets a typed label or a pressed button be understood. */
  lastChoices: Choice[];
  handoff: HandoffRequest | null;
  /** Low-confidence turns in a row; two in a row offer a person. */
  lowConfidenceStreak: number;
  /** The latest answered topics (newest last, a handful kept). */
  topics: AnsweredTopic[];
  /** Finished self-diagnoses, oldest first (absent in conversations stored before they existed). */
  diagnoses?: DiagnosisSummary[];
  /** Triaged incidents, oldest first. */
  incidents?: IncidentSummary[];
}
