// Each station's daily logs: read from PostgreSQL, acted on through the day's workflow run.
import { ApplicationFailure, WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { Router, type Request, type Response } from 'express';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { Knex } from 'knex';
import { DateTime } from 'luxon';
import { logEntriesWithTracks } from '../../db/log-entries.js';
import { broadcastDayWorkflowId } from '../../domain/broadcast-day.js';
import { startBroadcastDay } from '../../temporal/broadcast-days.js';
import { temporalWorkflowUrl } from '../../temporal/ui-link.js';
import { approveUpdate, publishUpdate, rebuildSignal, type UpdateRefusal } from '../../workflows/broadcast-day-messages.js';
import { recordAudit } from '../audit.js';
import { principalOf, type Principal } from '../auth/principal.js';
import { stationOf } from '../stations.js';
import { handle } from '../handle.js';
import { Problem } from '../problem.js';
import { checkIfMatch } from '../versioning.js';

interface RenderedLog {
  tag: string;
  json: Buffer;
  gzipped: Buffer;
}

const gzipped = promisify(gzip);

/** The cached bytes, gzipped when the client takes gzip (browsers, fetch and curl --compressed do). */
function sendRendered(req: Request, res: Response, rendered: RenderedLog): void {
  const wantsGzip = req.acceptsEncodings('gzip', 'identity') === 'gzip';
  res.type('application/json');
  if (wantsGzip) res.setHeader('Content-Encoding', 'gzip');
  res.send(wantsGzip ? rendered.gzipped : rendered.json);
}

export interface BroadcastDaysDeps {
  client: Client;
  taskQueue: string;
  namespace: string;
  temporalUiUrl: string;
}

const MAX_RANGE_DAYS = 62;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const RENDERED_LOGS_KEPT = 64;

export function createLogsRouter(deps: { db: Knex; broadcastDays?: BroadcastDaysDeps | undefined }): Router {
  const { db } = deps;
  const router = Router();
  // The last rendering of recently read logs (a day's log is a few hundred kilobytes of JSON),
  // as bytes and gzipped: most readers poll the same few days, and the JSON compresses 10:1.
  const renderedLogs = new Map<string, RenderedLog>();
  const rememberLog = (logId: string, rendered: RenderedLog) => {
    renderedLogs.delete(logId);
    renderedLogs.set(logId, rendered);
    if (renderedLogs.size > RENDERED_LOGS_KEPT) renderedLogs.delete(renderedLogs.keys().next().value!);
  };

  const workflows = (): BroadcastDaysDeps => {
    if (!deps.broadcastDays) throw new Problem(503, 'Service Unavailable', 'This API server has no connection to Temporal.');
    return deps.broadcastDays;
  };
  const link = (workflowId: string) =>
    deps.broadcastDays ? temporalWorkflowUrl(deps.broadcastDays.temporalUiUrl, deps.broadcastDays.namespace, workflowId) : '';

  const station = (req: Request) => stationOf(db, req);

  const audit = (principal: Principal, action: string, stationId: string, date: string, after: unknown) =>
    recordAudit(db, principal, { action, entity: 'daily_log', entityId: `${stationId}:${date}`, stationId, after });

  /** Turns the workflow's refusal (an update validator's failure type) into the right problem. */
  function refused(error: unknown, date: string): never {
    if (error instanceof WorkflowNotFoundError) throw new Problem(404, 'Not Found', `The log of ${date} has not been built yet`);
    if (error instanceof WorkflowUpdateFailedError) {
      const cause = error.cause;
      const message = cause?.message ?? error.message;
      const type = cause instanceof ApplicationFailure ? (cause.type as UpdateRefusal | null) : null;
      if (type === 'NotAllowed') throw new Problem(403, 'Forbidden', message);
      if (type === 'StaleVersion') throw new Problem(412, 'Precondition Failed', message);
      throw new Problem(409, 'Conflict', message);
    }
    throw error;
  }

  router.get(
    '/stations/:station/logs',
    handle(async (req, res) => {
      const s = await station(req);
      // The validator has checked both are dates.
      const { from: fromText, to: toText } = req.query as { from: string; to: string };
      const from = DateTime.fromISO(fromText);
      const to = DateTime.fromISO(toText);
      const days = Math.round(to.diff(from, 'days').days) + 1;
      if (days < 1) throw new Problem(400, 'Bad Request', '`to` is before `from`', [{ path: 'query.to', message: 'must not be before from' }]);
      if (days > MAX_RANGE_DAYS) throw new Problem(400, 'Bad Request', `At most ${MAX_RANGE_DAYS} days at a time`, [{ path: 'query.to', message: `at most ${MAX_RANGE_DAYS} days after from` }]);
      const dates = Array.from({ length: days }, (_, i) => from.plus({ days: i }).toISODate()!);
      const logs = (await db('daily_logs')
        .where({ stationId: s.id })
        .whereBetween('broadcastDate', [dates[0]!, dates.at(-1)!])
        .select('id', 'broadcastDate', 'status', 'version', 'approvedVersion', 'publishedVersion', 'atRisk', 'workflowId')) as {
        id: string;
        broadcastDate: string;
        status: string;
        version: number;
        approvedVersion: number | null;
        publishedVersion: number | null;
        atRisk: boolean;
        workflowId: string;
      }[];
      const counts = (await db('log_exceptions')
        .whereIn('logId', logs.map((l) => l.id))
        .groupBy('logId', 'severity')
        .select('logId', 'severity', db.raw('count(*)::int as n'))) as { logId: string; severity: string; n: number }[];
      const byDate = new Map(logs.map((l) => [l.broadcastDate, l]));
      res.json(
        dates.map((date) => {
          const log = byDate.get(date);
          const workflowId = log?.workflowId ?? broadcastDayWorkflowId(s.slug, date);
          const count = (severity: string) => counts.find((c) => c.logId === log?.id && c.severity === severity)?.n ?? 0;
          return {
            date,
            status: log?.status ?? 'not_built',
            version: log?.version ?? 0,
            approvedVersion: log?.approvedVersion ?? null,
            publishedVersion: log?.publishedVersion ?? null,
            atRisk: log?.atRisk ?? false,
            workflowId,
            temporalUrl: link(workflowId),
            errors: count('error'),
            warnings: count('warning'),
          };
        }),
      );
    }),
  );

  router.get(
    '/stations/:station/logs/:date',
    handle(async (req, res) => {
      const date = String(req.params.date);
      // The busiest read: station and log in one query; the station alone only to explain a miss.
      const wanted = String(req.params.station);
      const log = (await db('daily_logs')
        .join('stations', 'stations.id', 'daily_logs.station_id')
        .where(UUID.test(wanted) ? { 'stations.id': wanted } : { 'stations.slug': wanted })
        .where('daily_logs.broadcast_date', date)
        .first('daily_logs.*', 'stations.slug')) as
        | {
            id: string;
            stationId: string;
            slug: string;
            status: string;
            version: number;
            approvedVersion: number | null;
            publishedVersion: number | null;
            atRisk: boolean;
            failure: string | null;
            workflowId: string;
            builtAt: Date | null;
            updatedAt: Date;
          }
        | undefined;
      const principal = principalOf(req);
      if (!log || (principal.stationId && principal.stationId !== log.stationId)) {
        await station(req);
        throw new Problem(404, 'Not Found', `The log of ${date} has not been built yet`);
      }
      // Every write to a log's entries or exceptions also touches daily_logs.updated_at, so
      // version + updated_at name the whole document: polling clients get 304, others a cached body.
      const tag = `W/"${log.version}-${log.updatedAt.getTime()}"`;
      res.setHeader('ETag', tag);
      res.setHeader('Vary', 'Accept-Encoding');
      if (req.get('If-None-Match') === tag) {
        res.status(304).end();
        return;
      }
      const cached = renderedLogs.get(log.id);
      if (cached?.tag === tag) {
        sendRendered(req, res, cached);
        return;
      }
      const [entries, exceptions] = await Promise.all([
        logEntriesWithTracks(db, log.id).select(
            'log_entries.id',
            'log_entries.position',
            'log_entries.starts_at as startsAt',
            'log_entries.length_ms as lengthMs',
            'log_entries.type',
            'log_entries.title',
            'tracks.artist',
            'log_entries.track_id as trackId',
            'log_entries.campaign_id as campaignId',
            'log_entries.hour',
            'log_entries.break_index as breakIndex',
            'log_entries.is_fallback as isFallback',
            'log_entries.fallback_reason as fallbackReason',
            'log_entries.voice_track_id as voiceTrackId',
            'log_entries.note',
          ) as Promise<{ startsAt: Date }[]>,
        db('log_exceptions')
          .where({ logId: log.id })
          .orderByRaw("array_position(array['error','warning','info']::exception_severity[], severity), hour nulls first, created_at")
          .select('id', 'kind', 'severity', 'hour', 'entryId', 'message', 'details') as Promise<unknown[]>,
      ]);
      const document = {
        station: log.slug,
        date,
        status: log.status,
        version: log.version,
        approvedVersion: log.approvedVersion,
        publishedVersion: log.publishedVersion,
        atRisk: log.atRisk,
        failure: log.failure,
        workflowId: log.workflowId,
        temporalUrl: link(log.workflowId),
        builtAt: log.builtAt ? log.builtAt.toISOString() : null,
        entries: entries.map((e) => ({ ...e, startsAt: e.startsAt.toISOString() })),
        exceptions,
      };
      const json = Buffer.from(JSON.stringify(document));
      rememberLog(log.id, { tag, json, gzipped: await gzipped(json) });
      // The first reader of a version gets it through res.json, so response validation sees it.
      res.json(document);
    }),
  );

  router.post(
    '/stations/:station/logs/:date/build',
    handle(async (req, res) => {
      const s = await station(req);
      const date = String(req.params.date);
      const { client, taskQueue } = workflows();
      const run = await startBroadcastDay(client, taskQueue, { slug: s.slug }, date);
      await audit(principalOf(req), 'log.build', s.id, date, { workflowId: run.workflowId });
      const { runId } = await run.describe();
      res.status(202).json({ workflowId: run.workflowId, runId, temporalUrl: link(run.workflowId) });
    }),
  );

  /** Approve and publish: the run's update decides (its validator checks role, status and version). */
  const decision = (path: string, update: typeof approveUpdate | typeof publishUpdate, action: string, status: number) =>
    router.post(
      path,
      handle(async (req, res) => {
        const s = await station(req);
        const date = String(req.params.date);
        const principal = principalOf(req);
        const { version } = req.body as { version: number };
        const log = (await db('daily_logs').where({ stationId: s.id, broadcastDate: date }).first('version')) as { version: number } | undefined;
        if (log) checkIfMatch(req, log.version);
        const run = workflows().client.workflow.getHandle(broadcastDayWorkflowId(s.slug, date));
        const state = await run
          .executeUpdate(update, { args: [{ userId: principal.kind === 'user' ? principal.id : null, role: principal.role, version }] })
          .catch((error: unknown) => refused(error, date));
        await audit(principal, action, s.id, date, { version });
        res.status(status).json(state);
      }),
    );
  decision('/stations/:station/logs/:date/approve', approveUpdate, 'log.approve', 200);
  // The run answers once publishing has begun; GET follows it to published.
  decision('/stations/:station/logs/:date/publish', publishUpdate, 'log.publish', 202);

  router.post(
    '/stations/:station/logs/:date/rebuild',
    handle(async (req, res) => {
      const s = await station(req);
      const date = String(req.params.date);
      const principal = principalOf(req);
      const airStarts = DateTime.fromISO(date, { zone: s.timezone }).startOf('day');
      if (airStarts.toMillis() <= Date.now()) throw new Problem(409, 'Conflict', `${date} has started airing; its log can no longer be rebuilt`);
      const log = (await db('daily_logs').where({ stationId: s.id, broadcastDate: date }).first('version')) as { version: number } | undefined;
      if (log) checkIfMatch(req, log.version);
      const workflowId = broadcastDayWorkflowId(s.slug, date);
      const reason = (req.body as { reason?: string } | undefined)?.reason ?? 'rebuild requested';
      await workflows()
        .client.workflow.getHandle(workflowId)
        .signal(rebuildSignal, { reason, requestedBy: principal.id })
        .catch((error: unknown) => refused(error, date));
      await audit(principal, 'log.rebuild', s.id, date, { reason });
      res.status(202).json({ workflowId, temporalUrl: link(workflowId) });
    }),
  );

  return router;
}
