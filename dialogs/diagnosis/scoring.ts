import type { AnswerId, DiagnosisData, DiagnosisItem } from '../../knowledge/schema.js';

/** The answers given so far, by item number. */
export type Answers = Record<number, AnswerId>;

export interface PartScore {
  id: string;
  title: string;
  score: number;
  max: number;
}

/** One step of the action plan: an item that is not (fully) in place. */
export interface PlanStep {
  no: number;
  answer: AnswerId;
  action: string;
  topic: string;
}

export interface SecurityActionStatus {
  /** Items 1–5 (the 5か条) are all 実施している: the one-star declaration fits. */
  oneStar: boolean;
  /** The 5か条 items still to put in place for one star. */
  missingForOneStar: number[];
}

export interface DiagnosisScore {
  total: number;
  max: number;
  band: DiagnosisData['bands'][number];
  parts: PartScore[];
  /** Items answered わからない: to check with whoever knows. */
  unknown: number[];
  /** Items not (fully) in place, most urgent first. */
  plan: PlanStep[];
  securityAction: SecurityActionStatus;
}

/** Points of an answer; an item without an answer counts as 0. */
export function pointsOf(data: DiagnosisData, answer: AnswerId | undefined): number {
  return answer === undefined ? 0 : data.answers.find((a) => a.id === answer)!.points;
}

/**
 * Scores a diagnosis the way IPA's sheet does: 4 / 2 / 0 / −1 points an item, 100 points for
 * 25 items, the band from the total.
 *
 * The plan orders the items that are not in place by what they scored (実施していない before
 * 一部実施している), then by the item's priority in the data file (the 5か条 and the ways in
 * of ransomware and mail fraud first), then by number. わからない items are listed apart: the
 * first step there is to find out.
 */
export function score(data: DiagnosisData, answers: Answers): DiagnosisScore {
  const max = Math.max(...data.answers.map((a) => a.points));
  const total = data.items.reduce((sum, item) => sum + pointsOf(data, answers[item.no]), 0);
  const band = data.bands.find((b) => b.min <= total && total <= b.max)!;
  const parts = data.parts.map((p) => {
    const items = data.items.filter((i) => i.no >= p.from && i.no <= p.to);
    return { id: p.id, title: p.title, score: items.reduce((s, i) => s + pointsOf(data, answers[i.no]), 0), max: items.length * max };
  });
  const unknown = data.items.filter((i) => answers[i.no] === 'unknown').map((i) => i.no);
  const open = data.items.filter((i) => answers[i.no] === 'not' || answers[i.no] === 'partly');
  const plan = open
    .sort((a, b) => pointsOf(data, answers[a.no]) - pointsOf(data, answers[b.no]) || b.priority - a.priority || a.no - b.no)
    .map((i: DiagnosisItem) => ({ no: i.no, answer: answers[i.no]!, action: i.action, topic: i.topic }));
  const missingForOneStar = [1, 2, 3, 4, 5].filter((n) => answers[n] !== 'done');
  return {
    total,
    max: data.items.length * max,
    band,
    parts,
    unknown,
    plan,
    securityAction: { oneStar: missingForOneStar.length === 0, missingForOneStar },
  };
}
