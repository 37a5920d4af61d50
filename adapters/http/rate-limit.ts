/**
 * Token buckets in memory, one per key (a session id, an IP address). A bucket holds up to
 * `burst` tokens and refills at `perMinute`; each request takes one. Memory stays bounded:
 * full buckets carry no information and are swept once the map grows.
 */
export interface RateLimitOptions {
  perMinute: number;
  burst: number;
  /** For tests. */
  now?: () => number;
}

export interface Verdict {
  allowed: boolean;
  /** Seconds until a token is available again (for Retry-After); 0 when allowed. */
  retryAfter: number;
}

const SWEEP_AT = 10_000;

export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly ratePerMs: number;
  private readonly now: () => number;

  constructor(private readonly options: RateLimitOptions) {
    this.ratePerMs = options.perMinute / 60_000;
    this.now = options.now ?? Date.now;
  }

  take(key: string): Verdict {
    const now = this.now();
    const b = this.buckets.get(key) ?? { tokens: this.options.burst, at: now };
    b.tokens = Math.min(this.options.burst, b.tokens + (now - b.at) * this.ratePerMs);
    b.at = now;
    if (b.tokens < 1) {
      this.buckets.set(key, b);
      return { allowed: false, retryAfter: Math.max(1, Math.ceil((1 - b.tokens) / this.ratePerMs / 1000)) };
    }
    b.tokens -= 1;
    this.buckets.set(key, b);
    if (this.buckets.size > SWEEP_AT) this.sweep(now);
    return { allowed: true, retryAfter: 0 };
  }

  private sweep(now: number): void {
    for (const [key, b] of this.buckets) {
      if (b.tokens + (now - b.at) * this.ratePerMs >= this.options.burst) this.buckets.delete(key);
    }
  }
}
