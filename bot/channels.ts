import type { Channel } from './types.js';

/**
 * Channels where a message the desk sends on its own (not as an answer to the user's message)
 * is paid for: LINE counts every push against the account's monthly plan (the free plan has
 * 200), while replies are free. On these channels the desk does not push what can wait for the
 * user's next message, such as a change of their place in the queue.
 */
const METERED_PUSH: ReadonlySet<Channel> = new Set<Channel>(['line']);

export function pushIsMetered(channel: Channel): boolean {
  return METERED_PUSH.has(channel);
}
