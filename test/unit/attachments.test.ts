import { describe, expect, it } from 'vitest';
import { isHeic, sniffMime } from '../../bot/attachments.js';
import { tidy } from '../../adapters/ocr/tesseract-reader.js';
import { looksLikeFakeWarning, phoneNumbersIn, urlsIn } from '../../dialogs/screenshot.js';

const hex = (h: string, pad = 32) => Buffer.concat([Buffer.from(h, 'hex'), Buffer.alloc(pad)]);

describe('file types, from the bytes only', () => {
  it('knows PNG, JPEG, GIF, WebP and PDF by their signatures', () => {
    expect(sniffMime(hex('89504e470d0a1a0a'))).toBe('image/png');
    expect(sniffMime(hex('ffd8ffe0'))).toBe('image/jpeg');
    expect(sniffMime(Buffer.from('GIF89a......'))).toBe('image/gif');
    expect(sniffMime(Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WEBPVP8 ')]))).toBe('image/webp');
    expect(sniffMime(Buffer.from('%PDF-1.7\n'))).toBe('application/pdf');
  });

  it('refuses anything else, whatever it is called: a Windows program, HTML, a script, text', () => {
    expect(sniffMime(Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200)]))).toBeUndefined();
    expect(sniffMime(Buffer.from('<!doctype html><script>alert(1)</script>'))).toBeUndefined();
    expect(sniffMime(Buffer.from('#!/bin/sh\nrm -rf /'))).toBeUndefined();
    expect(sniffMime(Buffer.from(''))).toBeUndefined();
    expect(sniffMime(Buffer.from('89'))).toBeUndefined();
  });

  it('recognises an iPhone HEIC photo, to explain how to send it instead', () => {
    const heic = Buffer.concat([Buffer.from('00000018', 'hex'), Buffer.from('ftypheic'), Buffer.alloc(16)]);
    expect(sniffMime(heic)).toBeUndefined();
    expect(isHeic(heic)).toBe(true);
  });
});

describe('what a screenshot shows, from the machine-read text', () => {
  it('finds phone numbers as printed, also full-width or with spaces', () => {
    expect(phoneNumbersIn('サポート窓口・050-5812-3746\n受付24時間')).toEqual(['050-5812-3746']);
    expect(phoneNumbersIn('お電話は ０１２０－９４４－３１２ まで')).toEqual(['0120-944-312']);
    const two = phoneNumbersIn('TEL 03 1234 5678 / 090-1111-2222');
    expect(two).toHaveLength(2);
    expect(two).toContain('090-1111-2222');
    expect(phoneNumbersIn('受付時間 24時間 2026年12月1日')).toEqual([]);
  });

  it('finds web addresses across lines, and one whose colon OCR dropped', () => {
    expect(urlsIn('配送物は下記よりご確認ください。\nhttp://sagawa-ex.delivery-\ncheck.top/jp')).toEqual(['http://sagawa-ex.delivery-check.top/jp']);
    expect(urlsIn('https/login-microsoftonline.secure-verify.com/common/oauth2')).toEqual(['https://login-microsoftonline.secure-verify.com/common/oauth2']);
  });

  it('tells a fake warning by a warning, a call to action and a number', () => {
    expect(looksLikeFakeWarning('警告!ウイルスに感染しました\nサポートセンターへお電話ください 050-5812-3746')).toBe(true);
    expect(looksLikeFakeWarning('会議は 15時から 会議室B')).toBe(false);
    expect(looksLikeFakeWarning('ウイルスに感染しました')).toBe(false);
  });

  it('tidies OCR output: NFKC, no spaces between Japanese characters, no blank lines', () => {
    expect(tidy('警 告 。 ウ イ ル ス\n\n  ０５０ ')).toBe('警告。ウイルス\n050');
  });
});
