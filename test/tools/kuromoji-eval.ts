import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import kuromoji from 'kuromoji';
import { Classifier, OUT_OF_SCOPE } from '../../knowledge/classifier.js';
import { loadKnowledge } from '../../knowledge/load.js';

/** Measures adding kuromoji readings (katakana) of every phrasing as extra training text. */
const dicPath = createRequire(import.meta.url).resolve('kuromoji/package.json').replace(/package\.json$/, 'dict/');
const t0 = performance.now();
const tokenizer = await new Promise<kuromoji.Tokenizer<kuromoji.IpadicFeatures>>((res, rej) => kuromoji.builder({ dicPath }).build((e, t) => (e ? rej(e) : res(t))));
console.log('kuromoji load ms', Math.round(performance.now() - t0), 'rss MiB', Math.round(process.memoryUsage().rss / 2 ** 20));
const reading = (s: string) => tokenizer.tokenize(s).map((t) => (t.reading && t.reading !== '*' ? t.reading : t.surface_form)).join('');
const data = loadKnowledge();
const withReadings = data.entries.map((e) => ({ ...e, examples: [...e.examples, ...e.examples.map(reading)], keywords: [...e.keywords, ...e.keywords.map(reading)] }));
for (const [name, entries] of [['plain', data.entries], ['+readings', withReadings]] as const) {
  const c = new Classifier(entries, data.outOfScope);
  for (const file of ['test/fixtures/holdout.jsonl', '../shared/eval/dev.jsonl']) {
    const items = readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
    let ok = 0;
    for (const it of items) {
      const r = c.rank(it.q);
      let top = r[0]!.id;
      if (r[0]!.score < 0.05 && top !== OUT_OF_SCOPE) top = OUT_OF_SCOPE;
      if (top === it.topic) ok++;
    }
    console.log(name, file.split('/').pop(), (ok / items.length).toFixed(3));
  }
}
