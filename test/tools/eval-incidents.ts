import { readFileSync } from 'node:fs';
import { KnowledgeBase } from '../../knowledge/knowledge-base.js';

/**
 * How well the desk recognises incidents, on labelled sets (default: the team's held-apart
 * incident set, written apart from the knowledge files):
 *   npx tsx test/tools/eval-incidents.ts [set.jsonl ...] [--conversations file.jsonl] [--misses]
 * Prints, per set: topic top-1 and top-3 (an `alt` topic also counts), top-1 on the urgent
 * reports alone, and urgency precision, recall and F1. For conversations: whether the first
 * urgent turn is the one labelled. Figures go to docs/benchmarks.md.
 */
export interface SetItem {
  q: string;
  topic: string;
  alt?: string[];
  urgent?: boolean | null;
}

export interface SetScore {
  n: number;
  top1: number;
  top3: number;
  /** Top-1 on the items labelled urgent. */
  urgentTop1: number;
  precision: number;
  recall: number;
  f1: number;
  misses: string[];
}

export function scoreSet(kb: KnowledgeBase, items: readonly SetItem[]): SetScore {
  let top1 = 0, top3 = 0, urgentN = 0, urgentTop1 = 0, tp = 0, fp = 0, fn = 0;
  const misses: string[] = [];
  for (const it of items) {
    const u = kb.understand(it.q);
    const ok = new Set([it.topic, ...(it.alt ?? [])]);
    const ids = u.matches.map((m) => m.id);
    const hit = ok.has(ids[0]!);
    if (hit) top1++;
    if (ids.slice(0, 3).some((id) => ok.has(id))) top3++;
    if (it.urgent) {
      urgentN++;
      if (hit) urgentTop1++;
    }
    if (typeof it.urgent === 'boolean') {
      if (it.urgent && u.urgent) tp++;
      else if (!it.urgent && u.urgent) fp++;
      else if (it.urgent && !u.urgent) fn++;
    }
    if (!hit || (typeof it.urgent === 'boolean' && it.urgent !== u.urgent)) {
      misses.push(`${hit ? '  topic ok ' : `topic ${ids[0]} `}${it.urgent === u.urgent ? '' : it.urgent ? '[missed urgent] ' : '[false urgent] '}${it.topic}: ${it.q}`);
    }
  }
  const precision = tp + fp ? tp / (tp + fp) : 0;
  const recall = tp + fn ? tp / (tp + fn) : 0;
  return {
    n: items.length,
    top1: top1 / items.length,
    top3: top3 / items.length,
    urgentTop1: urgentN ? urgentTop1 / urgentN : 0,
    precision,
    recall,
    f1: precision + recall ? (2 * precision * recall) / (precision + recall) : 0,
    misses,
  };
}

export interface Conversation {
  turns: string[];
  urgentFrom: number | null;
  topic: string;
}

/** Share of conversations whose first turn read as urgent is the labelled one (null: none). */
export function scoreConversations(kb: KnowledgeBase, conversations: readonly Conversation[]): { n: number; exact: number; misses: string[] } {
  let exact = 0;
  const misses: string[] = [];
  for (const c of conversations) {
    const first = c.turns.findIndex((t) => kb.understand(t).urgent);
    const got = first < 0 ? null : first;
    if (got === c.urgentFrom) exact++;
    else misses.push(`expected ${c.urgentFrom} got ${got}: ${c.turns.join(' ／ ')}`);
  }
  return { n: conversations.length, exact: exact / conversations.length, misses };
}

export function readJsonl<T>(file: string): T[] {
  return readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as T);
}

const pct = (x: number) => x.toFixed(3);

if (process.argv[1]?.endsWith('eval-incidents.ts')) {
  const args = process.argv.slice(2);
  const showMisses = args.includes('--misses');
  const ci = args.indexOf('--conversations');
  const conversationsFile = ci >= 0 ? args[ci + 1]! : 'test/fixtures/incident-conversations.jsonl';
  const sets = args.filter((a, i) => !a.startsWith('--') && (ci < 0 || i !== ci + 1));
  const kb = KnowledgeBase.load();
  for (const file of sets.length ? sets : ['test/fixtures/incidents-holdout.jsonl']) {
    const s = scoreSet(kb, readJsonl<SetItem>(file));
    if (showMisses) for (const m of s.misses) console.log(m);
    console.log(`${file}: n=${s.n} top1=${pct(s.top1)} top3=${pct(s.top3)} urgent-reports top1=${pct(s.urgentTop1)} urgent P=${pct(s.precision)} R=${pct(s.recall)} F1=${pct(s.f1)}`);
  }
  const c = scoreConversations(kb, readJsonl<Conversation>(conversationsFile));
  if (showMisses) for (const m of c.misses) console.log(m);
  console.log(`${conversationsFile}: n=${c.n} first urgent turn exact=${pct(c.exact)}`);
}
