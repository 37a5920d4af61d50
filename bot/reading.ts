import { isImage, type ReadText, type StoredAttachment, type TextReader } from './attachments.js';
import type { Desk } from './desk.js';
import type { Logger } from './logger.js';
import type { MessageBus } from './message-bus.js';
import type { Store } from './store.js';

/** Images stored longer ago than this are not read any more at a restart (the user has moved on). */
const RESUME_WITHIN_MS = 24 * 3_600_000;

/**
 * Reads the text on images users send (a fake warning, a ransom note, an SMS) and gives it to
 * the bot as a turn of its own, so the answer quotes what the screenshot shows. The image and
 * its message are stored before this starts; the text read is stored on the attachment before
 * the bot's turn, and images not yet read are picked up again after a restart.
 */
export class AttachmentReading {
  private unsubscribe?: () => void;
  private readonly inflight = new Set<Promise<unknown>>();

  constructor(private readonly o: { desk: Desk; store: Store; bus: MessageBus; reader: TextReader; log: Logger; clock?: () => Date }) {}

  /** Listens for new images and reads those a previous run left unread. */
  async start(): Promise<void> {
    this.unsubscribe = this.o.bus.subscribeAll((e) => {
      for (const m of e.messages) {
        if (m.from !== 'user') continue;
        for (const ref of m.attachments ?? []) {
          if (isImage(ref.mime) && !ref.read) this.track(this.readAndAnswer(ref.id));
        }
      }
    });
    const since = new Date((this.o.clock?.() ?? new Date()).getTime() - RESUME_WITHIN_MS).toISOString();
    const left = await this.o.store.unreadAttachments(since, 1000);
    if (left.length) this.o.log.info({ images: left.length }, 'reading images stored before the restart');
    for (const a of left) this.track(this.readAndAnswer(a.ref.id));
  }

  stop(): void {
    this.unsubscribe?.();
  }

  /** Resolves when every image taken so far is read and answered (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.inflight.size) await Promise.allSettled([...this.inflight]);
  }

  private track(p: Promise<unknown>): void {
    const q = p.catch((err) => this.o.log.error({ err }, 'reading an image failed'));
    this.inflight.add(q);
    void q.finally(() => this.inflight.delete(q));
  }

  private async readAndAnswer(id: string): Promise<void> {
    const found = await this.o.store.getAttachment(id);
    if (!found || found.attachment.ref.read) return;
    const read: ReadText = await this.o.reader.read(found.data, found.attachment.ref.mime);
    await this.o.store.setAttachmentRead(id, read);
    await this.answer(found.attachment, read);
  }

  /** The bot's turn for the text read (nothing is said while an adviser has the chat). */
  private async answer(a: StoredAttachment, read: ReadText): Promise<void> {
    const caption = await this.captionOf(a);
    await this.o.desk.handle({
      channel: a.channel,
      org: a.org,
      key: a.key,
      userId: a.key,
      content: { type: 'read', attachment: { ...a.ref, read }, ...(caption ? { caption } : {}) },
    });
  }

  /** The words the user sent with the image (the message's text when it is not just 「［画像］」). */
  private async captionOf(a: StoredAttachment): Promise<string | undefined> {
    const conversation = await this.o.store.findConversation(a.channel, a.key);
    if (!conversation) return undefined;
    const recent = await this.o.store.listMessages(conversation.id, Math.max(0, conversation.lastSeq - 20), 20);
    const message = recent.find((m) => m.attachments?.some((x) => x.id === a.ref.id));
    return message && !message.text.startsWith('［') ? message.text : undefined;
  }
}
