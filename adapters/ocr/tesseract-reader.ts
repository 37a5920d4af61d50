import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import sharp from 'sharp';
import { createWorker, OEM, PSM, type Worker } from 'tesseract.js';
import type { AttachmentMime, ReadText, TextReader } from '../../bot/attachments.js';
import type { Logger } from '../../bot/logger.js';

/** The Japanese model shipped in an npm package: nothing is downloaded at run time. */
const LANG_PATH = join(dirname(createRequire(import.meta.url).resolve('@tesseract.js-data/jpn/package.json')), '4.0.0_best_int');

export interface TesseractOptions {
  log: Logger;
  /** An image still unread after this long is given up, and the worker recreated. */
  timeoutMs?: number;
  /** Images waiting at most; more are refused as busy (read later by a person). */
  maxQueue?: number;
  /** Larger images are scaled down to this many pixels before reading. */
  maxPixels?: number;
}

/**
 * Reads Japanese text on images with tesseract.js (WebAssembly in a worker thread, so the
 * event loop is not blocked), one long-lived worker, one image at a time in a bounded queue,
 * each with a time limit. Images are prepared with sharp first: scaled down past a pixel cap,
 * and narrow ones (phone screenshots) scaled up 2×, which reads small text better.
 */
export class TesseractReader implements TextReader {
  private worker?: Promise<Worker>;
  private tail: Promise<unknown> = Promise.resolve();
  private queued = 0;
  private readonly timeoutMs: number;
  private readonly maxQueue: number;
  private readonly maxPixels: number;

  constructor(private readonly o: TesseractOptions) {
    this.timeoutMs = o.timeoutMs ?? 20_000;
    this.maxQueue = o.maxQueue ?? 20;
    this.maxPixels = o.maxPixels ?? 4_000_000;
  }

  /** Starts the worker ahead of the first image (about a second). */
  warm(): Promise<void> {
    return this.getWorker().then(() => undefined);
  }

  read(bytes: Buffer, mime: AttachmentMime): Promise<ReadText> {
    const at = () => new Date().toISOString();
    if (!mime.startsWith('image/')) return Promise.resolve({ text: '', at: at(), failed: 'unsupported' });
    if (this.queued >= this.maxQueue) return Promise.resolve({ text: '', at: at(), failed: 'error' });
    this.queued++;
    const job = this.tail.then(() => this.readOne(bytes)).finally(() => this.queued--);
    this.tail = job.catch(() => undefined);
    return job;
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    if (w) await (await w).terminate().catch(() => undefined);
  }

  private getWorker(): Promise<Worker> {
    this.worker ??= withTimeout(
      (async () => {
        const w = await createWorker('jpn', OEM.LSTM_ONLY, { langPath: LANG_PATH, gzip: true, cacheMethod: 'none', logger: () => {}, errorHandler: () => {} });
        await w.setParameters({ preserve_interword_spaces: '1', tessedit_pageseg_mode: PSM.AUTO });
        return w;
      })(),
      30_000,
      'OCR worker did not start',
    ).catch((e) => {
      this.worker = undefined;
      throw e;
    });
    return this.worker;
  }

  private async readOne(bytes: Buffer): Promise<ReadText> {
    const at = new Date().toISOString();
    let image: Buffer;
    try {
      image = await this.prepare(bytes);
    } catch (e) {
      this.o.log.warn({ err: e }, 'OCR: image could not be decoded');
      return { text: '', at, failed: 'error' };
    }
    try {
      const worker = await this.getWorker();
      const { data } = await withTimeout(worker.recognize(image), this.timeoutMs, 'OCR timed out');
      const text = tidy(data.text);
      return text ? { text, confidence: Math.round(data.confidence), at } : { text: '', at, failed: 'empty' };
    } catch (e) {
      const timedOut = e instanceof Error && e.message === 'OCR timed out';
      this.o.log.warn({ err: e }, timedOut ? 'OCR: image timed out; the worker is recreated' : 'OCR failed');
      // A worker that timed out may still be busy with the image: start a fresh one.
      const old = this.worker;
      this.worker = undefined;
      if (old) void old.then((w) => w.terminate()).catch(() => undefined);
      return { text: '', at, failed: timedOut ? 'timeout' : 'error' };
    }
  }

  /** Greyscale PNG within the pixel cap; narrow (phone) screenshots scaled up 2×. */
  private async prepare(bytes: Buffer): Promise<Buffer> {
    const img = sharp(bytes, { animated: false, limitInputPixels: 50_000_000 }).rotate();
    const meta = await img.metadata();
    const w = meta.width ?? 0;
    const h = meta.height ?? 0;
    let scale = 1;
    if (w * h > this.maxPixels) scale = Math.sqrt(this.maxPixels / (w * h));
    else if (w > 0 && w < 800 && w * h * 4 <= this.maxPixels) scale = 2;
    const out = scale === 1 ? img : img.resize(Math.round(w * scale), Math.round(h * scale));
    return out.greyscale().png().toBuffer();
  }
}

/** NFKC (digits can come out circled or full-width), spaces between Japanese characters removed, blank lines dropped. */
export function tidy(text: string): string {
  return text
    .normalize('NFKC')
    .split('\n')
    .map((l) => l.replace(/([^\x00-\x7f]) +(?=[^\x00-\x7f])/g, '$1').replace(/\s+/g, ' ').trim())
    .filter(Boolean)
    .join('\n');
}

function withTimeout<T>(p: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([p, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(message)), ms)))]).finally(() => clearTimeout(timer));
}
