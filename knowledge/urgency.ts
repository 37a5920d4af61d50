import { grams } from './features.js';
import { compact } from './normalize.js';
import type { UrgencyExample } from './schema.js';
import { SoftmaxModel, type Sample } from './softmax.js';

/**
 * Whether a message reports an incident that has happened or is happening to the writer's own
 * organisation and needs action now, whatever its topic (../shared/eval/topics.json). Decided
 * per message: "what if" and preparation, news about others, incidents that are over and
 * suspicious mail left unopened are not urgent.
 *
 * A logistic model over the message's character n-grams and a few phrase-level cues, trained
 * at start-up on labelled messages the team wrote (knowledge/reference/urgency-examples.yaml).
 * N-grams see words; the cues see the shape of a sentence that n-grams of two or three
 * characters cannot: a condition (「もし…たら」), a done deed (「…てしまった」), a denial
 * (「開いていない」), something over (「もう直った」), someone else's story.
 */
type Label = 'urgent' | 'calm';

/** Cues as regular expressions over the search form (katakana, no spaces). */
const CUES: [name: string, pattern: RegExp][] = [
  // Conditions, preparation, prevention: not happening (yet).
  ['if', /モシ|タラ(ドウ|イイ|ドノ|ナニ|マズ)|ダラ(ドウ|イイ)|バ(ドウ|イイ)|トシタラ|場合|際ノ|備エ|予防|防グ|防ギ|防止|対策|事前|訓練|マニュアル|ルール|ナイヨウニ|ナイタメ|ニナラナイ/],
  // A done deed: 〜てしまった, 〜ちゃった, passive past, something appeared.
  ['done', /テシマ|チャッ|ジャッ|チマッ|サレタ|サレテ|ラレタ|ラレテ|ラレマシ|サレマシ|ナッタ|ナッテ(イ|ル|マ)|出テ(イ|ル|キ|マ)|出タ|出マシ/],
  // Something arrived (a mail, an SMS, a notice): by itself not yet harm.
  ['arrived', /キタ|来タ|来マシ|届イ|届キ|キマシタ/],
  // Money or data already gone.
  ['gone', /払ッ|支払ッ|振リ?込ン|振込シ|送金シ|入力シ|入レテシ|入レチャ|教エテシ|伝エテシ|盗マレ|ナクシ|無クシ|紛失シ|落トシ|置キ忘レ|流出シ|漏レ|漏エイシ|漏洩シ|誤送信シ|送ッテシ|公開サレテ|見ラレル状態/],
  // It is going on now.
  ['now', /今(モ|マサニ|現在)|イマモ|現在|続イテ|止マラ|トマラ|進ンデ|ドンドン|次々|ツギツギ|サッキ|先ホド|今朝|ケサ|昨日|キノウ|昨夜|今日|キョウ/],
  // A denial of the deed: received but not opened, not paid.
  ['not', /(開|ヒラ)イテ(イ)?ナイ|開カズ|開ケテナイ|クリックシテ(イ)?ナイ|押シテ(イ)?ナイ|入力シテ(イ)?ナイ|払ッテ(イ)?ナイ|振リ?込ンデ(イ)?ナイ|インストールシテ(イ)?ナイ|無視シ|削除シマシタ|シテマセン|シテイマセン/],
  // Over and dealt with.
  ['over', /解決シ|復旧シ|直ッタ|ナオッタ|元ニ戻ッタ|モウ大丈夫|済ンダ|済ミ|終ワッ|以前|去年|昔|前ニ(ア|起)|数年前|先月ノ件/],
  // Someone else's story or the news.
  ['others', /他社|ヨソノ|取引先ガ(被害|感染|ヤラレ)|ニュース|報道|記事|知リ合イノ会社|同業者|聞イタ|ラシイデス|話題/],
  // A question about how things work, not a report.
  ['how', /トハ|ッテ何|ッテナニ|教エテ|方法|ヤリ方|手順ヲ|ドウヤッテ|知リタイ|ベキデスカ|必要デスカ|オススメ|選ビ方/],
];

function cues(text: string): string[] {
  const q = compact(text);
  return CUES.filter(([, re]) => re.test(q)).map(([name]) => `§${name}`);
}

function features(text: string): string[] {
  return [...grams(text), ...cues(text)];
}

/** Probability at or above which a message is urgent (chosen on the training data's own cross-validation; see docs/benchmarks.md). */
export const URGENT_AT = 0.5;

export class UrgencyModel {
  private readonly model = new SoftmaxModel<Label>(['urgent', 'calm']);
  readonly trained: boolean;

  /**
   * `calm`: further messages known not to be urgent (how people ask prevention and service
   * questions, out-of-scope chat), so the model learns that a plain question about passwords
   * or backups is not an emergency even when it shares words with one.
   */
  constructor(data: { urgent: readonly UrgencyExample[]; notUrgent: readonly UrgencyExample[] }, calm: readonly string[] = [], readonly threshold = URGENT_AT) {
    const samples: Sample<Label>[] = [
      ...data.urgent.map((x) => ({ terms: features(x.text), label: 'urgent' as const })),
      ...data.notUrgent.map((x) => ({ terms: features(x.text), label: 'calm' as const })),
      ...calm.map((text) => ({ terms: features(text), label: 'calm' as const })),
    ];
    this.trained = samples.length > 0;
    if (this.trained) this.model.train(samples, { epochs: 30, learningRate: 0.5, l2: 1e-5, seed: 7 });
  }

  /** 0..1: how likely the message reports an incident happening to the writer now. */
  probability(text: string): number {
    if (!this.trained) return 0;
    return this.model.predict(features(text))[0]!;
  }

  isUrgent(text: string): boolean {
    return this.probability(text) >= this.threshold;
  }
}
