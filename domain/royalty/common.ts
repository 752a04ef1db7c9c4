// What every royalty writer shares: the station's clock (local date and time of a play, fast
// enough for a year of plays), the period's plays, text made ASCII for the formats that demand
// it, lengths as HH:MM:SS, and which plays are music for the performing-rights societies.
import { DateTime, IANAZone } from 'luxon';
import { addDays } from '../calendar-date.js';
import type { AiredPlay, MissingData, MusicUsage, ReportPeriod } from './types.js';

const two = (n: number) => (n < 10 ? `0${n}` : String(n));

export interface LocalTime {
  /** YYYY-MM-DD */
  date: string;
  /** HH:MM:SS */
  time: string;
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** Minutes east of UTC. */
  offset: number;
  /** MST, MDT, EST; GMT+1 where the zone has no abbreviation. */
  zoneAbbreviation: string;
}

const QUARTER_HOUR_MS = 900_000;
const DAY_MS = 86_400_000;

/**
 * The station's wall clock: instant → local date and time. Offsets change only on quarter
 * hours (every zone in use today), and at most once in a UTC day: a day whose midnight and the
 * next one's have the same offset has it throughout (one look-up a day), and only a day of a
 * change is looked up by quarter hour. A year of plays costs some 400 look-ups, not one per
 * play or per quarter hour.
 */
export function stationClock(timezone: string): (at: number) => LocalTime {
  const zone = IANAZone.create(timezone);
  if (!zone.isValid) throw new RangeError(`not an IANA time zone: "${timezone}"`);
  // Offset at each UTC midnight looked up; each day's offset, or NaN on a day it changes.
  const midnights = new Map<number, number>();
  const midnight = (day: number) => {
    let offset = midnights.get(day);
    if (offset === undefined) midnights.set(day, (offset = zone.offset(day * DAY_MS)));
    return offset;
  };
  const days = new Map<number, number>();
  const quarters = new Map<number, number>();
  const names = new Map<number, string>();
  return (at: number) => {
    const utcDay = Math.floor(at / DAY_MS);
    let offset = days.get(utcDay);
    if (offset === undefined) {
      const first = midnight(utcDay);
      days.set(utcDay, (offset = first === midnight(utcDay + 1) ? first : NaN));
    }
    if (Number.isNaN(offset)) {
      const bucket = Math.floor(at / QUARTER_HOUR_MS);
      offset = quarters.get(bucket);
      if (offset === undefined) quarters.set(bucket, (offset = zone.offset(bucket * QUARTER_HOUR_MS)));
    }
    let zoneAbbreviation = names.get(offset);
    if (zoneAbbreviation === undefined) names.set(offset, (zoneAbbreviation = zone.offsetName(at, { format: 'short', locale: 'en-US' }) ?? 'UTC'));
    const wall = new Date(at + offset * 60_000);
    const year = wall.getUTCFullYear();
    const month = wall.getUTCMonth() + 1;
    const day = wall.getUTCDate();
    const hour = wall.getUTCHours();
    const minute = wall.getUTCMinutes();
    const second = wall.getUTCSeconds();
    return {
      date: `${year}-${two(month)}-${two(day)}`,
      time: `${two(hour)}:${two(minute)}:${two(second)}`,
      year,
      month,
      day,
      hour,
      minute,
      second,
      offset,
      zoneAbbreviation,
    };
  };
}

/** A play with its local time, as the writers go through them. */
export interface LocalPlay {
  play: AiredPlay;
  local: LocalTime;
}

/** The instants the period covers: from the station's midnight that begins its first day to the one after its last. */
export function periodBounds(period: ReportPeriod, timezone: string): { start: number; end: number } {
  if (period.to < period.from) throw new RangeError(`the period ends (${period.to}) before it starts (${period.from})`);
  const start = DateTime.fromISO(period.from, { zone: timezone }).startOf('day');
  const end = DateTime.fromISO(addDays(period.to, 1), { zone: timezone }).startOf('day');
  if (!start.isValid || !end.isValid) throw new RangeError(`not a period in ${timezone}: ${period.from} to ${period.to}`);
  return { start: start.toMillis(), end: end.toMillis() };
}

const byAirTime = (a: AiredPlay, b: AiredPlay) => a.startedAt - b.startedAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** The plays that started on the period's days (station time), in air order (sorted only when they are not already). */
export function periodPlays(plays: readonly AiredPlay[], period: ReportPeriod, timezone: string, keep: (p: AiredPlay) => boolean = () => true): AiredPlay[] {
  const { start, end } = periodBounds(period, timezone);
  const out: AiredPlay[] = [];
  let sorted = true;
  for (const play of plays) {
    if (play.startedAt < start || play.startedAt >= end || !keep(play)) continue;
    if (sorted && out.length && byAirTime(out[out.length - 1]!, play) > 0) sorted = false;
    out.push(play);
  }
  return sorted ? out : out.sort(byAirTime);
}

/** periodPlays, each with its local time. */
export function playsInPeriod(plays: readonly AiredPlay[], period: ReportPeriod, timezone: string, keep?: (p: AiredPlay) => boolean): LocalPlay[] {
  const clock = stationClock(timezone);
  return periodPlays(plays, period, timezone, keep).map((play) => ({ play, local: clock(play.startedAt) }));
}

/** A function's results kept per argument for one file: a library repeats its titles and names thousands of times a month. */
export function remembered<T>(f: (text: string) => T): (text: string) => T {
  const seen = new Map<string, T>();
  return (text) => {
    let v = seen.get(text);
    if (v === undefined && !seen.has(text)) seen.set(text, (v = f(text)));
    return v as T;
  };
}

/** HH:MM:SS, rounded to the second. */
export function hms(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  return `${two(Math.floor(s / 3600))}:${two(Math.floor(s / 60) % 60)}:${two(s % 60)}`;
}

/** `YYYY-MM-DD` → `YYYYMMDD`. */
export const compactDate = (date: string) => date.replaceAll('-', '');

// Letters NFKD does not take apart, and punctuation with a plain ASCII stand-in.
const ASCII_STAND_INS: Record<string, string> = {
  ß: 'ss', ẞ: 'SS', æ: 'ae', Æ: 'AE', œ: 'oe', Œ: 'OE', ø: 'o', Ø: 'O', ł: 'l', Ł: 'L', đ: 'd', Đ: 'D', ð: 'd', Ð: 'D', þ: 'th', Þ: 'Th', ı: 'i', ĸ: 'k',
  '\u2018': "'", '\u2019': "'", '\u201A': "'", '\u201B': "'", '\u2032': "'", '\u201C': '"', '\u201D': '"', '\u201E': '"', '\u2033': '"', '\u00AB': '"', '\u00BB': '"',
  '\u2010': '-', '\u2011': '-', '\u2012': '-', '\u2013': '-', '\u2014': '-', '\u2015': '-', '\u2212': '-', '\u2026': '...', '\u00D7': 'x', '\u00A0': ' ', '\u2022': '*', '\u00B7': '.',
};
const NOT_ASCII = /[^\x20-\x7e]/g;

/**
 * Text as printable ASCII: accents dropped (Beyoncé → Beyonce), letters NFKD cannot split
 * spelled out (Røyksopp → Royksopp, Straße → Strasse), typographic quotes and dashes plain,
 * line breaks and tabs a space, anything else (a title in another script) left out; runs of
 * spaces one, ends trimmed. A field that comes out empty is reported missing by the writer.
 */
export function toAscii(text: string | null | undefined): string {
  if (!text) return '';
  if (/^[\x20-\x7e]*$/.test(text) && !/ {2}|^ | $/.test(text)) return text;
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\x20-\x7e]/g, (c) => ASCII_STAND_INS[c] ?? (/\s/.test(c) ? ' ' : ''))
    .replace(NOT_ASCII, '')
    .replace(/ {2,}/g, ' ')
    .trim();
}

/** Space-padded on the right, or cut, to exactly `width` characters. */
export const leftJustify = (text: string, width: number) => (text.length >= width ? text.slice(0, width) : text + ' '.repeat(width - text.length));
/** Space-padded on the left, or cut (keeping the start), to exactly `width` characters. */
export const rightJustify = (text: string, width: number) => (text.length >= width ? text.slice(0, width) : ' '.repeat(width - text.length) + text);

/** Whether a value is there: not null, not blank. */
export const has = (v: string | null | undefined): v is string => typeof v === 'string' && v.trim() !== '';

/**
 * Music the performing-rights societies (BMI, ASCAP, SESAC, GMR, SOCAN) are owed for: MUS plays,
 * and BED plays (music under speech) as background.
 */
export const isPerformedMusic = (p: AiredPlay) => p.trackType === 'MUS' || p.trackType === 'BED';

/** How the music was used: as the track says; unmarked, a MUS play is a feature and a BED play background. */
export function usageOf(p: AiredPlay): MusicUsage {
  return p.usage ?? (p.trackType === 'BED' ? 'background' : 'feature');
}

/**
 * The period's plays of the kinds a file carries that lack something it needs, in air order:
 * each with the fields it lacks (AiredPlay's names).
 */
export function missingIn(
  station: { timezone: string },
  plays: readonly AiredPlay[],
  period: ReportPeriod,
  keep: (p: AiredPlay) => boolean,
  lacks: (p: AiredPlay) => string[],
): MissingData[] {
  const out: MissingData[] = [];
  for (const play of periodPlays(plays, period, station.timezone, keep)) {
    const m = missingOf(play, lacks(play));
    if (m) out.push(m);
  }
  return out;
}

/** The missing-data line for a play, or null when it lacks nothing. */
export function missingOf(p: AiredPlay, fields: string[]): MissingData | null {
  return fields.length ? { playId: p.id, trackId: p.trackId, title: p.title, startedAt: p.startedAt, fields } : null;
}
