import { afterEach, describe, expect, it } from 'vitest';
import type { StoredMessage } from '../../bot/types.js';
import { parseThreatsQuery } from '../../dialogs/reference.js';
import { botDesk, knowledge, removeBotDesks } from '../helpers/bot-desk.js';

const kb = knowledge();
afterEach(removeBotDesks);
const setup = () => botDesk();
const text = (ms: StoredMessage[]) => ms.map((m) => m.text).join('\n');

describe('10大脅威 reference data', () => {
  it('has both editions for every year 2020-2026, ten each', () => {
    expect(kb.threats.map((t) => t.year)).toEqual([2026, 2025, 2024, 2023, 2022, 2021, 2020]);
    for (const t of kb.threats) {
      expect(t.organization).toHaveLength(10);
      expect(t.individual.threats).toHaveLength(10);
      expect(t.individual.ranked).toBe(t.year < 2024);
    }
  });

  it('reads year, edition and rank from a question', () => {
    expect(parseThreatsQuery('10大脅威2025の1位は?')).toEqual({ year: 2025, rank: 1 });
    expect(parseThreatsQuery('個人編は？')).toEqual({ edition: 'individual' });
    expect(parseThreatsQuery('令和7年の組織向け10大脅威の3位')).toMatchObject({ year: 2025, edition: 'organization', rank: 3 });
    expect(parseThreatsQuery('去年のは？')).toEqual({ previous: true });
  });

  it('answers "10大脅威2025の1位は?" and follows up with 個人編 and another year', async () => {
    const { say, press } = setup();
    const first = await say('10大脅威2025の1位は?');
    expect(first[0]!.text).toMatch(/^情報セキュリティ10大脅威 2025（組織編）の1位は「ランサム攻撃による被害」です。/);
    expect(first[0]!.text).toContain('10位 不注意による情報漏えい等');
    const individual = await say('個人編は？');
    expect(individual[0]!.text).toContain('順位がありません');
    expect(individual[0]!.text).toContain('・偽警告によるインターネット詐欺');
    const older = await say('2022年は？');
    expect(older[0]!.text).toMatch(/^情報セキュリティ10大脅威 2022（個人編）の1位は「フィッシングによる個人情報等の詐取」です。/);
    const org = await press('threats:organization');
    expect(org[0]!.text).toMatch(/^情報セキュリティ10大脅威 2022（組織編）の1位は「ランサムウェアによる被害」です。/);
  });

  it('shows the latest list when no year is given', async () => {
    const { say } = setup();
    const r = await say('最新の10大脅威を教えて');
    expect(r[0]!.text).toMatch(/^【情報セキュリティ10大脅威 2026（組織編）】/);
    expect(r[0]!.text).toContain('3位 AIの利用をめぐるサイバーリスク');
    expect(r[0]!.choices?.map((c) => c.label)).toEqual(['個人編は？', '2025年版', '中小企業は何をすれば？']);
  });

  it('says which years it has for one it does not', async () => {
    const { say } = setup();
    expect(text(await say('10大脅威2019の1位は？'))).toMatch(/2020年版〜2026年版/);
  });
});

describe('guideline and contacts', () => {
  it('lists the 3 principles and the 7 important actions', async () => {
    const { say } = setup();
    const p = await say('ガイドラインの3原則を教えて');
    expect(p[0]!.text).toContain('原則1 情報セキュリティ対策は経営者のリーダーシップで進める');
    const a = await say('重要7項目の取組は？');
    expect(a[0]!.text).toContain('取組7 情報セキュリティに関する最新動向を収集する');
  });

  it("gives a contact's number and hours", async () => {
    const { say } = setup();
    const r = await say('消費者ホットラインの電話番号は？');
    expect(r[0]!.text).toContain('電話 188');
    const police = await say('警察の相談窓口の番号を教えて');
    expect(police[0]!.text).toContain('#9110');
  });
});
