import { addDays } from '../../bot/japanese-date.js';

/**
 * The personal-information commission's rules for reporting a leak (改正個人情報保護法, in force
 * since 2022-04-01; facts.md §6.5). A leak, loss or damage of personal data — or the risk of one —
 * must be reported to the commission and notified to the people affected when it falls in one
 * of four categories:
 *   1. sensitive personal information (要配慮個人情報: health, medical history, ...), even one person;
 *   2. data whose misuse can cause financial loss (card numbers, online-banking IDs and passwords), even one person;
 *   3. caused, or possibly caused, with wrongful intent (unauthorised access, ransomware, theft,
 *      an employee taking data out; since 2024-04 also information stolen while being entered,
 *      such as web skimming on a shop's form), even one person;
 *   4. more than 1,000 people.
 * Data protected by strong encryption is exempt. A preliminary report (速報) is due "promptly",
 * about 3-5 days after the company became aware; the final report (確報) within 30 days, or
 * 60 days for category 3.
 */

export type PersonalKind = 'sensitive' | 'card' | 'credentials' | 'basic' | 'unknown';

export interface PpcFacts {
  /** Personal data may be involved. */
  involved: 'yes' | 'no' | 'unknown';
  kinds: PersonalKind[];
  people?: 'upTo1000' | 'over1000' | 'unknown';
  /** The incident was, or may have been, caused with wrongful intent (see category 3). */
  wrongfulIntent: boolean;
  /** The data was protected by strong encryption (a lost laptop with full-disk encryption). */
  encrypted?: boolean;
  /** YYYY-MM-DD (Japan time): the day the company became aware. */
  awareOn: string;
}

export type PpcCategory = 1 | 2 | 3 | 4;

export const CATEGORY_LABEL: Record<PpcCategory, string> = {
  1: '要配慮個人情報（病歴・健康診断の結果など）が含まれる',
  2: '悪用されるとお金の被害が出るおそれがある情報（クレジットカード番号、ネットバンキングのID・パスワードなど）が含まれる',
  3: '不正アクセス・ランサムウェア・盗難・持ち出しなど、不正の目的によるおそれがある',
  4: '本人の数が1,000人を超える',
};

export interface PpcAssessment {
  /** `required`: reporting is a duty; `check`: it may be, find out what was involved; `not-required`. */
  verdict: 'required' | 'check' | 'not-required';
  categories: PpcCategory[];
  /** One sentence why, for the user and the sheet. */
  reason: string;
  /** 速報: about 3-5 days after awareness (the first and last day of that window). */
  preliminary: { from: string; to: string };
  /** 確報: 30 days after awareness, or 60 for category 3. */
  final: { by: string; days: 30 | 60 };
}

export function assessPpc(f: PpcFacts): PpcAssessment {
  const categories: PpcCategory[] = [];
  if (f.kinds.includes('sensitive')) categories.push(1);
  if (f.kinds.includes('card') || f.kinds.includes('credentials')) categories.push(2);
  if (f.wrongfulIntent) categories.push(3);
  if (f.people === 'over1000') categories.push(4);
  const days: 30 | 60 = categories.includes(3) ? 60 : 30;
  const dates = { preliminary: { from: addDays(f.awareOn, 3), to: addDays(f.awareOn, 5) }, final: { by: addDays(f.awareOn, days), days } };

  if (f.involved === 'no') {
    return { verdict: 'not-required', categories: [], reason: '個人データが関わっていないため、個人情報保護委員会への報告は必要ありません。', ...dates };
  }
  if (f.encrypted) {
    return {
      verdict: 'not-required',
      categories,
      reason: '高度な暗号化などで保護されたデータだけなら、報告と本人への通知は不要とされています（保護の中身を記録に残してください）。',
      ...dates,
    };
  }
  if (categories.length && f.involved === 'yes') {
    return { verdict: 'required', categories, reason: `報告と本人への通知が義務になる場合に当たります（${categories.map((c) => CATEGORY_LABEL[c]).join('。')}）。`, ...dates };
  }
  if (categories.length) {
    return {
      verdict: 'check',
      categories,
      reason: `個人データが関わっていれば、報告と本人への通知が義務になります（${categories.map((c) => CATEGORY_LABEL[c]).join('。')}）。まず関わっているかを確かめてください。`,
      ...dates,
    };
  }
  const unknown = f.involved === 'unknown' || f.kinds.includes('unknown') || f.kinds.length === 0 || f.people === 'unknown' || f.people === undefined;
  if (unknown) {
    return {
      verdict: 'check',
      categories,
      reason: '漏れた情報の種類や人数がまだ分からないため、報告が義務になるか確かめる必要があります（要配慮情報・カード番号など・不正の目的・1,000人超のどれかに当たれば義務です）。',
      ...dates,
    };
  }
  return {
    verdict: 'not-required',
    categories,
    reason: '聞いた範囲では報告が義務になる4つの場合に当たりません。ただし、経緯と判断の理由は記録に残してください。',
    ...dates,
  };
}
