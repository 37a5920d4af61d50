import { Classifier, OUT_OF_SCOPE, type TopicScore } from './classifier.js';
import { loadKnowledge, KNOWLEDGE_DIR, type KnowledgeData } from './load.js';
import type { Contact, DiagnosisData, Guideline, KnowledgeEntry, OtasuketaiData, OtasuketaiService, PoliceDesk, ThreatsYear } from './schema.js';
import { UrgencyModel } from './urgency.js';

/** How sure the desk is about what a question is about. */
export type Confidence = 'high' | 'low' | 'none';

export interface Understanding {
  /** Every topic, best first; `out_of_scope` is among them. */
  matches: TopicScore[];
  confidence: Confidence;
  /** The message reports an incident happening (or just happened) to the writer's own organisation. */
  urgent: boolean;
}

/** Scores at or above this answer directly; below it the desk asks which topic is meant. */
export const HIGH = 0.3;
/** Scores below this are not a security question the desk can place. */
export const LOW = 0.05;
/** A runner-up this close to the best makes the desk ask which of the two is meant. */
export const CLOSE = 0.06;
/** In an urgent message, an incident topic scoring at least this share of the best one is taken first. */
export const INCIDENT_OVER = 0.5;

/** The desk's answers, reference data and the classifier over them, loaded once at start-up. */
export class KnowledgeBase {
  readonly entries: KnowledgeEntry[];
  readonly contacts: Map<string, Contact>;
  /** Newest year first. */
  readonly threats: ThreatsYear[];
  readonly guideline: Guideline;
  readonly diagnosis: DiagnosisData;
  readonly otasuketai: OtasuketaiData;
  private readonly police: Map<string, PoliceDesk>;
  private readonly byId: Map<string, KnowledgeEntry>;
  private readonly classifier: Classifier;
  private readonly urgency: UrgencyModel;

  constructor(data: KnowledgeData) {
    this.entries = data.entries;
    this.contacts = data.contacts;
    this.threats = data.threats;
    this.guideline = data.guideline;
    this.diagnosis = data.diagnosis;
    this.otasuketai = data.otasuketai;
    this.police = new Map(data.police.map((p) => [p.prefecture, p]));
    this.byId = new Map(data.entries.map((e) => [e.id, e]));
    this.classifier = new Classifier(data.entries, data.outOfScope, undefined, [...data.urgency.urgent, ...data.urgency.notUrgent]);
    // Questions about prevention, services and requests are never emergencies in themselves.
    const calm = [...data.entries.filter((e) => e.kind !== 'incident').flatMap((e) => e.examples), ...data.outOfScope];
    this.urgency = new UrgencyModel(data.urgency, calm);
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

  /** The prefecture's police cyber crime desk, as far as it is sourced. */
  policeDesk(prefecture: string): PoliceDesk | undefined {
    return this.police.get(prefecture);
  }

  /** Registered お助け隊 services serving the prefecture (or nationwide); all of them without a prefecture. */
  otasuketaiServices(prefecture?: string): OtasuketaiService[] {
    return this.otasuketai.services.filter((s) => !prefecture || s.prefectures.includes(prefecture) || s.prefectures.includes('全国'));
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
    // Per message, whatever the topic. A report of something happening is about an incident:
    // among the close candidates, the likeliest incident comes first (「バックアップから戻して
    // いい？」 while files are being encrypted is about ransomware, not backups).
    const urgent = this.urgency.isUrgent(text);
    if (urgent && confidence !== 'none') {
      const best = matches[0]!;
      const incident = matches.slice(0, 3).find((m) => this.byId.get(m.id)?.kind === 'incident' && m.score >= best.score * INCIDENT_OVER);
      if (incident && incident !== best) {
        matches.splice(matches.indexOf(incident), 1);
        matches.unshift({ ...incident, score: Math.max(incident.score, best.score) });
      }
    }
    return { matches, confidence, urgent };
  }
}
