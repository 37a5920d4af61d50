import type { Channel } from './types.js';

/**
 * Attachments in the core's words: what a user can send besides text (screenshots, photos,
 * PDFs), where the bytes are kept, and how the desk asks for the text on an image. Adapters
 * implement the ports (the store keeps bytes; an OCR adapter reads images); dialogs ask for
 * text without knowing which engine reads it.
 */

/** The kinds of file the desk accepts, decided from the bytes (never from a name or a declared type). */
export type AttachmentMime = 'image/png' | 'image/jpeg' | 'image/gif' | 'image/webp' | 'application/pdf';

/** The largest file the desk takes. */
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;

/** An attachment as a message refers to it (the bytes are kept apart, by id). */
export interface AttachmentRef {
  id: string;
  mime: AttachmentMime;
  bytes: number;
  /** The name the user's device gave it, shown to advisers (never used to decide its type). */
  name?: string;
  width?: number;
  height?: number;
  /** Text read from the image by the machine (OCR), when it has been read. */
  read?: ReadText;
}

/** Text read from an image: by a machine, so advisers see it marked as such. */
export interface ReadText {
  text: string;
  /** 0..100, the reader's own confidence; absent when it gave none. */
  confidence?: number;
  at: string;
  /** The image could not be read (no text found, too small, the reader failed or timed out). */
  failed?: 'empty' | 'error' | 'timeout' | 'unsupported';
}

/**
 * The stored bytes of an attachment, with who may see them: the user of that chat (its channel
 * and key: a web session, a LINE user) and the advisers of its org. The chat is named by its key
 * because a picture can be someone's very first message, before the conversation exists.
 */
export interface StoredAttachment {
  ref: AttachmentRef;
  org: string;
  channel: Channel;
  key: string;
  createdAt: string;
  /** A small JPEG preview for lists and transcripts (images only). */
  thumbnail?: Buffer;
}

/** Reads the text on an image ("what does this screenshot say"). Implemented by an OCR adapter. */
export interface TextReader {
  read(bytes: Buffer, mime: AttachmentMime): Promise<ReadText>;
}

/**
 * The type of a file from its first bytes. PNG, JPEG, GIF, WebP and PDF are accepted; anything
 * else (an executable renamed .png, HTML, an HEIC photo no library here can read) is not.
 */
export function sniffMime(bytes: Buffer): AttachmentMime | undefined {
  const at = (offset: number, hex: string) => bytes.length >= offset + hex.length / 2 && bytes.subarray(offset, offset + hex.length / 2).toString('hex') === hex;
  if (at(0, '89504e470d0a1a0a')) return 'image/png';
  if (at(0, 'ffd8ff')) return 'image/jpeg';
  if (at(0, '474946383761') || at(0, '474946383961')) return 'image/gif';
  if (at(0, '52494646') && at(8, '57454250')) return 'image/webp';
  if (at(0, '255044462d')) return 'application/pdf';
  return undefined;
}

/** An HEIC/HEIF photo (iPhone's default): recognised only to explain how to send it instead. */
export function isHeic(bytes: Buffer): boolean {
  if (bytes.length < 12 || bytes.subarray(4, 8).toString('latin1') !== 'ftyp') return false;
  return ['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'mif1', 'msf1'].includes(bytes.subarray(8, 12).toString('latin1'));
}

export const isImage = (mime: AttachmentMime) => mime.startsWith('image/');
