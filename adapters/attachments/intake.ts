import { randomUUID } from 'node:crypto';
import sharp from 'sharp';
import { isHeic, isImage, MAX_ATTACHMENT_BYTES, sniffMime, type AttachmentRef, type StoredAttachment } from '../../bot/attachments.js';
import type { Store } from '../../bot/store.js';
import type { Channel } from '../../bot/types.js';

/** A file the desk does not take, with the HTTP status and the Japanese reason to show. */
export class AttachmentRejected extends Error {
  constructor(
    readonly status: 413 | 415,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'AttachmentRejected';
  }
}

/** Thumbnails are this wide at most (the widget's history, the console's transcript). */
const THUMB_WIDTH = 320;
/** Decoding stops past this many pixels: a huge or crafted image is refused, not decoded. */
const MAX_INPUT_PIXELS = 50_000_000;

export const TOO_BIG = `ファイルが大きすぎます（${MAX_ATTACHMENT_BYTES / 1024 / 1024} MB まで）。画面の一部を写すか、画像を小さくしてから送ってください。`;

/**
 * Takes a file in from any channel: decides its type from its bytes (a name or a declared type
 * is never trusted), refuses what the desk does not read, makes a thumbnail of an image, and
 * stores it durably before the message that carries it is committed.
 */
export async function takeAttachment(
  store: Store,
  owner: { org: string; channel: Channel; key: string },
  data: Buffer,
  opts: { name?: string; now?: Date; id?: string } = {},
): Promise<AttachmentRef> {
  // A channel that retries (LINE) names the file by its own message id: taking it twice keeps one copy.
  if (opts.id) {
    const existing = await store.getAttachment(opts.id);
    if (existing) return existing.attachment.ref;
  }
  if (data.length > MAX_ATTACHMENT_BYTES) throw new AttachmentRejected(413, 'file_too_large', TOO_BIG);
  if (data.length === 0) throw new AttachmentRejected(415, 'empty_file', 'ファイルが空です。');
  const mime = sniffMime(data);
  if (!mime) {
    if (isHeic(data)) {
      throw new AttachmentRejected(415, 'unsupported_type', 'iPhone の HEIC 形式の写真は読み取れません。スクリーンショット（PNG）にするか、設定の「カメラ → フォーマット → 互換性優先」で撮った写真（JPEG）を送ってください。');
    }
    throw new AttachmentRejected(415, 'unsupported_type', '送れるのは画像（PNG・JPEG・GIF・WebP）と PDF だけです。');
  }
  const ref: AttachmentRef = { id: opts.id ?? randomUUID(), mime, bytes: data.length, ...(opts.name ? { name: cleanName(opts.name) } : {}) };
  let thumbnail: Buffer | undefined;
  if (isImage(mime)) {
    try {
      const img = sharp(data, { animated: false, limitInputPixels: MAX_INPUT_PIXELS });
      const meta = await img.metadata();
      if (meta.width) ref.width = meta.width;
      if (meta.height) ref.height = meta.height;
      thumbnail = await img.rotate().resize({ width: THUMB_WIDTH, withoutEnlargement: true }).jpeg({ quality: 75 }).toBuffer();
    } catch {
      throw new AttachmentRejected(415, 'unreadable_image', '画像を開けませんでした（壊れているか、大きすぎます）。スクリーンショットを撮り直して送ってください。');
    }
  }
  const stored: StoredAttachment = { ref, org: owner.org, channel: owner.channel, key: owner.key, createdAt: (opts.now ?? new Date()).toISOString(), ...(thumbnail ? { thumbnail } : {}) };
  await store.putAttachment(stored, data);
  return ref;
}

/** A file name as shown to advisers: one line, no path, within reason. */
function cleanName(name: string): string {
  return name.normalize('NFKC').replace(/^.*[\\/]/, '').replace(/[\u0000-\u001f\u007f]/g, '').slice(0, 120);
}
