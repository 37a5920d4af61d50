import { z } from 'zod';

// Validation messages are read by the people who edit the files: in Japanese.
z.config(z.locales.ja());

/**
 * The shape of the knowledge files. They are YAML so that a non-programmer can edit them; zod
 * checks them at start-up and `npm run knowledge:check` checks them without starting anything.
 */

/**
 * YAML folds a wrapped paragraph (`>-`) with spaces, which Japanese does not use: a space
 * between two Japanese characters is removed, so authors can wrap long lines freely.
 */
export function unfoldJapanese(s: string): string {
  return s.replace(/([^\x00-\x7f]) (?=[^\x00-\x7f])/g, '$1').replace(/([。、」）]) /g, '$1');
}

/** A non-empty line of text. A bare number in YAML (say `9110`) is taken as text, as its author meant. */
const text = z.preprocess(
  (v) => (typeof v === 'number' ? String(v) : v),
  z.string().trim().min(1, '空です').transform(unfoldJapanese),
);

export const sourceSchema = z
  .object({
    title: text,
    publisher: text,
    /** Omitted when the document does not say (a draft, an undated page). */
    year: z.number().int().min(2000).max(2100).optional(),
    url: z.url({ protocol: /^https?$/ }).optional(),
  })
  .strict();

export const linkSchema = z.object({ label: text, url: z.url({ protocol: /^https?$/ }) }).strict();

export const entrySchema = z
  .object({
    /** The topic id from ../shared/eval/topics.json; also the file name. */
    id: z.string().regex(/^[a-z0-9_-]+$/),
    title: text,
    kind: z.enum(['incident', 'prevention', 'service', 'action']),
    /** One line, shown first. */
    summary: z.string().trim().min(1, '空です').max(200, '要約は 200 文字以内にしてください'),
    /** Incidents: what to do now, most important first. Prevention: steps for this week. */
    steps: z.array(text).min(1),
    /** Incidents: what not to do. */
    donts: z.array(text).default([]),
    /** Incidents: signs that it is serious. */
    serious: z.array(text).default([]),
    /** Contact ids from reference/contacts.yaml, most relevant first. */
    contacts: z.array(z.string()).default([]),
    /** Related 自社診断 item numbers (1-25). */
    diagnosisItems: z.array(z.number().int().min(1).max(25)).default([]),
    /** Related 5か条 rule numbers (1-5). */
    fiveRules: z.array(z.number().int().min(1).max(5)).default([]),
    /** Optional further explanation for 詳しく. */
    detail: text.optional(),
    /** Official pages to open. */
    links: z.array(linkSchema).default([]),
    /** How people ask about this topic, in our own words (never copied from the eval set). */
    examples: z.array(text).min(3, '言い回しの例を 3 つ以上書いてください'),
    /** Words that point to this topic (synonyms, product names, common misspellings). */
    keywords: z.array(text).default([]),
    /**
     * Urgent incidents only: words showing it is happening now (「暗号化され」「送金した」). An
     * item may join words with + ("拡張子+変わ"): all must appear. A message on this topic that
     * matches an item is answered as an emergency.
     */
    urgentWhen: z.array(text).default([]),
    sources: z.array(sourceSchema).default([]),
    /** When a person last checked the entry against its sources. */
    reviewed: z.iso.date(),
  })
  .strict()
  // Every answer shown to users cites a source; an action entry (a request to start a flow or
  // talk to a person) only routes and needs none.
  .refine((e) => e.kind === 'action' || e.sources.length > 0, { path: ['sources'], message: '出典を 1 つ以上書いてください' });

export type KnowledgeEntry = z.infer<typeof entrySchema>;
export type Source = z.infer<typeof sourceSchema>;

export const contactSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9_-]+$/),
    name: text,
    /** Other names people use for it (IPA, 警察, 188...), for "IPA の電話番号は？". */
    aliases: z.array(text).default([]),
    /** What to contact it for, one line. */
    for: text,
    phone: text.optional(),
    email: z.email().optional(),
    url: z.url({ protocol: /^https?$/ }).optional(),
    hours: text.optional(),
    note: text.optional(),
    sources: z.array(sourceSchema).min(1),
  })
  .strict();

export const contactsFileSchema = z.object({ reviewed: z.iso.date(), contacts: z.array(contactSchema).min(1) }).strict();

export type Contact = z.infer<typeof contactSchema>;

const threatListSchema = z.array(text).length(10, '10 件ちょうど書いてください');

export const threatsFileSchema = z
  .object({
    reviewed: z.iso.date(),
    years: z
      .array(
        z
          .object({
            year: z.number().int().min(2006).max(2100),
            published: z.iso.date().nullable(),
            /** Ranked, first place first. */
            organization: threatListSchema,
            individual: z.object({ ranked: z.boolean(), threats: threatListSchema }).strict(),
            notes: z.array(text).default([]),
            sources: z.array(sourceSchema).min(1),
          })
          .strict(),
      )
      .min(1),
  })
  .strict();

export type ThreatsYear = z.infer<typeof threatsFileSchema>['years'][number];

export const guidelineFileSchema = z
  .object({
    reviewed: z.iso.date(),
    title: text,
    edition: text,
    url: z.url({ protocol: /^https?$/ }),
    principles: z.array(text).length(3),
    actions: z.array(text).length(7),
    sources: z.array(sourceSchema).min(1),
  })
  .strict();

export type Guideline = z.infer<typeof guidelineFileSchema>;

export const outOfScopeFileSchema = z.object({ examples: z.array(text).min(10) }).strict();

/** The self-diagnosis (自社診断): items, answers with their points, parts and score bands. */
export const diagnosisFileSchema = z
  .object({
    reviewed: z.iso.date(),
    title: text,
    url: z.url({ protocol: /^https?$/ }),
    answers: z
      .array(z.object({ id: z.enum(['done', 'partly', 'not', 'unknown']), label: text, points: z.number().int() }).strict())
      .length(4),
    parts: z.array(z.object({ id: z.string().regex(/^[a-z]+$/), title: text, from: z.number().int(), to: z.number().int() }).strict()).min(1),
    bands: z
      .array(z.object({ min: z.number().int(), max: z.number().int(), label: text, advice: text }).strict())
      .min(1),
    items: z
      .array(
        z
          .object({
            no: z.number().int().min(1),
            /** The official wording: never edited. */
            question: text,
            /** One line on what it means in a small office. */
            plain: text,
            /** The first thing to do when it is not in place (for the action plan). */
            action: text,
            /** The knowledge entry that explains how. */
            topic: z.string(),
            /** Among items with the same points, higher comes first in the plan. */
            priority: z.number().int().min(1).max(3),
            /** This item's own ways of saying yes and no (「バックアップ取ってる」). */
            yesWords: z.array(text).default([]),
            noWords: z.array(text).default([]),
          })
          .strict(),
      )
      .min(1),
    sources: z.array(sourceSchema).min(1),
  })
  .strict();

export type DiagnosisData = z.infer<typeof diagnosisFileSchema>;
export type DiagnosisItem = DiagnosisData['items'][number];
export type AnswerId = DiagnosisData['answers'][number]['id'];
