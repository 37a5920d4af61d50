/**
 * Multinomial logistic regression over sparse binary features (character n-grams), trained at
 * start-up from the knowledge files' own phrasings in well under a second. Where BM25 asks
 * "which phrasing looks most like the question", the model learns which n-grams tell topics
 * apart, so it generalises to wordings no example has.
 */
export interface Sample<L extends string> {
  terms: readonly string[];
  label: L;
}

export interface TrainOptions {
  epochs: number;
  learningRate: number;
  l2: number;
  /** For a reproducible order of samples. */
  seed: number;
}

export const DEFAULT_TRAINING: TrainOptions = { epochs: 20, learningRate: 0.5, l2: 1e-5, seed: 42 };

export class SoftmaxModel<L extends string> {
  private readonly vocabulary = new Map<string, number>();
  /** Feature-major: the weights of feature f for every label sit together at f × labels. */
  private weights = new Float32Array(0);
  private bias: Float32Array;

  constructor(readonly labels: readonly L[]) {
    this.bias = new Float32Array(labels.length);
  }

  /** The share of these terms seen in training (0 when there are none). */
  coverage(terms: readonly string[]): number {
    if (terms.length === 0) return 0;
    let known = 0;
    for (const t of terms) if (this.vocabulary.has(t)) known++;
    return known / terms.length;
  }

  train(samples: readonly Sample<L>[], options: TrainOptions = DEFAULT_TRAINING): void {
    for (const s of samples) for (const t of s.terms) if (!this.vocabulary.has(t)) this.vocabulary.set(t, this.vocabulary.size);
    const classes = this.labels.length;
    this.weights = new Float32Array(this.vocabulary.size * classes);
    this.bias = new Float32Array(classes);
    const index = new Map(this.labels.map((l, i) => [l, i]));
    const encoded = samples.map((s) => ({ features: this.encode(s.terms), label: index.get(s.label)! }));
    const order = encoded.map((_, i) => i);
    const random = mulberry32(options.seed);
    const probs = new Float64Array(this.labels.length);
    for (let epoch = 0; epoch < options.epochs; epoch++) {
      shuffle(order, random);
      const rate = options.learningRate / (1 + epoch * 0.1);
      for (const i of order) {
        const { features, label } = encoded[i]!;
        this.forward(features, probs);
        const value = 1 / Math.sqrt(features.length || 1);
        const w = this.weights;
        for (let c = 0; c < classes; c++) {
          const g = probs[c]! - (c === label ? 1 : 0);
          if (Math.abs(g) < 1e-4) continue;
          const step = rate * g * value;
          for (const f of features) {
            const at = f * classes + c;
            w[at] = w[at]! - step - rate * options.l2 * w[at]!;
          }
          this.bias[c] = this.bias[c]! - rate * g * 0.1;
        }
      }
    }
  }

  /** Probability of each label, in the order of `labels`. */
  predict(terms: readonly string[]): Float64Array {
    const probs = new Float64Array(this.labels.length);
    this.forward(this.encode(terms), probs);
    return probs;
  }

  private encode(terms: readonly string[]): number[] {
    const out = new Set<number>();
    for (const t of terms) {
      const f = this.vocabulary.get(t);
      if (f !== undefined) out.add(f);
    }
    return [...out];
  }

  private forward(features: readonly number[], out: Float64Array): void {
    const value = 1 / Math.sqrt(features.length || 1);
    const classes = this.labels.length;
    const w = this.weights;
    for (let c = 0; c < classes; c++) out[c] = this.bias[c]!;
    for (const f of features) {
      const base = f * classes;
      for (let c = 0; c < classes; c++) out[c]! += w[base + c]! * value;
    }
    let max = -Infinity;
    for (let c = 0; c < classes; c++) if (out[c]! > max) max = out[c]!;
    let sum = 0;
    for (let c = 0; c < out.length; c++) {
      out[c] = Math.exp(out[c]! - max);
      sum += out[c]!;
    }
    for (let c = 0; c < out.length; c++) out[c] = out[c]! / sum;
  }
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffle<T>(a: T[], random: () => number): void {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
}
