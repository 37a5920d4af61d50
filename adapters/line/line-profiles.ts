import type { Logger } from '../../bot/logger.js';
import type { Store } from '../../bot/store.js';
import type { LineApi } from './line-api.js';

/** LINE display names, per user id, for advisers. */
export const LINE_PROFILES = 'line-profiles';

export interface ProfileRecord {
  /** Absent when LINE would not tell (the user blocked the account). */
  displayName?: string;
  fetchedAt: string;
}

/** A display name is read again after this long (people rename themselves). */
const REFRESH_AFTER_MS = 7 * 86_400_000;

/**
 * The LINE display name of each user, read through the profile API once a week at most and
 * kept, so advisers see who they are talking to. A user who blocked the account has no
 * profile to read: that is recorded, not retried on every message.
 */
export class LineProfiles {
  private readonly inflight = new Map<string, Promise<void>>();

  constructor(
    private readonly api: LineApi,
    private readonly store: Store,
    private readonly log: Logger,
    private readonly clock: () => Date,
  ) {}

  /** Reads the name again when it is unknown or old; never throws (a name is a courtesy). */
  refresh(userId: string): Promise<void> {
    let p = this.inflight.get(userId);
    if (!p) {
      p = this.read(userId).finally(() => this.inflight.delete(userId));
      this.inflight.set(userId, p);
    }
    return p;
  }

  async nameOf(userId: string): Promise<string | undefined> {
    return (await this.store.documents<ProfileRecord>(LINE_PROFILES).get(userId))?.displayName;
  }

  private async read(userId: string): Promise<void> {
    try {
      const profiles = this.store.documents<ProfileRecord>(LINE_PROFILES);
      const known = await profiles.get(userId);
      const now = this.clock();
      if (known && now.getTime() - Date.parse(known.fetchedAt) < REFRESH_AFTER_MS) return;
      const displayName = await this.api.displayName(userId);
      // A name once known is kept when LINE stops telling it (the user blocked the account).
      const name = displayName ?? known?.displayName;
      await profiles.put(userId, { ...(name ? { displayName: name } : {}), fetchedAt: now.toISOString() });
    } catch (e) {
      this.log.debug({ err: e }, 'LINE: display name not read');
    }
  }
}
