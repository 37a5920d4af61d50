import { compact } from './normalize.js';
import type { KnowledgeEntry } from './schema.js';

export interface Match {
  id: string;
  /** 0..1; comparable across queries, so thresholds can be fixed. */
  score: number;
}

/**
 * Ranks entries for a question by how much of the question their own wording explains.
 *
 * Each entry is indexed by the character bigrams of its title, keywords and example
 * phrasings (Japanese has no spaces, and bigrams survive conjugation and particles). A
 * question's score for an entry is the share of its bigram weight (idf) found in that entry,
 * plus a bonus when a whole keyword appears in the question.
 */
export class Matcher {
  private readonly grams = new Map<string, Set<string>>();
  private readonly keywords = new Map<string, string[]>();
  private readonly idf = new Map<string, number>();
  private readonly unknownIdf: number;

  constructor(entries: KnowledgeEntry[]) {
    const df = new Map<string, number>();
    for (const e of entries) {
      const set = new Set<string>();
      for (const phrase of [e.title, ...e.keywords, ...e.examples]) for (const g of bigrams(compact(phrase))) set.add(g);
      this.grams.set(e.id, set);
      this.keywords.set(e.id, e.keywords.map(compact).filter((k) => k.length >= 2));
      for (const g of set) df.set(g, (df.get(g) ?? 0) + 1);
    }
    const n = entries.length;
    for (const [g, d] of df) this.idf.set(g, Math.log(1 + n / d));
    // A bigram no entry uses still counts against coverage: the question talks about something else.
    this.unknownIdf = Math.log(1 + n);
  }

  rank(text: string): Match[] {
    const q = compact(text);
    const qGrams = new Set(bigrams(q));
    let total = 0;
    for (const g of qGrams) total += this.idf.get(g) ?? this.unknownIdf;
    const out: Match[] = [];
    for (const [id, set] of this.grams) {
      let hit = 0;
      for (const g of qGrams) if (set.has(g)) hit += this.idf.get(g)!;
      const coverage = total > 0 ? hit / total : 0;
      const longest = Math.max(0, ...this.keywords.get(id)!.filter((k) => q.includes(k)).map((k) => k.length));
      const bonus = longest > 0 ? Math.min(0.45, 0.25 + 0.04 * longest) : 0;
      out.push({ id, score: Math.min(1, 0.75 * coverage + bonus) });
    }
    return out.sort((a, b) => b.score - a.score);
  }
}

function bigrams(s: string): string[] {
  if (s.length < 2) return s.length ? [s] : [];
  const out: string[] = [];
  for (let i = 0; i < s.length - 1; i++) out.push(s.slice(i, i + 2));
  return out;
}
