// The dates LibreLog takes. Every date is a real calendar date, `YYYY-MM-DD` (no 2024-02-30,
// no month 13, no year 0, which PostgreSQL does not have). A day's log is built only for a
// date from FIRST_BROADCAST_DATE on (before that some stations' local time was not a whole
// number of minutes from UTC, which a log's entries cannot say) and, when a person asks for
// it, within BUILD_WINDOW_DAYS of today at the station.

export const FIRST_BROADCAST_DATE = '2000-01-01';
/** A day's log is built at most this many days before or after today at the station. */
export const BUILD_WINDOW_DAYS = 400;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

const isLeapYear = (year: number) => year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);

/** Whether `text` is a calendar date `YYYY-MM-DD`, years 0001 to 9999. */
export function isCalendarDate(text: string): boolean {
  const match = DATE.exec(text);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (year < 1 || month < 1 || month > 12 || day < 1) return false;
  return day <= (month === 2 && isLeapYear(year) ? 29 : DAYS_IN_MONTH[month - 1]!);
}

/** Whether a day's log can be built for `text` at all: a calendar date from FIRST_BROADCAST_DATE on. */
export function isBroadcastDate(text: string): boolean {
  return isCalendarDate(text) && text >= FIRST_BROADCAST_DATE;
}

/** `date` ± `days` (calendar dates, no time zone involved). */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** The dates a person may have a log built for, given today at the station. */
export function buildWindow(today: string): { first: string; last: string } {
  const first = addDays(today, -BUILD_WINDOW_DAYS);
  return { first: first < FIRST_BROADCAST_DATE ? FIRST_BROADCAST_DATE : first, last: addDays(today, BUILD_WINDOW_DAYS) };
}
