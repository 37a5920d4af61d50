import type { AttachmentRef } from '../bot/attachments.js';

/**
 * What a screenshot shows, from the text read on it: the phone numbers and web addresses it
 * gives (to quote them: 「表示されている 050-… には電話しないでください」) and whether it has
 * the marks of a fake warning. The text is machine-read, so it is matched loosely.
 */

/** Shortest text worth answering: a few characters are more likely noise than words. */
export const MIN_READ_CHARS = 8;

/** Japanese phone numbers as printed: 050-1234-5678, 0120-123-456, 03(1234)5678, 09012345678, +81 … */
export function phoneNumbersIn(text: string): string[] {
  const t = text.normalize('NFKC').replace(/[ー−‐–—―]/g, '-');
  const found = new Set<string>();
  for (const m of t.matchAll(/(?<![\d-])(?:\+81[\s-]?\d{1,4}|0\d{1,4})[\s-]?\(?\d{1,4}\)?[\s-]?\d{3,4}(?![\d-])/g)) {
    const digits = m[0].replace(/\D/g, '');
    const national = digits.startsWith('81') ? `0${digits.slice(2)}` : digits;
    if (national.length >= 10 && national.length <= 11) found.add(m[0].replace(/\s+/g, '').replace(/[()]/g, '-').replace(/-+/g, '-'));
  }
  return [...found];
}

/** Web addresses, after joining lines (OCR breaks long ones), including an OCR'd 「https/…」 with its colon lost. */
export function urlsIn(text: string): string[] {
  const joined = text.normalize('NFKC').replace(/\n(?=[\w./-])/g, '');
  const out = new Set<string>();
  for (const m of joined.matchAll(/\bhttps?[:/]+[\w.-]+\.[a-z]{2,}(?:\/[\w./?=&%#-]*)?/gi)) out.add(m[0].replace(/^(https?)[:/]+/i, '$1://'));
  for (const m of joined.matchAll(/(?<![\w./@-])(?:[\w-]+\.)+(?:com|net|jp|top|xyz|info|shop|online|site|co\.jp)(?:\/[\w./?=&%#-]*)?/gi)) {
    if (![...out].some((u) => u.includes(m[0]))) out.add(m[0]);
  }
  return [...out];
}

/** The marks of a fake virus warning: a warning, an infection or lock claim, and a number to call. */
export function looksLikeFakeWarning(text: string): boolean {
  const t = text.normalize('NFKC');
  const warning = /警告|ウイルス|ウィルス|感染|トロイ|ロックされ|危険|セキュリティ/.test(t);
  const call = /電話|お電話|サポート|窓口|TEL|Tel|tel/.test(t);
  return warning && call && phoneNumbersIn(t).length > 0;
}

/** What kind of screen this is, when its text says so plainly (the classifier decides the rest). */
export type ScreenKind = 'fake-warning' | 'ransom-note' | 'phishing-sms' | 'phishing-page';

export function screenKind(text: string): ScreenKind | undefined {
  const t = text.normalize('NFKC');
  if (looksLikeFakeWarning(t)) return 'fake-warning';
  if (/暗号化され|身代金|ビットコイン|復号|encrypted|decrypt|ransom|bitcoin/i.test(t) && /ファイル|データ|files|data/i.test(t)) return 'ransom-note';
  const urls = urlsIn(t);
  if (urls.length && /不在|お荷物|配送|荷物|宅配|再配達|お届け/.test(t)) return 'phishing-sms';
  if (urls.length && /サインイン|ログイン|パスワード|本人確認|アカウント|カード番号|有効期限|認証/.test(t)) return 'phishing-page';
  return undefined;
}

/** How the bot says it received a file, before the text on it is read. */
export function receivedLine(ref: AttachmentRef): string {
  if (ref.mime === 'application/pdf') {
    return 'PDF を受け取りました。相談員が確認できるように保存しました。PDF の中身はこの窓口では読み取れないので、どんなことでお困りか文章でも教えてください。';
  }
  return '画像を受け取りました。写っている文字を読み取っています（数秒かかります）。';
}
