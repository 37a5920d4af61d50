import { readFileSync } from 'node:fs';
import { Classifier } from '../../knowledge/classifier.js';
import { grams } from '../../knowledge/features.js';
import { compact } from '../../knowledge/normalize.js';
import { loadKnowledge } from '../../knowledge/load.js';

/** Development tool: where the classifier's time goes (µs per question on the holdout set). */
const data = loadKnowledge();
const all = readFileSync('test/fixtures/holdout.jsonl', 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l).q as string);
const t = performance.now();
const c = new Classifier(data.entries, data.outOfScope);
console.log('build ms', (performance.now() - t).toFixed(0));
const any = c as any;
const time = (name: string, qs: string[], f: (q: string) => unknown) => {
  for (const q of qs) f(q);
  const t0 = performance.now();
  for (let r = 0; r < 20; r++) for (const q of qs) f(q);
  console.log(name.padEnd(22), ((performance.now() - t0) * 1000 / (20 * qs.length)).toFixed(0), 'us');
};
const short = all.filter((q) => compact(q).length <= 16);
time('rank (all)', all, (q) => c.rank(q));
time(`rank (short: ${short.length})`, short, (q) => c.rank(q));
time('model', all, (q) => any.model.predict(grams(q)));
time('bm25', all, (q) => any.bm25.bestByLabel(grams(q)));
time('keywords (all)', all, (q) => any.keywordScores(compact(q)));
time('keywords (short)', short, (q) => any.keywordScores(compact(q)));
time('rank (all, again)', all, (q) => c.rank(q));
