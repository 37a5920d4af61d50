import { readFileSync } from 'node:fs';
import { Classifier, OUT_OF_SCOPE } from '../../knowledge/classifier.js';
import { loadKnowledge } from '../../knowledge/load.js';

/**
 * Measures natural's Japanese tokenizer (a TinySegmenter port) as extra classifier features:
 * each word of the question, in search form, beside the character n-grams. Imported deeply, as
 * ../shared/stack-notes.md says: `natural` itself loads .env files and database clients.
 *   npx tsx test/tools/natural-eval.ts
 * Prints top-1/top-3 on the team's held-apart sets and 5-fold CV on the urgency examples, with
 * and without the words, and the cost per question. Figures go to docs/benchmarks.md.
 */
const t0 = performance.now();
const rss0 = process.memoryUsage().rss;
const { words } = await import('./natural-words.js');
console.log(`natural tokenizer_ja load ${Math.round(performance.now() - t0)} ms, rss +${Math.round((process.memoryUsage().rss - rss0) / 2 ** 20)} MiB`);

const data = loadKnowledge();
const more = [...data.urgency.urgent, ...data.urgency.notUrgent];
const sets = ['test/fixtures/holdout.jsonl', 'test/fixtures/incidents-holdout.jsonl'].map((f) => ({
  name: f.split('/').pop()!,
  items: readFileSync(f, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { q: string; topic: string; alt?: string[] }),
}));

for (const [name, extra] of [['n-grams only', undefined], ['n-grams + natural words', words]] as const) {
  const c = new Classifier(data.entries, data.outOfScope, undefined, more, extra);
  const scores: string[] = [];
  let ms = 0, n = 0;
  for (const set of sets) {
    let top1 = 0, top3 = 0;
    for (const it of set.items) {
      const t = performance.now();
      const r = c.rank(it.q);
      ms += performance.now() - t;
      n++;
      const ids = r.map((x) => (x.score < 0.05 && x.id !== OUT_OF_SCOPE ? OUT_OF_SCOPE : x.id));
      const ok = new Set([it.topic, ...(it.alt ?? [])]);
      if (ok.has(ids[0]!)) top1++;
      if (ids.slice(0, 3).some((id) => ok.has(id))) top3++;
    }
    scores.push(`${set.name} top1 ${(top1 / set.items.length).toFixed(3)} top3 ${(top3 / set.items.length).toFixed(3)}`);
  }
  let cv = 0;
  for (let f = 0; f < 5; f++) {
    const cf = new Classifier(data.entries, data.outOfScope, undefined, more.filter((_, i) => i % 5 !== f), extra);
    for (const x of more.filter((_, i) => i % 5 === f)) if (cf.rank(x.text)[0]!.id === x.topic) cv++;
  }
  console.log(`${name}: ${scores.join(' | ')} | urgency-examples 5-fold CV ${(cv / more.length).toFixed(3)} | ${(ms / n).toFixed(2)} ms/question`);
}
