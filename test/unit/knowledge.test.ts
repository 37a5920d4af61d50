import { cpSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { KnowledgeBase } from '../../knowledge/knowledge-base.js';
import { KNOWLEDGE_DIR, KnowledgeError, loadKnowledge } from '../../knowledge/load.js';
import { answerReplies, BUBBLE_MAX, detailReplies } from '../../knowledge/render.js';
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

describe('knowledge files', () => {
  it('all load and validate, with sources and a review date', () => {
    expect(kb.entries.length).toBeGreaterThanOrEqual(8);
    for (const e of kb.entries) {
      expect(e.sources.length, e.id).toBeGreaterThan(0);
      expect(e.reviewed, e.id).toMatch(/^\d{4}-\d{2}-\d{2}$/);
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
    for (const e of kb.entries) {
      for (const q of e.examples) {
        const u = kb.understand(q);
        expect(u.matches[0]!.id, `${e.id}: ${q}`).toBe(e.id);
        expect(u.confidence, `${e.id}: ${q}`).toBe('high');
      }
    }
  });
  it('does not force an unrelated question onto a topic', () => {
    for (const q of ['今日の天気を教えて', '経理ソフトの使い方がわからない', '新卒採用について相談したい']) {
      expect(kb.understand(q).confidence, q).toBe('none');
    }
  });
});

describe('rendering', () => {
  it('leads with the summary and numbered steps, and cites a source', () => {
    const [first] = answerReplies(kb.entry('ransomware')!);
    const lines = first!.text.split('\n');
    expect(lines[0]).toBe('【ランサムウェア（ファイルの暗号化・身代金要求）】');
    expect(lines[3]).toBe('■ 今すぐやること');
    expect(lines[4]).toMatch(/^1\. .*ネットワークから切り離します/);
    expect(first!.text).toMatch(/出典: .+（2026-11-22 確認）/);
  });
  it('keeps every bubble within the limit', () => {
    for (const e of kb.entries) {
      for (const r of [...answerReplies(e), ...detailReplies(kb, e)]) expect([...r.text].length).toBeLessThanOrEqual(BUBBLE_MAX);
    }
  });
  it('lists contacts with how to reach them in the details', () => {
    const text = detailReplies(kb, kb.entry('fake-alert')!).map((r) => r.text).join('\n');
    expect(text).toContain('・消費者ホットライン 188（いやや）: 電話 188');
    expect(text).toContain('cs-support@ipa.go.jp');
    expect(text).toContain('■ やってはいけないこと');
  });
});
