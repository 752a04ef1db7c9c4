// How well a built log adds up: the invariants of a day's log (docs/log-rules.md, "A log that
// adds up") measured, so tests can insist on them and the benchmark can print them.
import type { BroadcastHour, EngineClock, LogEntryDraft } from './types.js';

export interface LogQuality {
  entries: number;
  /** Entries that start before the one before them ends. */
  overlaps: number;
  /** Entries (by position) that start earlier than the one before them. */
  outOfOrder: number;
  /** Silence between entries, and before the first / after the last, in ms. */
  gapMs: number;
  /** Entries that start at or after the end of the broadcast day. */
  startsAfterDayEnd: number;
  /** Hard starts that do not start exactly on time. */
  hardStartsMissed: number;
  /** Hours whose content ends further than the tolerance from the next hour's start. */
  hoursOutsideTolerance: number;
  /** Sum of what airs, and the length of the broadcast day (23, 24 or 25 hours), ms. */
  contentMs: number;
  dayMs: number;
}

export function measureLog(log: { hours: BroadcastHour[]; entries: LogEntryDraft[] }, clocks: EngineClock[], toleranceMs: number): LogQuality {
  const { hours, entries } = log;
  const sorted = [...hours].sort((a, b) => a.startsAt - b.startsAt);
  const dayStart = sorted[0]?.startsAt ?? 0;
  const dayEnd = sorted.length ? (sorted[sorted.length - 1]!.endsAt ?? sorted[sorted.length - 1]!.startsAt + 3_600_000) : 0;
  const byPosition = [...entries].sort((a, b) => a.position - b.position);
  const quality: LogQuality = {
    entries: entries.length,
    overlaps: 0,
    outOfOrder: 0,
    gapMs: 0,
    startsAfterDayEnd: 0,
    hardStartsMissed: 0,
    hoursOutsideTolerance: 0,
    contentMs: 0,
    dayMs: dayEnd - dayStart,
  };
  let previousEnd = dayStart;
  let previousStart = -Infinity;
  for (const entry of byPosition) {
    if (entry.startsAt < previousStart) quality.outOfOrder++;
    if (entry.startsAt < previousEnd) quality.overlaps++;
    else quality.gapMs += entry.startsAt - previousEnd;
    // A note of no length at the very end ("talk up to the post") airs nothing after the day.
    if (entry.startsAt > dayEnd || (entry.startsAt === dayEnd && entry.lengthMs > 0)) quality.startsAfterDayEnd++;
    quality.contentMs += entry.lengthMs;
    previousStart = entry.startsAt;
    previousEnd = Math.max(previousEnd, entry.startsAt + entry.lengthMs);
  }
  if (byPosition.length > 0) quality.gapMs += Math.max(0, dayEnd - previousEnd);
  else quality.gapMs = quality.dayMs;

  const hourByIndex = new Map(hours.map((h) => [h.index, h]));
  const offsetOf = new Map<string, number>();
  for (const clock of clocks) for (const e of clock.elements) if (e.startKind === 'hard' && e.startOffsetMs !== null) offsetOf.set(e.id, e.startOffsetMs);
  for (const entry of byPosition) {
    if (entry.startKind !== 'hard' || !entry.clockElementId) continue;
    const hour = hourByIndex.get(entry.hourIndex);
    const offset = offsetOf.get(entry.clockElementId);
    if (hour && offset !== undefined && entry.startsAt !== Math.min(hour.startsAt + offset, hour.endsAt)) quality.hardStartsMissed++;
  }
  // Each hour ends where its last entry ends; the next hour starts on its top.
  const lastEndByHour = new Map<number, number>();
  for (const entry of byPosition) lastEndByHour.set(entry.hourIndex, entry.startsAt + entry.lengthMs);
  for (const hour of sorted) {
    const end = lastEndByHour.get(hour.index);
    if (end === undefined) continue;
    const hourEnd = hour.endsAt ?? hour.startsAt + 3_600_000;
    if (Math.abs(end - hourEnd) > toleranceMs) quality.hoursOutsideTolerance++;
  }
  return quality;
}
