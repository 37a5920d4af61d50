import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../bot/project-root.js';
import { loadKnowledge } from '../../knowledge/load.js';

/**
 * The evaluation sets measure understanding of phrasings the desk has never seen. This guards
 * the knowledge files against holding a copy or a light edit of an evaluation question (the
 * measure: share of character bigrams in common, Jaccard, below 0.4).
 */
const LIMIT = 0.4;
const sets = [
  join(projectRoot, '..', 'shared', 'eval', 'dev.jsonl'),
  join(projectRoot, 'test', 'fixtures', 'holdout.jsonl'),
  join(projectRoot, 'test', 'fixtures', 'incidents-holdout.jsonl'),
];

function bigrams(s: string): Set<string> {
  const t = s.normalize('NFKC').toLowerCase().replace(/[\s、。！？!?「」『』（）()・,.…〜~ー]/g, '');
  const out = new Set<string>();
  for (let i = 0; i + 2 <= t.length; i++) out.add(t.slice(i, i + 2));
  return out;
}
function jaccard(a: Set<string>, b: Set<string>): number {
  let common = 0;
  for (const g of a) if (b.has(g)) common++;
  return common / Math.max(1, a.size + b.size - common);
}

describe('evaluation sets stay unseen', () => {
  const data = loadKnowledge();
  const phrasings = [
    ...data.entries.flatMap((e) => e.examples.map((q) => [e.id, q] as const)),
    ...data.outOfScope.map((q) => ['out_of_scope', q] as const),
    // The urgency examples teach the classifiers too.
    ...[...data.urgency.urgent, ...data.urgency.notUrgent].map((x) => [`urgency:${x.topic}`, x.text] as const),
  ];
  for (const file of sets) {
    it.skipIf(!existsSync(file))(`no knowledge example is close to a question of ${file.split('/').slice(-2).join('/')}`, () => {
      const questions = readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => bigrams((JSON.parse(l) as { q: string }).q));
      const close = phrasings
        .map(([id, q]) => ({ id, q, j: Math.max(...questions.map((g) => jaccard(bigrams(q), g))) }))
        .filter((x) => x.j >= LIMIT)
        .map((x) => `${x.id} ${x.j.toFixed(2)} ${x.q}`);
      expect(close).toEqual([]);
    });
  }
});
