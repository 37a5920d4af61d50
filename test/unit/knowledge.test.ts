import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { KnowledgeBase } from '../../knowledge/knowledge-base.js';
import { KNOWLEDGE_DIR, KnowledgeError, loadKnowledge } from '../../knowledge/load.js';
import { answerReplies, BUBBLE_MAX, detailReplies, FIRST_AID_MAX, firstAidReply, urgentReplies } from '../../knowledge/render.js';
import { tempDir } from '../helpers/test-desk.js';

const kb = KnowledgeBase.load();
const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A copy of the knowledge folder to break on purpose. */
function copy(): string {
  const dir = tempDir('knowledge-');
  dirs.push(dir);
  cpSync(KNOWLEDGE_DIR, dir, { recursive: true });
  return dir;
}

const topics: { id: string; kind: string; urgent: boolean }[] = JSON.parse(
  readFileSync(join(KNOWLEDGE_DIR, '..', '..', 'shared', 'eval', 'topics.json'), 'utf8'),
).topics;

describe('knowledge files', () => {
  it('have one entry per topic, each with sources and a review date; new topics have new ids', () => {
    const ids = kb.entries.map((e) => e.id).sort();
    // Topics added since the evaluation's list was fixed (2026 material): its ids keep their meaning.
    const added = ['digital-ai-subsidy', 'generative-ai', 'scs-evaluation'];
    expect(ids).toEqual([...topics.map((t) => t.id).filter((id) => id !== 'out_of_scope'), ...added].sort());
    for (const e of kb.entries) {
      if (e.kind !== 'action') expect(e.sources.length, e.id).toBeGreaterThan(0);
      expect(e.reviewed, e.id).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(e.examples.length, e.id).toBeGreaterThanOrEqual(15);
    }
  });

  it('give every incident a first-aid answer that fits one glance, for each of its variants', () => {
    for (const e of kb.entries.filter((x) => x.kind === 'incident')) {
      const aid = e.firstAid;
      expect(aid, e.id).toBeDefined();
      for (const words of ['', ...aid!.variants.map((v) => v.when[0]!)]) {
        const reply = firstAidReply(kb, e, words)!;
        expect([...reply.text].length, `${e.id} ${words}`).toBeLessThanOrEqual(FIRST_AID_MAX);
        expect(reply.text.split('\n').filter((l) => /^\d\. /.test(l)), e.id).toHaveLength(3);
        expect(reply.choices!.map((c) => c.label)[0], e.id).toBe('相談員に今すぐ相談');
      }
    }
  });

  it('give incidents what to do, what not to do and whom to contact', () => {
    for (const e of kb.entries.filter((x) => x.kind === 'incident')) {
      expect(e.steps.length, e.id).toBeGreaterThanOrEqual(3);
      expect(e.donts.length, e.id).toBeGreaterThan(0);
      expect(e.contacts.length, e.id).toBeGreaterThan(0);
    }
  });

  it('send companies to the organisations\' desk, not the individuals\' one (since 2025-04)', () => {
    for (const e of kb.entries) {
      const i = e.contacts.indexOf('ipa-anshin');
      if (i >= 0) expect(e.contacts.indexOf('ipa-cs'), e.id).toBeGreaterThanOrEqual(0);
    }
  });

  it('joins wrapped Japanese lines without stray spaces', () => {
    for (const e of kb.entries) if (e.detail) expect(e.detail, e.id).not.toMatch(/[ぁ-んァ-ン一-龥。、] [ぁ-んァ-ン一-龥]/);
  });

  it('names the file and the field of a broken entry', () => {
    const dir = copy();
    const file = join(dir, 'entries', 'ransomware.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^steps:\n/m, 'steps: []\nold_steps:\n'));
    expect(() => loadKnowledge(dir)).toThrow(KnowledgeError);
    try {
      loadKnowledge(dir);
    } catch (e) {
      expect((e as KnowledgeError).file).toBe('knowledge/entries/ransomware.yaml');
      expect((e as KnowledgeError).message).toMatch(/^knowledge\/entries\/ransomware\.yaml: steps: /);
    }
  });

  it('refuses an entry that points to an unknown contact, or whose id is not its file name', () => {
    const dir = copy();
    const file = join(dir, 'entries', 'phishing.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('contacts: [bank,', 'contacts: [no-such-desk,'));
    expect(() => loadKnowledge(dir)).toThrow(/phishing\.yaml: contacts\.0: 相談先 "no-such-desk"/);
    writeFileSync(file, readFileSync(file, 'utf8').replace('contacts: [no-such-desk,', 'contacts: [bank,').replace('id: phishing', 'id: phish'));
    expect(() => loadKnowledge(dir)).toThrow(/phishing\.yaml: id: ファイル名/);
  });

  it('checks the self-diagnosis file: item order, score bands covering every total, how-to entries', () => {
    const dir = copy();
    const file = join(dir, 'reference', 'self-diagnosis.yaml');
    const original = readFileSync(file, 'utf8');
    writeFileSync(file, original.replace('  - no: 2\n', '  - no: 3\n'));
    expect(() => loadKnowledge(dir)).toThrow(/self-diagnosis\.yaml: items\.1\.no: 2 のはずが 3 です/);
    writeFileSync(file, original.replace('  - min: 50\n    max: 69', '  - min: 51\n    max: 69'));
    expect(() => loadKnowledge(dir)).toThrow(/self-diagnosis\.yaml: bands: 50点の入る点数帯が 0 個あります/);
    writeFileSync(file, original.replace('    topic: backup\n', '    topic: wifi\n'));
    expect(() => loadKnowledge(dir)).toThrow(/self-diagnosis\.yaml: items\.10\.topic: エントリ "wifi" の diagnosisItems に 11 がありません/);
  });

  it('refuses a "#" that would silently cut a sentence short', () => {
    const dir = copy();
    const file = join(dir, 'entries', 'fake-alert.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('  - 表示された番号に電話する、折り返しを頼む', '  - 警察の #9110 に電話する'));
    expect(() => loadKnowledge(dir)).toThrow(/fake-alert\.yaml: \d+行目: 「 #」から後ろがコメントとして読み飛ばされています（"警察の" の後ろ）/);
  });

  it('reports YAML syntax errors with the file name', () => {
    const dir = copy();
    writeFileSync(join(dir, 'entries', 'emotet.yaml'), 'id: emotet\ntitle: [unclosed\n');
    expect(() => loadKnowledge(dir)).toThrow(/emotet\.yaml: \(ファイル全体\): YAML として読めません/);
  });
});

describe('understanding', () => {
  it("classifies each entry's own example phrasings to that entry", () => {
    const wrong: string[] = [];
    for (const e of kb.entries) for (const q of e.examples) if (kb.understand(q).matches[0]!.id !== e.id) wrong.push(`${e.id}: ${q}`);
    expect(wrong).toEqual([]);
  });

  it('does not force an unrelated question onto a topic', () => {
    for (const q of ['今日の天気を教えて', '会計ソフトで仕訳を入力する方法は？', '新卒採用の面接で何を聞けばいい？', 'おすすめのランチのお店ある？']) {
      const u = kb.understand(q);
      expect(u.matches[0]!.id, q).toBe('out_of_scope');
      expect(u.confidence, q).toBe('none');
    }
  });

  it('is not confident about a word it has never seen that shares a fragment with a keyword', () => {
    // 「みかん」 shares only ミカ/カン-like fragments with the examples; it must not be answered as a topic.
    for (const q of ['みかん', 'ドーナツ']) expect(kb.understand(q).confidence, q).not.toBe('high');
  });

  it('lists at least three topics, best first', () => {
    const u = kb.understand('パスワードを使い回しています');
    expect(u.matches.length).toBeGreaterThanOrEqual(3);
    expect(u.matches[0]!.id).toBe('password');
    for (let i = 1; i < u.matches.length; i++) expect(u.matches[i - 1]!.score).toBeGreaterThanOrEqual(u.matches[i]!.score);
  });

  it('understands half-width kana, emoji and hiragana typing', () => {
    expect(kb.understand('ﾗﾝｻﾑｳｪｱにやられたかも😱').matches[0]!.id).toBe('ransomware');
    expect(kb.understand('えもてっとって何？').matches[0]!.id).toBe('emotet');
    expect(kb.understand('ﾊﾟｽﾜｰﾄﾞの決め方🙏').matches[0]!.id).toBe('password');
  });

  it('flags an incident happening now as urgent, whatever its topic, and a question about it as not', () => {
    const urgent = [
      ['共有フォルダのファイルが全部暗号化されて、身代金を要求する文書が置かれていました', 'ransomware'],
      ['取引先を装ったメールの指示どおり、昨日300万円を送金してしまった', 'bec'],
      ['お客様の名簿を間違えて別の会社にメールで送ってしまいました', 'data-leak'],
      // Topics whose first message is usually calm can be urgent too.
      ['偽物の銀行サイトにネットバンキングのパスワードを入れちゃいました', 'phishing'],
      ['営業車から会社のノートパソコンを盗まれました', 'lost-device'],
    ];
    for (const [q, topic] of urgent) {
      const u = kb.understand(q!);
      expect(u.matches[0]!.id, q).toBe(topic);
      expect(u.urgent, q).toBe(true);
    }
    for (const q of ['ランサムウェアを防ぐにはどうすればいい？', '振込先変更のメールが来たけど本物か確かめる方法は？', '誤送信を防ぐ設定を教えて', 'もしノートPCをなくしたら最初に何をすべき？', '他社がランサムウェアで工場を止めたというニュースを見ました']) {
      expect(kb.understand(q).urgent, q).toBe(false);
    }
  });
});

describe('rendering', () => {
  it('leads with the summary and numbered steps, and cites a source', () => {
    const [first] = answerReplies(kb.entry('ransomware')!);
    const lines = first!.text.split('\n');
    expect(lines[0]).toMatch(/^【ランサムウェア/);
    expect(lines[1]).toBe(kb.entry('ransomware')!.summary);
    expect(lines[3]).toBe('■ 今すぐやること');
    expect(lines[4]).toMatch(/^1\. .*ネットワークから切り離/);
    expect(first!.text).toMatch(new RegExp(`出典: .+（${kb.entry('ransomware')!.reviewed} 確認）`));
  });

  it('leads an emergency with the three most important actions, alone in the first message', () => {
    const entry = kb.entry('ransomware')!;
    const [first, second] = urgentReplies(entry);
    expect(first!.text.split('\n')).toEqual([`【至急】${entry.title}`, 'まず、次のことをすぐに行ってください。', ...entry.steps.slice(0, 3).map((s, i) => `${i + 1}. ${s}`)]);
    expect(second!.text.startsWith(entry.summary)).toBe(true);
    expect(second!.text).toContain(`4. ${entry.steps[3]}`);
  });
  it('keeps every bubble within the limit', () => {
    for (const e of kb.entries) {
      for (const r of [...answerReplies(e), ...urgentReplies(e), ...detailReplies(kb, e)]) expect([...r.text].length).toBeLessThanOrEqual(BUBBLE_MAX);
    }
  });
  it('lists contacts with how to reach them in the details', () => {
    const text = detailReplies(kb, kb.entry('fake-alert')!).map((r) => r.text).join('\n');
    expect(text).toContain('・消費者ホットライン 188（いやや）: 電話 188');
    expect(text).toContain('cs-support@ipa.go.jp');
    expect(text).toContain('■ やってはいけないこと');
  });
});
