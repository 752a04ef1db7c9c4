// A log's hours as the timeline shows them: in air order, told apart by their label, so the
// 25-hour day's two 01:00 hours ("01:00 EDT", "01:00 EST") are two hours, not one.

export interface TimedEntry {
  startsAt: string;
  lengthMs: number;
  /** "07:00"; "01:00 EDT" / "01:00 EST" on the repeated hour of a 25-hour day. */
  hourLabel: string;
}

export interface LogHour<E extends TimedEntry> {
  label: string;
  startsAt: string;
  entries: E[];
  totalMs: number;
}

/** Consecutive entries of the same hour label make one hour. */
export function hoursOf<E extends TimedEntry>(entries: readonly E[]): LogHour<E>[] {
  const hours: LogHour<E>[] = [];
  for (const entry of entries) {
    let current = hours.at(-1);
    if (!current || current.label !== entry.hourLabel) {
      current = { label: entry.hourLabel, startsAt: entry.startsAt, entries: [], totalMs: 0 };
      hours.push(current);
    }
    current.entries.push(entry);
    current.totalMs += entry.lengthMs;
  }
  return hours;
}

/** "07:00" → "07", "01:00 EST" → "01 EST": the hour index's short names. */
export const shortHourLabel = (label: string) => label.replace(':00', '');
