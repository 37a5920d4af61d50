import type { Conversation, HandoffRequest } from './types.js';

/**
 * Hand-off state on the conversation. The queue, the case and the adviser console build on
 * this; here the request is recorded so nothing the user asked for is forgotten.
 */
export type HandoffResult = 'requested' | 'already-waiting' | 'with-adviser';

export function requestHandoff(
  conversation: Conversation,
  reason: HandoffRequest['reason'],
  now: Date,
  duringHours: boolean,
): HandoffResult {
  if (conversation.owner === 'adviser') return 'with-adviser';
  if (conversation.owner === 'waiting' && conversation.handoff) return 'already-waiting';
  conversation.owner = 'waiting';
  conversation.handoff = { requestedAt: now.toISOString(), reason, duringHours };
  return 'requested';
}

/** Withdraws a pending request; false when there was none. */
export function cancelHandoff(conversation: Conversation): boolean {
  if (conversation.owner !== 'waiting') return false;
  conversation.owner = 'bot';
  conversation.handoff = null;
  return true;
}
