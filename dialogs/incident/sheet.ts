import { japanTime } from '../../bot/hours.js';
import { japaneseDay } from '../../bot/japanese-date.js';
import type { PersonalKind } from './ppc.js';
import { SEVERITY_LABEL, STATUS_LABEL, type IncidentRecord, type Referral, type TriageAnswers } from './record.js';

/**
 * The incident in words, as the user hands it to the police, the お助け隊 provider or the insurer:
 * the same lines in the chat, on the printable sheet, in the copyable text and in the console.
 */

const ONGOING = { yes: '今も続いている', no: '止まっている', unknown: 'わからない' };
const SCOPE = { one: '1台（1つ）', several: '複数の端末', servers: 'サーバー・NASを含む', accounts: '複数のアカウント', unknown: 'わからない' };
const YES_NO = { yes: 'はい', no: 'いいえ', unknown: 'わからない' };
const DISCONNECTED = { yes: '切り離した', no: 'まだつながっている', unknown: 'わからない' };
const PERSONAL = { yes: '関わっている（おそれを含む）', no: '関わっていない', unknown: 'わからない' };
const PEOPLE = { upTo100: '100人以下', upTo1000: '1,000人以下', over1000: '1,000人を超える', unknown: 'わからない' };
const KINDS: Record<PersonalKind, string> = { card: 'カード番号など', sensitive: '病歴・健康の情報など（要配慮個人情報）', credentials: 'ID・パスワード', basic: '氏名・連絡先など', unknown: 'わからない' };
const PAID = { transfer: '振込', card: 'クレジットカード', emoney: '電子マネー・ギフトカード', crypto: '暗号資産', no: '払っていない', unknown: 'わからない' };
const TOLD = { boss: '社長・責任者', staff: '社内', vendor: '保守業者・お助け隊', police: '警察', bank: '銀行・カード会社', customers: '取引先・お客さま', nobody: 'まだ誰にも' };
const CONTRACTS = { otasuketai: 'お助け隊サービス', insurance: 'サイバー保険', none: 'なし' };

export const PPC_VERDICT = { required: '必要', check: '確認が必要', 'not-required': '不要' } as const;

/** The triage answers as 「項目: 答え」 lines; skipped questions are left out. */
export function factLines(a: TriageAnswers): string[] {
  const lines: string[] = [];
  if (a.noticed) lines.push(`気づいた日: ${japaneseDay(a.noticed.date)}（「${a.noticed.said}」）`);
  if (a.ongoing) lines.push(`被害の状況: ${ONGOING[a.ongoing]}`);
  if (a.scope) lines.push(`影響の範囲: ${SCOPE[a.scope]}${a.scopeSaid ? `（「${a.scopeSaid}」）` : ''}`);
  if (a.disconnected) lines.push(`ネットワークからの切り離し: ${DISCONNECTED[a.disconnected]}`);
  if (a.personal) lines.push(`個人情報: ${PERSONAL[a.personal]}`);
  if (a.people) lines.push(`人数: ${PEOPLE[a.people]}`);
  if (a.kinds?.length) lines.push(`情報の種類: ${a.kinds.map((k) => KINDS[k]).join('、')}`);
  if (a.encrypted) lines.push(`データの暗号化: ${YES_NO[a.encrypted]}`);
  if (a.paid) lines.push(`支払い: ${PAID[a.paid]}`);
  if (a.told?.length) lines.push(`伝えた相手: ${a.told.map((t) => TOLD[t]).join('、')}`);
  if (a.contracts?.length) lines.push(`契約: ${a.contracts.map((c) => CONTRACTS[c]).join('、')}`);
  if (a.prefecture) lines.push(`所在地: ${a.prefecture}`);
  return lines;
}

/** One referral as text lines: who, why, how to reach them, deadlines, what to bring. */
export function referralLines(r: Referral, withStatus = false): string[] {
  const lines = [`■ ${r.title}${withStatus ? `［${STATUS_LABEL[r.status]}］` : ''}`, r.why];
  for (const c of r.contact) lines.push(`　${c}`);
  for (const d of r.deadlines ?? []) lines.push(`　期限: ${d.label} ${japaneseDay(d.date)}${d.to ? `〜${japaneseDay(d.to)}` : ''}まで`);
  if (r.bring?.length) lines.push(`　用意するもの・伝えること: ${r.bring.join(' / ')}`);
  return lines;
}

/** The whole sheet as plain text (copy and paste, the .txt download). */
export function sheetText(record: IncidentRecord): string {
  const lines = [
    'インシデント連絡シート',
    `作成: ${japaneseDay(japanTime(new Date(record.finishedAt)).date)}${record.company ? ` ／ ${record.company}` : ''}`,
    '',
    '【何が起きたか】',
    record.topicTitle,
    ...record.userSaid.map((s) => `「${s}」`),
    '',
    '【状況】',
    ...factLines(record.answers),
    '',
    `【重大度】${SEVERITY_LABEL[record.severity]} — ${record.severityReason}`,
    '',
    ...(record.ppc ? [`【個人情報保護委員会への報告】${PPC_VERDICT[record.ppc.verdict]} — ${record.ppc.reason}`, ''] : []),
    '【連絡先と期限】',
    ...record.referrals.flatMap((r) => [...referralLines(r), '']),
    '※ このシートはセキュリティ相談窓口のチャットでの聞き取りをもとに作成したものです。内容は分かった範囲のものです。',
  ];
  return lines.join('\n');
}
