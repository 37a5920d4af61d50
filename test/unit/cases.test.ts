import { describe, expect, it } from 'vitest';
import { CaseStateError, positionOf, queueOrder, summarize, type Case } from '../../bot/cases.js';
import { claimCase, closeCase, openCase, returnCase, transferCase, withdrawCase } from '../../bot/handoff.js';
import type { Conversation } from '../../bot/types.js';

const now = new Date('2026-11-30T10:00:00+09:00');
function conversation(): Conversation {
  const at = now.toISOString();
  return { id: 'c1', org: 'o', channel: 'web', key: 'k', userId: 'u', owner: 'bot', createdAt: at, updatedAt: at, lastSeq: 0, version: 1, dialogs: [], lastChoices: [], handoff: null, lowConfidenceStreak: 0, topics: [] };
}
function aCase(id: string, createdAt: string, priority: Case['priority'] = 'normal', status: Case['status'] = 'waiting'): Case {
  return { id, org: 'o', conversationId: 'c1', channel: 'web', status, priority, reason: 'user', createdAt, duringHours: true, intake: { consent: true }, summary: { urgent: false, userSaid: [], topics: [] }, notes: [] };
}
const sato = { id: 'a1', name: '佐藤' };
const suzuki = { id: 'a2', name: '鈴木' };

describe('the queue', () => {
  it('puts urgent cases first, then the longest waiting', () => {
    const a = aCase('a', '2026-11-30T01:00:00Z');
    const b = aCase('b', '2026-11-30T02:00:00Z');
    const u = aCase('u', '2026-11-30T03:00:00Z', 'urgent');
    expect([a, b, u].sort(queueOrder).map((c) => c.id)).toEqual(['u', 'a', 'b']);
    expect(positionOf([a, b, u], b)).toBe(3);
    expect(positionOf([a, b], u)).toBe(1); // a new urgent case, not yet in the list
    expect(positionOf([a, b, aCase('x', '2026-11-30T00:00:00Z', 'normal', 'active')], b)).toBe(2); // active cases are not in line
  });
});

describe('hand-off transitions', () => {
  it('waiting → active → returned gives the chat back to the bot', () => {
    const conv = conversation();
    const c = aCase('a', now.toISOString());
    openCase(conv, c);
    expect([conv.owner, conv.handoff?.caseId]).toEqual(['waiting', 'a']);
    expect(() => openCase(conv, aCase('b', now.toISOString()))).toThrow(CaseStateError);
    claimCase(conv, c, sato, now);
    expect([c.status, c.adviserName, conv.owner]).toEqual(['active', '佐藤', 'adviser']);
    expect(() => claimCase(conv, c, suzuki, now)).toThrow('この相談は「対応中」のため、この操作はできません。');
    transferCase(c, suzuki);
    expect(c.adviserId).toBe('a2');
    expect(() => transferCase(c, suzuki)).toThrow(CaseStateError);
    returnCase(conv, c, now);
    expect([c.status, conv.owner, conv.handoff]).toEqual(['returned', 'bot', null]);
    expect(() => closeCase(conv, c, 'resolved', now)).toThrow(CaseStateError);
  });

  it('active → closed leaves the conversation closed until the user writes again', () => {
    const conv = conversation();
    const c = aCase('a', now.toISOString());
    openCase(conv, c);
    claimCase(conv, c, sato, now);
    closeCase(conv, c, 'referred', now);
    expect([c.status, c.outcome, conv.owner, conv.handoff]).toEqual(['closed', 'referred', 'closed', null]);
    expect(() => returnCase(conv, c, now)).toThrow(CaseStateError);
  });

  it('only a waiting case can be withdrawn by the user', () => {
    const conv = conversation();
    const c = aCase('a', now.toISOString());
    openCase(conv, c);
    withdrawCase(conv, c, now);
    expect([c.status, c.outcome, conv.owner]).toEqual(['closed', 'withdrawn', 'bot']);
    const d = aCase('d', now.toISOString());
    openCase(conv, d);
    claimCase(conv, d, sato, now);
    expect(() => withdrawCase(conv, d, now)).toThrow(CaseStateError);
  });

  it('summarises what the user said, not button presses shown as ［…］, and the latest diagnosis', () => {
    const conv = conversation();
    conv.topics = [{ topic: 'bec', at: now.toISOString(), helpful: false }];
    const msg = (seq: number, from: 'user' | 'bot', text: string) => ({ seq, from, text, at: now.toISOString() });
    const s = summarize(conv, [msg(1, 'user', '振込先が変わったとメールが'), msg(2, 'bot', '【BEC】…'), msg(3, 'user', '［画像］')], (t) => (t === 'bec' ? 'ビジネスメール詐欺' : undefined));
    expect(s).toEqual({ topic: 'bec', topicTitle: 'ビジネスメール詐欺', urgent: false, userSaid: ['振込先が変わったとメールが'], topics: [{ id: 'bec', title: 'ビジネスメール詐欺', helpful: false }] });
  });
});
