import { loadKnowledge, KNOWLEDGE_DIR } from './load.js';
import { Matcher, type Match } from './matcher.js';
import type { Contact, KnowledgeEntry } from './schema.js';

/** How sure the desk is about what a question is about. */
export type Confidence = 'high' | 'low' | 'none';

export interface Understanding {
  /** Best first. */
  matches: Match[];
  confidence: Confidence;
}

/** Scores at or above this answer directly; below it the desk asks or admits it did not understand. */
export const HIGH = 0.5;
/** Scores at or above this are offered as "did you mean"; below it the question is out of scope. */
export const LOW = 0.28;

/** The desk's answers and the matcher over them, loaded once at start-up. */
export class KnowledgeBase {
  private readonly byId: Map<string, KnowledgeEntry>;
  private readonly matcher: Matcher;

  constructor(
    readonly entries: KnowledgeEntry[],
    readonly contacts: Map<string, Contact>,
  ) {
    this.byId = new Map(entries.map((e) => [e.id, e]));
    this.matcher = new Matcher(entries);
  }

  static load(dir: string = KNOWLEDGE_DIR): KnowledgeBase {
    const data = loadKnowledge(dir);
    return new KnowledgeBase(data.entries, data.contacts);
  }

  entry(id: string): KnowledgeEntry | undefined {
    return this.byId.get(id);
  }

  contact(id: string): Contact | undefined {
    return this.contacts.get(id);
  }

  understand(text: string): Understanding {
    const matches = this.matcher.rank(text);
    const top = matches[0]?.score ?? 0;
    const confidence: Confidence = top >= HIGH ? 'high' : top >= LOW ? 'low' : 'none';
    return { matches, confidence };
  }
}
