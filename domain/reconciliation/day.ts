// The broadcast day as instants, and whether its as-run has come (docs/reconciliation.md §Awaiting the as-run).
import { DateTime } from 'luxon';
import { DEFAULT_AS_RUN_GRACE_MS } from './rules.js';
import type { AsRunPlay, Period, ReportedMiss } from './types.js';
import type { AsRunState } from '../vocabulary.js';

/** Local midnight to local midnight of `date` in `timezone`: 23, 24 or 25 hours. */
export function broadcastDayPeriod(date: string, timezone: string): Period {
  const start = DateTime.fromISO(date, { zone: timezone }).startOf('day');
  if (!start.isValid) throw new RangeError(`No broadcast day ${date} in timezone "${timezone}"`);
  return { startsAt: start.toMillis(), endsAt: start.plus({ days: 1 }).toMillis() };
}

/** When a day's as-run is overdue: the day's end plus the grace (default 24 h). */
export function asRunDeadline(day: Period, graceMs: number = DEFAULT_AS_RUN_GRACE_MS): number {
  return day.endsAt + graceMs;
}

export interface AsRunDayState {
  state: AsRunState;
  deadline: number;
  overdue: boolean;
}

/**
 * Whether a day's as-run has come: `awaiting_as_run` while no source has delivered a play of the
 * day (and no operator has reported a miss) — its spots are not missed yet — overdue after the deadline.
 */
export function asRunDayState(input: { day: Period; plays: readonly Pick<AsRunPlay, 'startedAt'>[]; reportedMissed?: readonly ReportedMiss[]; now: number; graceMs?: number }): AsRunDayState {
  const deadline = asRunDeadline(input.day, input.graceMs);
  const delivered = (input.reportedMissed?.length ?? 0) > 0 || input.plays.some((p) => p.startedAt >= input.day.startsAt && p.startedAt < input.day.endsAt);
  if (delivered) return { state: 'reconciled', deadline, overdue: false };
  return { state: 'awaiting_as_run', deadline, overdue: input.now > deadline };
}
