// The periods an affidavit (and an invoice) covers: a calendar month, a broadcast month, or a
// span of days such as a campaign's flight. Pure date arithmetic on `YYYY-MM-DD` and `YYYY-MM`
// strings — no time zone is involved: a period is a run of the station's broadcast days.
//
// The broadcast calendar (the one US radio and TV bill by): every week runs Monday to Sunday,
// and every broadcast month ends on the **last Sunday of its calendar month**. It begins on the
// Monday after the previous month's last Sunday, so it has 4 or 5 whole weeks (28 or 35 days),
// and its first days can fall in the previous calendar month (broadcast January 2026 is
// Monday 2025-12-29 to Sunday 2026-01-25). A calendar month whose last day is a Sunday ends
// its broadcast month on that day.

export type PeriodKind = 'month' | 'broadcast-month' | 'flight';

export interface DateSpan {
  /** First day, `YYYY-MM-DD` (included). */
  first: string;
  /** Last day, `YYYY-MM-DD` (included). */
  last: string;
}

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;
const DAY_MS = 86_400_000;

/** Whether `text` is a month `YYYY-MM` (years 0001–9999). */
export function isYearMonth(text: string): boolean {
  const m = MONTH.exec(text);
  return !!m && Number(m[1]) >= 1;
}

function parseMonth(yearMonth: string): { year: number; month: number } {
  const m = MONTH.exec(yearMonth);
  if (!m || Number(m[1]) < 1) throw new RangeError(`a month is YYYY-MM, not "${yearMonth}"`);
  return { year: Number(m[1]), month: Number(m[2]) };
}

/** The UTC midnight of a calendar day as a Date (for day arithmetic only). */
function utcDay(year: number, month: number, day: number): Date {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day); // setUTCFullYear keeps years 1–99 as they are
  return d;
}

function isoDay(d: Date): string {
  const y = d.getUTCFullYear();
  return `${String(y).padStart(4, '0')}-${String(d.getUTCMonth() + 1).padStart(2, '0')}-${String(d.getUTCDate()).padStart(2, '0')}`;
}

function monthBefore({ year, month }: { year: number; month: number }): { year: number; month: number } {
  return month === 1 ? { year: year - 1, month: 12 } : { year, month: month - 1 };
}

/** The last Sunday of a calendar month, `YYYY-MM-DD`. */
export function lastSundayOf(yearMonth: string): string {
  const { year, month } = parseMonth(yearMonth);
  const lastDay = utcDay(year, month + 1, 0); // day 0 of the next month: this month's last day
  return isoDay(new Date(lastDay.getTime() - lastDay.getUTCDay() * DAY_MS)); // getUTCDay: Sunday is 0
}

/** A calendar month: its first to its last day. */
export function calendarMonth(yearMonth: string): DateSpan {
  const { year, month } = parseMonth(yearMonth);
  return { first: isoDay(utcDay(year, month, 1)), last: isoDay(utcDay(year, month + 1, 0)) };
}

/** A broadcast month: the Monday after the previous month's last Sunday to this month's last Sunday. */
export function broadcastMonth(yearMonth: string): DateSpan {
  const previous = monthBefore(parseMonth(yearMonth));
  const previousLastSunday = lastSundayOf(`${String(previous.year).padStart(4, '0')}-${String(previous.month).padStart(2, '0')}`);
  return { first: isoDay(new Date(Date.parse(`${previousLastSunday}T00:00:00Z`) + DAY_MS)), last: lastSundayOf(yearMonth) };
}

/** The broadcast month (`YYYY-MM`) a day belongs to. */
export function broadcastMonthOf(date: string): string {
  const yearMonth = date.slice(0, 7);
  if (date <= lastSundayOf(yearMonth)) return yearMonth;
  const { year, month } = parseMonth(yearMonth);
  const next = month === 12 ? { year: year + 1, month: 1 } : { year, month: month + 1 };
  return `${String(next.year).padStart(4, '0')}-${String(next.month).padStart(2, '0')}`;
}

/** Days in a span, both ends included (0 when `last` is before `first`). */
export function daysIn(span: DateSpan): number {
  const days = Math.round((Date.parse(`${span.last}T00:00:00Z`) - Date.parse(`${span.first}T00:00:00Z`)) / DAY_MS) + 1;
  return Math.max(0, days);
}

/** The days two spans share, or null when they share none. */
export function overlap(a: DateSpan, b: DateSpan): DateSpan | null {
  const first = a.first > b.first ? a.first : b.first;
  const last = a.last < b.last ? a.last : b.last;
  return first <= last ? { first, last } : null;
}
