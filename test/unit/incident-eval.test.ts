import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../bot/project-root.js';
import { KnowledgeBase } from '../../knowledge/knowledge-base.js';
import { readJsonl, scoreConversations, scoreSet, type Conversation, type SetItem } from '../tools/eval-incidents.js';

/**
 * Recognising incidents on the team's held-apart set (written apart from the knowledge files;
 * the hygiene test keeps the two apart). Training is seeded, so the figures are exact; the
 * bounds sit at the measured values, so any loss shows. docs/benchmarks.md keeps the figures.
 */
const kb = KnowledgeBase.load();
const fixture = (name: string) => join(projectRoot, 'test', 'fixtures', name);

describe('incident recognition on the held-apart set', () => {
  const s = scoreSet(kb, readJsonl<SetItem>(fixture('incidents-holdout.jsonl')));

  it('flags urgent reports with F1 at least 0.90 and precision at least 0.85', () => {
    expect(s.f1).toBeGreaterThanOrEqual(0.9);
    expect(s.precision).toBeGreaterThanOrEqual(0.85);
  });

  it('places the incident reports in the right topic (top-1 at least 0.90, top-3 at least 0.97)', () => {
    expect(s.urgentTop1).toBeGreaterThanOrEqual(0.9);
    expect(s.top3).toBeGreaterThanOrEqual(0.97);
  });

  it('notices the turn where a conversation becomes urgent in most conversations', () => {
    const c = scoreConversations(kb, readJsonl<Conversation>(fixture('incident-conversations.jsonl')));
    expect(c.exact).toBeGreaterThanOrEqual(0.75);
  });
});
