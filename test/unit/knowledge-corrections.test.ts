import { afterEach, describe, expect, it } from 'vitest';
import type { KnowledgeEntry } from '../../knowledge/schema.js';
import { botDesk, knowledge, removeBotDesks } from '../helpers/bot-desk.js';

/** The facts an audit against primary sources found wrong or unsourced (issue 13), as the desk now says them. */
const kb = knowledge();
afterEach(removeBotDesks);

/** Everything an entry can show a user. */
const shown = (e: KnowledgeEntry) =>
  [e.title, e.summary, ...e.steps, e.detail ?? '', ...e.donts, ...e.serious, e.brief?.lead ?? '', ...(e.brief?.first ?? []), ...e.facts.map((f) => f.text), ...e.links.map((l) => l.label)].join('\n');

describe('corrected facts', () => {
  it('calls the subsidy by its 2026 name, デジタル化・AI導入補助金, and mentions IT導入補助金 only as its old name', () => {
    for (const id of ['otasuketai', 'security-action', 'digital-ai-subsidy']) {
      const text = shown(kb.entry(id)!);
      expect(text, id).toContain('デジタル化・AI導入補助金');
      for (const m of text.matchAll(/IT導入補助金/g)) {
        const around = text.slice(Math.max(0, m.index - 12), m.index + 20);
        expect(around, id).toMatch(/旧|名前が変わ|名前は|からの名前|「IT導入補助金」/);
      }
    }
  });

  it('dates the police intrusion-route figures and does not quote the undated VPN 47% / RDP 36%', () => {
    for (const e of kb.entries) {
      const text = shown(e);
      expect(text, e.id).not.toMatch(/47\s*%[^\n]{0,40}36\s*%/);
      for (const m of text.matchAll(/VPN[^\n。]{0,20}\d+\s*%/g)) {
        const sentence = text.slice(Math.max(0, m.index - 60), m.index + 60);
        expect(sentence, e.id).toMatch(/20\d\d年|令和\d+年/);
      }
    }
  });

  it('gives the end of Windows 10 support as a date with Microsoft as its source', () => {
    const e = kb.entry('os-update')!;
    const fact = e.facts.find((f) => f.about === 'date')!;
    expect(fact.text).toMatch(/2025年10月14日/);
    expect(fact.source).toMatch(/^https:\/\/learn\.microsoft\.com\//);
    expect(e.sources.find((s) => s.url === fact.source)!.publisher).toBe('Microsoft');
  });

  it('sources the Wi-Fi encryption advice', () => {
    const e = kb.entry('wifi')!;
    expect(shown(e)).toMatch(/WPA3|WPA2/);
    expect(e.sources.some((s) => /soumu\.go\.jp|ipa\.go\.jp|police|keishicho/.test(s.url ?? ''))).toBe(true);
  });

  it('cites the お助け隊 standard from a document of its own time (it began in 2021-04), not the 2020 briefing', () => {
    const e = kb.entry('cyber-insurance')!;
    expect(e.sources.filter((s) => (s.year ?? 2100) <= 2020)).toEqual([]);
    expect(e.sources.some((s) => /ipa\.go\.jp\/security\/sme\/otasuketai/.test(s.url ?? ''))).toBe(true);
  });

  it('does not claim a fixed insurer notification deadline', () => {
    const insurer = kb.contact('insurer')!;
    expect(insurer.for).not.toMatch(/期限/);
    expect(insurer.for).toMatch(/約款/);
    expect(shown(kb.entry('cyber-insurance')!)).not.toMatch(/通知(の)?期限/);
  });

  it('has the contacts the audit found missing, with their pages', () => {
    expect(kb.contact('ipa-cs')!.url).toBe('https://www.ipa.go.jp/security/support/soudan.html');
    expect(kb.contact('ipa-report')!.url).toMatch(/^https:\/\/www\.ipa\.go\.jp\//);
    expect(kb.contact('antiphishing')!.email).toBe('info@antiphishing.jp');
    expect(kb.contact('ppc')!.url).toBe('https://www.ppc.go.jp/personalinfo/legal/leakAction/');
    expect(kb.contact('otasuketai')!.url).toBe('https://www.ipa.go.jp/security/sme/otasuketai-about.html');
    // Where to find a firm to investigate an incident, offered with the incidents that need one.
    expect(kb.contact('ipa-service-list')!.url).toBe('https://www.ipa.go.jp/security/service_list.html');
    for (const id of ['ransomware', 'server-intrusion']) expect(kb.entry(id)!.contacts, id).toContain('ipa-service-list');
  });

  it('dates the 2020 ranking and names the supply-chain threat as each year did', () => {
    const year = (y: number) => kb.threats.find((t) => t.year === y)!;
    expect(year(2020).published).toBe('2020-01-29');
    for (const y of [2023, 2024]) expect(year(y).organization, String(y)).toContain('サプライチェーンの弱点を悪用した攻撃');
    for (const y of [2025, 2026]) expect(year(y).organization, String(y)).toContain('サプライチェーンや委託先を狙った攻撃');
  });

  it('tells a fake-alert victim who is being remote-controlled to disconnect first, and one who paid with e-money to call the issuer', () => {
    const e = kb.entry('fake-alert')!;
    expect(e.steps[0]).toMatch(/LANケーブル|Wi-Fi/);
    expect(e.steps.slice(0, 3).join('\n')).toMatch(/発行会社/);
    expect(e.contacts).toContain('emoney-issuer');
  });
});

describe('new topics (2026 material)', () => {
  // Asked in words that are not among the entries' examples.
  const asked: [string, string][] = [
    ['取引先に出す提案書の下書きを、社員がChatGPTに顧客名入りで貼り付けていたらしい。ルールを作るべき？', 'generative-ai'],
    ['AIで作られたような、やけに自然な日本語の詐欺メールが増えてると聞きました。どう見分ければ', 'generative-ai'],
    ['発注元から、サプライチェーンのセキュリティ評価で星をいくつ取るか聞かれました。どういう制度ですか', 'scs-evaluation'],
    ['★3とか★4とかの、経産省の新しいセキュリティの格付けってうちも受けないといけないの？', 'scs-evaluation'],
    ['デジタル化・AI導入補助金のセキュリティ枠で、監視サービスの費用は補助されますか', 'digital-ai-subsidy'],
    ['前のIT導入補助金ってもう名前が変わったんですか？セキュリティの枠はまだある？', 'digital-ai-subsidy'],
  ];
  it.each(asked)('places 「%s」 under %s', (q, topic) => {
    expect(kb.understand(q).matches[0]!.id).toBe(topic);
  });

  it('answers the subsidy price question with the frame\'s amounts first', async () => {
    const { say } = botDesk();
    const [first] = await say('デジタル化・AI導入補助金のセキュリティ対策推進枠って、いくらまで出るの？');
    expect(first!.text!.split('\n')[0]).toMatch(/^【デジタル化・AI導入補助金/);
    expect(first!.text!.split('\n')[1]).toMatch(/150万円/);
  });
});
