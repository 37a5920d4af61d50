import { randomUUID } from 'node:crypto';
import type { Store } from '../../bot/store.js';
import { hashPassword } from './passwords.js';

export const ADVISERS = 'advisers';

export type Role = 'adviser' | 'admin';

/** A person who answers users in the console, in one org. */
export interface Adviser {
  id: string;
  org: string;
  /** Lower-cased; unique across the desk (it is the login). */
  email: string;
  name: string;
  role: Role;
  passwordHash: string;
  createdAt: string;
  /** Failed logins in a row, and until when the account is locked after too many. */
  failedLogins: number;
  lockedUntil?: string;
}

/** What the console shows of an adviser (never the hash). */
export interface AdviserView {
  id: string;
  org: string;
  email: string;
  name: string;
  role: Role;
}

export const view = (a: Adviser): AdviserView => ({ id: a.id, org: a.org, email: a.email, name: a.name, role: a.role });

export class AdviserExistsError extends Error {}

export class Advisers {
  constructor(private readonly store: Store) {}

  private get docs() {
    return this.store.documents<Adviser>(ADVISERS);
  }

  get(id: string): Promise<Adviser | null> {
    return this.docs.get(id);
  }

  async byEmail(email: string): Promise<Adviser | undefined> {
    return (await this.docs.find({ email: email.trim().toLowerCase() }, 1))[0];
  }

  listOrg(org: string): Promise<Adviser[]> {
    return this.docs.find({ org });
  }

  async any(): Promise<boolean> {
    return (await this.docs.list(1)).length > 0;
  }

  async add(input: { org: string; email: string; name: string; role: Role; password: string }): Promise<Adviser> {
    const email = input.email.trim().toLowerCase();
    if (await this.byEmail(email)) throw new AdviserExistsError(`${email} はすでに登録されています。`);
    const adviser: Adviser = {
      id: randomUUID(),
      org: input.org,
      email,
      name: input.name.trim(),
      role: input.role,
      passwordHash: await hashPassword(input.password),
      createdAt: new Date().toISOString(),
      failedLogins: 0,
    };
    await this.docs.put(adviser.id, adviser);
    return adviser;
  }

  save(a: Adviser): Promise<void> {
    return this.docs.put(a.id, a);
  }
}
