// The broadcast calendar: weeks Monday to Sunday, each broadcast month ending on the last
// Sunday of its calendar month; and calendar months, for the affidavit's periods.
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { broadcastMonth, broadcastMonthOf, calendarMonth, daysIn, isYearMonth, lastSundayOf, overlap } from '../../domain/broadcast-calendar.js';

const weekday = (date: string) => DateTime.fromISO(date, { zone: 'UTC' }).weekday; // 1 Monday … 7 Sunday
const next = (date: string) => DateTime.fromISO(date, { zone: 'UTC' }).plus({ days: 1 }).toISODate()!;
const months = (from: number, to: number) => Array.from({ length: (to - from + 1) * 12 }, (_, i) => `${from + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`);

describe('the broadcast month', () => {
  it('broadcast January 2026 runs from Monday 29 December 2025 to Sunday 25 January 2026', () => {
    expect(broadcastMonth('2026-01')).toEqual({ first: '2025-12-29', last: '2026-01-25' });
  });

  it('broadcast December 2024 has five weeks: 25 November to 29 December', () => {
    expect(broadcastMonth('2024-12')).toEqual({ first: '2024-11-25', last: '2024-12-29' });
    expect(daysIn(broadcastMonth('2024-12'))).toBe(35);
  });

  it('a month whose last day is a Sunday ends its broadcast month on that day (August 2025)', () => {
    expect(broadcastMonth('2025-08')).toEqual({ first: '2025-07-28', last: '2025-08-31' });
    expect(broadcastMonth('2025-09').first).toBe('2025-09-01');
  });

  it('in a leap year February can end on the 29th, a Sunday (2004), or earlier (2024)', () => {
    expect(broadcastMonth('2004-02')).toEqual({ first: '2004-01-26', last: '2004-02-29' });
    expect(broadcastMonth('2024-02')).toEqual({ first: '2024-01-29', last: '2024-02-25' });
    expect(broadcastMonth('2000-02')).toEqual({ first: '2000-01-31', last: '2000-02-27' });
    expect(lastSundayOf('2032-02')).toBe('2032-02-29');
  });

  it('from 1900 to 2100 every broadcast month starts on a Monday, ends on its last Sunday, has 4 or 5 weeks and follows the one before', () => {
    let previous: { first: string; last: string } | null = null;
    for (const month of months(1900, 2100)) {
      const span = broadcastMonth(month);
      expect(weekday(span.first), month).toBe(1);
      expect(weekday(span.last), month).toBe(7);
      expect([28, 35], month).toContain(daysIn(span));
      expect(span.last.slice(0, 7), month).toBe(month);
      const endOfMonth = DateTime.fromISO(`${month}-01`, { zone: 'UTC' }).endOf('month').toISODate()!;
      expect(daysIn({ first: span.last, last: endOfMonth }), month).toBeLessThanOrEqual(7); // no Sunday after it in the month
      expect(span.first <= `${month}-01`, month).toBe(true);
      if (previous) expect(span.first, month).toBe(next(previous.last));
      previous = span;
    }
  });

  it('every day of 1999–2031 belongs to the broadcast month whose days include it', () => {
    let day = '1999-01-01';
    while (day < '2032-01-01') {
      const span = broadcastMonth(broadcastMonthOf(day));
      expect(day >= span.first && day <= span.last, day).toBe(true);
      day = next(day);
    }
    expect(broadcastMonthOf('2025-12-29')).toBe('2026-01');
    expect(broadcastMonthOf('2026-01-25')).toBe('2026-01');
    expect(broadcastMonthOf('2026-01-26')).toBe('2026-02');
  });

  it('a broadcast year is 52 or 53 weeks', () => {
    for (let year = 1990; year <= 2060; year++) {
      const days = daysIn({ first: broadcastMonth(`${year}-01`).first, last: broadcastMonth(`${year}-12`).last });
      expect([364, 371], String(year)).toContain(days);
    }
  });
});

describe('calendar months and spans', () => {
  it('a calendar month is its first to its last day, February 29 in leap years only', () => {
    expect(calendarMonth('2026-11')).toEqual({ first: '2026-11-01', last: '2026-11-30' });
    expect(calendarMonth('2024-02').last).toBe('2024-02-29');
    expect(calendarMonth('2100-02').last).toBe('2100-02-28');
    expect(calendarMonth('2000-02').last).toBe('2000-02-29');
    expect(calendarMonth('2026-12').last).toBe('2026-12-31');
  });

  it('takes YYYY-MM only', () => {
    expect(isYearMonth('2026-11')).toBe(true);
    for (const bad of ['2026-13', '2026-00', '2026-1', '0000-01', '202611']) expect(isYearMonth(bad), bad).toBe(false);
    expect(() => broadcastMonth('2026-13')).toThrow(RangeError);
  });

  it('two spans overlap on the days they share', () => {
    expect(overlap({ first: '2026-11-01', last: '2026-12-31' }, calendarMonth('2026-12'))).toEqual({ first: '2026-12-01', last: '2026-12-31' });
    expect(overlap({ first: '2026-11-01', last: '2026-11-10' }, calendarMonth('2026-12'))).toBeNull();
  });
});
