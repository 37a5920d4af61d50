import { Classifier, DEFAULT_WEIGHTS, type ClassifierWeights } from '../../knowledge/classifier.js';
import { loadKnowledge } from '../../knowledge/load.js';

/**
 * Development tool: 5-fold cross-validation of the topic classifier on the urgency examples
 * (incident reports and look-alikes as people write them), no evaluation set involved; tries
 * a few signal mixes.   npx tsx test/tools/topic-cv.ts
 */
const data = loadKnowledge();
const all = [...data.urgency.urgent, ...data.urgency.notUrgent];
const mixes: ClassifierWeights[] = [
  DEFAULT_WEIGHTS,
  { model: 0.6, bm25: 0.25, keyword: 0.15, outOfScope: 0.6 },
  { model: 0.7, bm25: 0.2, keyword: 0.1, outOfScope: 0.6 },
  { model: 0.4, bm25: 0.4, keyword: 0.2, outOfScope: 0.6 },
  { model: 0.5, bm25: 0.35, keyword: 0.15, outOfScope: 0.6 },
];
for (const w of mixes) {
  let hit = 0;
  for (let f = 0; f < 5; f++) {
    const train = all.filter((_, i) => i % 5 !== f);
    const test = all.filter((_, i) => i % 5 === f);
    const c = new Classifier(data.entries, data.outOfScope, w, train);
    for (const x of test) if (c.rank(x.text)[0]!.id === x.topic) hit++;
  }
  console.log(JSON.stringify(w), (hit / all.length).toFixed(3));
}
