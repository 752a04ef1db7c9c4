// The broadcast day as instants, and whether its as-run has come (docs/reconciliation.md §Awaiting the as-run).
import { DateTime } from 'luxon';
import { DEFAULT_AS_RUN_GRACE_MS } from './rules.js';
import type { AsRunPlay, Period, PlannedPeriod, ReportedMiss, ScheduledEntry } from './types.js';
import type { AsRunState, LiveSource, NotDueReason } from '../vocabulary.js';

/** Local midnight to local midnight of `date` in `timezone`: 23, 24 or 25 hours. */
export function broadcastDayPeriod(date: string, timezone: string): Period {
  const start = DateTime.fromISO(date, { zone: timezone }).startOf('day');
  if (!start.isValid) throw new RangeError(`No broadcast day ${date} in timezone "${timezone}"`);
  return { startsAt: start.toMillis(), endsAt: start.plus({ days: 1 }).toMillis() };
}

/** Why a live entry is not due from playout: a live show, or a relay (network feed, outside broadcast). */
export function notDueReasonOf(source: LiveSource | null): NotDueReason {
  return source === 'network' || source === 'outside' ? 'outside_programme' : 'live_show';
}

/**
 * The day's live programmes (LIVE entries, docs/log-rules.md §1) as planned periods: playout is
 * not to air anything in them, so the entry itself and anything logged inside it is not due.
 */
export function livePlannedPeriods(entries: readonly ScheduledEntry[]): PlannedPeriod[] {
  return entries
    .filter((e) => e.type === 'LIVE' && e.lengthMs > 0)
    .map((e) => ({ kind: e.period ?? 'live_show', startsAt: e.startsAt, endsAt: e.startsAt + e.lengthMs }));
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
