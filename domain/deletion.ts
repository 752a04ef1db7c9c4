// What keeps a piece of a station's programming or traffic from being deleted, and what to
// change first (docs/deleting.md). A daypart, category, rule set, clock, advertiser or campaign
// that something still uses is refused with one line per user; one nobody uses is deleted.
// History is never rewritten: a campaign whose spots are in a log stays (those logs are the
// proof of what aired, and what is to air) — it is cancelled instead. A clock that only past
// logs name may go: their entries keep their times, titles and tracks, only the clock link is
// cleared. Pure: db/usage.ts reads the uses, the API answers 409 with these lines.
import type { LogStatus, MakeGoodStatus } from './vocabulary.js';

/** One user of the thing, as a problem's `errors[]` item: what kind (`path`) and in words. */
export interface Blocker {
  path: string;
  message: string;
}

/** A clock element by its clock's name and its place in the clock (0-based). */
export interface ElementUse {
  clock: string;
  position: number;
}

/** Log entries of one built day that name the thing. */
export interface LogDayUse {
  date: string;
  status: LogStatus;
  entries: number;
}

export interface DaypartUsage {
  ruleSets: string[];
  clocks: string[];
  campaigns: string[];
  tracks: number;
  /** Make-goods still owed or scheduled that are wanted in this daypart. */
  makeGoods: number;
}

export interface CategoryUsage {
  tracks: number;
  clockElements: ElementUse[];
  advertisers: string[];
  campaigns: string[];
}

export interface RuleSetUsage {
  clockElements: ElementUse[];
}

export interface ClockUsage {
  /** Hours of the weekly grid: ISO weekday (1 = Monday) and local hour. */
  weekly: { weekday: number; hour: number }[];
  /** Date overrides that play it. */
  overrides: { date: string; hour: number }[];
  /** Built logs with entries from it, by day. */
  logs: LogDayUse[];
  /** Voice tracks recorded for a slot of one of its elements, by day. */
  voiceTracks: { date: string; count: number }[];
}

export interface AdvertiserUsage {
  campaigns: string[];
}

export interface CampaignUsage {
  /** Built logs that carry its spots, by day. */
  logs: LogDayUse[];
  /** Its make-goods by status (only the statuses it has). */
  makeGoods: Partial<Record<MakeGoodStatus, number>>;
}

const DAY_NAMES = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const hh = (hour: number) => `${String(hour).padStart(2, '0')}:00`;
const element = (e: ElementUse) => `clock "${e.clock}", element ${e.position + 1}`;

/** Runs of consecutive numbers: [1,2,3,5] → [[1,3],[5,5]]. */
function runs(values: number[]): [number, number][] {
  const out: [number, number][] = [];
  for (const v of [...new Set(values)].sort((a, b) => a - b)) {
    const last = out.at(-1);
    if (last && v === last[1] + 1) last[1] = v;
    else out.push([v, v]);
  }
  return out;
}

/**
 * Hours of the weekly grid in words, days with the same hours together:
 * "Mon–Fri 06:00", "Sat–Sun 00:00–24:00", "Mon, Wed 07:00–10:00 and 15:00".
 */
export function weeklyHoursText(hours: { weekday: number; hour: number }[]): string[] {
  const byDay = new Map<number, number[]>();
  for (const { weekday, hour } of hours) byDay.set(weekday, [...(byDay.get(weekday) ?? []), hour]);
  const byHours = new Map<string, number[]>();
  for (const [weekday, list] of [...byDay].sort((a, b) => a[0] - b[0])) {
    const text = runs(list)
      .map(([from, to]) => (from === to ? hh(from) : `${hh(from)}–${hh(to + 1)}`))
      .join(' and ');
    byHours.set(text, [...(byHours.get(text) ?? []), weekday]);
  }
  return [...byHours].map(([text, days]) => {
    const dayText = runs(days)
      .map(([from, to]) => (from === to ? DAY_NAMES[from - 1] : to === from + 1 ? `${DAY_NAMES[from - 1]}, ${DAY_NAMES[to - 1]}` : `${DAY_NAMES[from - 1]}–${DAY_NAMES[to - 1]}`))
      .join(', ');
    return `${dayText} ${text}`;
  });
}

/** Days of logs in words: "2026-12-10", "3 days, 2026-12-10 to 2026-12-12". */
function daysText(days: LogDayUse[]): string {
  const first = days[0]!.date;
  const last = days.at(-1)!.date;
  return days.length === 1 ? `the log of ${first}` : `the logs of ${plural(days.length, 'day')}, ${first} to ${last}`;
}

export function daypartBlockers(u: DaypartUsage): Blocker[] {
  return [
    ...u.ruleSets.map((name) => ({ path: 'ruleSets', message: `music rule set "${name}" is limited to it: take it out of the rule set's dayparts` })),
    ...u.clocks.map((name) => ({ path: 'clocks', message: `clock "${name}" is written for it: give the clock another daypart, or none` })),
    ...u.campaigns.map((name) => ({ path: 'campaigns', message: `campaign "${name}" may air in it: take it out of the campaign's dayparts` })),
    ...(u.tracks ? [{ path: 'tracks', message: `${plural(u.tracks, 'track')} may play in it: take it out of their dayparts in the library` }] : []),
    ...(u.makeGoods ? [{ path: 'makeGoods', message: `${plural(u.makeGoods, 'make-good')} still owed ${u.makeGoods === 1 ? 'is' : 'are'} wanted in it: let ${u.makeGoods === 1 ? 'it' : 'them'} air, or waive ${u.makeGoods === 1 ? 'it' : 'them'}` }] : []),
  ];
}

export function categoryBlockers(u: CategoryUsage): Blocker[] {
  return [
    ...(u.tracks ? [{ path: 'tracks', message: `${plural(u.tracks, 'track')} ${u.tracks === 1 ? 'carries' : 'carry'} it: take it off them in the library` }] : []),
    ...u.clockElements.map((e) => ({ path: 'clockElements', message: `${element(e)} asks for it: change the element's category` })),
    ...u.advertisers.map((name) => ({ path: 'advertisers', message: `advertiser "${name}" is in it: give the advertiser another category, or none` })),
    ...u.campaigns.map((name) => ({ path: 'campaigns', message: `campaign "${name}" is in it: give the campaign another category, or none` })),
  ];
}

export function ruleSetBlockers(u: RuleSetUsage): Blocker[] {
  return u.clockElements.map((e) => ({ path: 'clockElements', message: `${element(e)} plays from it: give the element another rule set, or none` }));
}

/** Past logs do not keep a clock: their entries keep everything but the link to it. */
export function clockBlockers(u: ClockUsage, today: string): Blocker[] {
  const logs = u.logs.filter((l) => l.date >= today);
  const voice = u.voiceTracks.filter((v) => v.date >= today);
  return [
    ...weeklyHoursText(u.weekly).map((text) => ({ path: 'grid.weekly', message: `the weekly grid plays it ${text}: put another clock in those hours` })),
    ...u.overrides.map((o) => ({ path: 'grid.overrides', message: `an override plays it on ${o.date} at ${hh(o.hour)}: change or remove the override` })),
    ...(logs.length ? [{ path: 'logs', message: `${daysText(logs)} ${logs.length === 1 ? 'has' : 'have'} hours from it: change the grid, then rebuild ${logs.length === 1 ? 'that day' : 'those days'}` }] : []),
    ...voice.map((v) => ({ path: 'voiceTracks', message: `${plural(v.count, 'voice track')} for ${v.date} ${v.count === 1 ? 'was' : 'were'} recorded for its slots: delete ${v.count === 1 ? 'it' : 'them'}, or let the day air first` })),
  ];
}

export function advertiserBlockers(u: AdvertiserUsage): Blocker[] {
  return u.campaigns.map((name) => ({ path: 'campaigns', message: `campaign "${name}" is theirs: delete the campaign first (one that has aired stays, and so does its advertiser)` }));
}

/** A campaign in any log, past or to come, stays: cancel it instead. */
export function campaignBlockers(u: CampaignUsage, today: string): Blocker[] {
  const past = u.logs.filter((l) => l.date < today);
  const coming = u.logs.filter((l) => l.date >= today);
  const spots = (days: LogDayUse[]) => plural(days.reduce((n, d) => n + d.entries, 0), 'spot');
  const carry = (days: LogDayUse[]) => (days.length === 1 ? 'carries' : 'carry');
  const owed = (u.makeGoods.owed ?? 0) + (u.makeGoods.scheduled ?? 0);
  return [
    ...(past.length ? [{ path: 'logs', message: `${daysText(past)} ${carry(past)} ${spots(past)} of it, the record of what aired: cancel the campaign instead` }] : []),
    ...(coming.length ? [{ path: 'logs', message: `${daysText(coming)} to come ${carry(coming)} ${spots(coming)} of it: cancel the campaign and rebuild ${coming.length === 1 ? 'that day' : 'those days'}` }] : []),
    ...(owed ? [{ path: 'makeGoods', message: `${plural(owed, 'make-good')} ${owed === 1 ? 'is' : 'are'} still owed: waive ${owed === 1 ? 'it' : 'them'}, or cancel the campaign` }] : []),
  ];
}

export type DeletableKind = 'daypart' | 'category' | 'music rule set' | 'clock' | 'advertiser' | 'campaign';

/** The refusal's detail: what is refused and why, in one sentence. */
export function refusalDetail(kind: DeletableKind, name: string, blockers: Blocker[], instead?: string): string {
  const what = `${kind[0]!.toUpperCase()}${kind.slice(1)} "${name}"`;
  return `${what} is still in use (${plural(blockers.length, 'use')}, listed in errors): change those first${instead ? `, or ${instead}` : ''}.`;
}
