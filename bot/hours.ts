import holidayJp from '@holiday-jp/holiday_jp';
import { z } from 'zod';

/**
 * An org's business hours, in Japan time (the desk serves Japan; JST has no daylight saving).
 *
 * ```json
 * "hours": {
 *   "weekly": { "mon": ["09:00-12:00", "13:00-17:00"], "tue": ["09:00-17:00"], "sat": [] },
 *   "holidays": "closed",
 *   "closedDates": ["2026-12-29", "2026-12-30", "2026-12-31", "2027-01-02", "2027-01-03"],
 *   "note": "平日 9:00〜17:00（土日祝・年末年始を除く）"
 * }
 * ```
 * A day missing from `weekly` is closed. `holidays` says whether Japanese public holidays are
 * closed (default) or open. `note` is shown to users as is; without it one is derived.
 */
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
type Day = (typeof DAYS)[number];
const DAY_JA: Record<Day, string> = { sun: '日', mon: '月', tue: '火', wed: '水', thu: '木', fri: '金', sat: '土' };

const range = z
  .string()
  .regex(/^([01]\d|2[0-4]):[0-5]\d-([01]\d|2[0-4]):[0-5]\d$/, '"09:00-17:00" の形で書いてください')
  .refine((r) => toMinutes(r.slice(0, 5)) < toMinutes(r.slice(6)), '終了は開始より後にしてください');

export const hoursSchema = z
  .object({
    weekly: z.partialRecord(z.enum(DAYS), z.array(range)),
    holidays: z.enum(['closed', 'open']).default('closed'),
    closedDates: z.array(z.iso.date()).default([]),
    note: z.string().min(1).optional(),
  })
  .strict();

export type BusinessHours = z.infer<typeof hoursSchema>;

const JST_OFFSET_MS = 9 * 60 * 60 * 1000;
const holidays = new Set(Object.keys(holidayJp.holidays));

function toMinutes(hhmm: string): number {
  return Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
}

/** The date (YYYY-MM-DD), weekday and minute of the day in Japan for an instant. */
export function japanTime(now: Date): { date: string; day: Day; minute: number } {
  const jst = new Date(now.getTime() + JST_OFFSET_MS);
  return {
    date: jst.toISOString().slice(0, 10),
    day: DAYS[jst.getUTCDay()]!,
    minute: jst.getUTCHours() * 60 + jst.getUTCMinutes(),
  };
}

export function isJapaneseHoliday(date: string): boolean {
  return holidays.has(date);
}

/** Whether a desk with these hours is open at `now`. No hours means always open. */
export function isOpen(hours: BusinessHours | null | undefined, now: Date): boolean {
  if (!hours) return true;
  const t = japanTime(now);
  if (hours.closedDates.includes(t.date)) return false;
  if (hours.holidays === 'closed' && isJapaneseHoliday(t.date)) return false;
  return (hours.weekly[t.day] ?? []).some((r) => toMinutes(r.slice(0, 5)) <= t.minute && t.minute < toMinutes(r.slice(6)));
}

/** A short Japanese description of the hours for users ("月〜金 09:00-17:00（祝日を除く）"). */
export function describeHours(hours: BusinessHours | null | undefined): string {
  if (!hours) return '24時間受付';
  if (hours.note) return hours.note;
  const parts: string[] = [];
  for (const d of ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const) {
    const r = hours.weekly[d];
    if (r && r.length) parts.push(`${DAY_JA[d]} ${r.join('、')}`);
  }
  if (parts.length === 0) return '受付時間外';
  return parts.join(' / ') + (hours.holidays === 'closed' ? '（祝日を除く）' : '');
}
