import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../bot/project-root.js';

/** The contract ../shared/eval/score.mjs relies on: one JSON line per input line, nothing else. */
describe('npm run --silent classify', () => {
  it('answers each line with one JSON line, in order, with at least three topics', () => {
    const input = ['ランサムウェアでファイルが暗号化されてしまった', '', '明日の天気は？', '😀😀', 'ﾊﾟｽﾜｰﾄﾞの決め方'].join('\n') + '\n';
    const r = spawnSync('npm', ['run', '--silent', 'classify'], { cwd: projectRoot, input, encoding: 'utf8' });
    expect(r.status).toBe(0);
    const lines = r.stdout.split('\n').filter(Boolean);
    expect(lines).toHaveLength(5);
    const answers = lines.map((l) => JSON.parse(l) as { topics: { id: string; score: number }[]; urgent: boolean });
    for (const a of answers) {
      expect(a.topics.length).toBeGreaterThanOrEqual(3);
      for (const t of a.topics) expect(typeof t.score).toBe('number');
    }
    expect([answers[0]!.topics[0]!.id, answers[0]!.urgent]).toEqual(['ransomware', true]);
    expect(answers[2]!.topics[0]!.id).toBe('out_of_scope');
    expect(answers[4]!.topics[0]!.id).toBe('password');
  });
});
