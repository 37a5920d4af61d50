import { counts } from './features.js';

/**
 * Okapi BM25 over short documents (one per example phrasing). Scores are made comparable
 * across questions by dividing by the question's own best possible score, so 1.0 means "a
 * phrasing contains everything the question says" whatever its length.
 */
export class Bm25<L extends string = string> {
  private readonly docs: { label: L; tf: Map<string, number>; length: number }[] = [];
  private readonly postings = new Map<string, number[]>();
  private idf = new Map<string, number>();
  private avgLength = 1;

  constructor(
    private readonly k1 = 1.2,
    private readonly b = 0.75,
  ) {}

  add(label: L, terms: readonly string[]): void {
    const tf = counts(terms);
    const id = this.docs.length;
    this.docs.push({ label, tf, length: terms.length });
    for (const t of tf.keys()) {
      let p = this.postings.get(t);
      if (!p) this.postings.set(t, (p = []));
      p.push(id);
    }
  }

  /** Call once after the last `add`. */
  finish(): void {
    const n = this.docs.length;
    this.avgLength = this.docs.reduce((s, d) => s + d.length, 0) / Math.max(1, n);
    this.idf = new Map([...this.postings].map(([t, p]) => [t, Math.log(1 + (n - p.length + 0.5) / (p.length + 0.5))]));
  }

  /** Idf of a term the index has never seen: as rare as a term can be. */
  private get unseenIdf(): number {
    const n = this.docs.length;
    return Math.log(1 + (n + 0.5) / 0.5);
  }

  /**
   * For each label, its best document's score divided by the query's ceiling: the score of a
   * document of average length containing each query term once (the sum of their idf).
   */
  bestByLabel(terms: readonly string[]): Map<L, number> {
    const perDoc = new Map<number, number>();
    let ceiling = 0;
    for (const t of new Set(terms)) {
      const idf = this.idf.get(t);
      ceiling += idf ?? this.unseenIdf;
      if (idf === undefined) continue;
      for (const id of this.postings.get(t)!) {
        const d = this.docs[id]!;
        const tf = d.tf.get(t)!;
        const saturation = (tf * (this.k1 + 1)) / (tf + this.k1 * (1 - this.b + (this.b * d.length) / this.avgLength));
        perDoc.set(id, (perDoc.get(id) ?? 0) + idf * saturation);
      }
    }
    const best = new Map<L, number>();
    if (ceiling === 0) return best;
    for (const [id, s] of perDoc) {
      const label = this.docs[id]!.label;
      const v = s / ceiling;
      if (v > (best.get(label) ?? 0)) best.set(label, v);
    }
    return best;
  }
}
