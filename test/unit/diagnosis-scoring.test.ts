import { describe, expect, it } from 'vitest';
import { employeesOf, isBack, isSkip, prefectureOf } from '../../dialogs/diagnosis/intake.js';
import { policyDraft } from '../../dialogs/diagnosis/policy.js';
import { packAnswers, unpackAnswers } from '../../dialogs/diagnosis/record.js';
import { score, type Answers } from '../../dialogs/diagnosis/scoring.js';
import { typedAnswer } from '../../dialogs/diagnosis/typed-answer.js';
import { KnowledgeBase } from '../../knowledge/knowledge-base.js';
import type { AnswerId } from '../../knowledge/schema.js';

const kb = KnowledgeBase.load();
const data = kb.diagnosis;

/** Answers from a 25-letter string: d 実施 / p 一部 / n 未実施 / u わからない. */
function sheet(letters: string): Answers {
  expect(letters).toHaveLength(25);
  return unpackAnswers(letters);
}

describe('self-diagnosis data', () => {
  it('has the 25 official items in three parts, 4/2/0/−1 points', () => {
    expect(data.items).toHaveLength(25);
    expect(data.items[0]!.question).toBe('パソコンやスマートフォンなど情報機器のOSやソフトウェアは常に最新の状態にしていますか？');
    expect(data.items[24]!.question).toBe('情報セキュリティ対策(上記1〜24など)をルール化し、従業員に明示していますか？');
    expect(data.parts.map((p) => [p.title, p.to - p.from + 1])).toEqual([
      ['基本的対策', 5],
      ['従業員としての対策', 13],
      ['組織としての対策', 7],
    ]);
    expect(Object.fromEntries(data.answers.map((a) => [a.label, a.points]))).toEqual({ 実施している: 4, 一部実施している: 2, 実施していない: 0, わからない: -1 });
  });
});

describe('scoring', () => {
  // Each case computed by hand: done×4 + partly×2 + unknown×(−1).
  const cases: [string, string, number, string][] = [
    ['everything in place', 'ddddddddddddddddddddddddd', 100, '入門レベルの対策はできています'],
    ['one item partly: the best score below 100', 'ddddddddddddddddddddddddp', 98, 'ほぼできていますが、すき間があります'],
    ['70, the bottom of 70–99', 'dddddddddddddddddpnnnnnnn', 70, 'ほぼできていますが、すき間があります'],
    ['69, the top of 50–69 (with one わからない)', 'dddddddddddddddddpunnnnnn', 69, '対策が行き届いていないところが目立ちます'],
    ['50, the bottom of 50–69', 'ddddddddddddpnnnnnnnnnnnn', 50, '対策が行き届いていないところが目立ちます'],
    ['49, the top of ≤49', 'ddddddddddddpunnnnnnnnnnn', 49, '早めの対策が必要です'],
    ['nothing in place', 'nnnnnnnnnnnnnnnnnnnnnnnnn', 0, '早めの対策が必要です'],
    ['everything わからない: below zero', 'uuuuuuuuuuuuuuuuuuuuuuuuu', -25, '早めの対策が必要です'],
  ];
  for (const [name, letters, total, band] of cases) {
    it(`${name}: ${total} points`, () => {
      const s = score(data, sheet(letters));
      expect(s.total).toBe(total);
      expect(s.max).toBe(100);
      expect(s.band.label).toBe(band);
    });
  }

  it('scores each part against its maximum and lists わからない items apart', () => {
    // Part 1: d p n u d = 4+2+0−1+4 = 9 of 20; part 2: 13 × p = 26 of 52; part 3: 7 × d = 28 of 28.
    const s = score(data, sheet('dpnud' + 'ppppppppppppp' + 'ddddddd'));
    expect(s.parts.map((p) => [p.title, p.score, p.max])).toEqual([
      ['基本的対策', 9, 20],
      ['従業員としての対策', 26, 52],
      ['組織としての対策', 28, 28],
    ]);
    expect(s.total).toBe(63);
    expect(s.unknown).toEqual([4]);
  });

  it('puts 実施していない before 一部実施している, then the more important items first', () => {
    // Not in place: 7 (priority 1), 11 (3), 20 (2); partly: 1 (3), 12 (1).
    const letters = [...'ddddddddddddddddddddddddd'];
    for (const n of [7, 11, 20]) letters[n - 1] = 'n';
    for (const n of [1, 12]) letters[n - 1] = 'p';
    letters[9] = 'u';
    const s = score(data, sheet(letters.join('')));
    expect(s.plan.map((p) => p.no)).toEqual([11, 20, 7, 1, 12]);
    expect(s.plan[0]!.topic).toBe('backup');
    expect(s.unknown).toEqual([10]);
  });

  it('says one star fits only when the 5か条 items are all in place', () => {
    expect(score(data, sheet('ddddd' + 'n'.repeat(20))).securityAction).toEqual({ oneStar: true, missingForOneStar: [] });
    expect(score(data, sheet('dpdud' + 'd'.repeat(20))).securityAction).toEqual({ oneStar: false, missingForOneStar: [2, 4] });
  });

  it('packs answers into the conversation summary and back', () => {
    const answers: Record<string, AnswerId> = { '1': 'done', '2': 'partly', '3': 'not', '25': 'unknown' };
    const packed = packAnswers(answers, 25);
    expect(packed).toBe('dpn' + '-'.repeat(21) + 'u');
    expect(unpackAnswers(packed)).toEqual({ 1: 'done', 2: 'partly', 3: 'not', 25: 'unknown' });
  });
});

describe('typed answers', () => {
  const cases: Record<AnswerId, string[]> = {
    done: ['はい', 'やってる', 'してます', 'やってます！', 'ﾊｲ', 'うん', '実施している', 'OK', 'もちろん👍'],
    partly: ['一部', 'たまに', '半分くらい', '一部だけ', 'ときどき', '人によります', 'ほぼやってる'],
    not: ['いいえ', 'してない', 'やってない', 'まだです', '全然', 'やっていません', 'ない'],
    unknown: ['わからない', 'わかんない', '不明', '分かりません', '知らない'],
  };
  for (const [id, texts] of Object.entries(cases)) {
    it(`reads ${texts.join(' / ')} as ${id}`, () => {
      for (const t of texts) expect(typedAnswer(t), t).toBe(id);
    });
  }

  it("understands an item's own phrasings and plain verbs", () => {
    const item = (no: number) => data.items[no - 1]!;
    expect(typedAnswer('バックアップは毎週取ってる', item(11))).toBe('done');
    expect(typedAnswer('取ってない', item(11))).toBe('not');
    expect(typedAnswer('ウイルス対策ソフトは入れてます', item(2))).toBe('done');
    expect(typedAnswer('入ってないパソコンがある', item(2))).toBe('not');
    expect(typedAnswer('鍵はかけてない', item(17))).toBe('not');
    expect(typedAnswer('画面ロックしてる', item(14))).toBe('done');
  });

  it('does not take a question or a story for an answer', () => {
    expect(typedAnswer('してないとまずいですか？')).toBeUndefined();
    expect(typedAnswer('ウイルス定義ファイルって何')).toBeUndefined();
    expect(typedAnswer('うちは社員が12人いて、パソコンはそれぞれが自分で管理していて、更新は各自に任せている状態です')).toBeUndefined();
    expect(typedAnswer('りんご')).toBeUndefined();
    expect(typedAnswer('今日はいい天気ですね')).toBeUndefined();
    expect(typedAnswer('人の相談員と話したいです')).toBeUndefined();
    expect(typedAnswer('対策はできます')).toBe('done');
  });
});

describe('company intake', () => {
  it('reads prefectures with or without 都府県, and 東京 is not 京都', () => {
    expect(prefectureOf('東京')).toBe('東京都');
    expect(prefectureOf('東京都港区です')).toBe('東京都');
    expect(prefectureOf('京都')).toBe('京都府');
    expect(prefectureOf('大阪府')).toBe('大阪府');
    expect(prefectureOf('北海道の札幌')).toBe('北海道');
    expect(prefectureOf('神奈川県横浜市')).toBe('神奈川県');
    expect(prefectureOf('日本')).toBeUndefined();
  });

  it('reads a head count into a band, full-width digits too', () => {
    expect(employeesOf('12人')).toBe('6〜20人');
    expect(employeesOf('従業員は３０名くらい')).toBe('21〜50人');
    expect(employeesOf('5')).toBe('1〜5人');
    expect(employeesOf('1,200人')).toBe('101人以上');
    expect(employeesOf('少し')).toBeUndefined();
  });

  it('knows skip and back', () => {
    expect(isSkip('スキップ')).toBe(true);
    expect(isSkip('答えたくない')).toBe(true);
    expect(isSkip('株式会社みなと')).toBe(false);
    expect(isSkip('パスコ')).toBe(false);
    expect(isSkip('スキップで')).toBe(true);
    expect(isSkip('言いたくない')).toBe(true);
    expect(isBack('戻る')).toBe(true);
    expect(isBack('前の質問に戻って')).toBe(true);
    expect(isBack('株式会社モドル')).toBe(false);
  });
});

describe('basic policy draft', () => {
  it('is marked as a draft, names the company, has the five headings and follows the answers', () => {
    const when = new Date('2026-11-24T10:00:00+09:00');
    const without24 = policyDraft(data, { company: '有限会社みなと印刷' }, sheet('d'.repeat(23) + 'nd'), when);
    expect(without24.split('\n')[0]).toMatch(/^【下書き】/);
    expect(without24).toContain('有限会社みなと印刷は、');
    for (const h of ['1. 経営者の責任', '2. 社内体制の整備', '3. 従業員の取組み', '4. 法令及び契約上の要求事項の遵守', '5. 違反及び事故への対応']) {
      expect(without24).toContain(h);
    }
    expect(without24).toContain('制定日: 2026年11月24日');
    expect(without24).toContain('事故が起きたときの連絡体制と対応手順を定めます。');
    const with24 = policyDraft(data, {}, sheet('d'.repeat(25)), when);
    expect(with24).toContain('対応手順を定め、見直しを続けます。');
    expect(with24).toContain('（会社名）は、');
  });
});
