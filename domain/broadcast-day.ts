// The broadcast day: its business id and the station's calendar days.
import { DateTime } from 'luxon';

/** The workflow id of a station's broadcast day: `broadcast-day:<station slug>:<YYYY-MM-DD>`. */
export function broadcastDayWorkflowId(stationSlug: string, broadcastDate: string): string {
  return `broadcast-day:${stationSlug}:${broadcastDate}`;
}

/**
 * `count` calendar days ('YYYY-MM-DD') starting with today in `timezone` at `now`.
 * Calendar arithmetic, so DST days (23 or 25 hours) count as one day each.
 */
export function broadcastDatesFrom(now: Date, timezone: string, count: number): string[] {
  const today = DateTime.fromJSDate(now, { zone: timezone }).startOf('day');
  if (!today.isValid) throw new RangeError(`Unknown timezone "${timezone}"`);
  return Array.from({ length: count }, (_, i) => today.plus({ days: i }).toISODate());
}
