import { Classifier, OUT_OF_SCOPE, type TopicScore } from './classifier.js';
import { loadKnowledge, KNOWLEDGE_DIR, type KnowledgeData } from './load.js';
import type { Contact, DiagnosisData, Guideline, KnowledgeEntry, ThreatsYear } from './schema.js';
import { isUrgent } from './urgency.js';

/** How sure the desk is about what a question is about. */
export type Confidence = 'high' | 'low' | 'none';

export interface Understanding {
  /** Every topic, best first; `out_of_scope` is among them. */
  matches: TopicScore[];
  confidence: Confidence;
  /** The message describes an incident happening now on an urgent topic. */
  urgent: boolean;
}

/** Scores at or above this answer directly; below it the desk asks which topic is meant. */
export const HIGH = 0.3;
/** Scores below this are not a security question the desk can place. */
export const LOW = 0.05;
/** A runner-up this close to the best makes the desk ask which of the two is meant. */
export const CLOSE = 0.06;

/** The desk's answers, reference data and the classifier over them, loaded once at start-up. */
export class KnowledgeBase {
  readonly entries: KnowledgeEntry[];
  readonly contacts: Map<string, Contact>;
  /** Newest year first. */
  readonly threats: ThreatsYear[];
  readonly guideline: Guideline;
  readonly diagnosis: DiagnosisData;
  private readonly byId: Map<string, KnowledgeEntry>;
  private readonly classifier: Classifier;

  constructor(data: KnowledgeData) {
    this.entries = data.entries;
    this.contacts = data.contacts;
    this.threats = data.threats;
    this.guideline = data.guideline;
    this.diagnosis = data.diagnosis;
    this.byId = new Map(data.entries.map((e) => [e.id, e]));
    this.classifier = new Classifier(data.entries, data.outOfScope);
  }

  static load(dir: string = KNOWLEDGE_DIR): KnowledgeBase {
    return new KnowledgeBase(loadKnowledge(dir));
  }

  entry(id: string): KnowledgeEntry | undefined {
    return this.byId.get(id);
  }

  contact(id: string): Contact | undefined {
    return this.contacts.get(id);
  }

  understand(text: string): Understanding {
    const matches = this.classifier.rank(text);
    const top = matches[0]!;
    const confidence: Confidence = top.id === OUT_OF_SCOPE || top.score < LOW ? 'none' : top.score >= HIGH ? 'high' : 'low';
    if (confidence === 'none' && top.id !== OUT_OF_SCOPE) {
      // Too weak to place: out of scope comes first, the weak candidates after it.
      const oos = matches.find((m) => m.id === OUT_OF_SCOPE)!;
      matches.splice(matches.indexOf(oos), 1);
      matches.unshift({ id: OUT_OF_SCOPE, score: Math.max(oos.score, 1 - top.score) });
    }
    const urgent = confidence !== 'none' && isUrgent(text, this.byId.get(matches[0]!.id));
    return { matches, confidence, urgent };
  }
}
