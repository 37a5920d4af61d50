import type { Fact, FactKind, KnowledgeEntry } from './schema.js';

/**
 * What part of a topic a question asks about: 「お助け隊は月いくら？」 asks for a price,
 * 「Windows10のサポートはいつまで？」 for a date, 「IPAの窓口の電話番号は？」 for a contact. The
 * topic comes from the classifier; this only decides which fact goes first in the answer.
 */
export type SubQuestion = FactKind | 'contact';

// Where one reaches someone; asked for only with a question around it (「電話番号は？」「窓口を教えて」).
const PLACE = '電話番号|連絡先|問い?合わ?せ先|相談先|報告先|通報先|届け?出先|相談窓口|窓口|メールアドレス|電話';

// First match wins, so the specific asks come before the general 「いつ」. A bare 電話 is not a
// contact question: 「表示された番号に電話してしまった」 is a report, and 「警告の電話番号って本物？」
// asks about a number on the screen, not for one.
const ASKS: readonly (readonly [SubQuestion, RegExp])[] = [
  ['contact', new RegExp(`(${PLACE})(は|を?(教え|おしえ)|が?知りたい|って(何|どこ|教え))|(${PLACE})[?]?$|どこに(連絡|相談|電話|報告|届け|通報|聞け|聞い)|どこへ(連絡|相談|報告)|何番`)],
  ['price', /いくら|料金|費用|値段|価格|月額|年額|コスト|お金(が|は)?(かか|いる|必要)|無料|有料|タダ|補助額|補助率|予算|安い|高い/],
  ['deadline', /期限|締め?切|いつまでに|何日以内|以内に|猶予|期日/],
  ['apply', /申し?込|申請|手続き?(は|を|の|方法)|応募|公募|登録(方法|の仕方|するには|したい)|どうやって(入|始|申|登録|使)|始め方|入るには|加入(方法|するには)/],
  ['target', /対象|条件|何人|業種|うちでも|うちも|当てはま|該当|入れる(の|か|\?)|使える(の|か|\?)|受けられる/],
  ['date', /いつ(?!も)|何日|日付|何年|何月|開始|終了|終わ(る|り|った)|始ま(る|った)|切れ(る|た)/],
];

export function subQuestion(text: string): SubQuestion | undefined {
  const t = text.normalize('NFKC').toLowerCase();
  return ASKS.find(([, re]) => re.test(t))?.[0];
}

// 「報告はいつまで？」 asks for a deadline in the words of a date; the reverse does not hold (a
// warning's date is no answer to 「期限は？」).
const STAND_IN: Partial<Record<FactKind, FactKind>> = { date: 'deadline' };

/** The entry's fact for what was asked, if it has one. */
export function factFor(entry: KnowledgeEntry, asked: SubQuestion | undefined): Fact | undefined {
  if (!asked || asked === 'contact') return undefined;
  const stand = STAND_IN[asked];
  return entry.facts.find((f) => f.about === asked) ?? (stand ? entry.facts.find((f) => f.about === stand) : undefined);
}
