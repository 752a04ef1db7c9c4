// The steps of a broadcast day, each a retryable, idempotent activity: the engine's pure
// steps wrapped with the reads and writes they need.
import { ApplicationFailure } from '@temporalio/activity';
import { DateTime } from 'luxon';
import { insertAsJson } from '../db/json-rows.js';
import { rebuiltEdits } from '../db/log-edits.js';
import { logEntriesWithTracks, logEntryRow } from '../db/log-entries.js';
import { StationNotFoundError, findStation, type InputParts } from '../db/log-inputs.js';
import { errorsToAcknowledge, type Acknowledgement } from '../domain/approval.js';
import { broadcastDatesFrom } from '../domain/broadcast-day.js';
import { FIRST_BROADCAST_DATE, isBroadcastDate } from '../domain/calendar-date.js';
import { broadcastHours, expandClocks, hourLabel } from '../domain/log/clock-expansion.js';
import { withEdits } from '../domain/log/edits.js';
import { scheduleMusic } from '../domain/log/music.js';
import { timeEntries } from '../domain/log/timing.js';
import { placeTraffic } from '../domain/log/traffic.js';
import type { BroadcastHour, LogEdit, LogException, Slot } from '../domain/log/types.js';
import { overlayVoiceTracks } from '../domain/log/voice.js';
import type { ExceptionKind, ExceptionSeverity, LogStatus, MakeGoodStatus, TrackType } from '../domain/vocabulary.js';
import type { ActivityDeps } from './deps.js';
import type { LivePeriod } from './as-run.js';
import type { PublishableEntry, PublishReceipt } from './publishing/publisher.js';
import { expireMakeGoods, oweShortWeeks } from '../db/make-goods.js';
import { livePlannedPeriods, makeGoodsOwed, reconcileDay as reconcileAsRun, type AiredOutcome, type MovedOutcome } from '../domain/reconciliation/index.js';
import { historyRowId, reconciliationInputs } from '../db/reconciliation-inputs.js';

export interface BroadcastDayRef {
  stationId: string;
  date: string;
}

export interface OpenedDay {
  logId: string;
  stationId: string;
  slug: string;
  timezone: string;
  /** Epoch ms: the day's first and last instant on air. */
  airStartsAt: number;
  airEndsAt: number;
  /** Approval is due this long before air. */
  approvalDeadline: number;
  /** When the as-run is complete enough to reconcile (end of day + grace). */
  reconcileAt: number;
  trafficMayPublish: boolean;
  status: LogStatus;
  version: number;
  approvedVersion: number | null;
}

export interface StepInput extends BroadcastDayRef {
  seed: number;
}

/** One step of building version `version` of a log; steps hand their results on through log_build_stages. */
export interface BuildStep extends StepInput {
  logId: string;
  version: number;
  /**
   * The stage the step builds on. Builds since "fit after everything" run expand → traffic →
   * voice → music → save; earlier runs (no `after`) expand → music → traffic → voice → save.
   */
  after?: StageName;
  /**
   * 'memory': the stages stay in the worker's memory and a stage that is not there (another
   * worker, a restart) is made again from the inputs (runs with local build steps). Otherwise
   * each stage is written to log_build_stages for the next step (runs started before).
   */
  stages?: 'memory';
}

export interface StepSummary {
  slots: number;
  exceptions: number;
}

/** What a build step leaves for the next one. */
interface Stage {
  hours: BroadcastHour[];
  slots: Slot[];
  exceptions: LogException[];
  bumpedSpots?: number;
  /** Hand edits applied before music, those left for after it, and those dropped (docs/log-editing.md). */
  edits?: { kept: string[]; pending: LogEdit[]; dropped: { id: string; why: string }[] };
}

export type StageName = 'expanded' | 'music' | 'traffic' | 'voiced';

export interface DraftSummary {
  version: number;
  entries: number;
  errors: number;
  warnings: number;
  bumpedSpots: number;
  /** Seconds each hour is off its target (+ over, − under), for the web app. */
  exceptionKinds: Record<string, number>;
  /** The ids of the version's errors that approving it needs acknowledged (absent from drafts saved before). */
  errorIds?: string[];
}

/** What traffic's PSA fallback reads of the history: the least recently used PSA, promo, ID … goes first. */
const FALLBACK_TYPES: readonly TrackType[] = ['PSA', 'PRO', 'LIN', 'INT', 'BED'];

/** Stages a worker keeps in memory (a build has four; a backfill runs many builds at once). */
const KEPT_STAGES = 256;
/** The version of a stage that lives only in memory. */
const MEMORY = 'memory';

const summaryOf = (payload: Stage): StepSummary => ({ slots: payload.slots.length, exceptions: payload.exceptions.length });

/** Errors that retrying cannot fix (a missing station, a bad date or timezone) fail the step at once. */
function notFound(error: unknown): never {
  if (error instanceof StationNotFoundError) throw ApplicationFailure.nonRetryable(error.message, 'StationNotFound');
  if (error instanceof RangeError) throw ApplicationFailure.nonRetryable(error.message, 'InvalidInputs');
  throw error;
}

function pure<T>(step: () => T): T {
  try {
    return step();
  } catch (error) {
    return notFound(error);
  }
}

/** What reconciling a day found; `awaiting_as_run` while no source has delivered its as-run. */
export interface ReconcileResult {
  state: 'reconciled' | 'awaiting_as_run';
  aired: number;
  missed: number;
  makeGoods: number;
  unscheduled: number;
  /** While awaiting: after this instant (epoch ms) the day's as-run is overdue. */
  deadline?: number;
  overdue?: boolean;
}

export function createBroadcastDayActivities({ db, loader, publisher }: ActivityDeps) {
  const inputs = (ref: StepInput, parts: InputParts = {}) => loader.load(ref.stationId, ref.date, ref.seed, parts).catch(notFound);
  // Runs started before local build steps hand stages on through log_build_stages; each step
  // also keeps what it wrote, checked against the row's version (xmin) before use.
  const written = new Map<string, { xmin: string; payload: Stage }>();
  const stageKey = (step: BuildStep, stage: StageName) => `${step.logId}:${step.version}:${stage}`;
  const remember = (key: string, value: { xmin: string; payload: Stage }) => {
    written.delete(key);
    written.set(key, value);
    // A worker builds a few days at a time: keep the latest stages only.
    while (written.size > KEPT_STAGES) written.delete(written.keys().next().value!);
  };
  const stages = {
    async write(step: BuildStep, stage: StageName, payload: Stage): Promise<StepSummary> {
      if (step.stages === 'memory') {
        remember(stageKey(step, stage), { xmin: MEMORY, payload });
        return summaryOf(payload);
      }
      const [row] = (await db('log_build_stages')
        .insert({ logId: step.logId, version: step.version, stage, payload: JSON.stringify(payload) })
        .onConflict(['logId', 'version', 'stage'])
        .merge()
        .returning(db.raw('xmin::text as xmin'))) as { xmin: string }[];
      remember(stageKey(step, stage), { xmin: row!.xmin, payload });
      return summaryOf(payload);
    },
    async read(step: BuildStep, stage: StageName): Promise<Stage> {
      const kept = written.get(stageKey(step, stage));
      if (step.stages === 'memory') return kept?.payload ?? remake(step, stage);
      if (kept) {
        const row = (await db('log_build_stages').where({ logId: step.logId, version: step.version, stage }).first(db.raw('xmin::text as xmin'))) as { xmin: string } | undefined;
        if (row?.xmin === kept.xmin) return kept.payload;
      }
      const row = (await db('log_build_stages').where({ logId: step.logId, version: step.version, stage }).first('payload')) as { payload: Stage } | undefined;
      // Missing only if the build was cleaned up under us (a newer save): the workflow rebuilds.
      if (!row) throw ApplicationFailure.nonRetryable(`The ${stage} step of version ${step.version} is missing; rebuild the day`, 'StageMissing');
      return row.payload;
    },
    forget(logId: string) {
      for (const key of [...written.keys()]) if (key.startsWith(`${logId}:`)) written.delete(key);
    },
  };

  // Each stage of a build, made from the one before it. The engine is deterministic, so a stage
  // this worker does not hold is made again from the inputs rather than stored for others.
  const make = {
    async expanded(step: BuildStep): Promise<Stage> {
      const day = await inputs(step, {});
      return pure(() => {
        const hours = broadcastHours(day);
        return { hours, ...expandClocks(day, hours) };
      });
    },
    async traffic(step: BuildStep, previous: Stage): Promise<Stage> {
      const day = await inputs(step, { campaigns: true, history: FALLBACK_TYPES });
      const traffic = pure(() => placeTraffic(day, previous.hours, previous.slots));
      return {
        hours: previous.hours,
        slots: traffic.slots,
        exceptions: [...previous.exceptions, ...traffic.exceptions],
        bumpedSpots: (previous.bumpedSpots ?? 0) + traffic.bumped.reduce((n, b) => n + b.count, 0),
      };
    },
    async voiced(step: BuildStep, previous: Stage): Promise<Stage> {
      const day = await inputs(step, { voiceTracks: true });
      const voiced = pure(() => overlayVoiceTracks(day, previous.slots));
      return { ...previous, slots: voiced.slots, exceptions: [...previous.exceptions, ...voiced.exceptions] };
    },
    async music(step: BuildStep, previous: Stage): Promise<Stage> {
      const day = await inputs(step, { history: ['MUS'], edits: true });
      // Hand edits that change the hour's make-up go in first: music is fitted around them.
      const early = withEdits({ stationId: day.station.id, date: day.date }, previous.slots, day.edits ?? [], 'before_music');
      const music = pure(() => scheduleMusic(day, previous.hours, early.slots));
      return { ...previous, slots: music.slots, exceptions: [...previous.exceptions, ...music.exceptions], edits: { kept: early.kept, pending: early.pending, dropped: early.dropped } };
    },
  };
  /** The stage each is made from, in the order of runs with `after`. */
  const MADE_FROM: Record<Exclude<StageName, 'expanded'>, StageName> = { traffic: 'expanded', voiced: 'traffic', music: 'voiced' };
  async function remake(step: BuildStep, stage: StageName): Promise<Stage> {
    const payload = stage === 'expanded' ? await make.expanded(step) : await make[stage](step, await stages.read(step, MADE_FROM[stage]));
    remember(stageKey(step, stage), { xmin: MEMORY, payload });
    return payload;
  }

  return {
    /** Creates the day's log row (or finds it) and works out the day's times. */
    async openBroadcastDay(ref: BroadcastDayRef & { workflowId: string; runId: string }): Promise<OpenedDay> {
      // A date that is no day (2024-02-30) or none a log is built for (0001-01-01): no retry helps.
      if (!isBroadcastDate(ref.date)) {
        throw ApplicationFailure.nonRetryable(`"${ref.date}" is not a broadcast date: logs are built for calendar days, YYYY-MM-DD, from ${FIRST_BROADCAST_DATE} on`, 'InvalidDate');
      }
      const station = await findStation(db, ref.stationId).catch(notFound);
      const start = DateTime.fromISO(ref.date, { zone: station.timezone }).startOf('day');
      if (!start.isValid) throw ApplicationFailure.nonRetryable(`"${ref.date}" is not a broadcast date`, 'InvalidDate');
      await db('daily_logs')
        .insert({ stationId: station.id, broadcastDate: ref.date, workflowId: ref.workflowId, workflowRunId: ref.runId, status: 'building' })
        .onConflict(['stationId', 'broadcastDate'])
        .merge({ workflowRunId: ref.runId, updatedAt: db.fn.now() });
      const log = (await db('daily_logs')
        .where({ stationId: station.id, broadcastDate: ref.date })
        .first('id', 'workflowId', 'status', 'version', 'approvedVersion')) as {
        id: string;
        workflowId: string;
        status: LogStatus;
        version: number;
        approvedVersion: number | null;
      };
      if (log.workflowId !== ref.workflowId) {
        throw ApplicationFailure.nonRetryable(`The log of ${station.slug} ${ref.date} belongs to workflow ${log.workflowId}`, 'LogOwnedElsewhere');
      }
      const airStartsAt = start.toMillis();
      const airEndsAt = start.plus({ days: 1 }).toMillis();
      return {
        logId: log.id,
        stationId: station.id,
        slug: station.slug,
        timezone: station.timezone,
        airStartsAt,
        airEndsAt,
        approvalDeadline: airStartsAt - station.approvalLeadHours * 3_600_000,
        reconcileAt: airEndsAt + station.reconcileGraceMinutes * 60_000,
        trafficMayPublish: station.trafficMayPublish,
        status: log.status,
        version: log.version,
        approvedVersion: log.approvedVersion,
      };
    },

    /** Today and the next `buildDaysAhead` broadcast dates in the station's timezone. */
    async upcomingBroadcastDates(input: { station: string }): Promise<{ slug: string; dates: string[] }> {
      const station = await findStation(db, input.station).catch(notFound);
      return { slug: station.slug, dates: broadcastDatesFrom(new Date(), station.timezone, station.buildDaysAhead + 1) };
    },

    async setLogStatus(input: { logId: string; status: LogStatus; step: string; failure?: string }): Promise<void> {
      await db('daily_logs')
        .where({ id: input.logId })
        .update({ status: input.status, currentStep: input.step, failure: input.failure ?? null, updatedAt: db.fn.now() });
    },

    async expandClocks(step: BuildStep): Promise<StepSummary> {
      return stages.write(step, 'expanded', await make.expanded(step));
    },

    /** Music is fitted to the hour around what traffic and voice tracks placed (when it runs after them). */
    async scheduleMusic(step: BuildStep): Promise<StepSummary> {
      return stages.write(step, 'music', await make.music(step, await stages.read(step, step.after ?? 'expanded')));
    },

    async placeTraffic(step: BuildStep): Promise<StepSummary> {
      return stages.write(step, 'traffic', await make.traffic(step, await stages.read(step, step.after ?? 'music')));
    },

    async overlayVoiceTracks(step: BuildStep): Promise<StepSummary> {
      return stages.write(step, 'voiced', await make.voiced(step, await stages.read(step, step.after ?? 'traffic')));
    },

    /** Times the filled slots (fading and filling to each hard start) and stores them as the log's new version, awaiting approval. */
    async saveDraft(step: BuildStep): Promise<DraftSummary> {
      const [day, voiced] = await Promise.all([inputs(step, { edits: true }), stages.read(step, step.after ?? 'voiced')]);
      // The hand edits music did not take (all of them for runs whose music came first).
      const late = withEdits({ stationId: day.station.id, date: day.date }, voiced.slots, voiced.edits ? voiced.edits.pending : (day.edits ?? []), 'final');
      const timed = pure(() => timeEntries(day, voiced.hours, late.slots));
      const labelOf = new Map(voiced.hours.map((h) => [h.index, h]));
      const editsKept = [...(voiced.edits?.kept ?? []), ...late.kept];
      const editsDropped = [...(voiced.edits?.dropped ?? []), ...late.dropped];
      const exceptions = [...voiced.exceptions, ...timed.exceptions];
      const entryIdBySlot = new Map(timed.entries.map((e) => [e.slotKey, e.id]));
      let errorIds: string[] = [];
      await db.transaction(async (trx) => {
        // Replacing the whole draft makes a retry (or a rebuild) leave exactly one copy.
        await trx('log_exceptions').where({ logId: step.logId }).delete();
        await trx('log_entries').where({ logId: step.logId }).delete();
        // One statement per table, the rows as one JSON parameter: hundreds of rows × twenty
        // columns as bound parameters cost the worker more than PostgreSQL reading them.
        const rows = timed.entries.map((e) => logEntryRow(step.logId, e, labelOf.get(e.hourIndex)?.utcOffsetMinutes ?? null));
        await insertAsJson(trx, 'log_entries', rows);
        exceptions.push(...(await rebuiltEdits(trx, step.version, editsKept, editsDropped)));
        const exceptionRows = exceptions.map((x) => ({
          log_id: step.logId,
          log_version: step.version,
          entry_id: x.slotKey ? (entryIdBySlot.get(x.slotKey) ?? null) : null,
          hour: x.hour,
          hour_label: x.hourIndex !== null ? (labelOf.get(x.hourIndex)?.label ?? null) : x.hour !== null ? hourLabel(x.hour) : null,
          kind: x.kind,
          severity: x.severity,
          message: x.message,
          details: x.details,
        }));
        // The errors as stored (with their ids) are what approving this version must acknowledge.
        errorIds = errorsToAcknowledge(
          (await insertAsJson<{ id: string; kind: ExceptionKind; severity: ExceptionSeverity }>(trx, 'log_exceptions', exceptionRows, ['id', 'kind', 'severity'])).filter(
            (x) => x.severity === 'error',
          ),
        ).map((x) => x.id);
        // Make-goods placed in this log are scheduled; ones no longer placed are owed again.
        await trx('make_goods').whereIn('scheduledEntryId', trx('log_entries').select('id').where({ logId: step.logId })).update({ status: 'owed', scheduledEntryId: null });
        for (const e of timed.entries.filter((x) => x.makeGoodId)) {
          await trx('make_goods').where({ id: e.makeGoodId }).update({ status: 'scheduled', scheduledEntryId: e.id });
        }
        await trx('daily_logs').where({ id: step.logId }).update({
          version: step.version,
          seed: step.seed,
          status: 'awaiting_approval',
          currentStep: 'awaiting approval',
          builtAt: trx.fn.now(),
          approvedBy: null,
          approvedAt: null,
          approvedVersion: null,
          atRisk: false,
          failure: null,
          updatedAt: trx.fn.now(),
        });
        // The work in progress has served its purpose.
        await trx('log_build_stages').where({ logId: step.logId }).delete();
      });
      stages.forget(step.logId);
      const exceptionKinds: Record<string, number> = {};
      for (const x of exceptions) exceptionKinds[x.kind] = (exceptionKinds[x.kind] ?? 0) + 1;
      return {
        version: step.version,
        entries: timed.entries.length,
        errors: exceptions.filter((x) => x.severity === 'error').length,
        warnings: exceptions.filter((x) => x.severity === 'warning').length,
        bumpedSpots: voiced.bumpedSpots ?? 0,
        exceptionKinds,
        errorIds,
      };
    },

    /** The approval, with each error's acknowledgement on its exception and in the audit log. */
    async recordApproval(input: { logId: string; version: number; userId: string | null; acknowledgements?: Acknowledgement[] }): Promise<void> {
      const acknowledgements = input.acknowledgements ?? [];
      await db.transaction(async (trx) => {
        // The audit keeps what was acknowledged in words too: a rebuild replaces the exceptions.
        const acknowledged: (Acknowledgement & { kind: string; hourLabel: string | null; message: string })[] = [];
        for (const a of acknowledgements) {
          const [row] = (await trx('log_exceptions')
            .where({ id: a.exceptionId, logId: input.logId, logVersion: input.version })
            .update({ acknowledgedBy: input.userId, acknowledgedAt: trx.fn.now(), acknowledgement: a.reason })
            .returning(['kind', 'hourLabel', 'message'])) as { kind: string; hourLabel: string | null; message: string }[];
          if (row) acknowledged.push({ ...a, ...row });
        }
        await trx('daily_logs').where({ id: input.logId }).update({
          status: 'approved',
          currentStep: 'approved',
          approvedBy: input.userId,
          approvedAt: trx.fn.now(),
          approvedVersion: input.version,
          atRisk: false,
          updatedAt: trx.fn.now(),
        });
        await trx('audit_log').insert({
          actorType: input.userId ? 'user' : 'system',
          actorId: input.userId,
          action: 'log.approve',
          entity: 'daily_log',
          entityId: input.logId,
          // So that the station's admins see it (the audit log is read by station).
          stationId: trx('daily_logs').where({ id: input.logId }).select('stationId'),
          after: JSON.stringify({ version: input.version, ...(acknowledged.length > 0 && { acknowledgements: acknowledged }) }),
        });
      });
    },

    /** Nobody approved in time: the day is at risk (shown in the web app); the workflow keeps waiting. */
    async markAtRisk(input: { logId: string; version: number; deadline: number }): Promise<void> {
      const message = `Not approved and published by ${new Date(input.deadline).toISOString()}: the day is at risk of airing without an approved log`;
      await db.transaction(async (trx) => {
        await trx('daily_logs').where({ id: input.logId }).update({ atRisk: true, updatedAt: trx.fn.now() });
        const already = (await trx('log_exceptions').where({ logId: input.logId, logVersion: input.version, kind: 'approval_at_risk' }).first('id')) as { id: string } | undefined;
        if (!already) {
          await trx('log_exceptions').insert({ logId: input.logId, logVersion: input.version, kind: 'approval_at_risk', severity: 'error', message, details: JSON.stringify({ deadline: input.deadline }) });
        }
      });
    },

    async publishLog(input: { logId: string; version: number }): Promise<PublishReceipt> {
      const log = (await db('daily_logs')
        .join('stations', 'stations.id', 'daily_logs.station_id')
        .where('daily_logs.id', input.logId)
        .first('daily_logs.broadcast_date as date', 'daily_logs.version', 'stations.id as stationId', 'stations.slug', 'stations.name', 'stations.timezone')) as {
        date: string;
        version: number;
        stationId: string;
        slug: string;
        name: string;
        timezone: string;
      };
      if (log.version !== input.version) {
        throw ApplicationFailure.nonRetryable(`Version ${input.version} is no longer the log's version (${log.version})`, 'StaleVersion');
      }
      const entries = (await logEntriesWithTracks(db, input.logId).select(
          'log_entries.id',
          'log_entries.position',
          'log_entries.starts_at as startsAt',
          'log_entries.hour_label as hourLabel',
          'log_entries.utc_offset_minutes as utcOffsetMinutes',
          'log_entries.length_ms as lengthMs',
          'log_entries.fade_out_ms as fadeOutMs',
          'log_entries.type',
          'log_entries.title',
          'tracks.artist',
          'log_entries.track_id as trackId',
          'tracks.ref as trackRef',
          'tracks.libretime_file_id as libretimeFileId',
          'tracks.cue_in_ms as cueInMs',
          'log_entries.campaign_id as campaignId',
          'log_entries.is_fallback as isFallback',
        )) as (Omit<PublishableEntry, 'startsAt' | 'cueInMs' | 'cueOutMs'> & { startsAt: Date; cueInMs: number | null })[];
      const receipt = await publisher.publish({
        station: { id: log.stationId, slug: log.slug, name: log.name, timezone: log.timezone },
        date: log.date,
        version: log.version,
        entries: entries.map((e) => ({
          ...e,
          startsAt: e.startsAt.toISOString(),
          cueInMs: e.cueInMs ?? 0,
          cueOutMs: (e.cueInMs ?? 0) + e.lengthMs,
        })),
      });
      await db.transaction(async (trx) => {
        await trx('daily_logs').where({ id: input.logId }).update({ publishedAt: trx.fn.now(), publishedVersion: input.version, updatedAt: trx.fn.now() });
        await trx('audit_log').insert({
          actorType: 'system',
          actorId: 'broadcast-day',
          action: 'log.publish',
          entity: 'daily_log',
          entityId: input.logId,
          stationId: log.stationId,
          after: JSON.stringify({ version: input.version, ...receipt }),
        });
      });
      return receipt;
    },

    /**
     * Matches the day's as-run to its log by the rules of docs/reconciliation.md (domain/
     * reconciliation): an outcome per entry, make-goods owed for the station's spots that did
     * not air as ordered, and make-goods placed in this log settled when they aired. A day no
     * source has delivered any as-run for yet is `awaiting_as_run`: nothing is declared missed.
     * Running it again replaces the earlier results (a late as-run): make-goods it no longer owes
     * are withdrawn, none is owed twice.
     */
    async reconcileDay(input: { logId: string; livePeriods?: LivePeriod[]; /** The run's time (epoch ms), to say whether the as-run is overdue. */ now?: number }): Promise<ReconcileResult> {
      return db.transaction(async (trx) => {
        const { log, day, entries, plays } = await reconciliationInputs(trx, input.logId);
        // Owed make-goods whose campaign ended more than the station's grace ago will not air now.
        await expireMakeGoods(trx, log.stationId, log.date);
        await trx('log_exceptions').where({ logId: input.logId, kind: 'reconciliation' }).delete();
        // Orders whose flight week ends today and were left short of spots (bumped, preempted) are
        // owed make-goods now: that is about placement, so it does not wait for the as-run.
        for (const week of await oweShortWeeks(trx, log.stationId, log.date)) {
          const weekOf = DateTime.fromISO(week.week.startsOn).toFormat('d LLL');
          await trx('log_exceptions').insert({
            logId: input.logId,
            logVersion: log.version,
            kind: 'reconciliation',
            severity: week.short > 0 ? 'warning' : 'info',
            message:
              week.short > 0
                ? `${week.advertiserName} — ${week.campaignName}: ${week.placed} of the ${week.ordered} spots ordered for the week of ${weekOf} were placed; ${week.short} bumped or preempted spot(s) are owed as make-goods`
                : `${week.advertiserName} — ${week.campaignName}: the week of ${weekOf} is no longer short; ${week.withdrawn} make-good(s) owed for it were withdrawn`,
            details: JSON.stringify({ shortWeek: week }),
          });
        }
        if (entries.length === 0) return { state: 'reconciled', aired: 0, missed: 0, makeGoods: 0, unscheduled: 0 };
        const reconciled = reconcileAsRun({
          day,
          entries,
          plays,
          interruptions: (input.livePeriods ?? []).map((p) => ({ kind: 'live_takeover' as const, startsAt: Date.parse(p.startsAt), endsAt: Date.parse(p.endsAt) })),
          // The log's own live programmes: planned, so nothing in them is owed by playout.
          plannedPeriods: livePlannedPeriods(entries),
          now: input.now ?? Date.now(),
        });
        if (reconciled.state === 'awaiting_as_run') {
          // Nothing came back yet (a station that publishes to files, or a late import): wait, owe nothing.
          const by = DateTime.fromMillis(reconciled.deadline, { zone: log.timezone }).toFormat("ccc d LLL HH:mm ZZZZ");
          await trx('log_exceptions').insert({
            logId: input.logId,
            logVersion: log.version,
            kind: 'reconciliation',
            severity: 'warning',
            message: reconciled.overdue
              ? `No as-run has come for this day, and it was due by ${by}: import one, or confirm the day as aired, to reconcile it`
              : `Awaiting the as-run (due by ${by}): nothing is counted missed until it comes`,
            details: JSON.stringify({ state: reconciled.state, deadline: new Date(reconciled.deadline).toISOString(), overdue: reconciled.overdue }),
          });
          return { state: 'awaiting_as_run', aired: 0, missed: 0, makeGoods: 0, unscheduled: 0, deadline: reconciled.deadline, overdue: reconciled.overdue };
        }
        // Plays matched by track, media or name now point at their entry (what the report and the view read).
        const aired = reconciled.outcomes.filter((o): o is AiredOutcome | MovedOutcome => o.outcome === 'aired' || o.outcome === 'aired_partially' || o.outcome === 'moved');
        // One statement for the day, not one per play. (A repeat aired on the row of the play
        // before it, which stays that entry's.)
        const linked = aired.filter((o) => o.matchedBy !== 'repeat');
        await trx.raw(
          `UPDATE playback_history AS p SET log_entry_id = v.entry_id FROM unnest(?::bigint[], ?::uuid[]) AS v(id, entry_id) WHERE p.id = v.id AND p.log_entry_id IS NULL`,
          [linked.map((o) => historyRowId(o.play.playId)), linked.map((o) => o.entryId)],
        );
        const airedIds = aired.map((o) => o.entryId);
        // Make-goods placed in this log that aired are settled.
        await trx('make_goods').whereIn('scheduledEntryId', airedIds).where({ status: 'scheduled' }).update({ status: 'aired', resolvedAt: trx.fn.now(), updatedAt: trx.fn.now() });
        const existing = (await trx('make_goods')
          .whereIn(
            'missedEntryId',
            entries.map((e) => e.id),
          )
          .select('missedEntryId', 'status')) as { missedEntryId: string; status: MakeGoodStatus }[];
        const changes = makeGoodsOwed(reconciled.outcomes, existing);
        let newMakeGoods = 0;
        for (const owed of changes.newlyOwed) {
          const inserted = (await trx('make_goods')
            .insert({ stationId: log.stationId, campaignId: owed.campaignId, missedEntryId: owed.missedEntryId, reason: 'missed', status: 'owed' })
            .onConflict('missedEntryId')
            .ignore()
            .returning('id')) as { id: string }[];
          newMakeGoods += inserted.length;
        }
        // A late as-run shows these spots aired after all: what was owed for them is withdrawn
        // (one already placed in a log stays there as a bonus spot).
        const withdrawn = changes.noLongerOwed.filter((m) => m.status === 'owed').map((m) => m.missedEntryId);
        if (withdrawn.length) await trx('make_goods').whereIn('missedEntryId', withdrawn).where({ status: 'owed' }).delete();
        const { counts } = reconciled;
        const result: ReconcileResult = {
          state: 'reconciled',
          aired: counts.aired + counts.aired_partially + counts.moved,
          missed: counts.missed + counts.substituted,
          makeGoods: changes.owed.length,
          unscheduled: counts.unscheduled,
        };
        const live = input.livePeriods ?? [];
        const missedInLive = reconciled.outcomes.filter((o) => o.outcome === 'missed' && o.reason === 'live_takeover' && o.campaignId).length;
        const liveNote = live.length ? `; live shows took over ${live.length} time(s)${missedInLive ? `, during which ${missedInLive} of the missed spots were due` : ''}` : '';
        await trx('log_exceptions').insert({
          logId: input.logId,
          logVersion: log.version,
          kind: 'reconciliation',
          severity: changes.owed.length ? 'warning' : 'info',
          message: `As-run (${reconciled.sources.join(', ')}): ${result.aired} of ${entries.length} entries aired; ${changes.owed.length} spot(s) missed, substituted or cut short and owed as make-goods${liveNote}`,
          details: JSON.stringify({ ...result, counts, newMakeGoods, withdrawn: withdrawn.length, livePeriods: live, missedInLive }),
        });
        await trx('daily_logs').where({ id: input.logId }).update({ reconciledAt: trx.fn.now(), updatedAt: trx.fn.now() });
        return result;
      });
    },

    /** A step failed for good: the day shows as failed with the reason until someone rebuilds it. */
    async recordFailure(input: { logId: string; message: string; kind: 'build_failed' | 'publish_failed' }): Promise<void> {
      await db.transaction(async (trx) => {
        const log = (await trx('daily_logs').where({ id: input.logId }).first('version')) as { version: number } | undefined;
        if (!log) throw ApplicationFailure.nonRetryable(`The log ${input.logId} no longer exists`, 'LogNotFound');
        await trx('daily_logs').where({ id: input.logId }).update({ status: 'failed', failure: input.message, updatedAt: trx.fn.now() });
        await trx('log_exceptions').insert({ logId: input.logId, logVersion: log.version, kind: input.kind, severity: 'error', message: input.message, details: '{}' });
      });
    },
  };
}
