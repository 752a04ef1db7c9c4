// One run per station and broadcast day, from clock expansion to post-air reconciliation:
//   build (expand clocks → music → traffic → voice tracks → save draft) → wait for approval
//   → wait for publish → publish → wait until the day has aired → reconcile.
// A rebuild request before air starts over from the build and asks for approval again.
import {
  ActivityFailure,
  ApplicationFailure,
  condition,
  ParentClosePolicy,
  patched,
  startChild,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  upsertSearchAttributes,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import type { DraftSummary, OpenedDay } from '../activities/broadcast-day.js';
import type { Activities } from '../activities/index.js';
import { checkAcknowledgements, describeAcknowledgementCheck } from '../domain/approval.js';
import { hash32 } from '../domain/log/random.js';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { LogStatus } from '../domain/vocabulary.js';
import { nowPlayingDay, nowPlayingWorkflowId } from './azuracast.js';
import { BROADCAST_DATE, LOG_STATUS, STATION_ID } from '../temporal/search-attributes.js';
import {
  APPROVER_ROLES,
  EDITABLE_STATUSES,
  EDITOR_ROLES,
  approveUpdate,
  editUpdate,
  publishUpdate,
  rebuildSignal,
  asRunArrivedSignal,
  stateQuery,
  type ApproveRequest,
  type BroadcastDayInput,
  type BroadcastDayState,
  type EditRequest,
  type EditResult,
  type PublishRequest,
  type RebuildRequest,
  type UpdateRefusal,
} from './broadcast-day-messages.js';

const NON_RETRYABLE = ['StationNotFound', 'InvalidDate', 'InvalidInputs', 'LogOwnedElsewhere', 'StaleVersion', 'StageMissing'];

const steps = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 10, nonRetryableErrorTypes: NON_RETRYABLE },
});

// Opening the day is one upsert: a short timeout, so an attempt lost with a dead worker is
// retried elsewhere in seconds rather than after the build steps' two minutes.
const opening = proxyActivities<Activities>({
  startToCloseTimeout: '20 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 10, nonRetryableErrorTypes: NON_RETRYABLE },
});

// The same steps as local activities: a build's steps take milliseconds each, so they run in
// the worker that runs the day, without a round trip through the Temporal server per step
// (docs/decisions.md). Each is still retried, and recorded in the history as a marker.
const localSteps = proxyLocalActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  localRetryThreshold: '10 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 10, nonRetryableErrorTypes: NON_RETRYABLE },
});

// Playout may be down for a while: publishing and the as-run keep trying for hours.
const playout = proxyActivities<Activities>({
  startToCloseTimeout: '10 minutes',
  // They heartbeat while they run: a worker that dies mid-publish is noticed in 30 seconds.
  heartbeatTimeout: '30 seconds',
  // At most a minute between attempts, so a day goes out within a minute of playout coming back;
  // 300 attempts keep trying for about five hours.
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 300, nonRetryableErrorTypes: NON_RETRYABLE },
});

// A hand edit: a person waits for it, so a shorter timeout; a refusal is not retried.
const editing = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '10 seconds', maximumAttempts: 5, nonRetryableErrorTypes: [...NON_RETRYABLE, 'InvalidEdit'] },
});

const bookkeeping = proxyLocalActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '500 milliseconds', maximumInterval: '10 seconds', nonRetryableErrorTypes: NON_RETRYABLE },
});

const BUILD_STEPS = 5;
/** While a day awaits its as-run: how often to look again, and how long past the deadline to keep waiting. */
const AS_RUN_LOOK_AGAIN_MS = 60 * 60_000;
const AS_RUN_WAIT_AFTER_DEADLINE_MS = 7 * 24 * 60 * 60_000;

/**
 * Why a build step failed, for people (the day's `failure`): a step's own refusal in its words
 * (a date that is no broadcast day, a timezone that does not exist); anything else, which
 * retrying did not cure (a database error carries its SQL), by the step it stopped at.
 */
function buildFailure(error: ActivityFailure | ApplicationFailure, step: string): string {
  const failure = error instanceof ActivityFailure ? error.cause : error;
  if (failure instanceof ApplicationFailure && failure.nonRetryable) return failure.message;
  return `an unexpected error while ${step.replace(/^building version \d+: /, '')}, after every retry; the run's history in Temporal has the details`;
}

/** An update validator's refusal; its type tells the API which answer to give (403, 409, 412 or 422). */
const refusal = (type: UpdateRefusal, message: string, ...details: unknown[]) => ApplicationFailure.nonRetryable(message, type, ...details);

export async function broadcastDay(input: BroadcastDayInput): Promise<BroadcastDayState> {
  const info = workflowInfo();
  const state: BroadcastDayState = {
    status: 'building',
    step: 'opening the day',
    version: 0,
    approvedVersion: null,
    publishedVersion: null,
    atRisk: false,
    progress: { done: 0, total: BUILD_STEPS },
    errors: 0,
    warnings: 0,
    failure: null,
  };
  let rebuildRequest: RebuildRequest | null = null;
  let approval: ApproveRequest | null = null;
  let publishRequest: PublishRequest | null = null;
  // The ids of the current version's errors, each to be acknowledged on approval; null where the
  // draft did not say (drafts saved before approvals checked acknowledgements: the API checks those).
  let errorIds: string[] | null = null;
  // Filled once the day is open; the handlers below are registered first so queries answer at once.
  const known: { day?: OpenedDay } = {};

  setHandler(stateQuery, () => state);
  let asRunArrived = false;
  setHandler(asRunArrivedSignal, () => {
    asRunArrived = true;
  });
  setHandler(rebuildSignal, (request) => {
    // After air has started the log is history: a rebuild would rewrite what already played.
    if (!known.day || Date.now() < known.day.airStartsAt) rebuildRequest = request;
  });
  // Hand edits, one at a time: each makes the next version; approving and publishing wait for them.
  let editsWaiting = 0;
  let editInFlight = false;
  const notEditable = (request: EditRequest): ApplicationFailure | null => {
    if (!known.day) return refusal('WrongStatus', 'The day is still opening');
    if (!EDITABLE_STATUSES.includes(state.status)) {
      return refusal('WrongStatus', `The log is ${state.status.replace('_', ' ')}: a log is edited by hand while it awaits approval or is approved, before publishing`);
    }
    if (rebuildRequest !== null) return refusal('WrongStatus', 'The log is about to be rebuilt; edit the new version');
    if (Date.now() >= known.day.airStartsAt) return refusal('WrongStatus', 'The day has started airing; its log is no longer edited');
    if (request.version !== state.version) return refusal('StaleVersion', `Version ${request.version} is not the log's current version (${state.version}); reload and edit what you see`);
    return null;
  };
  setHandler(
    editUpdate,
    async (request): Promise<EditResult> => {
      editsWaiting++;
      try {
        await condition(() => !editInFlight);
        editInFlight = true;
        try {
          // Checked again: an edit saved while this one waited has moved the version on.
          const refused = notEditable(request);
          if (refused) throw refused;
          const result = await editing.editLog({ logId: known.day!.logId, version: state.version + 1, editId: uuid4(), edit: request.edit, actor: request.actor });
          Object.assign(state, { version: result.version, approvedVersion: null, publishedVersion: null, errors: result.errors, warnings: result.warnings });
          state.status = 'awaiting_approval';
          state.step = `awaiting approval: version ${result.version} edited by hand`;
          errorIds = result.errorIds ?? null;
          approval = null;
          publishRequest = null;
          upsertSearchAttributes([{ key: LOG_STATUS, value: state.status }]);
          return { state: { ...state }, edit: { id: result.editId, summary: result.summary, separationWarnings: result.separationWarnings } };
        } catch (error) {
          // The step's refusal (an entry gone, a move that cannot be) goes back to the editor in its words.
          if (error instanceof ActivityFailure && error.cause instanceof ApplicationFailure) {
            throw refusal(error.cause.type === 'StaleVersion' ? 'StaleVersion' : 'InvalidEdit', error.cause.message);
          }
          throw error;
        } finally {
          editInFlight = false;
        }
      } finally {
        editsWaiting--;
      }
    },
    {
      validator: (request: EditRequest) => {
        if (!EDITOR_ROLES.includes(request.role)) throw refusal('NotAllowed', `A ${request.role} may not edit logs: editing needs the admin, traffic or programming role`);
        const refused = notEditable(request);
        if (refused) throw refused;
      },
    },
  );
  setHandler(
    approveUpdate,
    async (request) => {
      approval = request;
      await condition(() => state.approvedVersion === request.version || state.status !== 'awaiting_approval');
      return state;
    },
    {
      validator: (request: ApproveRequest) => {
        if (!APPROVER_ROLES.includes(request.role)) throw refusal('NotAllowed', `A ${request.role} may not approve logs: approval needs the admin or traffic role`);
        if (editsWaiting > 0) throw refusal('WrongStatus', 'A hand edit is being saved: reload and approve the version it makes');
        if (state.status !== 'awaiting_approval') throw refusal('WrongStatus', `The log is ${state.status.replace('_', ' ')}, not awaiting approval`);
        if (request.version !== state.version) throw refusal('StaleVersion', `Version ${request.version} is not the log's current version (${state.version}); reload and approve what you see`);
        if (errorIds !== null) {
          const check = checkAcknowledgements(errorIds, request.acknowledgements ?? []);
          if (!check.ok) throw refusal('Unacknowledged', describeAcknowledgementCheck(check, request.version), check);
        }
      },
    },
  );
  setHandler(
    publishUpdate,
    async (request) => {
      publishRequest = request;
      // Answer once publishing has begun: playout may take a while, and the state says when it is done.
      await condition(() => state.status !== 'approved' || rebuildRequest !== null);
      return state;
    },
    {
      validator: (request: PublishRequest) => {
        const mayPublish = request.role === 'admin' || (request.role === 'traffic' && (request.trafficMayPublish ?? known.day?.trafficMayPublish) === true);
        if (!mayPublish) throw refusal('NotAllowed', `A ${request.role} may not publish logs at this station: publishing needs the admin role`);
        if (editsWaiting > 0) throw refusal('WrongStatus', 'A hand edit is being saved: it needs approval before publishing');
        if (state.status !== 'approved') throw refusal('WrongStatus', `Only an approved log is published; this one is ${state.status.replace('_', ' ')}`);
        if (request.version !== state.approvedVersion) throw refusal('StaleVersion', `Version ${request.version} is not the approved version (${state.approvedVersion})`);
      },
    },
  );

  const opened = await opening.openBroadcastDay({ stationId: input.station, date: input.date, workflowId: info.workflowId, runId: info.runId });
  known.day = opened;
  state.version = opened.version;
  // 31 bits: the seed is stored in an integer column.
  const seed = input.seed ?? hash32(`${opened.stationId}:${input.date}`) >>> 1;
  const ref = { stationId: opened.stationId, date: input.date, seed };

  upsertSearchAttributes([
    { key: STATION_ID, value: opened.slug },
    { key: BROADCAST_DATE, value: input.date },
    { key: LOG_STATUS, value: state.status },
  ]);

  const setStatus = async (status: LogStatus, step: string) => {
    state.status = status;
    state.step = step;
    upsertSearchAttributes([{ key: LOG_STATUS, value: status }]);
    await bookkeeping.setLogStatus({ logId: opened.logId, status, step });
  };

  /** Waits for `ready` until the instant `at`; true when it became true in time. */
  const waitUntil = (at: number, ready: () => boolean) => {
    const ms = at - Date.now();
    return ms > 0 ? condition(ready, ms) : Promise.resolve(ready());
  };

  /** Builds the next version; on a failure that retrying cannot fix, the day shows as failed until rebuilt. */
  const build = async (): Promise<boolean> => {
    // A hand edit being saved finishes first; the build applies it again.
    if (editsWaiting > 0) await condition(() => editsWaiting === 0);
    const version = state.version + 1;
    state.progress = { done: 0, total: BUILD_STEPS };
    state.failure = null;
    const advance = (step: string) => {
      state.progress = { done: state.progress.done + 1, total: BUILD_STEPS };
      state.step = step;
    };
    try {
      await setStatus('building', `building version ${version}: expanding clocks`);
      const local = patched('build-steps-local');
      const run = local ? localSteps : steps;
      // Local steps run in this worker: their stages stay in its memory (made again if lost).
      const step = { ...ref, logId: opened.logId, version, ...(local && { stages: 'memory' as const }) };
      await run.expandClocks(step);
      let summary: DraftSummary;
      if (patched('fit-after-everything')) {
        // Music last, fitted around the real lengths of the spots and voice tracks placed.
        advance('placing traffic');
        await run.placeTraffic({ ...step, after: 'expanded' });
        advance('overlaying voice tracks');
        await run.overlayVoiceTracks({ ...step, after: 'traffic' });
        advance('scheduling music');
        await run.scheduleMusic({ ...step, after: 'voiced' });
        advance('timing and saving the draft');
        summary = await run.saveDraft({ ...step, after: 'music' });
      } else {
        advance('scheduling music');
        await steps.scheduleMusic(step);
        advance('placing traffic');
        await steps.placeTraffic(step);
        advance('overlaying voice tracks');
        await steps.overlayVoiceTracks(step);
        advance('saving the draft');
        summary = await steps.saveDraft(step);
      }
      advance('awaiting approval');
      Object.assign(state, { version, approvedVersion: null, publishedVersion: null, atRisk: false, errors: summary.errors, warnings: summary.warnings });
      errorIds = summary.errorIds ?? null;
      state.status = 'awaiting_approval';
      upsertSearchAttributes([{ key: LOG_STATUS, value: state.status }]);
      return true;
    } catch (error) {
      // A step that failed for good: an activity's failure, or a local activity's own (the SDK
      // hands that on as the ApplicationFailure it threw).
      if (!(error instanceof ActivityFailure) && !(error instanceof ApplicationFailure)) throw error;
      state.failure = `Building version ${version} failed: ${buildFailure(error, state.step)}`;
      await bookkeeping.recordFailure({ logId: opened.logId, message: state.failure, kind: 'build_failed' });
      state.status = 'failed';
      state.step = 'failed: waiting for a rebuild';
      upsertSearchAttributes([{ key: LOG_STATUS, value: state.status }]);
      return false;
    }
  };

  let needsBuild = true;
  for (;;) {
    if (needsBuild) {
      needsBuild = false;
      if (!(await build())) {
        await condition(() => rebuildRequest !== null);
      }
    }
    if (rebuildRequest !== null) {
      rebuildRequest = null;
      needsBuild = true;
      continue;
    }

    // Approval, then publishing, both due before the deadline; past it the day is at risk.
    const decided = () => rebuildRequest !== null || (state.status === 'awaiting_approval' ? approval !== null : publishRequest !== null);
    if (!(await waitUntil(opened.approvalDeadline, decided))) {
      state.atRisk = true;
      state.step = state.status === 'awaiting_approval' ? 'at risk: awaiting approval' : 'at risk: awaiting publishing';
      await bookkeeping.markAtRisk({ logId: opened.logId, version: state.version, deadline: opened.approvalDeadline });
      await condition(decided);
    }
    if (rebuildRequest !== null) continue;

    if (state.status === 'awaiting_approval') {
      const approved: ApproveRequest = approval!;
      approval = null;
      // The validator has checked them: one per error of the version, reasons trimmed.
      const acknowledgements = errorIds ? checkAcknowledgements(errorIds, approved.acknowledgements ?? []).accepted : (approved.acknowledgements ?? []);
      await bookkeeping.recordApproval({ logId: opened.logId, version: approved.version, userId: approved.userId, acknowledgements });
      state.approvedVersion = approved.version;
      state.status = 'approved';
      state.step = 'approved: awaiting publishing';
      upsertSearchAttributes([{ key: LOG_STATUS, value: state.status }]);
      continue;
    }

    // Publish the approved version; publishing is idempotent, so retries leave one copy.
    const request: PublishRequest = publishRequest!;
    publishRequest = null;
    await setStatus('publishing', `publishing version ${request.version}`);
    try {
      await playout.publishLog({ logId: opened.logId, version: request.version });
    } catch (error) {
      if (!(error instanceof ActivityFailure)) throw error;
      state.failure = `Publishing version ${request.version} failed: ${error.cause?.message ?? error.message}`;
      await bookkeeping.recordFailure({ logId: opened.logId, message: state.failure, kind: 'publish_failed' });
      state.status = 'failed';
      state.step = 'failed: waiting for a rebuild';
      upsertSearchAttributes([{ key: LOG_STATUS, value: state.status }]);
      await condition(() => rebuildRequest !== null);
      continue;
    }
    state.publishedVersion = request.version;
    state.atRisk = false;
    await setStatus('published', 'published: waiting for air');

    // On air: a rebuild is still possible until the day starts, then wait for the as-run.
    if (await waitUntil(opened.airStartsAt, () => rebuildRequest !== null)) continue;
    // On air: AzuraCast is told what plays, entry by entry, by a run of its own.
    if (patched('now-playing')) {
      await startChild(nowPlayingDay, {
        workflowId: nowPlayingWorkflowId(opened.slug, input.date),
        args: [{ station: opened.slug, date: input.date }],
        parentClosePolicy: ParentClosePolicy.ABANDON,
      }).catch((error: unknown) => {
        if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
      });
    }
    state.step = 'on air: waiting for the day to end';
    await waitUntil(opened.reconcileAt, () => false);
    break;
  }

  await setStatus('reconciling', 'reconciling the as-run');
  // Runs started before the as-run import existed reconcile from what is already stored.
  const asRun = patched('import-as-run') ? await playout.importAsRun({ logId: opened.logId }) : undefined;
  let result = await playout.reconcileDay({ logId: opened.logId, ...(asRun && { livePeriods: asRun.livePeriods }) });
  if (patched('awaiting-as-run')) {
    // No as-run yet (a station that publishes to files, an import still to come): nothing is
    // counted missed. The day waits for one — looking again every hour, or at once when one is
    // imported or the day is confirmed as aired — for a week past its deadline at most.
    const giveUpAt = (result.deadline ?? 0) + AS_RUN_WAIT_AFTER_DEADLINE_MS;
    while (result.state === 'awaiting_as_run' && Date.now() < giveUpAt) {
      const step = result.overdue ? 'awaiting the as-run: overdue' : 'awaiting the as-run';
      if (state.step !== step) await setStatus('reconciling', step);
      await condition(() => asRunArrived, AS_RUN_LOOK_AGAIN_MS);
      asRunArrived = false;
      const again = await playout.importAsRun({ logId: opened.logId });
      result = await playout.reconcileDay({ logId: opened.logId, livePeriods: again.livePeriods, now: Date.now() });
    }
  }
  await setStatus(
    'reconciled',
    result.state === 'awaiting_as_run' ? 'reconciled: no as-run came, nothing counted missed' : `reconciled: ${result.aired} aired, ${result.makeGoods} make-good(s) owed`,
  );
  return state;
}
