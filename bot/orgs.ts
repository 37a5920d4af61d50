import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { hoursSchema, type BusinessHours } from './hours.js';

/**
 * An org runs a desk: a chamber of commerce or another body, with its own widget origins and
 * hours (advisers arrive with the console). Loaded from the JSON file named by ORGS_FILE.
 */
export interface Org {
  id: string;
  name: string;
  /** Origins (scheme://host[:port]) whose pages may embed the widget. "*" allows any. */
  allowedOrigins: string[];
  hours: BusinessHours | null;
}

const orgSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, '英小文字・数字・-・_ で 63 文字以内にしてください'),
    name: z.string().min(1),
    allowedOrigins: z
      .array(z.union([z.literal('*'), z.url({ protocol: /^https?$/ }).transform((u) => new URL(u).origin)]))
      .default([]),
    hours: hoursSchema.optional(),
  })
  .strict();

const orgsSchema = z
  .array(orgSchema)
  .min(1)
  .refine((list) => new Set(list.map((o) => o.id)).size === list.length, 'org の id が重複しています');

/** The org used when no ORGS_FILE is given: always open, embeddable from the desk's own pages. */
export const DEFAULT_ORG: Org = { id: 'default', name: 'セキュリティ相談窓口', allowedOrigins: [], hours: null };

export class OrgDirectory {
  private readonly byId: Map<string, Org>;
  constructor(readonly orgs: Org[]) {
    this.byId = new Map(orgs.map((o) => [o.id, o]));
  }
  get(id: string): Org | undefined {
    return this.byId.get(id);
  }
  /** The org a request falls back to when it names none: `default` if present, else the first. */
  get fallback(): Org {
    return this.byId.get('default') ?? this.orgs[0]!;
  }
}

/** Parses an orgs file; throws an Error naming the file and the bad field. */
export function parseOrgs(json: string, file: string): Org[] {
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch (e) {
    throw new Error(`${file}: JSON として読めません (${(e as Error).message})`);
  }
  const r = orgsSchema.safeParse(data);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    throw new Error(`${file}: ${issue.path.length ? issue.path.join('.') : '(全体)'}: ${issue.message}`);
  }
  return r.data.map((o) => ({ id: o.id, name: o.name, allowedOrigins: o.allowedOrigins, hours: o.hours ?? null }));
}

export function loadOrgs(file: string | undefined): OrgDirectory {
  if (!file) return new OrgDirectory([DEFAULT_ORG]);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new Error(`ORGS_FILE ${file} を読めません (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  return new OrgDirectory(parseOrgs(text, file));
}
