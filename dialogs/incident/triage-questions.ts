import type { Choice } from '../../bot/types.js';
import { compact } from '../../knowledge/normalize.js';
import { prefectureOf } from '../diagnosis/intake.js';
import type { PersonalKind } from './ppc.js';
import type { ToldWhom, TriageAnswers } from './record.js';
import { noticedOn } from './when.js';

/**
 * The triage's questions as data: what is asked, the buttons, how a typed answer is read,
 * and for which incidents it is asked. Every question can be skipped. The order is the order
 * asked: first what decides how urgent it is, then who has been told and what help exists.
 */
export interface Question {
  id: QuestionId;
  ask(topic: string): string;
  choices: Choice[];
  /** Reads a typed answer (a pressed button's value is `tr:<id>:<n>`: the n-th of `values`). */
  read(text: string, now: Date): Partial<TriageAnswers> | undefined;
  /** What each button sets, by position. */
  values: Partial<TriageAnswers>[];
  /** Asked for this topic, given what is known so far. */
  applies(topic: string, a: TriageAnswers): boolean;
}

export type QuestionId =
  | 'ongoing'
  | 'noticed'
  | 'scope'
  | 'disconnected'
  | 'personal'
  | 'people'
  | 'kinds'
  | 'encrypted'
  | 'paid'
  | 'told'
  | 'contracts'
  | 'prefecture';

/** Incidents that live on a machine or a network: asking how many and whether it is cut off makes sense. */
const ON_MACHINES = new Set(['ransomware', 'server-intrusion', 'emotet', 'malware-suspected', 'website-defacement', 'fake-alert', 'mobile-threat']);
/** Incidents where money may already have gone. */
const MONEY = new Set(['fake-alert', 'bec', 'phishing', 'ransomware', 'sextortion', 'mobile-threat', 'account-takeover', 'emotet']);

const has = (t: string, ...words: string[]) => words.some((w) => t.includes(compact(w)));
const button = (id: QuestionId, labels: string[]): Choice[] => labels.map((label, i) => ({ label, value: `tr:${id}:${i}` }));
/** The typed answer, if it matches exactly one reading: otherwise it is not understood. */
function first<T>(t: string, table: [string[], T][]): T | undefined {
  const hits = table.filter(([words]) => has(t, ...words));
  return hits.length === 1 ? hits[0]![1] : undefined;
}
type YesNoField = 'ongoing' | 'disconnected' | 'personal' | 'encrypted';

/**
 * A question answered yes, no or don't know: its three buttons in that order, and a typed
 * answer read as わからない first, then as the one of the no or yes words it holds (both: not
 * understood), then, if given, a bare yes at its start (matched in search form: 「はい」 is ハイ there).
 */
function yesNo(field: YesNoField, labels: [yes: string, no: string, unknown: string], no: string[], yes: string[], bareYes?: RegExp): Pick<Question, 'choices' | 'values' | 'read'> {
  return {
    choices: button(field, labels),
    values: [{ [field]: 'yes' }, { [field]: 'no' }, { [field]: 'unknown' }],
    read(text) {
      const t = compact(text);
      if (has(t, ...UNKNOWN)) return { [field]: 'unknown' };
      const v = first(t, [[no, 'no' as const], [yes, 'yes' as const]]) ?? (bareYes?.test(t) ? 'yes' : undefined);
      return v ? { [field]: v } : undefined;
    },
  };
}

function peopleBand(n: number): TriageAnswers['people'] {
  return n <= 100 ? 'upTo100' : n <= 1000 ? 'upTo1000' : 'over1000';
}
function numberIn(text: string): number | undefined {
  const m = /(\d[\d,]*)\s*(万)?/.exec(text.normalize('NFKC'));
  if (!m) return undefined;
  return Number(m[1]!.replace(/,/g, '')) * (m[2] ? 10_000 : 1);
}

const YES = ['はい', 'そう', 'ある', 'あり', 'いる', 'した', '続いて', 'まだ'];
const NO = ['いいえ', 'ない', 'なし', 'いない', 'してない', 'していない', '止まっ', 'とまっ', 'おさまっ', '収まっ', '大丈夫'];
const UNKNOWN = ['わから', '分から', 'わかりま', '分かりま', 'わかんな', '不明', '知らな', 'しらな', '不明です', 'さあ'];

export const QUESTIONS: Question[] = [
  {
    id: 'ongoing',
    ask: (topic) =>
      topic === 'data-leak' ? '情報は今も外から見られる状態ですか？（公開の設定やリンクが残っている など）' : '被害は今も続いていますか？（画面が出たまま、暗号化が進んでいる、送信が止まらない など）',
    ...yesNo('ongoing', ['今も続いている', '止まっている', 'わからない'], NO, ['続いて', 'まだ', '今も', 'いまも', '進んで', '止まらな', 'とまらな'], /^(ハイ|ウン|yes)/),
    applies: (topic) => topic !== 'lost-device',
  },
  {
    id: 'noticed',
    ask: () => 'いつ気づきましたか？（「今日」「昨日の夜」「11月28日」のように書いても大丈夫です）',
    choices: button('noticed', ['今日', '昨日', '2〜3日前', '1週間ほど前']),
    values: [],
    read: (text, now) => {
      const n = noticedOn(text, now);
      return n ? { noticed: n } : undefined;
    },
    applies: () => true,
  },
  {
    id: 'scope',
    ask: (topic) => (topic === 'account-takeover' ? '被害にあったアカウントはいくつですか？' : '影響はどこまで及んでいますか？（パソコン何台、サーバー、アカウント など）'),
    choices: button('scope', ['1台（1つ）だけ', '複数のパソコン', 'サーバー・NASも', 'わからない']),
    values: [{ scope: 'one', scopeCount: 1 }, { scope: 'several' }, { scope: 'servers' }, { scope: 'unknown' }],
    read(text) {
      const t = compact(text);
      const n = numberIn(text);
      const servers = has(t, 'サーバ', 'nas', 'ナス', '共有フォルダ', 'ファイルサーバ');
      if (servers) return { scope: 'servers', scopeSaid: text.trim(), ...(n ? { scopeCount: n } : {}) };
      if (has(t, ...UNKNOWN)) return { scope: 'unknown' };
      if (n !== undefined) return { scope: n > 1 ? 'several' : 'one', scopeCount: n, scopeSaid: text.trim() };
      if (has(t, '全部', '全台', 'すべて', '全て', '複数', '何台も', 'いくつも', 'みんな')) return { scope: 'several', scopeSaid: text.trim() };
      if (has(t, '1台', '一台', 'だけ', 'のみ', '自分の')) return { scope: 'one', scopeCount: 1, scopeSaid: text.trim() };
      return undefined;
    },
    applies: (topic) => ON_MACHINES.has(topic) || topic === 'account-takeover',
  },
  {
    id: 'disconnected',
    ask: () => '疑いのあるパソコンや機器を、ネットワークから切り離しましたか？（LANケーブルを抜く・Wi-Fiを切る）',
    ...yesNo('disconnected', ['切り離した', 'まだつながっている', 'わからない'], ['まだ', 'つながって', '繋がって', 'してない', 'していない', 'いいえ'], ['抜いた', '切った', '切り離した', '外した', 'オフにした', 'はい']),
    applies: (topic) => ON_MACHINES.has(topic) && topic !== 'website-defacement',
  },
  {
    id: 'personal',
    ask: () => 'お客さまや従業員の個人情報（名前・連絡先・カード番号など）が関わっている可能性はありますか？',
    ...yesNo('personal', ['ある', 'ない', 'わからない'], ['ない', 'なし', 'いいえ', '関係ない'], ['ある', 'あり', 'はい', '入って', '含ま', '顧客', 'お客', '名簿']),
    applies: () => true,
  },
  {
    id: 'people',
    ask: () => 'おおよそ何人分ですか？（数字で書いても大丈夫です）',
    choices: button('people', ['100人以下', '1,000人以下', '1,000人を超える', 'わからない']),
    values: [{ people: 'upTo100' }, { people: 'upTo1000' }, { people: 'over1000' }, { people: 'unknown' }],
    read(text) {
      const t = compact(text);
      if (has(t, ...UNKNOWN)) return { people: 'unknown' };
      const n = numberIn(text);
      if (n !== undefined) return { people: peopleBand(n) };
      if (has(t, '数人', '何人か', '数名', '少し')) return { people: 'upTo100' };
      if (has(t, '数千', '何千', '数万', '全員', '全顧客', 'すべての顧客')) return { people: 'over1000' };
      return undefined;
    },
    applies: (_t, a) => a.personal === 'yes' || a.personal === 'unknown',
  },
  {
    id: 'kinds',
    ask: () => 'どんな情報が含まれますか？（いちばん重いものを選んでください。書く場合はいくつ挙げても大丈夫です）',
    choices: button('kinds', ['カード番号', '病歴・健康の情報など', 'IDとパスワード', '氏名・連絡先など', 'わからない']),
    values: [{ kinds: ['card'] }, { kinds: ['sensitive'] }, { kinds: ['credentials'] }, { kinds: ['basic'] }, { kinds: ['unknown'] }],
    read(text) {
      const t = compact(text);
      const kinds: PersonalKind[] = [];
      if (has(t, 'カード', 'クレカ', '口座', 'ネットバンク')) kinds.push('card');
      if (has(t, '病歴', '健康', '診断', '病気', 'カルテ', '病院', '障害', '信条', '犯罪歴', '要配慮', '医療')) kinds.push('sensitive');
      if (has(t, 'パスワード', 'id', 'ログイン')) kinds.push('credentials');
      if (has(t, '氏名', '名前', '住所', '電話', 'メールアドレス', '連絡先', '生年月日')) kinds.push('basic');
      if (kinds.length === 0 && has(t, ...UNKNOWN)) kinds.push('unknown');
      return kinds.length ? { kinds } : undefined;
    },
    applies: (_t, a) => a.personal === 'yes' || a.personal === 'unknown',
  },
  {
    id: 'encrypted',
    ask: () => '中のデータは暗号化されていましたか？（BitLocker などでディスク全体を暗号化、パスワードつきの暗号化 など）',
    ...yesNo('encrypted', ['暗号化していた', 'していない', 'わからない'], ['してない', 'していない', 'いいえ', 'なし', 'ない'], ['bitlocker', '暗号化して', '暗号化済', 'はい', 'filevault']),
    applies: (topic, a) => topic === 'lost-device' && a.personal !== 'no',
  },
  {
    id: 'paid',
    ask: () => 'お金を払ったり、振り込んだりしましたか？',
    choices: button('paid', ['振り込んだ', 'カードで払った', '電子マネー・ギフトカードで払った', '払っていない', 'わからない']),
    values: [{ paid: 'transfer' }, { paid: 'card' }, { paid: 'emoney' }, { paid: 'no' }, { paid: 'unknown' }],
    read(text) {
      const paid = paidIn(text);
      if (paid) return { paid };
      const t = compact(text);
      if (has(t, ...UNKNOWN)) return { paid: 'unknown' };
      if (has(t, 'ない', 'いいえ', 'なし', 'してない', 'まだ')) return { paid: 'no' };
      return undefined;
    },
    applies: (topic) => MONEY.has(topic),
  },
  {
    id: 'told',
    ask: () => 'このことを、もう誰かに伝えましたか？',
    choices: button('told', ['社長・責任者', '保守業者・お助け隊', '警察', 'まだ誰にも']),
    values: [{ told: ['boss'] }, { told: ['vendor'] }, { told: ['police'] }, { told: ['nobody'] }],
    read(text) {
      const t = compact(text);
      const told: ToldWhom[] = [];
      if (has(t, '社長', '上司', '責任者', '経営', '代表', '役員', '部長', '課長')) told.push('boss');
      if (has(t, '業者', 'ベンダ', '保守', 'お助け隊', 'サポート', 'it担当', 'システム会社')) told.push('vendor');
      if (has(t, '警察', '110', '9110')) told.push('police');
      if (has(t, '銀行', 'カード会社')) told.push('bank');
      if (has(t, '取引先', 'お客', '顧客')) told.push('customers');
      if (has(t, '社員', '従業員', 'みんな', '全員')) told.push('staff');
      if (told.length === 0 && has(t, 'まだ', '誰にも', 'だれにも', 'いない', 'ない')) told.push('nobody');
      return told.length ? { told } : undefined;
    },
    applies: () => true,
  },
  {
    id: 'contracts',
    ask: () => 'お助け隊サービスの契約や、サイバー保険はありますか？',
    choices: button('contracts', ['お助け隊サービスを契約', 'サイバー保険に加入', '両方ある', 'どちらもない', 'わからない']),
    values: [{ contracts: ['otasuketai'] }, { contracts: ['insurance'] }, { contracts: ['otasuketai', 'insurance'] }, { contracts: ['none'] }, {}],
    read(text) {
      const t = compact(text);
      const c: ('otasuketai' | 'insurance')[] = [];
      if (has(t, 'お助け隊', 'おたすけたい', '監視サービス')) c.push('otasuketai');
      if (has(t, '保険')) c.push('insurance');
      if (has(t, 'どちらもない', 'どっちもない', '両方ない', 'ない', 'いいえ', 'なし') && !has(t, '両方ある')) return c.length ? { contracts: c } : { contracts: ['none'] };
      if (has(t, '両方')) return { contracts: ['otasuketai', 'insurance'] };
      if (has(t, ...UNKNOWN)) return {};
      return c.length ? { contracts: c } : undefined;
    },
    applies: () => true,
  },
  {
    id: 'prefecture',
    ask: () => '会社の所在地の都道府県を教えてください（その地域の警察の窓口をご案内します）。',
    choices: [],
    values: [],
    read(text) {
      const p = prefectureOf(text);
      return p ? { prefecture: p } : undefined;
    },
    applies: (_t, a) => !a.prefecture,
  },
];

/** Money paid, as the user put it: 「振り込んでしまった」「ギフトカードを買って番号を伝えた」. */
export function paidIn(text: string): TriageAnswers['paid'] | undefined {
  const t = compact(text);
  if (has(t, '払っていない', '払ってない', '振り込んでない', '振り込んでいない', 'まだ払', 'はらってない')) return undefined;
  if (has(t, '電子マネー', 'ギフトカード', 'ギフト券', 'プリペイド', 'itunes', 'googleplay', 'グーグルプレイ', 'appleギフト', 'amazonギフト', 'アマゾンギフト', 'webmoney', 'paypay', 'ペイペイ')) {
    if (has(t, '払', '買', '購入', '番号を', '伝え', '送っ', '教え')) return 'emoney';
  }
  if (has(t, 'ビットコイン', '暗号資産', '仮想通貨') && has(t, '払', '送金', '送っ')) return 'crypto';
  if (has(t, '振り込んで', '振込んで', '振り込みました', '振込しました', '振込した', '振り込んだ', '送金して', '送金した', '送金しま', 'ふりこんで')) return 'transfer';
  if (has(t, 'カードで払', 'カード払', 'カードで決済', 'カードで支払')) return 'card';
  return undefined;
}
