import type { webhook } from '@line/bot-sdk';
import type { Store } from '../../bot/store.js';
import type { DocumentWrite } from '../../bot/types.js';

/** Event ids already taken in (LINE redelivers; the same event must not be answered twice). */
export const LINE_SEEN = 'line-seen';
/** Events stored but whose turn has not committed yet: what a restart picks up. */
export const LINE_INBOX = 'line-inbox';
/** Events whose turn kept failing: kept, with their text, for advisers to see and retry. */
export const LINE_PARKED = 'line-parked';

/** Seen event ids are kept this long: LINE redelivers within hours, not weeks. */
export const SEEN_KEPT_DAYS = 14;

export interface InboxRecord {
  event: webhook.Event;
  receivedAt: string;
  /** Written by versions before the outbox: the turn ran, only delivery was left. */
  handled?: boolean;
}

export interface ParkedRecord {
  event: webhook.Event;
  receivedAt: string;
  parkedAt: string;
  /** The org whose advisers see it. */
  org: string;
  userId?: string;
  /** What the user sent, as advisers read it (the text, or ［スタンプ］...). */
  text: string;
  attempts: number;
  error: string;
}

/**
 * The LINE channel's durable inbox. An event is written here, together with its seen mark,
 * before LINE gets its 200; it leaves only in the transaction that commits its turn (see
 * `leaveWith`), or when it is parked after its turn kept failing, so an event answered 200 is
 * never lost and never answered twice.
 */
export class LineInbox {
  constructor(
    private readonly store: Store,
    private readonly org: string,
    private readonly clock: () => Date,
  ) {}

  /**
   * Takes verified events in: a new event's seen mark and inbox record are written in one
   * transaction; an event seen before is left out. Returns the new ones, to be processed.
   */
  async take(events: webhook.Event[]): Promise<{ accepted: { id: string; record: InboxRecord }[]; duplicates: number }> {
    const seen = this.store.documents<{ at: string }>(LINE_SEEN);
    const at = this.clock().toISOString();
    const accepted: { id: string; record: InboxRecord }[] = [];
    let duplicates = 0;
    for (const event of events) {
      const id = event.webhookEventId;
      const record: InboxRecord = { event, receivedAt: at };
      if (await seen.insertNew(id, { at }, [{ collection: LINE_INBOX, id, doc: record }])) accepted.push({ id, record });
      else duplicates++;
    }
    return { accepted, duplicates };
  }

  /** Everything still in the inbox, in the order LINE says the events happened (each user's order kept). */
  async pending(): Promise<{ id: string; record: InboxRecord }[]> {
    const all = await this.store.documents<InboxRecord>(LINE_INBOX).list(100_000);
    return all
      .map(({ id, doc }) => ({ id, record: doc }))
      .sort((a, b) => a.record.event.timestamp - b.record.event.timestamp || (a.record.receivedAt < b.record.receivedAt ? -1 : 1));
  }

  /** The write that takes an event out of the inbox: goes into its turn's own transaction. */
  static leaveWith(id: string): DocumentWrite {
    return { collection: LINE_INBOX, id, doc: null };
  }

  /** An event that needed no turn (a group join, an unsend) is done. */
  done(id: string): Promise<void> {
    return this.store.documents(LINE_INBOX).delete(id);
  }

  /** Moves an event whose turn kept failing to the parked list, in one transaction. */
  park(id: string, record: InboxRecord, attempts: number, error: unknown, text: string): Promise<void> {
    const source = record.event.source as { userId?: string } | undefined;
    const parked: ParkedRecord = {
      event: record.event,
      receivedAt: record.receivedAt,
      parkedAt: this.clock().toISOString(),
      org: this.org,
      ...(source?.userId ? { userId: source.userId } : {}),
      text,
      attempts,
      error: error instanceof Error ? `${error.name}: ${error.message}`.slice(0, 300) : String(error).slice(0, 300),
    };
    return this.store.writeDocuments([LineInbox.leaveWith(id), { collection: LINE_PARKED, id, doc: parked }]);
  }

  /** The org's parked events, oldest first. */
  async parked(org: string): Promise<(ParkedRecord & { id: string })[]> {
    const all = await this.store.documents<ParkedRecord>(LINE_PARKED).list(10_000);
    return all.filter((p) => p.doc.org === org).map(({ id, doc }) => ({ id, ...doc }));
  }

  /** Back into the inbox (an adviser asked to try again); null when it is not parked (any more). */
  async unpark(id: string, org: string): Promise<InboxRecord | null> {
    const parked = await this.store.documents<ParkedRecord>(LINE_PARKED).get(id);
    if (!parked || parked.org !== org) return null;
    const record: InboxRecord = { event: parked.event, receivedAt: parked.receivedAt };
    await this.store.writeDocuments([{ collection: LINE_PARKED, id, doc: null }, { collection: LINE_INBOX, id, doc: record }]);
    return record;
  }

  /** An adviser has read a parked event and handled it another way: it is removed. */
  async dismiss(id: string, org: string): Promise<boolean> {
    const parked = await this.store.documents<ParkedRecord>(LINE_PARKED).get(id);
    if (!parked || parked.org !== org) return false;
    await this.store.documents(LINE_PARKED).delete(id);
    return true;
  }

  /** Forgets event ids older than SEEN_KEPT_DAYS, so the dedupe set does not grow forever. */
  pruneSeen(): Promise<number> {
    const before = new Date(this.clock().getTime() - SEEN_KEPT_DAYS * 86_400_000).toISOString();
    return this.store.documents(LINE_SEEN).prune(before);
  }
}
