// Affidavits (proof of performance) through the API: an advertiser's or a campaign's spots in
// a calendar month, a broadcast month or the flight, as JSON, CSV or PDF (docs/affidavits.md).
import { Router } from 'express';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { affidavitCsv, affidavitFileName } from '../../domain/affidavit.js';
import { isYearMonth, type PeriodKind } from '../../domain/broadcast-calendar.js';
import { renderAffidavitPdf } from '../../reports/affidavit-pdf.js';
import { AffidavitNotFound, NoFlight, prepareAffidavit } from '../../reports/affidavits.js';
import type { AppDeps } from '../deps.js';
import { handle } from '../handle.js';
import { Problem } from '../problem.js';
import { stationOf } from '../stations.js';

interface AffidavitQuery {
  advertiser?: string;
  campaign?: string;
  period?: PeriodKind;
  month?: string;
  format?: 'json' | 'csv' | 'pdf';
  signer?: string;
  signerTitle?: string;
}

const MEDIA_TYPES = { json: 'application/json', csv: 'text/csv', pdf: 'application/pdf' } as const;
type Format = keyof typeof MEDIA_TYPES;

const badRequest = (path: string, message: string) => new Problem(400, 'Bad Request', `${path.replace('query.', '`')}\` ${message}`, [{ path, message }]);

/** The query's checks the spec cannot say: one of advertiser or campaign; a month exactly when the period is one. */
function checked(q: AffidavitQuery): { period: PeriodKind; month: string | null } {
  if (!q.advertiser && !q.campaign) throw badRequest('query.advertiser', 'or `campaign` is required: whose affidavit it is');
  if (q.advertiser && q.campaign) throw badRequest('query.campaign', 'cannot be given with `advertiser`: give one of them');
  if (q.signerTitle !== undefined && q.signer === undefined) throw badRequest('query.signerTitle', 'needs `signer`: whose title it is');
  const period = q.period ?? 'month';
  if (period === 'flight') {
    if (q.month !== undefined) throw badRequest('query.month', 'is not taken with period=flight (the flight is the period)');
    return { period, month: null };
  }
  if (q.month === undefined) throw badRequest('query.month', `is required with period=${period} (YYYY-MM)`);
  if (!isYearMonth(q.month) || q.month < '2000-01') throw badRequest('query.month', 'must be a month YYYY-MM from 2000-01 on');
  return { period, month: q.month };
}

function formatOf(q: AffidavitQuery, accepts: (types: string[]) => string | false): Format {
  if (q.format) return q.format;
  const wanted = accepts(Object.values(MEDIA_TYPES));
  if (!wanted) throw new Problem(406, 'Not Acceptable', 'An affidavit comes as application/json, text/csv or application/pdf (or say `format`)');
  return (Object.keys(MEDIA_TYPES) as Format[]).find((f) => MEDIA_TYPES[f] === wanted)!;
}

export function createAffidavitsRouter(deps: Pick<AppDeps, 'db' | 'dataDir'>): Router {
  const { db } = deps;
  const router = Router();

  router.get(
    '/stations/:station/affidavits',
    handle(async (req, res) => {
      const s = await stationOf(db, req);
      const q = req.query as AffidavitQuery;
      const { period: kind, month } = checked(q);
      const format = formatOf(q, (types) => req.accepts(types));

      const affidavit = await prepareAffidavit(db, s.id, {
        advertiserId: q.advertiser,
        campaignId: q.campaign,
        kind,
        month,
        signer: q.signer ? { name: q.signer.trim(), title: q.signerTitle?.trim() ?? null } : null,
        now: new Date(),
      }).catch((error: unknown) => {
        if (error instanceof AffidavitNotFound) throw new Problem(404, 'Not Found', `${error.message} at ${s.slug}`);
        if (error instanceof NoFlight) throw badRequest('query.period', error.message);
        throw error;
      });

      if (format === 'json') {
        res.json(affidavit);
        return;
      }
      res.setHeader('Content-Disposition', `attachment; filename="${affidavitFileName(affidavit, format)}"`);
      if (format === 'csv') res.type('text/csv; charset=utf-8; header=present').send(affidavitCsv(affidavit));
      else res.type('application/pdf').send(await renderAffidavitPdf(affidavit));
    }),
  );

  // What the monthly Schedule filed (activities/affidavits.ts), under the data folder.
  const filedFolder = (slug: string) => {
    if (!deps.dataDir) throw new Problem(503, 'Service Unavailable', 'This API server has no data folder, where filed affidavits are kept');
    return path.join(deps.dataDir, 'affidavits', slug);
  };

  router.get(
    '/stations/:station/affidavits/filed',
    handle(async (req, res) => {
      const s = await stationOf(db, req);
      const folder = filedFolder(s.slug);
      const months = (await readdir(folder).catch(() => [] as string[])).filter((m) => /^\d{4}-\d{2}$/.test(m)).sort().reverse();
      res.json(await Promise.all(months.map(async (month) => ({ month, files: (await readdir(path.join(folder, month))).filter((f) => /\.(pdf|csv)$/.test(f)).sort() }))));
    }),
  );

  router.get(
    '/stations/:station/affidavits/filed/:month/:file',
    handle(async (req, res) => {
      const s = await stationOf(db, req);
      // The spec's patterns leave no room for a path of our own making: month and a plain file name.
      const file = path.join(filedFolder(s.slug), String(req.params.month), String(req.params.file));
      const body = await readFile(file).catch(() => {
        throw new Problem(404, 'Not Found', `No affidavit ${String(req.params.file)} filed for ${String(req.params.month)} at ${s.slug}`);
      });
      res.setHeader('Content-Disposition', `attachment; filename="${String(req.params.file)}"`);
      res.type(file.endsWith('.pdf') ? 'application/pdf' : 'text/csv; charset=utf-8; header=present').send(body);
    }),
  );

  return router;
}
