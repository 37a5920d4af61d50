import { describe, expect, it } from 'vitest';
import { addDays, japaneseDay } from '../../bot/japanese-date.js';
import { assessPpc } from '../../dialogs/incident/ppc.js';
import { assessSeverity } from '../../dialogs/incident/severity.js';
import { noticedOn } from '../../dialogs/incident/when.js';
import { QUESTIONS } from '../../dialogs/incident/triage-questions.js';

/** 10:00 in Japan on the given day. */
const jst = (day: string) => new Date(`${day}T01:00:00Z`);

describe('the day a user noticed, from their words (Japan time)', () => {
  // Tuesday 1 December 2026.
  const now = jst('2026-12-01');
  const cases: [string, string][] = [
    ['今日', '2026-12-01'],
    ['今朝気づきました', '2026-12-01'],
    ['さっき', '2026-12-01'],
    ['昨日の夜', '2026-11-30'],
    ['きのう', '2026-11-30'],
    ['おととい', '2026-11-29'],
    ['3日前', '2026-11-28'],
    ['三日前くらい', '2026-11-28'],
    ['2〜3日前', '2026-11-28'], // the earlier day: deadlines are not overstated
    ['1週間ほど前', '2026-11-24'],
    ['先週', '2026-11-24'],
    ['先週の金曜', '2026-11-27'],
    ['先週の月曜日', '2026-11-23'],
    ['金曜日', '2026-11-27'],
    ['月曜', '2026-11-30'],
    ['火曜', '2026-12-01'],
    ['11月28日', '2026-11-28'],
    ['11/28', '2026-11-28'],
    ['１２月２５日', '2025-12-25'], // a day still ahead this year is last year's
    ['2026-11-03', '2026-11-03'],
  ];
  for (const [said, day] of cases) {
    it(`「${said}」 → ${day}`, () => expect(noticedOn(said, now)?.date).toBe(day));
  }

  it('counts the day in Japan, not UTC: 23:30 in Japan is still that day', () => {
    const lateNight = new Date('2026-12-01T14:30:00Z'); // 23:30 JST on 1 December
    expect(noticedOn('今日', lateNight)?.date).toBe('2026-12-01');
    const justAfter = new Date('2026-12-01T15:30:00Z'); // 00:30 JST on 2 December
    expect(noticedOn('昨日', justAfter)?.date).toBe('2026-12-01');
  });

  it('refuses what names no day, and impossible dates', () => {
    expect(noticedOn('わかりません', now)).toBeUndefined();
    expect(noticedOn('2月30日', now)).toBeUndefined();
  });
});

describe('the personal-information commission: whether to report, and by when', () => {
  const base = { involved: 'yes' as const, kinds: [], wrongfulIntent: false, awareOn: '2026-12-01' };

  it('requires a report for each of the four categories, even for one person in the first three', () => {
    expect(assessPpc({ ...base, kinds: ['sensitive'], people: 'upTo1000' }).categories).toEqual([1]);
    expect(assessPpc({ ...base, kinds: ['card'], people: 'upTo1000' }).categories).toEqual([2]);
    expect(assessPpc({ ...base, kinds: ['basic'], wrongfulIntent: true, people: 'upTo1000' }).categories).toEqual([3]);
    expect(assessPpc({ ...base, kinds: ['basic'], people: 'over1000' }).categories).toEqual([4]);
    for (const f of [{ kinds: ['sensitive' as const] }, { kinds: ['card' as const] }, { wrongfulIntent: true }, { people: 'over1000' as const }]) {
      expect(assessPpc({ ...base, kinds: ['basic'], people: 'upTo1000', ...f }).verdict).toBe('required');
    }
  });

  it('says no report is needed when no category applies, and asks to check when the facts are unknown', () => {
    expect(assessPpc({ ...base, kinds: ['basic'], people: 'upTo1000' }).verdict).toBe('not-required');
    expect(assessPpc({ ...base, involved: 'no' }).verdict).toBe('not-required');
    expect(assessPpc({ ...base, kinds: ['unknown'], people: 'upTo1000' }).verdict).toBe('check');
    expect(assessPpc({ ...base, involved: 'unknown', kinds: ['card'] }).verdict).toBe('check');
  });

  it('exempts data protected by strong encryption', () => {
    const a = assessPpc({ ...base, kinds: ['card'], people: 'over1000', encrypted: true });
    expect(a.verdict).toBe('not-required');
    expect(a.reason).toMatch(/暗号化/);
  });

  it('gives the preliminary report 3-5 days and the final one 30 days after awareness, 60 for wrongful intent', () => {
    const a = assessPpc({ ...base, kinds: ['card'], people: 'upTo1000' });
    expect(a.preliminary).toEqual({ from: '2026-12-04', to: '2026-12-06' });
    expect(a.final).toEqual({ by: '2026-12-31', days: 30 });
    const b = assessPpc({ ...base, kinds: ['basic'], wrongfulIntent: true, people: 'upTo1000' });
    expect(b.final).toEqual({ by: '2027-01-30', days: 60 });
  });

  it('counts across month ends, year ends and 29 February', () => {
    const at = (awareOn: string, wrongfulIntent = false) => assessPpc({ ...base, kinds: ['card'], wrongfulIntent, awareOn });
    expect(at('2026-01-30').final.by).toBe('2026-03-01'); // January 30 + 30 days, February has 28
    expect(at('2028-01-30').final.by).toBe('2028-02-29'); // a leap year
    expect(at('2028-02-28').preliminary).toEqual({ from: '2028-03-02', to: '2028-03-04' }); // through 29 February
    expect(at('2026-12-30').preliminary).toEqual({ from: '2027-01-02', to: '2027-01-04' });
    expect(at('2026-12-30', true).final.by).toBe('2027-02-28');
    expect(at('2027-12-31', true).final.by).toBe('2028-02-29');
  });

  it('writes the dates with their weekday', () => {
    expect(japaneseDay('2026-12-31')).toBe('2026年12月31日（木）');
    expect(japaneseDay(addDays('2028-02-28', 1))).toBe('2028年2月29日（火）');
  });
});

describe('triage severity', () => {
  it('is high when money is gone, for ransomware, when it spreads, and for sensitive personal data', () => {
    expect(assessSeverity({ paid: 'emoney', ongoing: 'no' }, 'fake-alert').severity).toBe('high');
    expect(assessSeverity({ ongoing: 'no', scope: 'one' }, 'ransomware').severity).toBe('high');
    expect(assessSeverity({ ongoing: 'yes', scope: 'several' }, 'malware-suspected').severity).toBe('high');
    expect(assessSeverity({ ongoing: 'unknown', disconnected: 'no' }, 'emotet').severity).toBe('high');
    expect(assessSeverity({ ongoing: 'no', personal: 'yes', kinds: ['card'] }, 'data-leak').severity).toBe('high');
    expect(assessSeverity({ personal: 'unknown', people: 'over1000' }, 'data-leak').severity).toBe('high');
  });

  it('is low when it is over, on one device, with no money or personal data; medium otherwise', () => {
    expect(assessSeverity({ ongoing: 'no', scope: 'one', personal: 'no', paid: 'no' }, 'malware-suspected').severity).toBe('low');
    expect(assessSeverity({ ongoing: 'no', scope: 'one', personal: 'yes', kinds: ['basic'], people: 'upTo100' }, 'data-leak').severity).toBe('medium');
    expect(assessSeverity({}, 'phishing').severity).toBe('medium');
  });

  it('gives its reason in one sentence', () => {
    const { reason } = assessSeverity({ paid: 'transfer' }, 'bec');
    expect(reason).toMatch(/お金/);
    expect(reason.split('。').filter(Boolean)).toHaveLength(1);
  });
});

describe('typed triage answers', () => {
  it('reads a bare はい or うん as "still happening", and わからない before anything else', () => {
    const ongoing = QUESTIONS.find((q) => q.id === 'ongoing')!;
    const now = new Date('2026-12-01T10:00:00+09:00');
    for (const t of ['はい', 'うん', 'ﾊｲ', 'yes']) expect(ongoing.read(t, now), t).toEqual({ ongoing: 'yes' });
    expect(ongoing.read('止まってます', now)).toEqual({ ongoing: 'no' });
    expect(ongoing.read('はい、わからないです', now)).toEqual({ ongoing: 'unknown' });
  });
});
