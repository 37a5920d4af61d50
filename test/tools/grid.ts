import { readFileSync } from 'node:fs';
import { Classifier, OUT_OF_SCOPE } from '../../knowledge/classifier.js';
import { loadKnowledge } from '../../knowledge/load.js';
const file = process.argv[2] ?? 'test/fixtures/holdout.jsonl';
const items = readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
const data = loadKnowledge();
for (const [m, b, k, o] of [[0.5, 0.3, 0.2, 1], [0.5, 0.3, 0.2, 0.8], [0.5, 0.3, 0.2, 0.6], [0.5, 0.3, 0.2, 0.5], [0.5, 0.3, 0.2, 0.4], [0.4, 0.4, 0.2, 0.6], [0.6, 0.2, 0.2, 0.6]]) {
  const c = new Classifier(data.entries, data.outOfScope, { model: m!, bm25: b!, keyword: k!, outOfScope: o! });
  const ranked = items.map((it) => ({ it, r: c.rank(it.q) }));
  const row: string[] = [];
  for (const low of [0, 0.05, 0.1, 0.15, 0.2]) {
    let t1 = 0, t3 = 0;
    for (const { it, r } of ranked) {
      let ids = r.map((x) => x.id);
      if (r[0]!.score < low && ids[0] !== OUT_OF_SCOPE) ids = [OUT_OF_SCOPE, ...ids.filter((i) => i !== OUT_OF_SCOPE)];
      if (ids[0] === it.topic) t1++;
      if (ids.slice(0, 3).includes(it.topic)) t3++;
    }
    row.push(`low=${low}: ${(t1 / items.length).toFixed(3)}/${(t3 / items.length).toFixed(3)}`);
  }
  console.log(`w=${m}/${b}/${k} oos=${o}  ${row.join('  ')}`);
}
