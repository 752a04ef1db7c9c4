// The quality of what a benchmark built, printed next to its speed: overlaps, order, gaps,
// hard starts missed, hours outside the fill tolerance, and content against the day
// (docs/log-rules.md §6) — all zero or exact.
import type { Knex } from 'knex';
import { createLogInputsLoader } from '../db/log-inputs.js';
import { broadcastHours } from '../domain/log/clock-expansion.js';
import { measureLog, type LogQuality } from '../domain/log/quality.js';
import type { BuildInputs, LogEntryDraft } from '../domain/log/types.js';

/** One line: what was built, summed over the days, next to what it must be. */
export function printQuality(label: string, days: LogQuality[]): boolean {
  const sum = (pick: (q: LogQuality) => number) => days.reduce((n, q) => n + pick(q), 0);
  const exact = days.filter((q) => q.contentMs === q.dayMs).length;
  const hours = (ms: number) => (ms / 3_600_000).toFixed(2);
  const ok = sum((q) => q.overlaps + q.outOfOrder + q.gapMs + q.hardStartsMissed + q.hoursOutsideTolerance + q.startsAfterDayEnd) === 0 && exact === days.length;
  console.log(
    `${label.padEnd(44)} overlaps ${sum((q) => q.overlaps)}, out of order ${sum((q) => q.outOfOrder)}, gap ${(sum((q) => q.gapMs) / 1000).toFixed(1)} s, ` +
      `hard starts missed ${sum((q) => q.hardStartsMissed)}, hours outside tolerance ${sum((q) => q.hoursOutsideTolerance)}, ` +
      `content ${hours(sum((q) => q.contentMs))} h of ${hours(sum((q) => q.dayMs))} h (${exact}/${days.length} days exact)   ${ok ? 'ok' : 'MISSED'}`,
  );
  return ok;
}

/** The quality of a station's logs as stored by the workflow (what playout would get). */
export async function storedQualities(db: Knex, slug: string, dates: string[]): Promise<LogQuality[]> {
  const loader = createLogInputsLoader(db);
  const qualities: LogQuality[] = [];
  for (const date of dates) {
    const inputs: BuildInputs = await loader.load(slug, date, 1, {});
    const rows = (await db('log_entries')
      .join('daily_logs', 'daily_logs.id', 'log_entries.log_id')
      .join('stations', 'stations.id', 'daily_logs.station_id')
      .where({ 'daily_logs.broadcast_date': date, 'stations.slug': slug })
      .orderBy('log_entries.position')
      .select('log_entries.position', 'log_entries.starts_at as startsAt', 'log_entries.length_ms as lengthMs', 'log_entries.start_kind as startKind', 'log_entries.clock_element_id as clockElementId', 'log_entries.hour_label as hourLabel')) as {
      position: number;
      startsAt: Date;
      lengthMs: number;
      startKind: LogEntryDraft['startKind'];
      clockElementId: string | null;
    }[];
    const hours = broadcastHours(inputs);
    // Entries carry their start; their hour is the one they start in.
    const hourOf = (at: number) => hours.findLast((h) => h.startsAt <= at)?.index ?? 0;
    const entries = rows.map((r) => ({ ...r, startsAt: r.startsAt.getTime(), hourIndex: hourOf(r.startsAt.getTime()) }) as unknown as LogEntryDraft);
    qualities.push(measureLog({ hours, entries }, inputs.clocks, inputs.station.fillToleranceMs));
  }
  return qualities;
}
