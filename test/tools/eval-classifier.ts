import { readFileSync } from 'node:fs';
import { Classifier, DEFAULT_WEIGHTS, OUT_OF_SCOPE } from '../../knowledge/classifier.js';
import { HIGH, KnowledgeBase, LOW } from '../../knowledge/knowledge-base.js';
import { loadKnowledge } from '../../knowledge/load.js';

/**
 * Development tool: accuracy of the classifier on a labelled set, for tuning.
 *   npx tsx test/tools/eval-classifier.ts test/fixtures/holdout.jsonl [model bm25 keyword outOfScope]
 * (Scores on ../shared/eval/dev.jsonl come from `node ../shared/eval/score.mjs`.)
 */
const [file = 'test/fixtures/holdout.jsonl', ...w] = process.argv.slice(2);
const items = readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { q: string; topic: string; urgent?: boolean });
const data = loadKnowledge();
const weights = w.length === 4 ? { model: Number(w[0]), bm25: Number(w[1]), keyword: Number(w[2]), outOfScope: Number(w[3]) } : DEFAULT_WEIGHTS;
const classifier = new Classifier(data.entries, data.outOfScope, weights);
const kb = new KnowledgeBase(data);

let top1 = 0, top3 = 0, tp = 0, fp = 0, fn = 0;
const misses: string[] = [];
const scores: { ok: boolean; score: number; oos: boolean }[] = [];
for (const it of items) {
  const u = kb.understand(it.q);
  const raw = classifier.rank(it.q);
  const ids = u.matches.map((m) => m.id);
  if (ids[0] === it.topic) top1++;
  else misses.push(`${it.topic.padEnd(18)} <- ${ids.slice(0, 3).join(',')} (${raw[0]!.id} ${raw[0]!.score.toFixed(2)}) : ${it.q}`);
  if (ids.slice(0, 3).includes(it.topic)) top3++;
  scores.push({ ok: raw[0]!.id === it.topic, score: raw[0]!.score, oos: it.topic === OUT_OF_SCOPE });
  if (typeof it.urgent === 'boolean') {
    if (it.urgent && u.urgent) tp++;
    else if (!it.urgent && u.urgent) fp++;
    else if (it.urgent && !u.urgent) fn++;
  }
}
for (const m of misses) console.log('miss', m);
const n = items.length;
const f1 = tp ? (2 * tp) / (2 * tp + fp + fn) : 0;
console.log(`n=${n} top1=${(top1 / n).toFixed(3)} top3=${(top3 / n).toFixed(3)} urgent tp=${tp} fp=${fp} fn=${fn} f1=${f1.toFixed(3)} weights=${JSON.stringify(weights)} HIGH=${HIGH} LOW=${LOW}`);
const hist = (sel: (s: (typeof scores)[number]) => boolean) => {
  const b = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
  for (const s of scores.filter(sel)) b[Math.min(9, Math.floor(s.score * 10))]!++;
  return b.join(' ');
};
console.log('top score histogram (0.0..0.9) right :', hist((s) => s.ok && !s.oos));
console.log('top score histogram (0.0..0.9) wrong :', hist((s) => !s.ok && !s.oos));
