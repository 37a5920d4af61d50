import { CaseStateError, requireStatus, type Case, type CaseOutcome } from './cases.js';
import type { Conversation } from './types.js';

/**
 * The hand-off transitions. Each changes the conversation (who owns it) and its case together;
 * callers store both in one turn (the bot's `Turn.save`, the console's `Desk.apply`), so the
 * two never disagree.
 */

/** The user's request became a waiting case. */
export function openCase(conversation: Conversation, c: Case): void {
  if (conversation.handoff) throw new CaseStateError('この会話には、すでに担当者への依頼があります。');
  conversation.owner = 'waiting';
  conversation.handoff = { caseId: c.id, requestedAt: c.createdAt, reason: c.reason, duringHours: c.duringHours };
}

/** An adviser takes the case: from now on the bot is silent in this conversation. */
export function claimCase(conversation: Conversation, c: Case, adviser: { id: string; name: string }, now: Date): void {
  requireStatus(c, 'waiting');
  c.status = 'active';
  c.adviserId = adviser.id;
  c.adviserName = adviser.name;
  c.claimedAt = now.toISOString();
  conversation.owner = 'adviser';
  conversation.handoff ??= { caseId: c.id, requestedAt: c.createdAt, reason: c.reason, duringHours: c.duringHours };
}

export function transferCase(c: Case, to: { id: string; name: string }): void {
  requireStatus(c, 'active');
  if (c.adviserId === to.id) throw new CaseStateError('すでにこの相談員が担当しています。');
  c.adviserId = to.id;
  c.adviserName = to.name;
}

/** The adviser hands the conversation back to the bot. */
export function returnCase(conversation: Conversation, c: Case, now: Date): void {
  requireStatus(c, 'active');
  c.status = 'returned';
  c.closedAt = now.toISOString();
  release(conversation, 'bot');
}

/** The adviser ends the case with an outcome (a waiting case may also be closed, e.g. referred elsewhere). */
export function closeCase(conversation: Conversation, c: Case, outcome: CaseOutcome, now: Date): void {
  requireStatus(c, 'waiting', 'active');
  c.status = 'closed';
  c.outcome = outcome;
  c.closedAt = now.toISOString();
  release(conversation, 'closed');
}

/** The user withdraws a request that nobody has taken yet. */
export function withdrawCase(conversation: Conversation, c: Case, now: Date): void {
  requireStatus(c, 'waiting');
  c.status = 'closed';
  c.outcome = 'withdrawn';
  c.closedAt = now.toISOString();
  release(conversation, 'bot');
}

function release(conversation: Conversation, owner: 'bot' | 'closed'): void {
  conversation.owner = owner;
  conversation.handoff = null;
}
