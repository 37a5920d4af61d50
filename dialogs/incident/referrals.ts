import type { KnowledgeBase } from '../../knowledge/knowledge-base.js';
import type { Contact } from '../../knowledge/schema.js';
import type { PpcAssessment } from './ppc.js';
import type { Referral, ReferralTarget, Severity, TriageAnswers } from './record.js';

/**
 * Where an incident is passed on, in the order to contact them: money first (every hour
 * counts for a transfer), then the company's own support contract, then the public desks.
 * Which fit is the desk's judgement by topic and answers (docs/incidents.md lists it).
 */

/** Crimes the police want to hear about early (facts.md §6.2): unauthorised access, ransomware, fraud, extortion, theft. */
const POLICE_TOPICS = new Set(['ransomware', 'server-intrusion', 'website-defacement', 'account-takeover', 'bec', 'emotet']);
/** Attacks JPCERT/CC coordinates (attacker's servers, malware analysis, ransomware type). */
const JPCERT_TOPICS = new Set(['ransomware', 'server-intrusion', 'website-defacement', 'emotet', 'malware-suspected', 'spoofed-sender']);
/** Virus infections and unauthorised access: IPA takes reports (届出) of these. */
const IPA_REPORT_TOPICS = new Set(['ransomware', 'server-intrusion', 'website-defacement', 'emotet', 'malware-suspected', 'account-takeover']);

/** What the police ask people to prepare (facts.md §6.2). */
const POLICE_BRING = [
  'いつ・どこで・誰が・何を・どのように、を時系列にまとめたメモ（このシートが使えます）',
  '画面の写真、受け取ったメールやSMS、相手のURLや電話番号',
  'サーバーや機器の記録（アクセスログ・通信ログ）、社内のネットワーク構成図（あれば）',
];

const OTASUKETAI_TELL = ['何が起きたか、いつ気づいたか', '影響のある台数・アカウント', 'ネットワークから切り離したか、誰に伝えたか（このシートを見せると早く伝わります）'];

export interface ReferralContext {
  kb: KnowledgeBase;
  topic: string;
  answers: TriageAnswers;
  severity: Severity;
  ppc?: PpcAssessment;
  /** ISO time, stamped on each referral. */
  at: string;
}

export function buildReferrals(ctx: ReferralContext): Referral[] {
  const { kb, topic, answers: a, severity } = ctx;
  const out: Referral[] = [];
  const add = (target: ReferralTarget, title: string, why: string, contact: string[], extra: Partial<Referral> = {}) =>
    out.push({ id: `${target}`, target, title, why, contact, status: 'suggested', updatedAt: ctx.at, ...extra });
  const reach = (id: string) => contactLines(kb.contact(id));

  // 1. Money: the bank, the card company or the e-money issuer, at once.
  if (a.paid === 'transfer') add('bank', '振込に使った銀行', '振込の取り消し（組戻し）は、相手が引き出す前でないと間に合いません。', reach('bank'));
  if (a.paid === 'card') add('card-company', 'クレジットカード会社（紛失・盗難の窓口）', '利用の停止と、不正な請求の調査をしてもらいます。', reach('card-company'));
  if (a.paid === 'emoney') {
    add('emoney-issuer', '電子マネー（ギフトカード）の発行会社', '相手はすぐに使うことが多いので、すぐに連絡してください。買ったカードの番号を伝えます。', [
      '買ったカードの裏面や発行会社の公式サイトに書かれた問い合わせ窓口',
    ]);
  }

  // 2. The company's own support contract, if it has one: it knows the systems and can come.
  //    (An insurance policy is told after the police: its conditions are checked, not its help awaited.)
  const contracts = a.contracts ?? [];
  if (contracts.includes('otasuketai')) {
    add('otasuketai-contract', '契約しているお助け隊サービスの相談窓口', '契約中のサービスの窓口が、状況の確認・リモート対応・駆け付けまで一番早く動けます。', ['契約書やサービスの案内に書かれた相談窓口'], {
      bring: OTASUKETAI_TELL,
    });
  }

  // 3. The police: crimes, and any money lost.
  const paid = a.paid !== undefined && a.paid !== 'no' && a.paid !== 'unknown';
  if (POLICE_TOPICS.has(topic) || paid || (topic === 'lost-device' && a.personal !== 'no') || (topic === 'data-leak' && a.personal === 'yes' && severity === 'high')) {
    add('police', policeTitle(kb, a.prefecture), policeWhy(topic, paid), policeContact(kb, a.prefecture), { bring: POLICE_BRING });
  }

  if (contracts.includes('insurance')) {
    add('insurer', '契約している保険会社・代理店', '事故の連絡をして、補償の条件（対象になる費用、連絡の時期など）を契約内容で確かめます。', ['保険証券や契約の案内に書かれた事故受付の窓口']);
  }

  // 4. The commission, when personal data is or may be involved.
  if (ctx.ppc && ctx.ppc.verdict !== 'not-required') {
    const p = ctx.ppc;
    add('ppc', '個人情報保護委員会（漏えい等の報告）', p.reason, [...reach('ppc'), '業種によっては報告先が事業を所管する省庁になります（報告フォームの案内に従ってください）。'], {
      deadlines: [
        { label: '速報（おおむね3〜5日以内）', date: p.preliminary.from, to: p.preliminary.to },
        { label: `確報（${p.final.days}日以内）`, date: p.final.by },
      ],
      bring: ['漏えいした（おそれのある）個人データの項目と人数', '原因と、二次被害（のおそれ）', '本人への連絡と公表の状況、再発防止策', `本人への通知も必要です（${p.verdict === 'required' ? '義務' : '義務になる場合'}）。`],
    });
  }

  // 5. Technical help from the public desks.
  if (JPCERT_TOPICS.has(topic)) add('jpcert', 'JPCERT/CC（インシデント対応依頼）', jpcertWhy(topic), reach('jpcert'));
  add('ipa', 'IPA サイバーセキュリティ相談窓口（企業・組織向け）', '初動の進め方、応急処置、調査を頼める専門業者の探し方を案内してくれます。', reach('ipa-cs'));
  if (IPA_REPORT_TOPICS.has(topic) && kb.contact('ipa-report')) add('ipa-report', 'IPA への届出（ウイルス・不正アクセス）', '被害の届出は、同じ手口の被害を防ぐための集計と注意喚起に使われます（書ける範囲でよいとされています）。', reach('ipa-report'));
  if (topic === 'fake-alert' && paid) add('consumer-188', '消費者ホットライン 188', 'サポート料として払ったお金の返金や契約のトラブルを相談できます。', reach('consumer-188'));
  if (topic === 'phishing' || topic === 'mobile-threat') add('antiphishing', 'フィッシング対策協議会（報告）', '偽サイトやメール・SMSを報告すると、サイトを閉じる働きかけや注意喚起に使われます。', reach('antiphishing'));

  // 6. An お助け隊 service, when there is no contract and the case is not trivial.
  if (!contracts.includes('otasuketai') && severity !== 'low') {
    add('otasuketai', 'サイバーセキュリティお助け隊サービス', '相談窓口・異常の監視・駆け付け支援・簡易サイバー保険をまとめた、中小企業向けの登録サービスです。今回の復旧後の見張りにも使えます。今の被害への対応を頼めるかはサービスごとに違うので、申し込む前に確かめてください。', otasuketaiContact(kb, a.prefecture), {
      bring: OTASUKETAI_TELL,
    });
  }
  return out;
}

/** How to reach a contact; its note when there is no number or address to give. */
function contactLines(c: Contact | undefined): string[] {
  if (!c) return [];
  const lines = [c.phone && `電話 ${c.phone}`, c.email && `メール ${c.email}`, c.url, c.hours && `受付 ${c.hours}`].filter((x): x is string => Boolean(x));
  return lines.length || !c.note ? lines : [c.note];
}

function policeTitle(kb: KnowledgeBase, prefecture: string | undefined): string {
  const desk = prefecture ? kb.policeDesk(prefecture) : undefined;
  return desk?.name ?? `警察（${prefecture ? `${prefecture}の` : ''}最寄りの警察署、または #9110）`;
}

function policeWhy(topic: string, paid: boolean): string {
  if (paid) return 'お金の被害は犯罪です。被害届を出すと、銀行などの手続きにも役立ちます。';
  if (topic === 'lost-device') return '紛失なら遺失届、盗まれたなら被害届を出します。';
  return '不正アクセスやランサムウェアなどの被害は、早めに通報・相談してほしいと警察は呼びかけています。業務への影響に配慮して進めてくれます。';
}

/** The prefecture's desk as sourced, then the ways that work everywhere. */
function policeContact(kb: KnowledgeBase, prefecture: string | undefined): string[] {
  const lines: string[] = [];
  const desk = prefecture ? kb.policeDesk(prefecture) : undefined;
  if (desk?.phone) lines.push(`電話 ${desk.phone}`);
  if (desk?.hours) lines.push(`受付 ${desk.hours}`);
  if (desk?.url) lines.push(desk.url);
  if (desk?.phone || desk?.hours) lines.push(`（${desk.asOf ? `${desk.asOf} 時点の` : ''}県警察のページによる。変わることがあるので、公式サイトでも確かめてください）`);
  lines.push('警察相談専用電話 #9110（つながった地域の警察本部の相談窓口へ）');
  const online = kb.contact('police-online');
  if (online?.url) lines.push(`オンライン受付 ${online.url}（相談・通報の窓口で、被害届の代わりにはなりません。被害届は最寄りの警察署へ）`);
  lines.push('人命に関わる・犯行の予告など緊急のときは 110番');
  return lines;
}

function jpcertWhy(topic: string): string {
  if (topic === 'ransomware') return 'ランサムウェアの種類の特定や、復号できる見込み、侵入口の推測を相談できます（復旧作業そのものは行いません）。';
  if (topic === 'website-defacement') return '改ざんされたサイトや攻撃元への連絡・調整を依頼できます。';
  return '攻撃元への連絡や、不審なプログラム・記録の分析の相談ができます（無料）。';
}

/** Services for the prefecture from the admins' list, then IPA's list; the price ceilings. */
function otasuketaiContact(kb: KnowledgeBase, prefecture: string | undefined): string[] {
  const services = kb.otasuketaiServices(prefecture).slice(0, 3);
  const lines = services.map((s) => `${s.name}（${s.provider}）${s.url ? ` ${s.url}` : ''}`);
  lines.push(`登録サービスの一覧（IPA）: ${kb.otasuketai.listUrl}`);
  lines.push('価格の目安（1類の基準）: ネットワーク一括監視型は月額1万円以下、端末監視型は1台あたり月額2,000円以下');
  return lines;
}
