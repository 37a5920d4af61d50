import { japaneseDate, japaneseMonthDay } from '../../bot/japanese-date.js';
import type { Choice, Reply } from '../../bot/types.js';
import type { KnowledgeBase } from '../../knowledge/knowledge-base.js';
import { COMMAND_CHOICES } from '../commands.js';
import type { DiagnosisRecord } from './record.js';
import type { DiagnosisScore } from './scoring.js';

/** The value of the button that writes the basic policy draft (see policy-dialog.ts). */
export const POLICY_BUTTON: Choice = { label: '基本方針のひな形を作る', value: 'start:diagnosis-policy' };
/** Plan steps spelled out in the chat; the rest are listed by number (all are on the report). */
export const PLAN_SHOWN = 3;
/** Below this total the desk offers a person (the lowest band: 「早めの対策が必要」). */
export const OFFER_EXPERT_BELOW = 50;

const ORDINAL = ['まず', '次に', 'その次に'];

export function signed(n: number): string {
  return n > 0 ? `+${n}` : n < 0 ? `−${-n}` : '±0';
}

/** 「前回（2026年11月1日）より +12点」, or nothing for a first diagnosis. */
export function comparisonLine(record: DiagnosisRecord): string | undefined {
  if (!record.previous) return undefined;
  return `前回（${japaneseDate(new Date(record.previous.at))}）より ${signed(record.score.total - record.previous.total)}点`;
}

/** SECURITY ACTION: what the answers mean for one and two stars. */
export function securityActionLines(s: DiagnosisScore): string[] {
  const one = s.securityAction.oneStar
    ? '★ 一つ星: 5か条にあたる No.1〜5 はすべて実施できています。一つ星を宣言できます（二つ星から宣言しても構いません）。'
    : `★ 一つ星: 5か条にあたる No.${s.securityAction.missingForOneStar.join('、No.')} を「実施している」にすると、5か条すべてに取り組めます。`;
  return [
    one,
    '★★ 二つ星: ✔ 自社診断で現状を把握（今回済み） ／ □ 情報セキュリティ基本方針を定める ／ □ 基本方針を自社のウェブサイトなどで公開する',
    '宣言は IPA の SECURITY ACTION のサイトから申し込みます（2026年4月からは GビズID でログインします）。',
  ];
}

/** The result in the chat: score and band, the three parts, what to check, the plan, SECURITY ACTION, the report link. */
export function resultReplies(kb: KnowledgeBase, record: DiagnosisRecord, reportUrl: string, expiresAt: string): Reply[] {
  const s = record.score;
  const comparison = comparisonLine(record);
  const replies: Reply[] = [];

  replies.push({
    text: [
      `自社診断の結果は ${s.total}点（${s.max}点満点）です。${comparison ? `${comparison}。` : ''}`,
      `【${s.band.label}】${s.band.advice}`,
      '',
      ...s.parts.map((p) => `・${p.title}: ${p.score}／${p.max}点`),
      ...(s.unknown.length
        ? ['', `「わからない」と答えた項目（社内で確かめてください）: No.${s.unknown.join('、No.')}`]
        : []),
    ].join('\n'),
  });

  const topics: Choice[] = [];
  if (s.plan.length) {
    const shown = s.plan.slice(0, PLAN_SHOWN);
    const rest = s.plan.slice(PLAN_SHOWN);
    for (const step of shown) {
      const entry = kb.entry(step.topic);
      if (entry && !topics.some((t) => t.value === `topic:${entry.id}`)) topics.push({ label: entry.title, value: `topic:${entry.id}` });
    }
    replies.push({
      text: [
        '取り組む順番の提案です。',
        ...shown.map((step, i) => `${i + 1}. ${ORDINAL[i]}（No.${step.no}）${step.action}`),
        ...(rest.length ? [`そのあと: No.${rest.map((r) => r.no).join('、No.')}`] : []),
        '下のボタンで、それぞれのやり方を説明します。',
      ].join('\n'),
    });
  } else if (!s.unknown.length) {
    replies.push({ text: `25項目すべて「実施している」です。次は「${kb.guideline.title}」を見ながら、さらに対策を進めましょう。` });
  }

  const low = s.total < OFFER_EXPERT_BELOW;
  replies.push({
    text: [
      ...securityActionLines(s),
      ...(low ? ['', '自社だけで進めるのが難しければ、相談員がお手伝いします。お助け隊サービス（相談・駆けつけ・保険がセットの民間サービス）も使えます。'] : []),
      '',
      `診断レポート（印刷用）は ${japaneseMonthDay(new Date(expiresAt))}まで開けます:`,
      reportUrl,
    ].join('\n'),
    cards: [
      {
        title: '自社診断レポート',
        body: `${s.total}点／${s.max}点　グラフと計画つき。${japaneseMonthDay(new Date(expiresAt))}まで有効です。`,
        buttons: [{ label: 'レポートを開く', url: reportUrl }],
      },
    ],
    choices: [...topics, POLICY_BUTTON, ...(low ? [COMMAND_CHOICES.handoff] : []), COMMAND_CHOICES.menu].slice(0, 13),
  });
  return replies;
}


/** Which items a record answered how, for the report page. */
export function answerLabel(kb: KnowledgeBase, record: DiagnosisRecord, no: number): string {
  const a = record.answers[String(no)];
  return kb.diagnosis.answers.find((x) => x.id === a)?.label ?? '未回答';
}

