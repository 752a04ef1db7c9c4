// What the reconciliation report reads (docs/reconciliation.md §The reconciliation report):
// the day's log, what reconciling it reads (db/reconciliation-inputs.ts, the same as the step),
// the live shows the step was told of, and the names and orders of the campaigns. The
// assembly is domain/reconciliation/report.ts.
import type { Knex } from 'knex';
import type { DateSpan } from '../domain/broadcast-calendar.js';
import type { Interruption, ReportCampaignName } from '../domain/reconciliation/index.js';
import type { LogStatus } from '../domain/vocabulary.js';
import { reconciliationInputs, type ReconciliationInputs } from './reconciliation-inputs.js';

export interface ReportLogRow {
  id: string;
  date: string;
  status: LogStatus;
}

/** The station's logs of the days from `first` to `last` (only the days built). */
export async function reportLogs(db: Knex, stationId: string, days: DateSpan): Promise<ReportLogRow[]> {
  return (await db('daily_logs')
    .where({ station_id: stationId })
    .whereBetween('broadcast_date', [days.first, days.last])
    .orderBy('broadcast_date')
    .select('id', db.raw(`to_char(broadcast_date, 'YYYY-MM-DD') as date`), 'status')) as ReportLogRow[];
}

export interface DayReportReading extends ReconciliationInputs {
  /** The live shows playout reported, as the last reconciliation step was given them. */
  interruptions: Interruption[];
}

/** What a day's report is computed from: the step's inputs and the live shows it was told of. */
export async function dayReportReading(db: Knex, logId: string): Promise<DayReportReading> {
  const [inputs, exception] = await Promise.all([
    reconciliationInputs(db, logId),
    // The step's own note (it says the day's state; a week left short has a note of its own).
    db('log_exceptions').where({ log_id: logId, kind: 'reconciliation' }).whereRaw(`jsonb_exists(details, 'state')`).first('details') as Promise<{ details: unknown } | undefined>,
  ]);
  return { ...inputs, interruptions: livePeriodsOf(exception?.details) };
}

/** The `livePeriods` the reconciliation step wrote into its exception's details ({startsAt, endsAt} ISO instants). */
function livePeriodsOf(details: unknown): Interruption[] {
  let parsed = details;
  if (typeof parsed === 'string') {
    try {
      parsed = JSON.parse(parsed) as unknown;
    } catch {
      return [];
    }
  }
  const periods = (parsed as { livePeriods?: unknown } | null)?.livePeriods;
  if (!Array.isArray(periods)) return [];
  return periods.flatMap((p: { startsAt?: unknown; endsAt?: unknown }) => {
    const startsAt = typeof p.startsAt === 'string' ? Date.parse(p.startsAt) : NaN;
    const endsAt = typeof p.endsAt === 'string' ? Date.parse(p.endsAt) : NaN;
    return Number.isFinite(startsAt) && Number.isFinite(endsAt) ? [{ kind: 'live_takeover' as const, startsAt, endsAt }] : [];
  });
}

export interface ReportCampaignRow extends ReportCampaignName {
  id: string;
  startsOn: string;
  endsOn: string;
  spotsPerDay: number | null;
  spotsPerWeek: number | null;
  status: string;
}

/**
 * The station's campaigns that matter to a report of `days`: the ones named (their spots are in
 * the logs) and the active ones whose flight overlaps the days (their orders ask for spots).
 */
export async function reportCampaigns(db: Knex, stationId: string, days: DateSpan, named: readonly string[]): Promise<ReportCampaignRow[]> {
  return (await db('campaigns as c')
    .join('advertisers as a', 'a.id', 'c.advertiser_id')
    .where('c.station_id', stationId)
    .andWhere((q) => {
      void q.whereIn('c.id', [...named]).orWhere((active) => {
        void active.where('c.status', 'active').andWhere('c.starts_on', '<=', days.last).andWhere('c.ends_on', '>=', days.first);
      });
    })
    .select('c.id', 'c.name', 'a.name as advertiser', 'c.starts_on as startsOn', 'c.ends_on as endsOn', 'c.spots_per_day as spotsPerDay', 'c.spots_per_week as spotsPerWeek', 'c.status')) as ReportCampaignRow[];
}
