/** Dates as the desk writes them to people: Japan time, 「2026年11月30日」 or 「11月30日」. */
const FULL = new Intl.DateTimeFormat('ja-JP', { timeZone: 'Asia/Tokyo', year: 'numeric', month: 'long', day: 'numeric' });
const MONTH_DAY = new Intl.DateTimeFormat('ja-JP', { timeZone: 'Asia/Tokyo', month: 'long', day: 'numeric' });

export const japaneseDate = (d: Date): string => FULL.format(d);
export const japaneseMonthDay = (d: Date): string => MONTH_DAY.format(d);
