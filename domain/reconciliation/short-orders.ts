// Orders left short (docs/reconciliation.md §Orders left short): at the end of each week of a
// campaign's flight, the spots it was ordered for that week and never given a place in a log —
// bumped for want of an avail, or preempted by a higher-priority order with nowhere else to go —
// are owed as make-goods. Missed spots are owed from the as-run instead; here only placement
// counts, so nothing is owed twice.
//
// A flight week is an ISO week (Monday to Sunday, as the engine spreads spots per week) cut to
// the flight: it ends on its Sunday or on the flight's last day. Only days with a log count —
// a day LibreLog did not build (before the station started, or a day left to the automation)
// ordered nothing from LibreLog.
import { airsOnWeekday } from '../log/dayparts.js';
import type { EngineDaypart } from '../log/types.js';

export interface WeeklyOrder {
  campaignId: string;
  /** Only an active order is owed anything; a paused or cancelled one asked for nothing. */
  status: string;
  startsOn: string;
  endsOn: string;
  spotsPerDay: number | null;
  spotsPerWeek: number | null;
  /** The order's dayparts (none: any time): days none of them touches are not ordered. */
  dayparts: readonly EngineDaypart[];
}

export interface FlightWeek {
  /** Its first day in the flight (a Monday, or the flight's first day). */
  startsOn: string;
  /** Its last day in the flight (a Sunday, or the flight's last day). */
  endsOn: string;
}

export interface WeekShortfall {
  campaignId: string;
  week: FlightWeek;
  /** Spots the order asked for on the week's logged days. */
  ordered: number;
  /** Regular spots of the order in those days' logs (make-goods placed there are not counted). */
  placed: number;
  /** Make-goods the week owes: ordered − placed, never below 0. */
  short: number;
}

const DAY_MS = 86_400_000;

const dayNumber = (date: string): number => Math.round(Date.parse(`${date}T00:00:00Z`) / DAY_MS);
const dateOf = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10);
/** ISO weekday (1 = Monday) of a day number (days since 1970-01-01, a Thursday). */
const isoWeekday = (day: number): number => ((((day + 3) % 7) + 7) % 7) + 1;

/** The week of the order's flight that ends on `date`, or null when none does (not a Sunday nor the flight's last day, or outside the flight). */
export function flightWeekEndingOn(order: Pick<WeeklyOrder, 'startsOn' | 'endsOn'>, date: string): FlightWeek | null {
  if (date < order.startsOn || date > order.endsOn) return null;
  const day = dayNumber(date);
  if (isoWeekday(day) !== 7 && date !== order.endsOn) return null;
  const monday = day - (isoWeekday(day) - 1);
  return { startsOn: dateOf(Math.max(monday, dayNumber(order.startsOn))), endsOn: date };
}

/**
 * What the order asked for in `week`, on the days that have a log. Spots per day: that many on
 * each logged day it may air. Spots per week: the week's share of them — all of them for a whole
 * week, in proportion to the days it may air for a week cut short by the flight or by days
 * without a log (rounded down: the station never owes a fraction of a spot).
 */
export function orderedInWeek(order: WeeklyOrder, week: FlightWeek, loggedDays: ReadonlySet<string>): number {
  if (order.status !== 'active') return 0;
  const first = dayNumber(week.startsOn);
  const last = dayNumber(week.endsOn);
  let airable = 0;
  for (let day = first; day <= last; day++) if (loggedDays.has(dateOf(day)) && airsOnWeekday(order.dayparts, isoWeekday(day))) airable++;
  if (order.spotsPerDay !== null) return airable * Math.max(0, Math.floor(order.spotsPerDay));
  if (order.spotsPerWeek === null || airable === 0) return 0;
  let airableInWholeWeek = 0;
  for (let weekday = 1; weekday <= 7; weekday++) if (airsOnWeekday(order.dayparts, weekday)) airableInWholeWeek++;
  return Math.floor((order.spotsPerWeek * airable) / Math.max(1, airableInWholeWeek));
}

/** The shortfall of `order` in the flight week ending on `date` (null when no week of its flight ends then). */
export function weekShortfall(order: WeeklyOrder, date: string, loggedDays: ReadonlySet<string>, placed: number): WeekShortfall | null {
  const week = flightWeekEndingOn(order, date);
  if (!week) return null;
  const ordered = orderedInWeek(order, week, loggedDays);
  return { campaignId: order.campaignId, week, ordered, placed, short: Math.max(0, ordered - placed) };
}

/**
 * How the week's make-goods change given those recorded for it already: more owed → record the
 * difference; fewer (a rebuild placed more) → withdraw that many of those still only owed
 * (one already placed in a later log stays: it airs as a bonus).
 */
export function shortfallChanges(shortfall: Pick<WeekShortfall, 'short'>, recorded: { owed: number; total: number }): { add: number; withdraw: number } {
  if (recorded.total < shortfall.short) return { add: shortfall.short - recorded.total, withdraw: 0 };
  return { add: 0, withdraw: Math.min(recorded.owed, recorded.total - shortfall.short) };
}
