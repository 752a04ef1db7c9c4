// A day's as-run from a file, or from an operator's confirmation (docs/reconciliation.md): both
// become plays of playback_history (`file`, `manual`) that the day's reconciliation matches like
// any other, and the day's run is told to reconcile again at once.
import { createHash } from 'node:crypto';
import { Router, type Request } from 'express';
import type { Knex } from 'knex';
import { DateTime } from 'luxon';
import { reconciliationInputs } from '../../db/reconciliation-inputs.js';
import { broadcastDayWorkflowId } from '../../domain/broadcast-day.js';
import { asRunFileToPlays, parseAsRunFile } from '../../domain/as-run/index.js';
import { confirmationToAsRun, type AsRunPlay, type ManualException, type Period } from '../../domain/reconciliation/index.js';
import { asRunArrivedSignal } from '../../workflows/broadcast-day-messages.js';
import type { AppDeps } from '../deps.js';
import { recordAudit } from '../audit.js';
import { principalOf } from '../auth/principal.js';
import { handle } from '../handle.js';
import { Problem } from '../problem.js';
import { stationOf } from '../stations.js';

interface ConfirmationBody {
  hours?: string[];
  exceptions?: { entryId: string; kind: 'missed' | 'substituted' | 'moved'; note?: string; playedInstead?: string; airedAt?: string }[];
}

/** The day's hours as the log names them: `06:00`, and on the 25-hour day `01:00 MDT` / `01:00 MST`. */
function hoursOfDay(day: Period, timezone: string): { label: string; bare: string; period: Period }[] {
  const hours: { label: string; bare: string; period: Period }[] = [];
  for (let t = day.startsAt; t < day.endsAt; t += 3_600_000) {
    const local = DateTime.fromMillis(t, { zone: timezone });
    hours.push({ label: local.toFormat('HH:00'), bare: local.toFormat('HH:00'), period: { startsAt: t, endsAt: Math.min(t + 3_600_000, day.endsAt) } });
  }
  // A label that comes twice (the repeated hour) is told apart by its zone, as the log says it.
  for (const h of hours) if (hours.filter((o) => o.bare === h.bare).length > 1) h.label = `${h.bare} ${DateTime.fromMillis(h.period.startsAt, { zone: timezone }).toFormat('ZZZZ')}`;
  return hours;
}

export function createAsRunRouter(deps: AppDeps): Router {
  const { db } = deps;
  const router = Router();

  /** The day's log, or 404 in words. */
  async function dayLog(req: Request) {
    const s = await stationOf(db, req);
    const date = String(req.params.date);
    const log = (await db('daily_logs').where({ stationId: s.id, broadcastDate: date }).first('id')) as { id: string } | undefined;
    if (!log) throw new Problem(404, 'Not Found', `The log of ${date} has not been built: there is nothing to reconcile`);
    return { s, date, logId: log.id };
  }

  /** Keeps plays (a play kept before is left as it is); returns how many were new. */
  async function keep(trx: Knex, stationId: string, plays: readonly AsRunPlay[], entryIds: ReadonlySet<string>): Promise<number> {
    const trackIds = [...new Set(plays.map((p) => p.trackId).filter((t): t is string => !!t && /^[0-9a-f-]{36}$/i.test(t)))];
    const known = new Set(((await trx('tracks').whereIn('id', trackIds).where({ stationId }).select('id')) as { id: string }[]).map((t) => t.id));
    if (!plays.length) return 0;
    // One statement for the file (or confirmation), not one per play.
    const inserted = (await trx('playback_history')
      .insert(
        plays.map((play) => {
          const endedAt = play.endedAt ?? (play.durationMs ? play.startedAt + play.durationMs : null);
          return {
            stationId,
            source: play.source,
            externalId: play.id,
            logEntryId: play.entryId && entryIds.has(play.entryId) ? play.entryId : null,
            trackId: play.trackId && known.has(play.trackId) ? play.trackId : null,
            startedAt: new Date(play.startedAt),
            endedAt: endedAt === null ? null : new Date(endedAt),
            title: play.title ?? null,
            artist: play.artist ?? null,
            mediaId: play.mediaId ?? null,
            type: play.type ?? null,
          };
        }),
      )
      .onConflict(['stationId', 'source', 'externalId'])
      .ignore()
      .returning('id')) as { id: number }[];
    return inserted.length;
  }

  /** Tells the day's run its as-run has come; false when no run is waiting (or none can be reached). */
  async function reconcileAgain(slug: string, date: string): Promise<boolean> {
    if (!deps.broadcastDays) return false;
    return deps.broadcastDays.client.workflow
      .getHandle(broadcastDayWorkflowId(slug, date))
      .signal(asRunArrivedSignal)
      .then(
        () => true,
        () => false,
      );
  }

  router.post(
    '/stations/:station/logs/:date/as-run',
    handle(async (req, res) => {
      const { s, date, logId } = await dayLog(req);
      const text = typeof req.body === 'string' ? req.body : '';
      const fileName = typeof req.query.fileName === 'string' ? req.query.fileName : undefined;
      const file = parseAsRunFile(text, { timezone: s.timezone, date, ...(fileName && { fileName }) });
      const problems = file.problems.map((p) => ({ line: p.line, column: p.column, message: p.message }));
      if (file.rows.length === 0) {
        throw new Problem(
          400,
          'Bad Request',
          file.format ? 'The file has no line LibreLog could read' : problems[0]?.message ?? 'The file is empty',
          problems.slice(0, 20).map((p) => ({ path: `body${p.line ? ` line ${p.line}` : ''}${p.column ? ` ${p.column}` : ''}`, message: p.message })),
        );
      }
      // The file's own hash names its plays: the same file imported twice adds nothing.
      const fileId = createHash('sha256').update(text).digest('hex').slice(0, 16);
      const plays = asRunFileToPlays(file, fileId);
      const { entries } = await reconciliationInputs(db, logId);
      const added = await db.transaction(async (trx) => {
        const n = await keep(trx, s.id, plays, new Set(entries.map((e) => e.id)));
        await recordAudit(trx, principalOf(req), {
          action: 'as_run.import',
          entity: 'daily_log',
          entityId: logId,
          stationId: s.id,
          after: { date, format: file.format, fileName: fileName ?? null, plays: plays.length, added: n, problems: problems.length },
        });
        return n;
      });
      res.json({ format: file.format, plays: plays.length, added, problems, reconciling: await reconcileAgain(s.slug, date) });
    }),
  );

  router.post(
    '/stations/:station/logs/:date/confirmation',
    handle(async (req, res) => {
      const { s, date, logId } = await dayLog(req);
      const body = req.body as ConfirmationBody;
      const { day, entries } = await reconciliationInputs(db, logId);
      let covers: 'day' | Period[] = 'day';
      if (body.hours) {
        const hours = hoursOfDay(day, s.timezone);
        const periods: Period[] = [];
        for (const [i, wanted] of body.hours.entries()) {
          const found = hours.filter((h) => h.label === wanted || h.bare === wanted);
          if (!found.length) throw new Problem(400, 'Bad Request', `${date} has no hour ${wanted} at ${s.slug}`, [{ path: `body.hours[${i}]`, message: `is not an hour of ${date}` }]);
          periods.push(...found.map((h) => h.period));
        }
        covers = periods;
      }
      const exceptions: ManualException[] = [];
      for (const [i, x] of (body.exceptions ?? []).entries()) {
        if (x.kind === 'missed') exceptions.push({ entryId: x.entryId, kind: 'missed', note: x.note ?? null });
        else if (x.kind === 'substituted') {
          if (!x.playedInstead) throw new Problem(400, 'Bad Request', 'A substitution says what played instead', [{ path: `body.exceptions[${i}].playedInstead`, message: 'is needed for a substitution' }]);
          exceptions.push({ entryId: x.entryId, kind: 'substituted', by: { title: x.playedInstead } });
        } else {
          if (!x.airedAt) throw new Problem(400, 'Bad Request', 'A moved entry says when it aired', [{ path: `body.exceptions[${i}].airedAt`, message: 'is needed for a moved entry' }]);
          exceptions.push({ entryId: x.entryId, kind: 'moved', to: Date.parse(x.airedAt) });
        }
      }
      // The same hours confirmed again replace the earlier confirmation of them.
      const id = createHash('sha256').update(`${date}|${covers === 'day' ? 'day' : covers.map((p) => p.startsAt).join(',')}`).digest('hex').slice(0, 12);
      const manual = confirmationToAsRun({ id, covers, exceptions }, entries);
      if (manual.problems.length) {
        throw new Problem(400, 'Bad Request', manual.problems[0]!, manual.problems.map((message) => ({ path: 'body.exceptions', message })));
      }
      const scope = entries.filter((e) => covers === 'day' || covers.some((p) => e.startsAt >= p.startsAt && e.startsAt < p.endsAt)).map((e) => e.id);
      const added = await db.transaction(async (trx) => {
        // What an earlier confirmation said about these entries gives way to this one.
        if (scope.length) {
          await trx('playback_history')
            .where({ stationId: s.id, source: 'manual' })
            .where((q) => void q.whereIn('logEntryId', scope).orWhereRaw(`split_part(external_id, ':', 3) = ANY(?::text[])`, [scope]))
            .delete();
        }
        const n = await keep(trx, s.id, manual.plays, new Set(entries.map((e) => e.id)));
        await recordAudit(trx, principalOf(req), {
          action: 'as_run.confirm',
          entity: 'daily_log',
          entityId: logId,
          stationId: s.id,
          after: { date, hours: body.hours ?? 'the whole day', entries: scope.length, exceptions: body.exceptions ?? [] },
        });
        return n;
      });
      res.json({ format: 'confirmation', plays: manual.plays.length, added, problems: [], reconciling: await reconcileAgain(s.slug, date) });
    }),
  );

  return router;
}
