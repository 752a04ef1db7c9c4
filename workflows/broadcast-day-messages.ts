// The broadcast day's messages, shared by the workflow, the API and the web app.
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { LogEditRequest } from '../activities/log-edits.js';
import type { Acknowledgement } from '../domain/approval.js';
import type { LogStatus, UserRole } from '../domain/vocabulary.js';

export interface BroadcastDayInput {
  /** Station id or slug. */
  station: string;
  /** 'YYYY-MM-DD' in the station's timezone. */
  date: string;
  /** Seed of the first build (a rebuild uses the next one); defaults to a hash of station and date. */
  seed?: number;
}

export interface BroadcastDayState {
  status: LogStatus;
  /** What the workflow is doing or waiting for, in words. */
  step: string;
  version: number;
  approvedVersion: number | null;
  publishedVersion: number | null;
  atRisk: boolean;
  /** Steps of the current build done / total. */
  progress: { done: number; total: number };
  errors: number;
  warnings: number;
  failure: string | null;
}

export interface Approver {
  userId: string | null;
  role: UserRole;
}

export interface ApproveRequest extends Approver {
  /** The version the traffic manager looked at; approving another one is refused. */
  version: number;
  /** Each error of that version, acknowledged with a reason (domain/approval.ts); none needed without errors. */
  acknowledgements?: Acknowledgement[];
}

export interface PublishRequest extends Approver {
  version: number;
  /**
   * The station's "traffic may publish" when the request arrived (the API reads it then);
   * without it, the setting as it was when the day's run started.
   */
  trafficMayPublish?: boolean;
}

/** A hand edit to the log (docs/log-editing.md), made to the version the editor looked at. */
export interface EditRequest extends Approver {
  version: number;
  edit: LogEditRequest;
  /** Who, for the audit log: a person or an API client. */
  actor: { actorType: string; actorId: string | null };
}

export interface EditResult {
  state: BroadcastDayState;
  edit: { id: string; summary: string; separationWarnings: string[] };
}

export interface RebuildRequest {
  reason: string;
  requestedBy?: string | null;
}

/**
 * Why an approve or publish update was refused: a role that may not, a log in another state, an
 * old version, or errors of the version not acknowledged (its details: the AcknowledgementCheck).
 */
export type UpdateRefusal = 'NotAllowed' | 'WrongStatus' | 'StaleVersion' | 'Unacknowledged' | 'InvalidEdit';

export const stateQuery = defineQuery<BroadcastDayState>('state');
export const approveUpdate = defineUpdate<BroadcastDayState, [ApproveRequest]>('approve');
export const publishUpdate = defineUpdate<BroadcastDayState, [PublishRequest]>('publish');
export const rebuildSignal = defineSignal<[RebuildRequest]>('rebuild');
export const editUpdate = defineUpdate<EditResult, [EditRequest]>('edit');
/** An as-run for the day has come (a file imported, the day confirmed as aired): reconcile again now. */
export const asRunArrivedSignal = defineSignal('asRunArrived');

/** Roles that may approve a log (docs/log-rules.md §8: a traffic manager or an admin). */
export const APPROVER_ROLES: readonly UserRole[] = ['admin', 'traffic'];

/** Roles that may edit a built log by hand: those who may approve it, and programming. */
export const EDITOR_ROLES: readonly UserRole[] = ['admin', 'traffic', 'programming'];

/** A log is edited by hand while it awaits approval or is approved, before publishing. */
export const EDITABLE_STATUSES: readonly LogStatus[] = ['awaiting_approval', 'approved'];
