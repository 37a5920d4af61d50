import { randomBytes } from 'node:crypto';
import type { Response } from 'express';
import { escapeHtml as esc } from '../http/html.js';

/**
 * The printable pages behind secret links (the diagnosis report, the incident sheet) and their
 * text downloads: the same head, the same script policy, the same file format.
 */

/**
 * Sends a page whose only script is its own inline one: a fresh nonce, and a policy that allows
 * nothing else (no outside styles, images but data:, no forms). `csp` adds directives.
 */
export function sendPrintablePage(res: Response, render: (nonce: string) => string, csp = ''): void {
  const nonce = randomBytes(16).toString('base64');
  res.setHeader('Content-Security-Policy', `default-src 'none'; style-src 'unsafe-inline'; script-src 'nonce-${nonce}'; img-src data:; base-uri 'none'; form-action 'none'${csp}`);
  res.type('html').send(render(nonce));
}

/** A text file to save, named in Japanese (with an ASCII fallback for old clients). */
export function sendTextDownload(res: Response, name: string, asciiName: string, text: string): void {
  res.setHeader('Content-Disposition', `attachment; filename="${asciiName}"; filename*=UTF-8''${encodeURIComponent(name)}`);
  // CRLF and a BOM: the file opens cleanly in Windows Notepad, which most SME offices use.
  res.type('text/plain; charset=utf-8').send('\ufeff' + text.replace(/\n/g, '\r\n'));
}

/** The page's head up to its own styles: Japanese fonts, a readable column, not indexed. `css` follows the common rules. */
export function printableHead(title: string, css: string): string {
  return `<!doctype html>
<html lang="ja">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${esc(title)}</title>
<style>
  body { font-family: "Noto Sans CJK JP", "Hiragino Sans", "Yu Gothic", sans-serif; margin: 0 auto; max-width: 52rem; padding: 1.5rem; color: #1a1a1a; line-height: 1.7; }
  h1 { font-size: 1.5rem; margin-bottom: .25rem; }
  h3 { font-size: 1rem; margin: .2rem 0; }
  .meta { color: #555; font-size: .9rem; }
${css}
</style>
</head>`;
}
