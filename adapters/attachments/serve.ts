import type { ServerResponse } from 'node:http';
import type { StoredAttachment } from '../../bot/attachments.js';

/**
 * Sends an attachment's bytes (or its thumbnail) so that it can only ever be shown as what it
 * is: its sniffed type, `nosniff`, a sandboxing CSP that runs nothing, never cached by shared
 * caches, and PDFs as a download rather than opened in place.
 */
export function sendAttachment(res: ServerResponse, a: StoredAttachment, data: Buffer, thumb: boolean, extraHeaders: Record<string, string> = {}): void {
  const useThumb = thumb && a.thumbnail !== undefined;
  const body = useThumb ? a.thumbnail! : data;
  const type = useThumb ? 'image/jpeg' : a.ref.mime;
  const pdf = !useThumb && a.ref.mime === 'application/pdf';
  const name = a.ref.name ?? (pdf ? 'attachment.pdf' : 'image');
  res.writeHead(200, {
    ...extraHeaders,
    'Content-Type': type,
    'Content-Length': String(body.length),
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; sandbox",
    'Cache-Control': 'private, max-age=3600',
    'Cross-Origin-Resource-Policy': 'same-site',
    'Content-Disposition': `${pdf ? 'attachment' : 'inline'}; filename="${pdf ? 'attachment.pdf' : 'image'}"; filename*=UTF-8''${encodeURIComponent(name)}`,
  });
  res.end(body);
}
