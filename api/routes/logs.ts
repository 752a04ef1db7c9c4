// Each station's daily logs: read from PostgreSQL, acted on through the day's workflow run.
import { ApplicationFailure, WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { Router, type Request, type Response } from 'express';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { Knex } from 'knex';
import { DateTime } from 'luxon';
import { logEntries, logExceptions } from '../../db/log-entries.js';
import { blocksApproval, checkAcknowledgements, describeAcknowledgementCheck, errorsToAcknowledge, type Acknowledgement, type AcknowledgementCheck } from '../../domain/approval.js';
import { broadcastDayWorkflowId } from '../../domain/broadcast-day.js';
import { BUILD_WINDOW_DAYS, buildWindow } from '../../domain/calendar-date.js';
import { programLogCsv, programLogFileName } from '../../domain/log/export.js';
import type { ExceptionKind, ExceptionSeverity } from '../../domain/vocabulary.js';
import { renderProgramLogPdf } from '../../reports/program-log-pdf.js';
import { prepareProgramLog } from '../../reports/program-log.js';
import { startBroadcastDay } from '../../temporal/broadcast-days.js';
import { temporalWorkflowUrl } from '../../temporal/ui-link.js';
import { approveUpdate, editUpdate, publishUpdate, rebuildSignal, type EditRequest, type UpdateRefusal } from '../../workflows/broadcast-day-messages.js';
import { logEditsOf } from '../../db/log-edits.js';
import { separationWarnings, USUAL_SEPARATION } from '../../domain/log/edits.js';
import type { SlotFill } from '../../domain/log/types.js';
import { recordAudit } from '../audit.js';
import { auditActor, principalOf, type Principal } from '../auth/principal.js';
import { decidingRole } from '../auth/scopes.js';
import { gateStation } from '../auth/gate.js';
import { AccessCache, LOGS_CHANNEL, type AccessChanges } from '../../db/access-changes.js';
import { stationOf } from '../stations.js';
import { handle } from '../handle.js';
import { Problem, type ProblemField } from '../problem.js';
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

/**
 * The printed or exported log a request asks for: `format` wins, else `Accept` when it prefers
 * CSV or PDF; null for the JSON document (also when `Accept` names none of them, as before).
 */
function exportFormatOf(req: Request): 'csv' | 'pdf' | null {
  const format = (req.query as { format?: 'json' | 'csv' | 'pdf' }).format;
  if (format) return format === 'json' ? null : format;
  const wanted = req.accepts(['application/json', 'text/csv', 'application/pdf']);
  return wanted === 'text/csv' ? 'csv' : wanted === 'application/pdf' ? 'pdf' : null;
}

export interface BroadcastDaysDeps {
  client: Client;
  taskQueue: string;
  namespace: string;
  temporalUiUrl: string;
}

const MAX_RANGE_DAYS = 62;
const RENDERED_LOGS_KEPT = 64;

/**
 * 422 for an approval whose acknowledgements do not cover the version's errors: `errors` names
 * each error left unacknowledged (with its words), each acknowledgement without a reason, and
 * each id that is not an error of the version, by `exceptionId` and request path.
 */
function unacknowledged(check: AcknowledgementCheck, version: number, sent: readonly Acknowledgement[], messages: ReadonlyMap<string, string> = new Map()): Problem {
  const at = (id: string, from = 0) => sent.findIndex((a, i) => i >= from && a.exceptionId === id);
  const fields: ProblemField[] = [
    ...check.missing.map((id) => ({ path: 'body.acknowledgements', exceptionId: id, message: `not acknowledged${messages.has(id) ? `: ${messages.get(id)}` : ''}` })),
    ...check.withoutReason.map((id) => ({ path: `body.acknowledgements[${at(id)}].reason`, exceptionId: id, message: 'needs a reason' })),
    ...check.unknown.map((id) => ({ path: `body.acknowledgements[${at(id)}].exceptionId`, exceptionId: id, message: `is not an error of version ${version}` })),
    ...check.repeated.map((id) => ({ path: `body.acknowledgements[${at(id, at(id) + 1)}].exceptionId`, exceptionId: id, message: 'is acknowledged more than once' })),
  ];
  return new Problem(422, 'Unprocessable Content', describeAcknowledgementCheck(check, version), fields);
}

interface LogRow {
  id: string;
  stationId: string;
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

export function createLogsRouter(deps: { db: Knex; broadcastDays?: BroadcastDaysDeps | undefined; accessChanges?: AccessChanges | undefined }): Router {
  const { db } = deps;
  const router = Router();
  // Which version of a day's log is current, between changes to daily_logs (any process's).
  const currentLogs = new AccessCache<LogRow | null>(deps.accessChanges, LOGS_CHANNEL, 5_000);
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
  function refused(error: unknown, date: string, request?: { version: number; acknowledgements?: Acknowledgement[] }): never {
    if (error instanceof WorkflowNotFoundError) throw new Problem(404, 'Not Found', `The log of ${date} has not been built yet`);
    if (error instanceof WorkflowUpdateFailedError) {
      const cause = error.cause;
      const message = cause?.message ?? error.message;
      const type = cause instanceof ApplicationFailure ? (cause.type as UpdateRefusal | null) : null;
      if (type === 'NotAllowed') throw new Problem(403, 'Forbidden', message);
      if (type === 'StaleVersion') throw new Problem(412, 'Precondition Failed', message);
      if (type === 'InvalidEdit') throw new Problem(422, 'Unprocessable Content', message);
      if (type === 'Unacknowledged' && cause instanceof ApplicationFailure) {
        const check = cause.details?.[0] as AcknowledgementCheck | undefined;
        throw check && request ? unacknowledged(check, request.version, request.acknowledgements ?? []) : new Problem(422, 'Unprocessable Content', message);
      }
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
      // The busiest read: which station the access gate found is all it needs.
      const s = gateStation(req) ?? (await station(req));
      const log = await currentLogs.get(`${s.id}:${date}`, async () => ((await db('daily_logs').where({ stationId: s.id, broadcastDate: date }).first()) as LogRow | undefined) ?? null);
      if (!log) {
        throw new Problem(404, 'Not Found', `The log of ${date} has not been built yet`);
      }
      const format = exportFormatOf(req);
      if (format) {
        const programLog = await prepareProgramLog(db, s.id, date, new Date());
        if (!programLog) throw new Problem(404, 'Not Found', `The log of ${date} has not been built yet`);
        res.setHeader('Content-Disposition', `attachment; filename="${programLogFileName(programLog, format)}"`);
        res.setHeader('Vary', 'Accept');
        if (format === 'csv') res.type('text/csv; charset=utf-8; header=present').send(programLogCsv(programLog));
        else res.type('application/pdf').send(await renderProgramLogPdf(programLog));
        return;
      }
      // Every write to a log's entries or exceptions also touches daily_logs.updated_at, so
      // version + updated_at name the whole document: polling clients get 304, others a cached body.
      const tag = `W/"${log.version}-${log.updatedAt.getTime()}"`;
      res.setHeader('ETag', tag);
      res.setHeader('Vary', 'Accept, Accept-Encoding');
      if (req.get('If-None-Match') === tag) {
        res.status(304).end();
        return;
      }
      const cached = renderedLogs.get(log.id);
      if (cached?.tag === tag) {
        sendRendered(req, res, cached);
        return;
      }
      const [entries, exceptions, edits] = await Promise.all([logEntries(db, log.id), logExceptions(db, log.id), logEditsOf(db, s.id, date)]);
      // Locked: what an active lock of the day's edits names.
      const locked = new Set(edits.filter((e) => e.kind === 'lock' && e.state === 'active').map((e) => e.entryId));
      const document = {
        station: s.slug,
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
        entries: entries.map((e) => ({ ...e, startsAt: e.startsAt.toISOString(), locked: locked.has(e.id) })),
        edits,
        exceptions: exceptions.map((x) => ({
          id: x.id,
          kind: x.kind,
          severity: x.severity,
          hour: x.hour,
          hourLabel: x.hourLabel,
          entryId: x.entryId,
          message: x.message,
          details: x.details,
          blocksApproval: x.logVersion === log.version && blocksApproval(x),
          acknowledgement: x.acknowledgedAt
            ? { by: x.acknowledgedBy ? { id: x.acknowledgedBy, name: x.acknowledgedByName ?? '' } : null, at: x.acknowledgedAt.toISOString(), reason: x.acknowledgement ?? '' }
            : null,
        })),
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
      // A day's run lives until its day has aired: only days near today at the station.
      const window = buildWindow(DateTime.now().setZone(s.timezone).toISODate()!);
      if (date < window.first || date > window.last) {
        throw new Problem(400, 'Bad Request', `Logs are built for ${window.first} to ${window.last} (within ${BUILD_WINDOW_DAYS} days of today at the station), not ${date}`, [
          { path: 'params.date', message: `must be from ${window.first} to ${window.last}` },
        ]);
      }
      const { client, taskQueue } = workflows();
      const run = await startBroadcastDay(client, taskQueue, { slug: s.slug }, date);
      await audit(principalOf(req), 'log.build', s.id, date, { workflowId: run.workflowId });
      const { runId } = await run.describe();
      res.status(202).json({ workflowId: run.workflowId, runId, temporalUrl: link(run.workflowId) });
    }),
  );

  /**
   * Approve and publish: the run's update decides (its validator checks role, status, version
   * and, for approval, that each error of the version is acknowledged with a reason).
   */
  const decision = (path: string, update: typeof approveUpdate | typeof publishUpdate, action: string, status: number) =>
    router.post(
      path,
      handle(async (req, res) => {
        const s = await station(req);
        const date = String(req.params.date);
        const principal = principalOf(req);
        const body = req.body as { version: number; acknowledgements?: Acknowledgement[] };
        const { version } = body;
        const log = (await db('daily_logs').where({ stationId: s.id, broadcastDate: date }).first('id', 'version', 'status')) as
          | { id: string; version: number; status: string }
          | undefined;
        if (log) checkIfMatch(req, log.version);
        let acknowledgements: Acknowledgement[] = [];
        if (update === approveUpdate) {
          acknowledgements = body.acknowledgements ?? [];
          // The version seen is up for approval: its errors are checked here, so the answer can
          // name them in words; the run checks again (an old version or status it refuses itself).
          if (log && log.version === version && log.status === 'awaiting_approval') {
            const errors = errorsToAcknowledge(
              (await db('log_exceptions')
                .where({ logId: log.id, logVersion: version, severity: 'error' })
                .orderBy('createdAt')
                .orderBy('id')
                .select('id', 'kind', 'severity', 'message')) as { id: string; kind: ExceptionKind; severity: ExceptionSeverity; message: string }[],
            );
            const check = checkAcknowledgements(
              errors.map((x) => x.id),
              acknowledgements,
            );
            if (!check.ok) throw unacknowledged(check, version, acknowledgements, new Map(errors.map((x) => [x.id, x.message])));
            acknowledgements = check.accepted;
          }
        }
        // Who may publish is the station's setting now, not when the day's run started.
        const request = {
          userId: principal.kind === 'user' ? principal.id : null,
          role: decidingRole(principal, s.id),
          trafficMayPublish: s.trafficMayPublish,
          version,
          ...(update === approveUpdate && { acknowledgements }),
        };
        const run = workflows().client.workflow.getHandle(broadcastDayWorkflowId(s.slug, date));
        const state = await run.executeUpdate(update, { args: [request] }).catch((error: unknown) => refused(error, date, body));
        await audit(principal, action, s.id, date, { version, ...(acknowledgements.length > 0 && { acknowledgements }) });
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

  // ---- Hand edits (docs/log-editing.md): the day's run makes each one the log's next version.

  /** The current log of a day, or 404. */
  const currentLog = async (stationId: string, date: string) => {
    const log = (await db('daily_logs').where({ stationId, broadcastDate: date }).first('id', 'version', 'status')) as { id: string; version: number; status: string } | undefined;
    if (!log) throw new Problem(404, 'Not Found', `The log of ${date} has not been built yet`);
    return log;
  };

  /** What a library item plays on the log (cue out − cue in), or a 422 naming the field. */
  const trackContent = async (stationId: string, trackId: string, path: string): Promise<SlotFill> => {
    const track = (await db('tracks').where({ id: trackId, stationId }).first('id', 'type', 'title', 'artist', 'lengthMs', 'cueInMs', 'cueOutMs', 'removed')) as
      | { id: string; type: Exclude<SlotFill['type'], 'LIVE'>; title: string; artist: string | null; lengthMs: number; cueInMs: number; cueOutMs: number | null; removed: boolean }
      | undefined;
    if (!track) throw new Problem(422, 'Unprocessable Content', 'No such track in this station’s library', [{ path, message: 'is not a track of this station' }]);
    if (track.removed) throw new Problem(422, 'Unprocessable Content', `"${track.title}" is out of rotation`, [{ path, message: 'is out of rotation' }]);
    const lengthMs = (track.cueOutMs ?? track.lengthMs) - track.cueInMs;
    if (lengthMs <= 0) throw new Problem(422, 'Unprocessable Content', `"${track.title}" plays for no time between its cues`, [{ path, message: 'has no length between its cues' }]);
    return { trackId: track.id, type: track.type, lengthMs, title: track.title, artist: track.artist, campaignId: null, makeGoodId: null, voiceTrackId: null, isFallback: false, fallbackReason: null, note: 'put in by hand' };
  };

  interface EditBody {
    version: number;
    kind: EditRequest['edit']['kind'];
    entryId: string;
    placement?: 'before' | 'after';
    anchorEntryId?: string;
    trackId?: string;
    note?: { text: string; lengthMs: number };
    reason: string;
  }

  router.post(
    '/stations/:station/logs/:date/edits',
    handle(async (req, res) => {
      const s = await station(req);
      const date = String(req.params.date);
      const principal = principalOf(req);
      const body = req.body as EditBody;
      const log = await currentLog(s.id, date);
      checkIfMatch(req, log.version);
      const unprocessable = (path: string, message: string, detail: string) => new Problem(422, 'Unprocessable Content', detail, [{ path, message }]);
      const reason = body.reason.trim();
      if (reason === '') throw unprocessable('body.reason', 'must say why', 'Say why the log is edited: it goes in the audit log');
      const inLog = async (id: string, path: string) => {
        const found = (await db('log_entries').where({ logId: log.id, id }).first('id')) as { id: string } | undefined;
        if (!found) throw unprocessable(path, 'is not an entry of the current version', `Entry ${id} is not in version ${log.version} of the log of ${date}`);
      };
      await inLog(body.entryId, 'body.entryId');
      let content: SlotFill | null = null;
      if (body.kind === 'insert') {
        if ((body.trackId === undefined) === (body.note === undefined)) {
          throw unprocessable(body.trackId === undefined ? 'body' : 'body.note', 'give either trackId or note', 'An insert puts either a library item (trackId) or a note (note) on the log');
        }
        if (body.note) {
          const text = body.note.text.trim();
          if (text === '') throw unprocessable('body.note.text', 'must not be empty', 'A note needs words: what the presenter does');
          content = { trackId: null, type: 'LIVE', liveSource: 'live', lengthMs: body.note.lengthMs, title: text, artist: null, campaignId: null, makeGoodId: null, voiceTrackId: null, isFallback: false, fallbackReason: null, note: 'a note put in by hand' };
        }
      }
      if (body.kind === 'replace' && body.trackId === undefined) throw unprocessable('body.trackId', 'is required to replace an entry', 'A replacement names the library item (trackId) that takes the entry’s place');
      if ((body.kind === 'insert' || body.kind === 'replace') && body.trackId !== undefined) content = await trackContent(s.id, body.trackId, 'body.trackId');
      if (body.kind === 'move') {
        if (body.anchorEntryId === undefined) throw unprocessable('body.anchorEntryId', 'is required to move an entry', 'A move names the entry (anchorEntryId) to put it next to');
        if (body.anchorEntryId === body.entryId) throw unprocessable('body.anchorEntryId', 'is the entry moved', 'An entry cannot move next to itself');
        await inLog(body.anchorEntryId, 'body.anchorEntryId');
      }
      const request: EditRequest = {
        userId: principal.kind === 'user' ? principal.id : null,
        role: decidingRole(principal, s.id),
        version: body.version,
        actor: auditActor(principal),
        edit: {
          kind: body.kind,
          entryId: body.entryId,
          placement: body.kind === 'insert' || body.kind === 'move' ? (body.placement ?? 'after') : null,
          anchorEntryId: body.kind === 'move' ? (body.anchorEntryId ?? null) : null,
          content,
          reason,
        },
      };
      const run = workflows().client.workflow.getHandle(broadcastDayWorkflowId(s.slug, date));
      const result = await run.executeUpdate(editUpdate, { args: [request] }).catch((error: unknown) => refused(error, date));
      res.json(result);
    }),
  );

  router.get(
    '/stations/:station/logs/:date/edits',
    handle(async (req, res) => {
      const s = await station(req);
      const date = String(req.params.date);
      await currentLog(s.id, date);
      res.json(await logEditsOf(db, s.id, date));
    }),
  );

  /** Library items for an entry's place (to replace it or go beside it), with the separation each would break there. */
  router.get(
    '/stations/:station/logs/:date/candidates',
    handle(async (req, res) => {
      const s = await station(req);
      const date = String(req.params.date);
      const query = req.query as unknown as { entryId: string; q?: string; type?: string; limit?: number };
      const log = await currentLog(s.id, date);
      const entries = (await db('log_entries as e')
        .leftJoin('tracks as t', 't.id', 'e.track_id')
        .leftJoin('clock_elements as ce', 'ce.id', 'e.clock_element_id')
        .leftJoin('music_rule_sets as r', 'r.id', 'ce.rule_set_id')
        .where('e.log_id', log.id)
        .orderBy('e.position')
        .select('e.id', 'e.track_id as trackId', 'e.title', 't.artist', 'e.starts_at as startsAt', 'e.type', 'r.artist_separation_minutes as artistMinutes', 'r.title_separation_hours as titleHours')) as {
        id: string;
        trackId: string | null;
        title: string;
        artist: string | null;
        startsAt: Date;
        type: string;
        artistMinutes: number | null;
        titleHours: number | null;
      }[];
      const entry = entries.find((e) => e.id === query.entryId);
      if (!entry) throw new Problem(422, 'Unprocessable Content', `Entry ${query.entryId} is not in version ${log.version} of the log of ${date}`, [{ path: 'query.entryId', message: 'is not an entry of the current version' }]);
      const type = query.type ?? (entry.type === 'LIVE' ? 'MUS' : entry.type);
      // What the traffic manager typed, matched literally (no LIKE wildcards of theirs).
      const like = `%${(query.q ?? '').trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      const tracks = (await db('tracks')
        .where({ stationId: s.id, type, removed: false })
        .modify((q) => {
          if (like !== '%%') void q.where((w) => void w.whereILike('title', like).orWhereILike('artist', like));
        })
        .orderBy('title')
        .orderBy('id')
        .limit(query.limit ?? 25)
        .select('id', 'type', 'title', 'artist', 'lengthMs', 'cueInMs', 'cueOutMs')) as { id: string; type: string; title: string; artist: string | null; lengthMs: number; cueInMs: number; cueOutMs: number | null }[];
      const rule = entry.artistMinutes !== null && entry.titleHours !== null ? { artistMinutes: entry.artistMinutes, titleHours: entry.titleHours } : USUAL_SEPARATION;
      const plays = entries.map((e) => ({ id: e.id, trackId: e.trackId, title: e.title, artist: e.artist, startsAt: e.startsAt.getTime() }));
      res.json(
        tracks.map((t) => ({
          id: t.id,
          type: t.type,
          title: t.title,
          artist: t.artist,
          lengthMs: (t.cueOutMs ?? t.lengthMs) - t.cueInMs,
          warnings: separationWarnings(t, entry.startsAt.getTime(), plays, rule, new Set([entry.id])),
        })),
      );
    }),
  );

  return router;
}
