import type { LinkGrant } from '../../bot/secret-token.js';
import type { PersonalKind, PpcAssessment } from './ppc.js';
import type { Noticed } from './when.js';

/** What the triage learnt; every answer may be skipped (then it is absent). */
export interface TriageAnswers {
  ongoing?: 'yes' | 'no' | 'unknown';
  noticed?: Noticed;
  scope?: 'one' | 'several' | 'servers' | 'accounts' | 'unknown';
  /** A number the user gave with the scope (「PC 3台」), when they gave one. */
  scopeCount?: number;
  scopeSaid?: string;
  disconnected?: 'yes' | 'no' | 'unknown';
  personal?: 'yes' | 'no' | 'unknown';
  people?: 'upTo100' | 'upTo1000' | 'over1000' | 'unknown';
  kinds?: PersonalKind[];
  /** Lost devices: the data was protected by strong encryption. */
  encrypted?: 'yes' | 'no' | 'unknown';
  paid?: 'transfer' | 'card' | 'emoney' | 'crypto' | 'no' | 'unknown';
  told?: ToldWhom[];
  /** What the company already has: an お助け隊 contract, a cyber insurance policy. */
  contracts?: ('otasuketai' | 'insurance' | 'none')[];
  prefecture?: string;
}

export type ToldWhom = 'boss' | 'staff' | 'vendor' | 'police' | 'bank' | 'customers' | 'nobody';

export type Severity = 'high' | 'medium' | 'low';

/** Where a case is passed on, and how far that has gone (advisers move it on in the console). */
export type ReferralStatus = 'suggested' | 'contacted' | 'closed';

export type ReferralTarget = 'otasuketai' | 'otasuketai-contract' | 'police' | 'jpcert' | 'ipa' | 'ipa-report' | 'ppc' | 'insurer' | 'bank' | 'card-company' | 'emoney-issuer' | 'consumer-188' | 'antiphishing';

export interface Referral {
  id: string;
  target: ReferralTarget;
  /** Who, in a few words (「大阪府警察 サイバー犯罪相談窓口」). */
  title: string;
  /** Why this one fits, one sentence. */
  why: string;
  /** How to reach them: phone, e-mail, URL, hours, as lines. */
  contact: string[];
  /** What to tell or bring. */
  bring?: string[];
  /** A date by which something is due (the commission's reports). */
  deadlines?: { label: string; date: string; to?: string }[];
  status: ReferralStatus;
  updatedAt: string;
  updatedBy?: string;
}

/**
 * One triaged incident (collection `incidents`, by id): the answers, the severity and the
 * referrals. It belongs to one conversation of one org; advisers of that org change the
 * referrals' status. The sheet link's token is stored hashed (`incident-sheets`).
 */
export interface IncidentRecord {
  id: string;
  org: string;
  conversationId: string;
  topic: string;
  topicTitle: string;
  /** What the user wrote about it, in their words (the messages that led here). */
  userSaid: string[];
  startedAt: string;
  finishedAt: string;
  answers: TriageAnswers;
  severity: Severity;
  severityReason: string;
  ppc?: PpcAssessment;
  referrals: Referral[];
  /** The company, when the conversation knows it (hand-off intake, diagnosis). */
  company?: string;
}

export interface SheetGrant extends LinkGrant {
  incidentId: string;
}

export const INCIDENTS = 'incidents';
export const INCIDENT_SHEETS = 'incident-sheets';
/** How long an incident sheet link works. */
export const SHEET_DAYS = 30;


export const SEVERITY_LABEL: Record<Severity, string> = { high: '高', medium: '中', low: '低' };
export const STATUS_LABEL: Record<ReferralStatus, string> = { suggested: '提案', contacted: '連絡済み', closed: '完了' };
