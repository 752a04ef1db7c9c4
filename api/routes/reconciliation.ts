// The reconciliation report through the API (docs/reconciliation.md §The reconciliation report):
// a day's outcomes per entry, its unscheduled plays and campaign totals, or a period's days and
// campaign totals — JSON or CSV. Recomputed from what the reconciliation step reads, so it says
// what the step would say now.
import { Router, type Request } from 'express';
import type { Knex } from 'knex';
import { DateTime } from 'luxon';
import { dayReportReading, reportCampaigns, reportLogs, type ReportCampaignRow } from '../../db/reconciliation-report.js';
import { orderedInPeriod } from '../../domain/affidavit.js';
import type { DateSpan } from '../../domain/broadcast-calendar.js';
import { dayReport, dayReportCsv, periodCampaignsCsv, periodDaysCsv, periodReport, type DayReport, type ReportCampaignName } from '../../domain/reconciliation/index.js';
import type { StationRow } from '../../db/log-inputs.js';
import type { AppDeps } from '../deps.js';
import { handle } from '../handle.js';
import { Problem } from '../problem.js';
import { stationOf } from '../stations.js';

/** The longest period one request reports on. */
export const MAX_REPORT_DAYS = 92;
/** Days reported on at once (each reads its log and as-run). */
const DAYS_AT_ONCE = 4;

type Format = 'json' | 'csv';

function formatOf(req: Request): Format {
  const asked = (req.query as { format?: Format }).format;
  if (asked) return asked;
  const wanted = req.accepts(['application/json', 'text/csv']);
  if (!wanted) throw new Problem(406, 'Not Acceptable', 'The reconciliation report comes as application/json or text/csv (or say `format`)');
  return wanted === 'text/csv' ? 'csv' : 'json';
}

const names = (campaigns: readonly ReportCampaignRow[]): Record<string, ReportCampaignName> => Object.fromEntries(campaigns.map((c) => [c.id, { name: c.name, advertiser: c.advertiser }]));

/** What the active orders ask for on the days (others count what was placed). */
const orderedOn = (campaigns: readonly ReportCampaignRow[], days: DateSpan): Record<string, number> =>
  Object.fromEntries(campaigns.filter((c) => c.status === 'active').map((c) => [c.id, orderedInPeriod(c, days)]));

async function reportOfDay(db: Knex, s: StationRow, logId: string, date: string, now: number): Promise<DayReport> {
  const reading = await dayReportReading(db, logId);
  const span = { first: date, last: date };
  const campaigns = await reportCampaigns(db, s.id, span, [...new Set(reading.entries.flatMap((e) => (e.campaignId ? [e.campaignId] : [])))]);
  return dayReport({
    station: { slug: s.slug, name: s.name, timezone: s.timezone },
    date,
    day: reading.day,
    entries: reading.entries,
    plays: reading.plays,
    interruptions: reading.interruptions,
    campaigns: names(campaigns),
    ordered: orderedOn(campaigns, span),
    now,
  });
}

export function createReconciliationRouter(deps: Pick<AppDeps, 'db'>): Router {
  const { db } = deps;
  const router = Router();

  router.get(
    '/stations/:station/logs/:date/reconciliation',
    handle(async (req, res) => {
      const s = await stationOf(db, req);
      const format = formatOf(req);
      const date = String(req.params.date);
      const [log] = await reportLogs(db, s.id, { first: date, last: date });
      if (!log) throw new Problem(404, 'Not Found', `The log of ${date} has not been built yet`);
      const report = await reportOfDay(db, s, log.id, date, Date.now());
      if (format === 'json') {
        res.json(report);
        return;
      }
      res.setHeader('Content-Disposition', `attachment; filename="${s.slug}-reconciliation-${date}.csv"`);
      res.type('text/csv; charset=utf-8; header=present').send(dayReportCsv(report));
    }),
  );

  router.get(
    '/stations/:station/reconciliation',
    handle(async (req, res) => {
      const s = await stationOf(db, req);
      const format = formatOf(req);
      // The validator has checked both are dates.
      const q = req.query as { from: string; to: string; rows?: 'days' | 'campaigns' };
      const from = DateTime.fromISO(q.from);
      const count = Math.round(DateTime.fromISO(q.to).diff(from, 'days').days) + 1;
      if (count < 1) throw new Problem(400, 'Bad Request', '`to` is before `from`', [{ path: 'query.to', message: 'must not be before from' }]);
      if (count > MAX_REPORT_DAYS) throw new Problem(400, 'Bad Request', `At most ${MAX_REPORT_DAYS} days at a time`, [{ path: 'query.to', message: `at most ${MAX_REPORT_DAYS} days after from` }]);
      const span = { first: q.from, last: q.to };
      const dates = Array.from({ length: count }, (_, i) => from.plus({ days: i }).toISODate()!);
      const logs = new Map((await reportLogs(db, s.id, span)).map((l) => [l.date, l]));
      const now = Date.now();
      const reports = new Map<string, DayReport>();
      const built = dates.filter((d) => logs.has(d));
      for (let i = 0; i < built.length; i += DAYS_AT_ONCE) {
        await Promise.all(built.slice(i, i + DAYS_AT_ONCE).map(async (date) => reports.set(date, await reportOfDay(db, s, logs.get(date)!.id, date, now))));
      }
      const named = [...new Set([...reports.values()].flatMap((r) => r.campaigns.map((c) => c.campaignId)))];
      const campaigns = await reportCampaigns(db, s.id, span, named);
      const report = periodReport({
        station: { slug: s.slug, name: s.name, timezone: s.timezone },
        from: q.from,
        to: q.to,
        days: dates.map((date) => ({ date, report: reports.get(date) ?? null })),
        ordered: orderedOn(campaigns, span),
        names: names(campaigns),
      });
      if (format === 'json') {
        res.json(report);
        return;
      }
      const rows = q.rows ?? 'days';
      res.setHeader('Content-Disposition', `attachment; filename="${s.slug}-reconciliation-${q.from}-to-${q.to}${rows === 'campaigns' ? '-campaigns' : ''}.csv"`);
      res.type('text/csv; charset=utf-8; header=present').send(rows === 'campaigns' ? periodCampaignsCsv(report) : periodDaysCsv(report));
    }),
  );

  return router;
}
