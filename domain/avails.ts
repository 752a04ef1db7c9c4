// Avails and sell-out (docs/avails.md): for each day ahead and each daypart, how many ADV avails
// the clocks give, how many are sold, how many are free — what a sales person needs to sell the
// next flight. Pure: the station's programming, its orders and the logs already built go in,
// the counts come out.
//
// - **Avails** are the ADV slots the day's clocks give (an element with a count of three gives
//   three), hour by hour in the station's timezone, by the engine's own clock expansion
//   (`broadcastHours`: the grid, the date's overrides, DST days of 23 or 25 hours). On a day
//   whose log is built they are the log's ADV avails instead, sold or not.
// - **Sold** on a built day is what the log placed (spots with a campaign, make-goods among
//   them). On a projected day it is what the active orders in flight ask for, as the engine
//   would ask (`quotaToday`: spots per day; spots per week spread over the days of the ISO week
//   left, counting what the week's logs and the projection placed before), spread over the
//   hours the order may air in proportion to the avails it may take there (an avail reserved for
//   a product category only for that category), plus the make-goods owed, first come first
//   placed, at most the station's share of a day's avails.
// - **Free** = max(0, avails − sold), **oversold** = max(0, sold − avails), counted where the
//   hours share the same dayparts (a "segment" of the day) and summed from there, so
//   free + sold − oversold = avails everywhere, and dayparts that do not overlap add up to the day.
import { addDays } from './calendar-date.js';
import { broadcastHours } from './log/clock-expansion.js';
import { allowedIn } from './log/dayparts.js';
import { DEFAULT_MAKE_GOOD_SHARE_PERCENT, dayNumber, quotaToday } from './log/traffic.js';
import type { BroadcastHour, BuildInputs, EngineCampaign, EngineClock, EngineDaypart } from './log/types.js';

/** What the projection reads of an order. */
export type AvailsCampaign = Pick<EngineCampaign, 'id' | 'startsOn' | 'endsOn' | 'priority' | 'spotsPerDay' | 'spotsPerWeek' | 'categoryCode' | 'daypartIds' | 'status'>;

/** A make-good owed (not yet in a log), in the order the engine takes them: oldest first. */
export interface AvailsMakeGood {
  id: string;
  campaignId: string;
  /** Asked for on this day: not before it, and first on it. */
  wantedOn: string | null;
  /** Asked for in this daypart: only its hours. */
  daypartId: string | null;
}

/** One ADV avail of a built log: the local hour of its slot, and what the log put there. */
export interface BuiltAvail {
  hour: number;
  /** Tells the repeated hour of a 25-hour day apart (null: the first hour of that number). */
  utcOffsetMinutes: number | null;
  /** The campaign whose spot the log placed (null: a PSA, or empty). */
  campaignId: string | null;
  makeGood: boolean;
}

export interface BuiltDay {
  date: string;
  avails: BuiltAvail[];
}

export interface AvailsInputs {
  station: { timezone: string; makeGoodSharePercent?: number };
  /** First and last day, 'YYYY-MM-DD', both included. */
  from: string;
  to: string;
  dayparts: EngineDaypart[];
  clocks: EngineClock[];
  /** Clock id by `${isoWeekday}:${hour}`. */
  grid: Record<string, string>;
  /** By date, clock id by local hour. */
  overrides: Record<string, Record<string, string>>;
  campaigns: AvailsCampaign[];
  makeGoods: AvailsMakeGood[];
  /** Logs already built: days of the range, and days before it in the range's first ISO week (they count for spots per week). */
  built: BuiltDay[];
}

export const SELL_OUT_LEVELS = ['none', 'open', 'selling', 'tight', 'sold_out', 'oversold'] as const;
/** none: no avails; open: under half sold; selling: half or more; tight: 85 % or more; sold_out: all; oversold: more asked for than there are. */
export type SellOutLevel = (typeof SELL_OUT_LEVELS)[number];

export interface AvailsCounts {
  avails: number;
  sold: number;
  free: number;
  oversold: number;
  /** Of `sold`, make-goods. */
  makeGoods: number;
  /** sold / avails in whole percent (null without avails). */
  sellOutPercent: number | null;
  level: SellOutLevel;
}

export interface AvailsCell extends AvailsCounts {
  /** null: the hours in no daypart. */
  daypartId: string | null;
}

export interface AvailsDay {
  date: string;
  /** ISO weekday, 1 = Monday. */
  weekday: number;
  /** Hours of the broadcast day: 24, or 23 / 25 on DST days. */
  hours: number;
  state: 'built' | 'projected';
  dayparts: AvailsCell[];
  total: AvailsCounts;
}

export interface AvailsWeek {
  /** Monday of the ISO week, or the range's first day. */
  startsOn: string;
  /** Sunday, or the range's last day. */
  endsOn: string;
  days: AvailsDay[];
  dayparts: AvailsCell[];
  total: AvailsCounts;
}

export interface AvailsReport {
  from: string;
  to: string;
  /** The columns: the station's dayparts by start, then "other hours" where some hour is in none. */
  dayparts: { id: string | null; name: string }[];
  /** Some hour is in two dayparts or more: the daypart columns then add up to more than the day. */
  daypartsOverlap: boolean;
  /** Make-goods owed now, and how many of them the projection places in the range. */
  makeGoods: { owed: number; placed: number };
  weeks: AvailsWeek[];
  total: AvailsCounts;
}

export const OTHER_HOURS = 'Other hours';

/** The sell-out level of counts. */
export function sellOutLevel(c: Pick<AvailsCounts, 'avails' | 'sold' | 'oversold'>): SellOutLevel {
  if (c.oversold > 0) return 'oversold';
  if (c.avails === 0) return 'none';
  const share = c.sold / c.avails;
  return share >= 1 ? 'sold_out' : share >= 0.85 ? 'tight' : share >= 0.5 ? 'selling' : 'open';
}

/** ISO weekday (1 = Monday) of a date. */
export function isoWeekdayOf(date: string): number {
  return ((((dayNumber(date) + 3) % 7) + 7) % 7) + 1;
}

/** Monday of a date's ISO week. */
export function isoWeekStart(date: string): string {
  return addDays(date, 1 - isoWeekdayOf(date));
}

/** Raw counts of a part of a day, before free and oversold are derived. */
interface Tally {
  avails: number;
  sold: number;
  free: number;
  oversold: number;
  makeGoods: number;
}

const emptyTally = (): Tally => ({ avails: 0, sold: 0, free: 0, oversold: 0, makeGoods: 0 });
const addTally = (to: Tally, t: Tally): void => {
  to.avails += t.avails;
  to.sold += t.sold;
  to.free += t.free;
  to.oversold += t.oversold;
  to.makeGoods += t.makeGoods;
};
const counts = (t: Tally): AvailsCounts => ({
  ...t,
  sellOutPercent: t.avails > 0 ? Math.round((t.sold * 100) / t.avails) : null,
  level: sellOutLevel(t),
});

/** Hours of a day that share the same dayparts. */
interface Segment {
  daypartIds: string[];
  hours: number;
  avails: number;
  /** Avails an element reserves for a product category, by category. */
  reserved: Map<string, number>;
  sold: number;
  makeGoods: number;
}

/** The hours of a date, as the engine expands them. */
function hoursOf(inputs: AvailsInputs, date: string): BroadcastHour[] {
  const build: BuildInputs = {
    station: { id: '', slug: '', timezone: inputs.station.timezone, fillToleranceMs: 0 },
    date,
    seed: 0,
    dayparts: inputs.dayparts,
    clocks: inputs.clocks,
    grid: inputs.grid,
    overrides: inputs.overrides[date] ?? {},
    ruleSets: [],
    library: [],
    campaigns: [],
    makeGoods: [],
    history: [],
    voiceTracks: [],
  };
  return broadcastHours(build);
}

/** ADV avails of each clock: in all, and reserved by category. */
function clockAvails(clocks: EngineClock[]): Map<string, { all: number; reserved: Map<string, number> }> {
  const byClock = new Map<string, { all: number; reserved: Map<string, number> }>();
  for (const clock of clocks) {
    const tally = { all: 0, reserved: new Map<string, number>() };
    for (const element of clock.elements) {
      if (element.type !== 'ADV') continue;
      tally.all += element.count;
      if (element.categoryCode !== null) tally.reserved.set(element.categoryCode, (tally.reserved.get(element.categoryCode) ?? 0) + element.count);
    }
    byClock.set(clock.id, tally);
  }
  return byClock;
}

/**
 * `n` whole spots over places by weight (largest remainder): each place gets its share rounded
 * down, the rest go to the largest remainders, ties to the place with the most room left, then
 * the earliest. Nothing when every weight is 0.
 */
export function spreadByWeight(n: number, weights: readonly number[], room: readonly number[] = []): number[] {
  const total = weights.reduce((sum, w) => sum + w, 0);
  const out = weights.map(() => 0);
  if (n <= 0 || total <= 0) return out;
  const shares = weights.map((w) => (n * w) / total);
  let left = n;
  shares.forEach((share, i) => {
    out[i] = Math.floor(share + 1e-9);
    left -= out[i]!;
  });
  const order = shares
    .map((share, i) => ({ i, remainder: share - out[i]! }))
    .filter((x) => weights[x.i]! > 0)
    .sort((a, b) => b.remainder - a.remainder || (room[b.i] ?? 0) - out[b.i]! - ((room[a.i] ?? 0) - out[a.i]!) || a.i - b.i);
  for (let k = 0; left > 0; k = (k + 1) % order.length, left--) out[order[k]!.i]!++;
  return out;
}

/** The avails, sold and free of every day and daypart from `from` to `to`. */
export function availsReport(inputs: AvailsInputs): AvailsReport {
  if (inputs.to < inputs.from) throw new RangeError(`avails from ${inputs.from} to ${inputs.to}: the end is before the start`);
  const share = inputs.station.makeGoodSharePercent ?? DEFAULT_MAKE_GOOD_SHARE_PERCENT;
  const byClock = clockAvails(inputs.clocks);
  const daypartsById = new Map(inputs.dayparts.map((d) => [d.id, d]));
  const builtByDate = new Map(inputs.built.map((b) => [b.date, b]));
  const campaigns = [...inputs.campaigns].sort((a, b) => b.priority - a.priority || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

  // Spots already in the week's built logs, per campaign and week (for spots per week).
  const placedInWeek = new Map<string, number>();
  const weekKey = (date: string, campaignId: string) => `${isoWeekStart(date)}:${campaignId}`;
  const builtOn = new Map<string, Map<string, number>>();
  for (const day of inputs.built) {
    const perCampaign = new Map<string, number>();
    for (const a of day.avails) if (a.campaignId !== null) perCampaign.set(a.campaignId, (perCampaign.get(a.campaignId) ?? 0) + 1);
    builtOn.set(day.date, perCampaign);
    for (const [id, n] of perCampaign) placedInWeek.set(weekKey(day.date, id), (placedInWeek.get(weekKey(day.date, id)) ?? 0) + n);
  }

  const owed = [...inputs.makeGoods];
  let makeGoodsPlaced = 0;
  let overlap = false;
  let anyOutside = false;
  const days: { date: string; weekday: number; hours: number; state: AvailsDay['state']; segments: Segment[] }[] = [];

  for (let date = inputs.from; date <= inputs.to; date = addDays(date, 1)) {
    const hours = hoursOf(inputs, date);
    const segments: Segment[] = [];
    const segmentOfHour: Segment[] = [];
    const bykey = new Map<string, Segment>();
    for (const hour of hours) {
      const ids = [...hour.daypartIds].sort();
      if (ids.length > 1) overlap = true;
      const key = ids.join(',');
      let segment = bykey.get(key);
      if (!segment) {
        segment = { daypartIds: ids, hours: 0, avails: 0, reserved: new Map(), sold: 0, makeGoods: 0 };
        bykey.set(key, segment);
        segments.push(segment);
      }
      segment.hours++;
      segmentOfHour[hour.index] = segment;
    }
    const built = builtByDate.get(date);
    if (built) {
      // What the log placed, hour by hour (the repeated hour of a 25-hour day told apart by its offset).
      for (const a of built.avails) {
        const hour = hours.find((h) => h.hour === a.hour && (a.utcOffsetMinutes === null || h.utcOffsetMinutes === a.utcOffsetMinutes)) ?? hours.find((h) => h.hour === a.hour);
        if (!hour) continue;
        const segment = segmentOfHour[hour.index]!;
        segment.avails++;
        if (a.campaignId !== null) segment.sold++;
        if (a.campaignId !== null && a.makeGood) segment.makeGoods++;
      }
    } else {
      for (const hour of hours) {
        const clock = hour.clockId ? byClock.get(hour.clockId) : undefined;
        if (!clock) continue;
        const segment = segmentOfHour[hour.index]!;
        segment.avails += clock.all;
        for (const [code, n] of clock.reserved) segment.reserved.set(code, (segment.reserved.get(code) ?? 0) + n);
      }
      project(date, segments);
    }
    if (segments.some((s) => s.daypartIds.length === 0 && (s.avails > 0 || s.sold > 0))) anyOutside = true;
    days.push({ date, weekday: isoWeekdayOf(date), hours: hours.length, state: built ? 'built' : 'projected', segments });
  }

  /** The orders' spots and the make-goods of a day not built yet. */
  function project(date: string, segments: Segment[]): void {
    const dayAvails = segments.reduce((sum, s) => sum + s.avails, 0);
    const inFlight = new Map(campaigns.filter((c) => c.status === 'active' && c.startsOn <= date && date <= c.endsOn).map((c) => [c.id, c]));
    const room = () => segments.map((s) => s.avails - s.sold);
    const weightsFor = (campaign: AvailsCampaign, daypartId: string | null) =>
      segments.map((s) =>
        allowedIn(campaign.daypartIds, s.daypartIds) && (daypartId === null || s.daypartIds.includes(daypartId))
          ? s.avails - [...s.reserved.values()].reduce((a, b) => a + b, 0) + (campaign.categoryCode !== null ? (s.reserved.get(campaign.categoryCode) ?? 0) : 0)
          : 0,
      );
    const place = (campaignId: string, spread: number[], makeGood: boolean) => {
      let n = 0;
      spread.forEach((k, i) => {
        segments[i]!.sold += k;
        if (makeGood) segments[i]!.makeGoods += k;
        n += k;
      });
      if (n > 0) placedInWeek.set(weekKey(date, campaignId), (placedInWeek.get(weekKey(date, campaignId)) ?? 0) + n);
    };

    // Make-goods first: those wanted today, then the oldest; never more than the station's share.
    const makeGoodRoom = share > 0 ? Math.max(1, Math.floor((dayAvails * share) / 100)) : 0;
    const candidates = owed
      .filter((m) => inFlight.has(m.campaignId) && (m.wantedOn === null || m.wantedOn <= date))
      .sort((a, b) => Number(b.wantedOn === date) - Number(a.wantedOn === date))
      .slice(0, makeGoodRoom);
    for (const makeGood of candidates) {
      const weights = weightsFor(inFlight.get(makeGood.campaignId)!, makeGood.daypartId);
      const spread = spreadByWeight(1, weights, room());
      if (spread.every((k) => k === 0)) continue; // no avail it may take today: it stays owed
      place(makeGood.campaignId, spread, true);
      owed.splice(owed.indexOf(makeGood), 1);
      makeGoodsPlaced++;
    }

    // The orders, higher priority first (that only decides ties in rounding).
    for (const campaign of inFlight.values()) {
      const airsToday = segments.some((s) => allowedIn(campaign.daypartIds, s.daypartIds));
      if (!airsToday) continue;
      const placedThisWeek = (placedInWeek.get(weekKey(date, campaign.id)) ?? 0) - (builtOn.get(date)?.get(campaign.id) ?? 0);
      const n = quotaToday({ ...campaign, placedThisWeek }, dayNumber(date), daypartsById);
      if (n === 0) continue;
      let spread = spreadByWeight(n, weightsFor(campaign, null), room());
      // Ordered where it has no avail it may take: it is oversold there, spread by hours.
      if (spread.every((k) => k === 0)) spread = spreadByWeight(n, segments.map((s) => (allowedIn(campaign.daypartIds, s.daypartIds) ? s.hours : 0)));
      place(campaign.id, spread, false);
    }
  }

  // Columns: the dayparts by start, then the hours in none where there are such hours with avails.
  const columns: { id: string | null; name: string }[] = [...inputs.dayparts]
    .sort((a, b) => a.startMinute - b.startMinute || a.name.localeCompare(b.name))
    .map((d) => ({ id: d.id, name: d.name }));
  if (anyOutside) columns.push({ id: null, name: OTHER_HOURS });

  const tallyOf = (segments: Segment[], daypartId: string | null | undefined): Tally => {
    const t = emptyTally();
    for (const s of segments) {
      if (daypartId === null ? s.daypartIds.length > 0 : daypartId !== undefined && !s.daypartIds.includes(daypartId)) continue;
      addTally(t, { avails: s.avails, sold: s.sold, free: Math.max(0, s.avails - s.sold), oversold: Math.max(0, s.sold - s.avails), makeGoods: s.makeGoods });
    }
    return t;
  };

  const weeks: AvailsWeek[] = [];
  const reportTotal = emptyTally();
  for (const day of days) {
    const cells = columns.map((c) => ({ daypartId: c.id, tally: tallyOf(day.segments, c.id) }));
    const total = tallyOf(day.segments, undefined);
    let week = weeks.at(-1);
    const monday = isoWeekStart(day.date);
    if (!week || week.startsOn < monday) {
      week = { startsOn: day.date, endsOn: day.date, days: [], dayparts: columns.map((c) => ({ daypartId: c.id, ...counts(emptyTally()) })), total: counts(emptyTally()) };
      weeks.push(week);
    }
    week.endsOn = day.date;
    week.days.push({ date: day.date, weekday: day.weekday, hours: day.hours, state: day.state, dayparts: cells.map((c) => ({ daypartId: c.daypartId, ...counts(c.tally) })), total: counts(total) });
    addTally(reportTotal, total);
  }
  for (const week of weeks) {
    week.dayparts = columns.map((c, i) => {
      const t = emptyTally();
      for (const day of week.days) addTally(t, day.dayparts[i]!);
      return { daypartId: c.id, ...counts(t) };
    });
    const t = emptyTally();
    for (const day of week.days) addTally(t, day.total);
    week.total = counts(t);
  }

  return { from: inputs.from, to: inputs.to, dayparts: columns, daypartsOverlap: overlap, makeGoods: { owed: inputs.makeGoods.length, placed: makeGoodsPlaced }, weeks, total: counts(reportTotal) };
}
