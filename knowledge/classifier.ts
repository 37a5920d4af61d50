import Fuse from 'fuse.js';
import { Bm25 } from './bm25.js';
import { grams } from './features.js';
import { compact } from './normalize.js';
import type { KnowledgeEntry } from './schema.js';
import { SoftmaxModel, type Sample } from './softmax.js';

/** The topic id for questions the desk does not handle. */
export const OUT_OF_SCOPE = 'out_of_scope';

export interface TopicScore {
  id: string;
  /** 0..1, comparable across questions. */
  score: number;
}

export interface ClassifierWeights {
  model: number;
  bm25: number;
  keyword: number;
  /**
   * Multiplies the out-of-scope score. Everyday words are shared by security questions told in
   * a non-expert's words and by unrelated questions; the desk would rather ask than refuse.
   */
  outOfScope: number;
}

export const DEFAULT_WEIGHTS: ClassifierWeights = { model: 0.5, bm25: 0.3, keyword: 0.2, outOfScope: 0.6 };

interface Keyword {
  id: string;
  /** Search form (compact). */
  key: string;
  weight: number;
}

/** Inputs this short (in characters of search form) are also matched fuzzily, for typos. */
const FUZZY_MAX_LENGTH = 12;
/**
 * Below this share of known n-grams a question is mostly words the desk has never seen
 * (「りんご」 shares only リン with リンク): its topic scores are scaled down in proportion, so
 * one shared fragment cannot make a confident answer.
 */
const FULL_COVERAGE = 0.6;

/**
 * Ranks topics for a question. Three signals, each learnt from the knowledge files only:
 * - a softmax model over character n-grams, trained on every entry's title, keywords and
 *   example phrasings (and the out-of-scope examples), which learns what tells topics apart;
 * - BM25 against each phrasing, which rewards a question close to one way of asking;
 * - keywords found whole in the question (or, for short inputs, nearly whole: fuse.js).
 */
export class Classifier {
  private readonly ids: string[];
  private readonly model: SoftmaxModel<string>;
  private readonly bm25 = new Bm25();
  private readonly keywords: Keyword[] = [];
  /** Keywords by their first two characters, so a question is scanned once, not once per keyword. */
  private readonly keywordsByStart = new Map<string, Keyword[]>();
  private readonly fuse: Fuse<Keyword>;

  /**
   * `more`: further phrasings labelled with their topic (the urgency examples, which are
   * written as people report incidents), learnt like the entries' own examples.
   */
  constructor(
    entries: readonly KnowledgeEntry[],
    outOfScope: readonly string[],
    private readonly weights: ClassifierWeights = DEFAULT_WEIGHTS,
    more: readonly { text: string; topic: string }[] = [],
    /** Further features of a text beside its n-grams (measured: a tokenizer's words; see docs/benchmarks.md). */
    private readonly extraTerms: (text: string) => string[] = () => [],
  ) {
    this.ids = [...entries.map((e) => e.id), OUT_OF_SCOPE];
    const samples: Sample<string>[] = [];
    const add = (id: string, text: string) => {
      const terms = this.terms(text);
      if (terms.length === 0) return;
      samples.push({ terms, label: id });
      this.bm25.add(id, terms);
    };
    for (const e of entries) {
      for (const text of [e.title, ...e.examples, ...e.keywords]) add(e.id, text);
    }
    for (const text of outOfScope) add(OUT_OF_SCOPE, text);
    for (const m of more) if (this.ids.includes(m.topic)) add(m.topic, m.text);
    this.bm25.finish();
    this.model = new SoftmaxModel(this.ids);
    this.model.train(samples);

    // A keyword counts for more when it is long and belongs to few topics.
    const owners = new Map<string, Set<string>>();
    for (const e of entries) for (const k of e.keywords.map(compact)) if (k.length >= 2) (owners.get(k) ?? owners.set(k, new Set()).get(k)!).add(e.id);
    for (const [key, ids] of owners) {
      const weight = Math.min(1, 0.4 + 0.1 * key.length) / ids.size;
      for (const id of ids) {
        const k = { id, key, weight };
        this.keywords.push(k);
        const start = key.slice(0, 2);
        (this.keywordsByStart.get(start) ?? this.keywordsByStart.set(start, []).get(start)!).push(k);
      }
    }
    // Near matches only for keywords of three characters or more: two-character ones would
    // match almost anything with one edit.
    this.fuse = new Fuse(
      this.keywords.filter((k) => k.key.length >= 3),
      { keys: ['key'], includeScore: true, ignoreLocation: true, threshold: 0.34, minMatchCharLength: 2 },
    );
  }

  /** Topic scores, best first; every topic (and out_of_scope) is listed. */
  private terms(text: string): string[] {
    return [...grams(text), ...this.extraTerms(text)];
  }

  rank(text: string): TopicScore[] {
    const terms = this.terms(text);
    const probs = this.model.predict(terms);
    const bm = this.bm25.bestByLabel(terms);
    const kw = this.keywordScores(compact(text));
    const w = this.weights;
    const total = w.model + w.bm25 + w.keyword;
    const known = Math.min(1, this.model.coverage(terms) / FULL_COVERAGE);
    const out = this.ids.map((id, i) => {
      const score = (w.model * probs[i]! + w.bm25 * Math.min(1, bm.get(id) ?? 0) + w.keyword * (kw.get(id) ?? 0)) / total;
      return { id, score: id === OUT_OF_SCOPE ? score * w.outOfScope : score * known };
    });
    return out.sort((a, b) => b.score - a.score);
  }

  private keywordScores(q: string): Map<string, number> {
    const scores = new Map<string, number>();
    const bump = (id: string, v: number) => scores.set(id, Math.min(1, (scores.get(id) ?? 0) + v));
    const found = new Set<Keyword>();
    for (let i = 0; i + 2 <= q.length; i++) {
      for (const k of this.keywordsByStart.get(q.slice(i, i + 2)) ?? []) if (!found.has(k) && q.startsWith(k.key, i)) found.add(k);
    }
    for (const k of found) bump(k.id, k.weight);
    if (q.length > 0 && q.length <= FUZZY_MAX_LENGTH && scores.size === 0) {
      for (const r of this.fuse.search(q, { limit: 3 })) bump(r.item.id, r.item.weight * (1 - (r.score ?? 1)));
    }
    return scores;
  }
}
