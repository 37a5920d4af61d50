import { loadKnowledge } from '../../knowledge/load.js';
import { UrgencyModel } from '../../knowledge/urgency.js';
import type { UrgencyExample } from '../../knowledge/schema.js';

/**
 * Development tool: 5-fold cross-validation of the urgency model on its own training examples
 * (no evaluation set involved), at several thresholds. Used to choose URGENT_AT.
 *   npx tsx test/tools/urgency-cv.ts
 */
const data = loadKnowledge();
const calm = [...data.entries.filter((e) => e.kind !== 'incident').flatMap((e) => e.examples), ...data.outOfScope];
const all = [...data.urgency.urgent.map((x) => ({ ...x, urgent: true })), ...data.urgency.notUrgent.map((x) => ({ ...x, urgent: false }))];
const folds = 5;
const thresholds = [0.3, 0.4, 0.45, 0.5, 0.55, 0.6, 0.7];
const counts = thresholds.map(() => ({ tp: 0, fp: 0, fn: 0 }));
for (let f = 0; f < folds; f++) {
  const test = all.filter((_, i) => i % folds === f);
  const train = all.filter((_, i) => i % folds !== f);
  const model = new UrgencyModel(
    { urgent: train.filter((x) => x.urgent) as UrgencyExample[], notUrgent: train.filter((x) => !x.urgent) as UrgencyExample[] },
    calm,
  );
  for (const x of test) {
    const p = model.probability(x.text);
    thresholds.forEach((t, i) => {
      const said = p >= t;
      if (said && x.urgent) counts[i]!.tp++;
      else if (said && !x.urgent) counts[i]!.fp++;
      else if (!said && x.urgent) counts[i]!.fn++;
    });
  }
}
thresholds.forEach((t, i) => {
  const { tp, fp, fn } = counts[i]!;
  const p = tp / (tp + fp), r = tp / (tp + fn);
  console.log(`threshold ${t}: P=${p.toFixed(3)} R=${r.toFixed(3)} F1=${((2 * p * r) / (p + r)).toFixed(3)}`);
});
