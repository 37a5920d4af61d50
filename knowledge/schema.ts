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

/** What a sub-question asks for (「月いくら？」 → price, 「いつまで？」 → deadline or date). */
export const FACT_KINDS = ['price', 'deadline', 'date', 'target', 'apply'] as const;
export type FactKind = (typeof FACT_KINDS)[number];

export const factSchema = z
  .object({
    about: z.enum(FACT_KINDS),
    text: text.pipe(z.string().max(150, '150 文字以内にしてください')),
    /** The URL of the entry source this fact comes from (one of `sources`). */
    source: z.url({ protocol: /^https?$/ }).optional(),
  })
  .strict();

export type Fact = z.infer<typeof factSchema>;

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
     * Incidents: the answer when it is happening now, fitting one glance (the first message is
     * at most 300 characters): what this looks like in one line, the three most important
     * actions, and the one contact that fits now. A variant replaces them when the message
     * contains one of its words (money paid by e-money → the issuer; a card number → the card company).
     */
    firstAid: z
      .object({
        looksLike: text,
        actions: z.array(text).length(3, '3 つ書いてください'),
        contact: z.string().optional(),
        variants: z
          .array(
            z
              .object({ when: z.array(text).min(1), looksLike: text, actions: z.array(text).length(3, '3 つ書いてください'), contact: z.string().optional() })
              .strict(),
          )
          .default([]),
      })
      .strict()
      .optional(),
    /**
     * The first message of an answer, read in one glance (at most 300 characters with the
     * title): what this is in one sentence, then the first one to three things to do. The
     * summary, every step and the details come behind buttons.
     */
    brief: z
      .object({
        lead: text.pipe(z.string().max(110, '110 文字以内にしてください')),
        first: z.array(text.pipe(z.string().max(70, '70 文字以内にしてください'))).min(1).max(3, '3 つまでにしてください'),
      })
      .strict()
      .optional(),
    /**
     * Short facts for the sub-questions people ask (料金・期限・日付・対象・申し込み方): a
     * question about one of them gets that fact first. Phone numbers come from `contacts`.
     */
    facts: z.array(factSchema).default([]),
    sources: z.array(sourceSchema).default([]),
    /** When a person last checked the entry against its sources. */
    reviewed: z.iso.date(),
  })
  .strict()
  // Every answer shown to users cites a source; an action entry (a request to start a flow or
  // talk to a person) only routes and needs none.
  .refine((e) => e.kind === 'action' || e.sources.length > 0, { path: ['sources'], message: '出典を 1 つ以上書いてください' })
  .refine((e) => e.facts.every((f) => !f.source || e.sources.some((s) => s.url === f.source)), {
    path: ['facts'],
    message: 'facts の source は sources に書いた URL のどれかにしてください',
  });

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

const httpUrl = z.url({ protocol: /^https?$/ });

/**
 * The 47 prefectural police forces' cyber crime consultation desks (reference/police.yaml).
 * Only what a source shows is written; a prefecture with nothing sourced lists just its name,
 * and the desk then points to #9110 and the national online form.
 */
export const policeFileSchema = z
  .object({
    prefectures: z
      .array(
        z
          .object({
            prefecture: text,
            name: text.optional(),
            phone: text.optional(),
            hours: text.optional(),
            url: httpUrl.optional(),
            source: httpUrl.optional(),
            asOf: z.iso.date().optional(),
          })
          .strict()
          .refine((p) => !(p.name || p.phone || p.hours || p.url) || p.source, { path: ['source'], message: '出典 (source) を書いてください' }),
      )
      .length(47, '47 都道府県ちょうど書いてください'),
  })
  .strict();

export type PoliceDesk = z.infer<typeof policeFileSchema>['prefectures'][number];

/**
 * Registered サイバーセキュリティお助け隊 services (reference/otasuketai-services.yaml), edited by
 * the desk's admins. May be empty: the desk then points to IPA's service list.
 */
export const otasuketaiFileSchema = z
  .object({
    listUrl: httpUrl,
    listSource: httpUrl.optional(),
    asOf: z.iso.date().optional(),
    services: z
      .array(
        z
          .object({
            name: text,
            provider: text,
            /** Prefectures served, or [全国]. */
            prefectures: z.array(text).min(1),
            type: z.enum(['1類', '2類']).optional(),
            monitoring: text.optional(),
            url: httpUrl.optional(),
            source: httpUrl,
            asOf: z.iso.date().optional(),
          })
          .strict(),
      )
      .default([]),
  })
  .strict();

export type OtasuketaiData = z.infer<typeof otasuketaiFileSchema>;
export type OtasuketaiService = OtasuketaiData['services'][number];

/** Labelled messages for the urgency model (reference/urgency-examples.yaml), written by the team. */
const urgencyExample = z.object({ text, topic: z.string().regex(/^[a-z0-9_-]+$/) }).strict();
export const urgencyFileSchema = z.object({ urgent: z.array(urgencyExample).min(20), notUrgent: z.array(urgencyExample).min(20) }).strict();
export type UrgencyExample = z.infer<typeof urgencyExample>;

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
