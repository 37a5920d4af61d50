import type { Conversation, DocumentWrite, StoredMessage } from './types.js';

/** Delivered after a turn or an adviser message is committed to the store. */
export interface MessageEvent {
  conversation: Conversation;
  messages: StoredMessage[];
  /** Documents written in the same commit (a case changing state: the console's queue listens). */
  documents?: DocumentWrite[];
}

type Listener = (event: MessageEvent) => void;

/**
 * In-process fan-out of stored messages: the web stream, the adviser console and channel
 * pushers subscribe. Only committed messages are published, so a listener never shows
 * something that could still be lost. (Several instances would need a shared bus; the
 * embedded store runs one.)
 */
export class MessageBus {
  private readonly byConversation = new Map<string, Set<Listener>>();
  private readonly everything = new Set<Listener>();

  /** Listens to one conversation; returns the function that stops listening. */
  subscribe(conversationId: string, listener: Listener): () => void {
    let set = this.byConversation.get(conversationId);
    if (!set) {
      set = new Set();
      this.byConversation.set(conversationId, set);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.byConversation.delete(conversationId);
    };
  }

  /** Listens to every conversation (console queue, channel pushers). */
  subscribeAll(listener: Listener): () => void {
    this.everything.add(listener);
    return () => this.everything.delete(listener);
  }

  publish(event: MessageEvent): void {
    if (event.messages.length === 0) return;
    for (const l of this.byConversation.get(event.conversation.id) ?? []) safely(l, event);
    for (const l of this.everything) safely(l, event);
  }
}

/** One broken listener (a closed socket, say) must not stop the others. */
function safely(listener: Listener, event: MessageEvent): void {
  try {
    listener(event);
  } catch {
    /* the listener owns its errors */
  }
}
