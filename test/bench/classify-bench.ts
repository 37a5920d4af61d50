import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Fuse from 'fuse.js';
import { projectRoot } from '../../bot/project-root.js';
import { OUT_OF_SCOPE } from '../../knowledge/classifier.js';
import { KnowledgeBase } from '../../knowledge/knowledge-base.js';
import { loadKnowledge, type KnowledgeData } from '../../knowledge/load.js';

/**
 * Understanding benchmarks: the desk's classifier against two baselines on the same question
 * sets, its throughput, and its start-up cost. Used by run.ts (`npm run bench`).
 */
export interface LabelledSet {
  name: string;
  items: { q: string; topic: string }[];
}

export interface Accuracy {
  top1: number;
  top3: number;
}

export function loadSets(): LabelledSet[] {
  const files: [string, string][] = [
    ['dev (../shared/eval/dev.jsonl)', join(projectRoot, '..', 'shared', 'eval', 'dev.jsonl')],
    ['holdout (test/fixtures/holdout.jsonl)', join(projectRoot, 'test', 'fixtures', 'holdout.jsonl')],
    ['incidents (test/fixtures/incidents-holdout.jsonl)', join(projectRoot, 'test', 'fixtures', 'incidents-holdout.jsonl')],
  ];
  return files
    .filter(([, f]) => existsSync(f))
    .map(([name, f]) => ({ name, items: readFileSync(f, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)) }));
}

function accuracy(set: LabelledSet, rank: (q: string) => string[]): Accuracy {
  let top1 = 0;
  let top3 = 0;
  for (const it of set.items) {
    const ids = rank(it.q);
    if (ids[0] === it.topic) top1++;
    if (ids.slice(0, 3).includes(it.topic)) top3++;
  }
  return { top1: top1 / set.items.length, top3: top3 / set.items.length };
}

export function deskAccuracy(kb: KnowledgeBase, set: LabelledSet): Accuracy {
  return accuracy(set, (q) => kb.understand(q).matches.map((m) => m.id));
}

/** Baseline 1: fuse.js alone over each entry's title and keywords; no result means out of scope. */
export function fuseAccuracy(data: KnowledgeData, set: LabelledSet): Accuracy {
  const fuse = new Fuse(data.entries, {
    keys: [
      { name: 'title', weight: 1 },
      { name: 'keywords', weight: 2 },
    ],
    includeScore: true,
    ignoreLocation: true,
    threshold: 0.6,
  });
  return accuracy(set, (q) => {
    const ids = fuse.search(q, { limit: 5 }).map((r) => r.item.id);
    return ids.length ? ids : [OUT_OF_SCOPE];
  });
}

/**
 * Baseline 2: NLP.js (node-nlp, Japanese), trained on the same example phrasings and
 * out-of-scope examples. Returns undefined when node-nlp is not installed.
 */
export async function nlpjsAccuracy(data: KnowledgeData, sets: LabelledSet[]): Promise<{ results: Accuracy[]; trainMs: number } | undefined> {
  let NlpManager: any;
  try {
    ({ NlpManager } = await import('node-nlp' as string));
  } catch {
    return undefined;
  }
  const manager = new NlpManager({ languages: ['ja'], nlu: { log: false }, autoSave: false, autoLoad: false });
  for (const e of data.entries) for (const q of e.examples) manager.addDocument('ja', q, e.id);
  for (const q of data.outOfScope) manager.addDocument('ja', q, OUT_OF_SCOPE);
  const started = performance.now();
  await manager.train();
  const trainMs = performance.now() - started;
  const results: Accuracy[] = [];
  for (const set of sets) {
    const answers = await Promise.all(set.items.map((it) => manager.process('ja', it.q)));
    let i = 0;
    results.push(
      accuracy(set, () => {
        const r = answers[i++];
        const ids = (r.classifications as { intent: string; score: number }[]).sort((a, b) => b.score - a.score).map((c) => (c.intent === 'None' ? OUT_OF_SCOPE : c.intent));
        return r.intent === 'None' ? [OUT_OF_SCOPE, ...ids] : ids;
      }),
    );
  }
  return { results, trainMs };
}

/** Questions per second through `understand`, after a warm-up. */
export function throughput(kb: KnowledgeBase, questions: string[], seconds = 3): number {
  for (const q of questions) kb.understand(q);
  let n = 0;
  const started = performance.now();
  const until = started + seconds * 1000;
  while (performance.now() < until) {
    for (const q of questions) kb.understand(q);
    n += questions.length;
  }
  return n / ((performance.now() - started) / 1000);
}

/** Start-up cost measured in a fresh process: loading and validating the files, training the classifier. */
export function startupCost(): { loadMs: number; rssMiB: number } {
  const script = `
    const t0 = performance.now();
    const { KnowledgeBase } = await import(${JSON.stringify(join(projectRoot, 'dist', 'knowledge', 'knowledge-base.js'))});
    const kb = KnowledgeBase.load();
    kb.understand('準備');
    const loadMs = performance.now() - t0;
    console.log(JSON.stringify({ loadMs, rssMiB: process.memoryUsage().rss / 2 ** 20 }));
  `;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout.trim().split('\n').pop()!);
}

export { loadKnowledge };
