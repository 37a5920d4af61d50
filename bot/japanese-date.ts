/** Dates as the desk writes them to people: Japan time, 「2026年11月30日」 or 「11月30日」. */
const FULL = new Intl.DateTimeFormat('ja-JP', { timeZone: 'Asia/Tokyo', year: 'numeric', month: 'long', day: 'numeric' });
const MONTH_DAY = new Intl.DateTimeFormat('ja-JP', { timeZone: 'Asia/Tokyo', month: 'long', day: 'numeric' });

export const japaneseDate = (d: Date): string => FULL.format(d);
export const japaneseMonthDay = (d: Date): string => MONTH_DAY.format(d);

const WEEKDAY = ['日', '月', '火', '水', '木', '金', '土'];

/** A calendar day (YYYY-MM-DD) as 「2026年12月4日（金）」; the day stands on its own, no time zone involved. */
export function japaneseDay(day: string): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const weekday = WEEKDAY[new Date(Date.UTC(y, m - 1, d)).getUTCDay()];
  return `${y}年${m}月${d}日（${weekday}）`;
}

/** `day` plus `n` calendar days (n may be negative), as YYYY-MM-DD: month ends, year ends and 29 February included. */
export function addDays(day: string, n: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}
