// Wall-clock times in the station's timezone → instants, DST days included: a time that does
// not exist (the hour skipped in spring) is a problem; one that occurs twice (the hour repeated
// in autumn) is read in file order — the first occurrence unless the file has already passed it.
import { DateTime } from 'luxon';

export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
}

/** Every instant at which the station's clocks showed `wall` (0, 1 or 2 of them), earliest first. */
export function instantsOf(wall: WallTime, timezone: string): number[] {
  const guess = DateTime.fromObject(wall, { zone: timezone });
  if (!guess.isValid) return [];
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second, wall.millisecond);
  const offsets = new Set([guess.offset, guess.minus({ hours: 3 }).offset, guess.plus({ hours: 3 }).offset]);
  const found = new Set<number>();
  for (const offset of offsets) {
    const at = asUtc - offset * 60_000;
    const back = DateTime.fromMillis(at, { zone: timezone });
    if (back.year === wall.year && back.month === wall.month && back.day === wall.day && back.hour === wall.hour && back.minute === wall.minute && back.second === wall.second) found.add(at);
  }
  return [...found].sort((a, b) => a - b);
}

/** The instant of `wall`, or why there is none; `after` (the previous row's instant) picks between two. */
export function resolveWallTime(wall: WallTime, timezone: string, after: number | null): { at: number } | { problem: string } {
  const candidates = instantsOf(wall, timezone);
  if (candidates.length === 0) return { problem: 'this local time does not exist in the station’s timezone (the hour skipped when clocks go forward)' };
  if (candidates.length === 1 || after === null) return { at: candidates[0]! };
  return { at: candidates.find((c) => c >= after) ?? candidates[0]! };
}

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?$/;

/** "2026-03-10T06:10:40" or "2026-03-10 06:10:40.5" (no offset) → wall time. */
export function parseLocalDateTime(text: string): WallTime | null {
  const m = DATE_TIME.exec(text);
  if (!m) return null;
  const wall = {
    year: Number(m[1]),
    month: Number(m[2]),
    day: Number(m[3]),
    hour: Number(m[4]),
    minute: Number(m[5]),
    second: Number(m[6] ?? 0),
    millisecond: m[7] ? Math.min(999, Math.round(Number(`0.${m[7]}`) * 1000)) : 0,
  };
  return DateTime.fromObject(wall, { zone: 'UTC' }).isValid ? wall : null;
}

/** Whether ISO 8601 text ends in an offset ("Z", "+02:00", "-0700"). */
export const hasOffset = (text: string) => /(?:Z|[+-]\d{2}(?::?\d{2})?)$/i.test(text);
