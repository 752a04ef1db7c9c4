// Reports: the royalty and compliance files made from the as-run (reports/royalty-files.ts),
// previewed with what they lack before download, the files the monthly Schedule prepared, and
// the figures the reports page draws (spins, listener hours by day, tuning hours).
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Router, type Request } from 'express';
import type { Knex } from 'knex';
import { DateTime } from 'luxon';
import { listenerHoursByDay, reportStation, spins, storedTuningHours } from '../../db/royalty-plays.js';
import type { ReportPeriod } from '../../domain/royalty/index.js';
import { preparedReports } from '../../reports/prepared-reports.js';
import { prepareRoyaltyFile, reportsFor, royaltyReport, stationDetailsLacking } from '../../reports/royalty-files.js';
import { handle } from '../handle.js';
import { Problem } from '../problem.js';
import { stationOf } from '../stations.js';

/** The longest period a file or chart covers: a year and a day (a leap year's). */
const MOST_DAYS = 366;
const PREVIEW_LINES = 20;
const PREVIEW_PLAYS = 20;
const PREVIEW_MISSING = 500;

/** The period asked for: `from` and `to` as days, in order, at most MOST_DAYS. */
function periodOf(req: Request): ReportPeriod {
  const { from, to } = req.query as { from: string; to: string };
  if (to < from) throw new Problem(400, 'Bad Request', '`to` is before `from`', [{ path: 'query.to', message: 'must not be before from' }]);
  const days = DateTime.fromISO(to).diff(DateTime.fromISO(from), 'days').days + 1;
  if (days > MOST_DAYS) throw new Problem(400, 'Bad Request', `The period is ${days} days; a report covers at most ${MOST_DAYS}`, [{ path: 'query.to', message: `must be within ${MOST_DAYS} days of from` }]);
  return { from, to };
}

const headersOf = (req: Request) => (req.query as { headers?: boolean }).headers ?? true;

export function createReportsRouter(deps: { db: Knex; dataDir?: string | undefined }): Router {
  const { db } = deps;
  const router = Router();

  router.get(
    '/stations/:station/reports/tuning-hours',
    handle(async (req, res) => {
      const s = await stationOf(db, req);
      const { from, to } = periodOf(req);
      const start = DateTime.fromISO(from, { zone: s.timezone }).startOf('day');
      const end = DateTime.fromISO(to, { zone: s.timezone }).plus({ days: 1 }).startOf('day');
      const { hours, sessions } = await storedTuningHours(db, s.id, start.toJSDate(), end.toJSDate());
      res.json({ from, to, aggregateTuningHours: Math.round(hours * 1000) / 1000, sessions });
    }),
  );

  router.get(
    '/stations/:station/reports/royalty',
    handle(async (req, res) => {
      const s = await stationOf(db, req);
      const reading = await reportStation(db, s.id);
      res.json(
        reportsFor(reading.station.country || null).map((r) => ({
          id: r.id,
          name: r.name,
          purpose: r.purpose,
          cadence: r.cadence,
          dueDays: r.dueDays,
          stationDetailsLacking: stationDetailsLacking(r, reading.missing, true),
        })),
      );
    }),
  );

  const reportOf = (req: Request) => {
    const report = royaltyReport(String(req.params.report));
    if (!report) throw new Problem(404, 'Not Found', `No report "${String(req.params.report)}"`);
    return report;
  };

  router.get(
    '/stations/:station/reports/royalty/:report/preview',
    handle(async (req, res) => {
      const s = await stationOf(db, req);
      const period = periodOf(req);
      const prepared = await prepareRoyaltyFile(db, s.id, reportOf(req), period, { headers: headersOf(req) });
      const { file } = prepared;
      const text = file && typeof file.body === 'string' ? file.body : null;
      res.json({
        report: prepared.report.id,
        from: period.from,
        to: period.to,
        fileName: file?.fileName ?? null,
        rows: file?.rows ?? 0,
        firstLines: text === null ? null : text.split(/\r\n|\r|\n/).slice(0, PREVIEW_LINES),
        firstPlays: prepared.plays.slice(0, PREVIEW_PLAYS).map((p) => ({
          startedAt: new Date(p.startedAt).toISOString(),
          type: p.trackType,
          title: p.title,
          performer: p.performer,
          isrc: p.isrc,
          label: p.label,
          listeners: p.listeners,
        })),
        stationDetailsLacking: prepared.lacking,
        missing: prepared.missing.slice(0, PREVIEW_MISSING).map((m) => ({ ...m, startedAt: new Date(m.startedAt).toISOString() })),
        missingCount: prepared.missing.length,
        plays: prepared.plays.length,
      });
    }),
  );

  router.get(
    '/stations/:station/reports/royalty/:report',
    handle(async (req, res) => {
      const s = await stationOf(db, req);
      const period = periodOf(req);
      const prepared = await prepareRoyaltyFile(db, s.id, reportOf(req), period, { headers: headersOf(req) });
      if (!prepared.file) {
        throw new Problem(
          409,
          'Conflict',
          `${prepared.report.name} cannot be made until the station's details say: ${prepared.lacking.join(', ')}. Fill them in on the Station details page (PATCH /stations/${s.slug} identity).`,
          prepared.lacking.map((field) => ({ path: `station.${field}`, message: 'is needed for this file' })),
        );
      }
      const { file } = prepared;
      res.setHeader('Content-Disposition', `attachment; filename="${file.fileName}"`);
      res.setHeader('X-LibreLog-Rows', String(file.rows));
      res.setHeader('X-LibreLog-Missing', String(prepared.missing.length));
      // Bytes as written: Express must not re-encode a file whose line ends and charset are the format's.
      res.type(file.contentType).send(typeof file.body === 'string' ? Buffer.from(file.body, 'utf8') : file.body);
    }),
  );

  // What the monthly Schedule prepared (activities/royalty-reports.ts), under the data folder.
  const preparedFolder = (slug: string) => {
    if (!deps.dataDir) throw new Problem(503, 'Service Unavailable', 'This API server has no data folder, where prepared reports are kept');
    return path.join(deps.dataDir, 'reports', slug);
  };

  router.get(
    '/stations/:station/reports/prepared',
    handle(async (req, res) => {
      const s = await stationOf(db, req);
      res.json(await preparedReports(preparedFolder(s.slug)));
    }),
  );

  router.get(
    '/stations/:station/reports/prepared/:month/:file',
    handle(async (req, res) => {
      const s = await stationOf(db, req);
      // The spec's patterns leave no room for a path of our own making: a month and a plain file name.
      const name = String(req.params.file);
      const file = path.join(preparedFolder(s.slug), String(req.params.month), name);
      const body = await readFile(file).catch(() => {
        throw new Problem(404, 'Not Found', `No report ${name} prepared for ${String(req.params.month)} at ${s.slug}`);
      });
      res.setHeader('Content-Disposition', `attachment; filename="${name}"`);
      const type = name.endsWith('.xlsx') ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : name.endsWith('.pdf') ? 'application/pdf' : name.endsWith('.csv') ? 'text/csv; charset=utf-8' : 'text/plain; charset=us-ascii';
      res.type(type).send(body);
    }),
  );

  router.get(
    '/stations/:station/reports/spins',
    handle(async (req, res) => {
      const s = await stationOf(db, req);
      const period = periodOf(req);
      const limit = (req.query as { limit?: number }).limit ?? 20;
      res.json({ ...period, ...(await spins(db, s.id, period, s.timezone, limit)) });
    }),
  );

  router.get(
    '/stations/:station/reports/listener-hours',
    handle(async (req, res) => {
      const s = await stationOf(db, req);
      const period = periodOf(req);
      res.json({ ...period, days: await listenerHoursByDay(db, s.id, period, s.timezone) });
    }),
  );

  return router;
}
