import { randomUUID } from 'node:crypto';
import type { Store } from '../../bot/store.js';

export const AUDIT = 'audit';

export type AuditAction =
  | 'login'
  | 'logout'
  | 'view'
  | 'claim'
  | 'send'
  | 'resend'
  | 'note'
  | 'transfer'
  | 'return'
  | 'close'
  | 'login-failed'
  | 'line-retry'
  | 'line-dismiss'
  | 'referral';

export interface AuditEntry {
  id: string;
  at: string;
  org: string;
  adviserId?: string;
  adviserName?: string;
  action: AuditAction;
  caseId?: string;
  detail?: string;
}

/** Who viewed, claimed, sent, transferred and closed what: append-only, per org. */
export class AuditLog {
  constructor(
    private readonly store: Store,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async record(entry: Omit<AuditEntry, 'id' | 'at'>): Promise<void> {
    const at = this.clock().toISOString();
    const id = `${at}-${randomUUID()}`;
    await this.store.documents<AuditEntry>(AUDIT).put(id, { id, at, ...entry });
  }

  /** The org's entries, newest first. */
  async list(org: string, limit = 200): Promise<AuditEntry[]> {
    const all = await this.store.documents<AuditEntry>(AUDIT).find({ org }, 100_000);
    return all.sort((a, b) => (a.id < b.id ? 1 : -1)).slice(0, limit);
  }
}
