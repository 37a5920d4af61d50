import { counts } from './features.js';

/**
 * Okapi BM25 over short documents (one per example phrasing). Scores are made comparable
 * across questions by dividing by the question's own ceiling, so 1.0 means "a phrasing
 * contains everything the question says" whatever its length.
 *
 * Built for speed on the hot path: each term's postings hold its documents and their
 * precomputed weights in typed arrays, and scores accumulate in one reused array.
 */
export class Bm25<L extends string = string> {
  private readonly pending: { label: L; tf: Map<string, number>; length: number }[] = [];
  private labels: L[] = [];
  private postings = new Map<string, { idf: number; docs: Int32Array; weights: Float32Array }>();
  private scores = new Float64Array(0);
  private unseenIdf = 0;
  private readonly common = new Set<string>();

  constructor(
    private readonly k1 = 1.2,
    private readonly b = 0.75,
    /**
     * Terms in more than this share of the documents ("ます", "した"...) say next to nothing
     * about the topic and have the longest postings: they are left out of scoring.
     */
    private readonly maxDocShare = 0.03,
  ) {}

  add(label: L, terms: readonly string[]): void {
    this.pending.push({ label, tf: counts(terms), length: terms.length });
  }

  /** Call once after the last `add`. */
  finish(): void {
    const docs = this.pending;
    const n = docs.length;
    const avgLength = docs.reduce((s, d) => s + d.length, 0) / Math.max(1, n);
    const lists = new Map<string, { doc: number; tf: number }[]>();
    docs.forEach((d, id) => {
      for (const [t, tf] of d.tf) (lists.get(t) ?? lists.set(t, []).get(t)!).push({ doc: id, tf });
    });
    for (const [t, list] of lists) {
      if (list.length > this.maxDocShare * n) {
        this.common.add(t);
        continue;
      }
      const idf = Math.log(1 + (n - list.length + 0.5) / (list.length + 0.5));
      const weights = new Float32Array(list.length);
      list.forEach((p, i) => {
        const length = docs[p.doc]!.length;
        weights[i] = (idf * p.tf * (this.k1 + 1)) / (p.tf + this.k1 * (1 - this.b + (this.b * length) / avgLength));
      });
      this.postings.set(t, { idf, docs: Int32Array.from(list, (p) => p.doc), weights });
    }
    this.labels = docs.map((d) => d.label);
    this.scores = new Float64Array(n);
    this.unseenIdf = Math.log(1 + (n + 0.5) / 0.5);
    this.pending.length = 0;
  }

  /**
   * For each label, its best document's score divided by the query's ceiling: the score of a
   * document of average length containing each query term once (the sum of their idf).
   */
  bestByLabel(terms: readonly string[]): Map<L, number> {
    const scores = this.scores;
    const touched: number[] = [];
    let ceiling = 0;
    for (const t of new Set(terms)) {
      const p = this.postings.get(t);
      if (!p) {
        if (!this.common.has(t)) ceiling += this.unseenIdf;
        continue;
      }
      ceiling += p.idf;
      const { docs, weights } = p;
      for (let i = 0; i < docs.length; i++) {
        const d = docs[i]!;
        if (scores[d] === 0) touched.push(d);
        scores[d]! += weights[i]!;
      }
    }
    const best = new Map<L, number>();
    for (const d of touched) {
      const v = ceiling > 0 ? scores[d]! / ceiling : 0;
      scores[d] = 0;
      const label = this.labels[d]!;
      if (v > (best.get(label) ?? 0)) best.set(label, v);
    }
    return best;
  }
}
