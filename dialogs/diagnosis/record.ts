import type { LinkGrant } from '../../bot/secret-token.js';
import type { AnswerId } from '../../knowledge/schema.js';
import type { DiagnosisScore } from './scoring.js';

/** What the company told us before item 1; every field may be skipped. */
export interface CompanyProfile {
  company?: string;
  prefecture?: string;
  industry?: string;
  employees?: string;
}

/**
 * A finished diagnosis as stored (collection `diagnoses`, keyed by its id). It belongs to one
 * conversation of one org; nothing reads it across orgs.
 */
export interface DiagnosisRecord {
  id: string;
  org: string;
  conversationId: string;
  startedAt: string;
  finishedAt: string;
  profile: CompanyProfile;
  /** By item number (JSON keys are strings). */
  answers: Record<string, AnswerId>;
  score: DiagnosisScore;
  /** The conversation's diagnosis before this one, for 「前回より +12点」. */
  previous?: { id: string; at: string; total: number; parts: { id: string; score: number }[] };
}

/**
 * A report link (collection `reports`, keyed by the SHA-256 of its token, so the database
 * alone does not give working links). The token is 144 random bits: the URL is the key.
 */
export interface ReportGrant extends LinkGrant {
  diagnosisId: string;
}

export const DIAGNOSES = 'diagnoses';
export const REPORTS = 'reports';
/** How long a report link works. */
export const REPORT_DAYS = 30;


const LETTER: Record<AnswerId, string> = { done: 'd', partly: 'p', not: 'n', unknown: 'u' };
const FROM_LETTER: Record<string, AnswerId> = { d: 'done', p: 'partly', n: 'not', u: 'unknown' };

/** The answers as one letter an item (kept in the conversation's summary). */
export function packAnswers(answers: Record<string, AnswerId>, items: number): string {
  return Array.from({ length: items }, (_, i) => (answers[String(i + 1)] ? LETTER[answers[String(i + 1)]!] : '-')).join('');
}

/** Stored answers (JSON keys are strings) by item number, as scoring takes them. */
export function answersByNumber(answers: Record<string, AnswerId>): Record<number, AnswerId> {
  return Object.fromEntries(Object.entries(answers).map(([k, v]) => [Number(k), v]));
}

export function unpackAnswers(packed: string): Record<number, AnswerId> {
  const out: Record<number, AnswerId> = {};
  [...packed].forEach((ch, i) => {
    if (FROM_LETTER[ch]) out[i + 1] = FROM_LETTER[ch]!;
  });
  return out;
}
