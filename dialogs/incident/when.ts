import { addDays } from '../../bot/japanese-date.js';
import { japanTime } from '../../bot/hours.js';

/** When the user noticed: the calendar day in Japan, and how they put it. */
export interface Noticed {
  /** YYYY-MM-DD, Japan time. */
  date: string;
  /** The user's own words, as they said them (「昨日の夜」). */
  said: string;
}

const KANJI_DIGITS: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9, 十: 10 };
const WEEKDAYS = '日月火水木金土';

/** 「三日前」「3日前」「十日前」 → the number. */
function numberOf(s: string): number | undefined {
  if (/^\d+$/.test(s)) return Number(s);
  if (s === '十') return 10;
  if (/^十[一二三四五六七八九]$/.test(s)) return 10 + KANJI_DIGITS[s[1]!]!;
  if (/^[一二三四五六七八九]十$/.test(s)) return KANJI_DIGITS[s[0]!]! * 10;
  if (s.length === 1 && KANJI_DIGITS[s] !== undefined) return KANJI_DIGITS[s];
  return undefined;
}

/**
 * The day a user means by 「今日」「今朝」「昨日の夜」「おととい」「3日前」「先週」「先週の金曜」
 * 「月曜」「11月28日」「11/28」「2026-11-28」, counted in Japan time from `now`. Undefined when
 * the text names no day. 「先週」 alone is taken as a week ago (the user can correct it); a
 * weekday alone is the most recent such day, today included; a month and day in the future is
 * last year's.
 */
export function noticedOn(text: string, now: Date): Noticed | undefined {
  const t = text.normalize('NFKC').replace(/\s+/g, '');
  const today = japanTime(now).date;
  const said = text.trim();
  const at = (date: string): Noticed => ({ date, said });

  const iso = /(\d{4})[-/年](\d{1,2})[-/月](\d{1,2})日?/.exec(t);
  if (iso) return validDay(Number(iso[1]), Number(iso[2]), Number(iso[3]), said);
  const md = /(\d{1,2})[/月](\d{1,2})日?/.exec(t);
  if (md) {
    const y = Number(today.slice(0, 4));
    const thisYear = validDay(y, Number(md[1]), Number(md[2]), said);
    if (thisYear && thisYear.date > today) return validDay(y - 1, Number(md[1]), Number(md[2]), said);
    return thisYear;
  }
  const ago = /([0-9一二三四五六七八九十]+)日(?:ほど|くらい|ぐらい)?前/.exec(t);
  if (ago) {
    const n = numberOf(ago[1]!);
    if (n !== undefined && n <= 366) return at(addDays(today, -n));
  }
  const weeksAgo = /([0-9一二三四五六七八九十]+)週間(?:ほど|くらい|ぐらい)?前/.exec(t);
  if (weeksAgo) {
    const n = numberOf(weeksAgo[1]!);
    if (n !== undefined && n <= 52) return at(addDays(today, -7 * n));
  }
  if (/一昨々日|さきおととい/.test(t)) return at(addDays(today, -3));
  if (/一昨日|おととい|おとつい/.test(t)) return at(addDays(today, -2));
  if (/昨日|きのう|昨夜|ゆうべ|昨晩|昨夕/.test(t)) return at(addDays(today, -1));

  // Weeks start on Monday, as on Japanese office calendars.
  const position = (weekday: number) => (weekday + 6) % 7;
  const p = position(new Date(`${today}T00:00:00Z`).getUTCDay());
  const wd = /(先週|今週)?の?([日月火水木金土])曜/.exec(t);
  if (wd) {
    const q = position(WEEKDAYS.indexOf(wd[2]!));
    const back = wd[1] === '先週' ? p + 7 - q : wd[1] === '今週' && q <= p ? p - q : (p - q + 7) % 7;
    return at(addDays(today, -back));
  }
  if (/今日|きょう|今朝|けさ|さっき|先ほど|先程|今しがた|たった今|本日|今夜|今晩|いまさっき|今さっき|午前中|^午前|^午後|^夕方|ついさっき|今$|いま$/.test(t)) return at(today);
  if (/先週/.test(t)) return at(addDays(today, -7));
  if (/先月/.test(t)) return at(addDays(today, -30));
  return undefined;
}

function validDay(y: number, m: number, d: number, said: string): Noticed | undefined {
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return undefined;
  return { date: date.toISOString().slice(0, 10), said };
}
