import { describe, expect, it } from 'vitest';
import { describeHours, isOpen, japanTime, type BusinessHours } from '../../bot/hours.js';
import { DEFAULT_ORG, loadOrgs, parseOrgs } from '../../bot/orgs.js';

const hours: BusinessHours = {
  weekly: { mon: ['09:00-12:00', '13:00-17:00'], tue: ['09:00-17:00'], wed: ['09:00-17:00'], thu: ['09:00-17:00'], fri: ['09:00-17:00'] },
  holidays: 'closed',
  closedDates: ['2026-12-29'],
};
/** An instant given in Japan time. */
const jst = (s: string) => new Date(`${s}+09:00`);

describe('business hours', () => {
  it('reads the clock in Japan time', () => {
    expect(japanTime(new Date('2026-11-22T15:30:00Z'))).toEqual({ date: '2026-11-23', day: 'mon', minute: 30 });
  });
  it('is open inside the weekly ranges and closed outside them', () => {
    expect(isOpen(hours, jst('2026-11-24T09:00:00'))).toBe(true); // Tuesday 9:00
    expect(isOpen(hours, jst('2026-11-24T08:59:00'))).toBe(false);
    expect(isOpen(hours, jst('2026-11-24T17:00:00'))).toBe(false); // the end is exclusive
    expect(isOpen(hours, jst('2026-11-30T12:30:00'))).toBe(false); // Monday lunch break
    expect(isOpen(hours, jst('2026-11-28T10:00:00'))).toBe(false); // Saturday: not listed
  });
  it('is closed on Japanese public holidays and on the listed dates', () => {
    expect(isOpen(hours, jst('2026-11-23T10:00:00'))).toBe(false); // 勤労感謝の日 (a Monday)
    expect(isOpen({ ...hours, holidays: 'open' }, jst('2026-11-23T10:00:00'))).toBe(true);
    expect(isOpen(hours, jst('2026-12-29T10:00:00'))).toBe(false);
  });
  it('is always open without hours', () => {
    expect(isOpen(null, jst('2026-01-01T03:00:00'))).toBe(true);
    expect(describeHours(null)).toBe('24時間受付');
  });
  it('describes the hours for users', () => {
    expect(describeHours(hours)).toBe('月 09:00-12:00、13:00-17:00 / 火 09:00-17:00 / 水 09:00-17:00 / 木 09:00-17:00 / 金 09:00-17:00（祝日を除く）');
    expect(describeHours({ ...hours, note: '平日 9時〜17時' })).toBe('平日 9時〜17時');
  });
});

describe('orgs file', () => {
  it('has one always-open default org without a file', () => {
    const dir = loadOrgs(undefined);
    expect(dir.orgs).toEqual([DEFAULT_ORG]);
    expect(dir.fallback.id).toBe('default');
  });
  it('parses orgs, normalising origins', () => {
    const orgs = parseOrgs(
      JSON.stringify([{ id: 'osaka-cci', name: '大阪商工会議所 相談窓口', allowedOrigins: ['https://www.example.jp/'], hours: { weekly: { mon: ['09:00-17:00'] } } }]),
      'orgs.json',
    );
    expect(orgs[0]).toMatchObject({ id: 'osaka-cci', allowedOrigins: ['https://www.example.jp'] });
    expect(orgs[0]!.hours?.holidays).toBe('closed');
  });
  it('names the file and the field of a mistake', () => {
    expect(() => parseOrgs('{', 'orgs.json')).toThrow(/^orgs\.json: JSON として読めません/);
    expect(() => parseOrgs('[{"id":"a","name":"A","hours":{"weekly":{"mon":["9-17"]}}}]', 'orgs.json')).toThrow(
      /orgs\.json: 0\.hours\.weekly\.mon\.0: "09:00-17:00" の形/,
    );
    expect(() => parseOrgs('[{"id":"a","name":"A"},{"id":"a","name":"B"}]', 'o.json')).toThrow(/重複/);
    expect(() => parseOrgs('[{"id":"A B","name":"A"}]', 'o.json')).toThrow(/o\.json: 0\.id/);
    expect(() => parseOrgs('[{"id":"a","name":"A","hours":{"weekly":{"mon":["17:00-09:00"]}}}]', 'o.json')).toThrow(/終了は開始より後/);
    expect(() => loadOrgs('/nonexistent/orgs.json')).toThrow(/ORGS_FILE .* を読めません \(ENOENT\)/);
  });
});
