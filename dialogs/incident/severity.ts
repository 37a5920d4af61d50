import type { Severity, TriageAnswers } from './record.js';

/** Topics whose damage spreads by itself through the network, so "still happening" weighs more. */
const SPREADING = new Set(['ransomware', 'server-intrusion', 'emotet', 'malware-suspected', 'website-defacement']);

interface Rule {
  severity: Severity;
  when: (a: TriageAnswers, topic: string) => boolean;
  /** The reason, in one sentence, as the user reads it. */
  reason: string;
}

const sensitiveKinds = (a: TriageAnswers) => (a.kinds ?? []).some((k) => k === 'card' || k === 'sensitive' || k === 'credentials');
const wide = (a: TriageAnswers) => a.scope === 'several' || a.scope === 'servers' || (a.scopeCount ?? 0) > 1;

/**
 * The triage's severity, decided by the first rule that fits (most serious first). The rules
 * are the desk's judgement, written down so advisers and users can see why:
 * - high: money already gone; damage still spreading across machines or servers; a server or
 *   the network broken into; ransomware; card numbers, health data or passwords of people
 *   possibly leaked, or more than 1,000 people; remote control still possible;
 * - low: it is over, one device, no money, no personal data;
 * - medium: everything in between.
 */
const RULES: Rule[] = [
  { severity: 'high', when: (a) => a.paid !== undefined && a.paid !== 'no' && a.paid !== 'unknown', reason: 'お金がすでに支払われていて、取り戻すには時間との勝負になるため' },
  { severity: 'high', when: (_a, t) => t === 'ransomware', reason: 'ランサムウェアは社内の他の機器やバックアップにも広がりやすく、業務が止まるおそれがあるため' },
  { severity: 'high', when: (a, t) => a.ongoing === 'yes' && wide(a), reason: '被害が今も続いていて、複数の機器やサーバーに及んでいるため' },
  { severity: 'high', when: (a, t) => a.ongoing !== 'no' && SPREADING.has(t) && a.disconnected === 'no', reason: '感染や侵入の疑いがある機器がネットワークにつながったままで、被害が広がるおそれがあるため' },
  { severity: 'high', when: (a, t) => t === 'server-intrusion' && a.ongoing !== 'no', reason: 'サーバーや社内ネットワークへの侵入は、情報の持ち出しや被害の拡大につながりやすいため' },
  { severity: 'high', when: (a) => a.personal !== 'no' && a.personal !== undefined && (sensitiveKinds(a) || a.people === 'over1000'), reason: 'カード番号・健康情報・パスワードなど悪用されやすい個人情報か、1,000人を超える個人情報が漏れたおそれがあるため' },
  { severity: 'medium', when: (a) => a.personal === 'yes', reason: 'お客さまなどの個人情報が関わっていて、本人への連絡や再発防止の手当てが必要なため' },
  {
    severity: 'low',
    when: (a) => a.ongoing === 'no' && (a.personal === 'no' || a.personal === undefined) && (a.paid === 'no' || a.paid === undefined) && !wide(a),
    reason: '被害は止まっていて、1台の範囲にとどまり、お金や個人情報の被害も聞いた範囲ではないため',
  },
];

export function assessSeverity(answers: TriageAnswers, topic: string): { severity: Severity; reason: string } {
  const rule = RULES.find((r) => r.when(answers, topic));
  if (rule) return { severity: rule.severity, reason: rule.reason };
  return { severity: 'medium', reason: '被害の広がりやお金・個人情報への影響はまだはっきりしませんが、放置すると広がるおそれがあるため' };
}
