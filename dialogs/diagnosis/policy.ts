import { japaneseDate } from '../../bot/japanese-date.js';
import type { DiagnosisData } from '../../knowledge/schema.js';
import type { CompanyProfile } from './record.js';
import type { Answers } from './scoring.js';

/**
 * A draft 情報セキュリティ基本方針 (basic security policy) for the company, under the usual
 * five headings of IPA's sample (facts.md §2.3). The sentences are ours; where the diagnosis
 * shows something is not in place yet, the draft commits to putting it in place rather than
 * claiming it is done, so the company does not publish a promise it already breaks.
 */
export function policyDraft(data: DiagnosisData, profile: CompanyProfile, answers: Answers, date: Date): string {
  const company = profile.company ?? '（会社名）';
  const done = (no: number) => answers[no] === 'done';
  const day = japaneseDate(date);
  const sections: [string, string][] = [
    [
      '経営者の責任',
      `${company}は、経営者が先頭に立って情報セキュリティに取り組み、組織的かつ継続的に改善と向上に努めます。`,
    ],
    [
      '社内体制の整備',
      (done(25)
        ? '情報セキュリティ対策を社内の正式な規則として定めており、これを維持・改善するための体制を置きます。'
        : '情報セキュリティ対策を社内の正式な規則として定め、維持・改善するための体制を整えます。') +
        (done(24) ? '事故が起きたときの連絡体制と対応手順を定め、見直しを続けます。' : '事故が起きたときの連絡体制と対応手順を定めます。'),
    ],
    [
      '従業員の取組み',
      '従業員は、情報セキュリティのために必要な知識と技術を身につけ、日々の業務で実践します。' +
        (done(20) ? '会社は教育と注意喚起を続けます。' : '会社は定期的な教育と注意喚起の機会を設けます。') +
        (done(19) ? '' : '守秘義務について、全員と書面で確認します。'),
    ],
    [
      '法令及び契約上の要求事項の遵守',
      '情報セキュリティに関わる法令、規制、規範、契約上の義務を守り、お客様の期待に応えます。' +
        (done(22) ? '' : '重要な情報をやり取りする取引先とは、秘密保持の取り決めを交わします。'),
    ],
    [
      '違反及び事故への対応',
      '法令や契約への違反、情報セキュリティ上の事故が起きた場合には、適切に対処し、再発の防止に努めます。',
    ],
  ];
  return [
    '【下書き】内容を確認し、自社に合わせて直してからお使いください。',
    '',
    '情報セキュリティ基本方針',
    '',
    `${company}は、お客様と取引先からお預かりした情報、および当社の情報資産を事故や犯罪から守ることを経営の重要な課題と考え、次の方針に沿って情報セキュリティに取り組みます。`,
    '',
    ...sections.flatMap(([h, body], i) => [`${i + 1}. ${h}`, body, '']),
    `制定日: ${day}`,
    `${company}`,
    '代表者: （氏名）',
    '',
    '――',
    `この下書きは「${data.title}」の回答をもとに、IPA の「中小企業の情報セキュリティ対策ガイドライン」付録の基本方針サンプルの見出しにならって作りました。` +
      'SECURITY ACTION の二つ星を宣言するには、自社診断に加えて、基本方針を定めて自社のウェブサイトなどで公開することが必要です。',
  ].join('\n');
}
