import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { isScalar, parseDocument, visit } from 'yaml';
import type { z } from 'zod';
import { projectRoot } from '../bot/project-root.js';
import {
  contactsFileSchema,
  diagnosisFileSchema,
  entrySchema,
  guidelineFileSchema,
  otasuketaiFileSchema,
  outOfScopeFileSchema,
  policeFileSchema,
  threatsFileSchema,
  urgencyFileSchema,
  type Contact,
  type DiagnosisData,
  type Guideline,
  type KnowledgeEntry,
  type OtasuketaiData,
  type PoliceDesk,
  type ThreatsYear,
  type UrgencyExample,
} from './schema.js';
import { PREFECTURES } from './prefectures.js';

export const KNOWLEDGE_DIR = join(projectRoot, 'knowledge');

/** A broken knowledge file. The message names the file and the field, in Japanese. */
export class KnowledgeError extends Error {
  constructor(
    readonly file: string,
    readonly field: string,
    readonly problem: string,
  ) {
    super(`${file}: ${field}: ${problem}`);
    this.name = 'KnowledgeError';
  }
}

export interface KnowledgeData {
  entries: KnowledgeEntry[];
  contacts: Map<string, Contact>;
  /** Newest year first. */
  threats: ThreatsYear[];
  guideline: Guideline;
  /** Questions the desk does not handle, to learn what to decline. */
  outOfScope: string[];
  /** The 25-item self-diagnosis. */
  diagnosis: DiagnosisData;
  /** The prefectural police cyber crime desks, in prefecture order (only what is sourced). */
  police: PoliceDesk[];
  /** Registered お助け隊 services (may be empty) and IPA's list. */
  otasuketai: OtasuketaiData;
  /** Messages labelled urgent or not, for the urgency model. */
  urgency: { urgent: UrgencyExample[]; notUrgent: UrgencyExample[] };
}

/** IPA's service list, when the data file is missing. */
export const OTASUKETAI_LIST_URL = 'https://www.ipa.go.jp/security/sme/otasuketai-about.html';

/** Reads and validates every knowledge file; throws KnowledgeError on the first problem. */
export function loadKnowledge(dir: string = KNOWLEDGE_DIR): KnowledgeData {
  const contactsFile = join(dir, 'reference', 'contacts.yaml');
  const contactList = readValidated(contactsFile, contactsFileSchema, dir).contacts;
  const contacts = new Map<string, Contact>();
  contactList.forEach((c, i) => {
    if (contacts.has(c.id)) throw new KnowledgeError(rel(contactsFile, dir), `contacts.${i}.id`, `id "${c.id}" が重複しています`);
    contacts.set(c.id, c);
  });

  const entriesDir = join(dir, 'entries');
  const files = readdirSync(entriesDir)
    .filter((f) => f.endsWith('.yaml'))
    .sort();
  const entries = files.map((f) => {
    const file = join(entriesDir, f);
    const entry = readValidated(file, entrySchema, dir);
    if (entry.id !== basename(f, '.yaml')) {
      throw new KnowledgeError(rel(file, dir), 'id', `ファイル名 (${basename(f, '.yaml')}) と id (${entry.id}) が違います`);
    }
    entry.contacts.forEach((c, i) => {
      if (!contacts.has(c)) throw new KnowledgeError(rel(file, dir), `contacts.${i}`, `相談先 "${c}" は reference/contacts.yaml にありません`);
    });
    const aid = entry.firstAid;
    [aid?.contact, ...(aid?.variants ?? []).map((v) => v.contact)].forEach((c, i) => {
      if (c && !contacts.has(c)) throw new KnowledgeError(rel(file, dir), i === 0 ? 'firstAid.contact' : `firstAid.variants.${i - 1}.contact`, `相談先 "${c}" は reference/contacts.yaml にありません`);
    });
    return entry;
  });

  const threats = readValidated(join(dir, 'reference', 'threats.yaml'), threatsFileSchema, dir).years.sort((a, b) => b.year - a.year);
  const guideline = readValidated(join(dir, 'reference', 'guideline.yaml'), guidelineFileSchema, dir);
  const outOfScopeFile = join(dir, 'reference', 'out-of-scope.yaml');
  const outOfScope = existsSync(outOfScopeFile) ? readValidated(outOfScopeFile, outOfScopeFileSchema, dir).examples : [];
  const diagnosis = loadDiagnosis(join(dir, 'reference', 'self-diagnosis.yaml'), dir, entries);
  const police = loadPolice(join(dir, 'reference', 'police.yaml'), dir);
  const otasuketaiFile = join(dir, 'reference', 'otasuketai-services.yaml');
  const otasuketai = existsSync(otasuketaiFile) ? readValidated(otasuketaiFile, otasuketaiFileSchema, dir) : { listUrl: OTASUKETAI_LIST_URL, services: [] };
  const urgency = loadUrgency(join(dir, 'reference', 'urgency-examples.yaml'), dir, entries);
  return { entries, contacts, threats, guideline, outOfScope, diagnosis, police, otasuketai, urgency };
}

/** The police desks, one per prefecture in order; without the file, names only. */
function loadPolice(file: string, dir: string): PoliceDesk[] {
  if (!existsSync(file)) return PREFECTURES.map((prefecture) => ({ prefecture }));
  const name = rel(file, dir);
  const list = readValidated(file, policeFileSchema, dir).prefectures;
  list.forEach((p, i) => {
    if (p.prefecture !== PREFECTURES[i]) throw new KnowledgeError(name, `prefectures.${i}.prefecture`, `${PREFECTURES[i]} のはずが ${p.prefecture} です（都道府県の順に並べてください）`);
  });
  return list;
}

/** Urgency examples, each naming a topic that exists. */
function loadUrgency(file: string, dir: string, entries: KnowledgeEntry[]): KnowledgeData['urgency'] {
  if (!existsSync(file)) return { urgent: [], notUrgent: [] };
  const name = rel(file, dir);
  const data = readValidated(file, urgencyFileSchema, dir);
  const ids = new Set(entries.map((e) => e.id));
  for (const key of ['urgent', 'notUrgent'] as const) {
    data[key].forEach((x, i) => {
      if (!ids.has(x.topic)) throw new KnowledgeError(name, `${key}.${i}.topic`, `エントリ "${x.topic}" がありません`);
    });
  }
  return data;
}

/**
 * The diagnosis file, with the checks zod cannot express: items numbered 1..n in order, parts
 * and score bands covering every item and every possible total, and each item pointing at an
 * entry that lists it (so the plan's "how to" link explains that very item).
 */
function loadDiagnosis(file: string, dir: string, entries: KnowledgeEntry[]): DiagnosisData {
  const name = rel(file, dir);
  const d = readValidated(file, diagnosisFileSchema, dir);
  d.items.forEach((item, i) => {
    if (item.no !== i + 1) throw new KnowledgeError(name, `items.${i}.no`, `${i + 1} のはずが ${item.no} です（1 から順に並べてください）`);
    const entry = entries.find((e) => e.id === item.topic);
    if (!entry) throw new KnowledgeError(name, `items.${i}.topic`, `エントリ "${item.topic}" がありません`);
    if (!entry.diagnosisItems.includes(item.no)) {
      throw new KnowledgeError(name, `items.${i}.topic`, `エントリ "${item.topic}" の diagnosisItems に ${item.no} がありません`);
    }
    if (!d.parts.some((p) => p.from <= item.no && item.no <= p.to)) throw new KnowledgeError(name, `items.${i}`, `No.${item.no} がどのパートにも入っていません`);
  });
  const points = d.answers.map((a) => a.points);
  const lowest = Math.min(...points) * d.items.length;
  const highest = Math.max(...points) * d.items.length;
  for (let total = lowest; total <= highest; total++) {
    const n = d.bands.filter((b) => b.min <= total && total <= b.max).length;
    if (n !== 1) throw new KnowledgeError(name, 'bands', `${total}点の入る点数帯が ${n} 個あります（ちょうど1個にしてください）`);
  }
  return d;
}

function readValidated<S extends z.ZodType>(file: string, schema: S, dir: string): z.infer<S> {
  const name = rel(file, dir);
  const source = readFileSync(file, 'utf8');
  const doc = parseDocument(source);
  if (doc.errors.length) {
    throw new KnowledgeError(name, '(ファイル全体)', `YAML として読めません: ${doc.errors[0]!.message.split('\n')[0]}`);
  }
  // In YAML, " #" starts a comment even in the middle of a sentence ("#9110"), silently cutting
  // the text short. A comment after a value is therefore refused; comment lines are fine.
  visit(doc, {
    Node(_key, node) {
      if (isScalar(node) && node.comment && node.range) {
        const line = source.slice(0, node.range[0]).split('\n').length;
        throw new KnowledgeError(
          name,
          `${line}行目`,
          `「 #」から後ろがコメントとして読み飛ばされています（"${String(node.value)}" の後ろ）。「#」を含む文は全体を "…" で囲んでください`,
        );
      }
    },
  });
  const data: unknown = doc.toJS();
  const r = schema.safeParse(data);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    throw new KnowledgeError(name, issue.path.length ? issue.path.join('.') : '(全体)', issue.message);
  }
  return r.data;
}

function rel(file: string, dir: string): string {
  return join('knowledge', relative(dir, file));
}
