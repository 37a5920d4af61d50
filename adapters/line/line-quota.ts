import type { Logger } from '../../bot/logger.js';
import type { Store } from '../../bot/store.js';
import type { LineApi } from './line-api.js';

/** Channel-wide state the console shows: when LINE last refused a push for the monthly quota. */
export const LINE_STATUS = 'line-status';

export interface QuotaStatus {
  exhaustedAt: string;
  requestId?: string;
}

/** What the console shows about the month's push messages. */
export interface QuotaView {
  /** `ok`, `low` (warn advisers), `exhausted` (pushes refused), `unknown` (LINE did not answer). */
  state: 'ok' | 'low' | 'exhausted' | 'unknown';
  /** `limited` (a monthly cap) or `none` (no cap); absent when unknown. */
  plan?: 'limited' | 'none';
  limit?: number;
  used?: number;
  remaining?: number;
  checkedAt: string;
  /** The last time LINE refused a push for the quota, this month. */
  exhaustedAt?: string;
}

/** Re-read from LINE at most this often: the console asks on every page load. */
export const QUOTA_CACHE_MS = 5 * 60_000;

/** "Low" means advisers should know before sending: under a tenth of the plan, and at least this few. */
const LOW_AT_MOST = 20;

/**
 * The account's monthly push quota, read from LINE (`getMessageQuota`, `getMessageQuotaConsumption`)
 * and cached a few minutes, combined with the last refusal the desk met. Replies are free, so
 * this only concerns what the desk sends on its own: adviser messages, the claim notice.
 */
export class LineQuota {
  private cached?: { at: number; view: QuotaView };

  constructor(
    private readonly api: LineApi,
    private readonly store: Store,
    private readonly log: Logger,
    private readonly clock: () => Date,
  ) {}

  async view(): Promise<QuotaView> {
    const now = this.clock();
    if (this.cached && now.getTime() - this.cached.at < QUOTA_CACHE_MS) return this.cached.view;
    const refused = await this.refusedThisMonth(now);
    let view: QuotaView;
    try {
      const q = await this.api.quota();
      const remaining = q.type === 'limited' && q.limit !== undefined ? Math.max(0, q.limit - q.used) : undefined;
      // LINE's consumption figure can lag behind a refusal it has just made: a refusal in the
      // last few minutes wins.
      const recentRefusal = refused !== undefined && now.getTime() - Date.parse(refused) < QUOTA_CACHE_MS;
      const state =
        remaining === 0 || recentRefusal ? 'exhausted' : remaining !== undefined && remaining <= Math.max(LOW_AT_MOST, q.limit! / 10) ? 'low' : 'ok';
      view = {
        state,
        plan: q.type,
        ...(q.limit !== undefined ? { limit: q.limit } : {}),
        used: q.used,
        ...(remaining !== undefined ? { remaining } : {}),
        checkedAt: now.toISOString(),
        ...(refused ? { exhaustedAt: refused } : {}),
      };
    } catch (e) {
      this.log.warn({ err: e }, 'LINE: could not read the message quota');
      view = { state: refused ? 'exhausted' : 'unknown', checkedAt: now.toISOString(), ...(refused ? { exhaustedAt: refused } : {}) };
    }
    this.cached = { at: now.getTime(), view };
    return view;
  }

  /** LINE refused a push for the quota: remember it for the console and read the figures again next time. */
  async refused(requestId: string | undefined): Promise<void> {
    this.cached = undefined;
    await this.store.documents<QuotaStatus>(LINE_STATUS).put('quota', { exhaustedAt: this.clock().toISOString(), ...(requestId ? { requestId } : {}) });
  }

  /** The last refusal, if it was in this month (Japan time: LINE's plans run by calendar month in JST). */
  private async refusedThisMonth(now: Date): Promise<string | undefined> {
    const status = await this.store.documents<QuotaStatus>(LINE_STATUS).get('quota');
    if (!status) return undefined;
    return jstMonth(new Date(status.exhaustedAt)) === jstMonth(now) ? status.exhaustedAt : undefined;
  }
}

function jstMonth(d: Date): string {
  return new Date(d.getTime() + 9 * 3_600_000).toISOString().slice(0, 7);
}
