// Data for the stations page: every station with its next broadcast days and their logs.
import type { Knex } from 'knex';
import { DailyLog, Station } from '../../../db/models.js';
import type { LogStatus } from '../../../domain/vocabulary.js';
import { broadcastDatesFrom, broadcastDayWorkflowId } from '../../../domain/broadcast-day.js';
import { temporalWorkflowUrl } from '../../../temporal/ui-link.js';
import { NEXT_DAYS } from './broadcast-day.js';

/** A log's status, or `not_built` for a day that has no log yet. */
export type DayStatus = LogStatus | 'not_built';

export interface BroadcastDaySummary {
  /** 'YYYY-MM-DD', a calendar day in the station's timezone. */
  date: string;
  isToday: boolean;
  status: DayStatus;
  /** The log's version, or null when the day is not built. */
  version: number | null;
  /** The log's workflow id, or the id its run will have. */
  workflowId: string;
  temporalUrl: string;
}

export interface StationDays {
  id: string;
  slug: string;
  name: string;
  timezone: string;
  days: BroadcastDaySummary[];
  /** Set when the days could not be worked out (an unknown timezone). */
  problem: string | null;
}

export interface StationDaysOptions {
  now: Date;
  temporalUiUrl: string;
  namespace: string;
  days?: number;
}

/** Every station, by name, with its next days starting today in the station's own timezone. */
export async function listStationsWithNextDays(db: Knex, options: StationDaysOptions): Promise<StationDays[]> {
  const count = options.days ?? NEXT_DAYS;
  const stations = await Station.query(db).select('id', 'slug', 'name', 'timezone').orderBy('name').orderBy('slug');
  if (stations.length === 0) return [];

  const datesByStation = new Map<string, string[] | Error>();
  for (const station of stations) {
    try {
      datesByStation.set(station.id, broadcastDatesFrom(options.now, station.timezone, count));
    } catch (error) {
      datesByStation.set(station.id, error instanceof Error ? error : new Error(String(error)));
    }
  }
  const allDates = [...datesByStation.values()].flatMap((dates) => (Array.isArray(dates) ? dates : [])).sort();

  const logs =
    allDates.length === 0
      ? []
      : await DailyLog.query(db)
          .select('stationId', 'broadcastDate', 'status', 'version', 'workflowId')
          .whereIn('stationId', stations.map((station) => station.id))
          .where('broadcastDate', '>=', allDates[0]!)
          .where('broadcastDate', '<=', allDates[allDates.length - 1]!);
  const logByDay = new Map(logs.map((log) => [`${log.stationId}|${log.broadcastDate}`, log]));

  return stations.map((station) => {
    const dates = datesByStation.get(station.id);
    const base = { id: station.id, slug: station.slug, name: station.name, timezone: station.timezone };
    if (!Array.isArray(dates)) return { ...base, days: [], problem: dates?.message ?? 'No days' };
    const days = dates.map((date, index): BroadcastDaySummary => {
      const log = logByDay.get(`${station.id}|${date}`);
      const workflowId = log?.workflowId ?? broadcastDayWorkflowId(station.slug, date);
      return {
        date,
        isToday: index === 0,
        status: log?.status ?? 'not_built',
        version: log ? log.version : null,
        workflowId,
        temporalUrl: temporalWorkflowUrl(options.temporalUiUrl, options.namespace, workflowId),
      };
    });
    return { ...base, days, problem: null };
  });
}
