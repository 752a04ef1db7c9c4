// Keeping a Temporal Schedule as a station's settings say, the same way for every schedule:
// created when missing, its spec and action updated when it exists (idempotent, so several
// workers starting at once agree), or removed when the station no longer needs it. A run the
// schedule would start while the last one still runs is skipped.
import { ScheduleAlreadyRunning, ScheduleNotFoundError, ScheduleOverlapPolicy, type Client, type ScheduleOptionsAction, type ScheduleSpec } from '@temporalio/client';
import type { Duration } from '@temporalio/common';

export interface StationSchedule {
  scheduleId: string;
  spec: ScheduleSpec;
  /** The workflow each run starts, with its id and task queue. */
  action: ScheduleOptionsAction;
  /** How late a missed run may still start (after the cluster was down). */
  catchupWindow: Duration;
  /** What it is for, in the memo Temporal UI shows. */
  purpose: string;
}

export async function keepSchedule(client: Client, schedule: StationSchedule): Promise<void> {
  const { scheduleId, spec, action } = schedule;
  try {
    await client.schedule.create({ scheduleId, spec, action, policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: schedule.catchupWindow }, memo: { purpose: schedule.purpose } });
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
    await client.schedule.getHandle(scheduleId).update((previous) => ({ ...previous, spec, action }));
  }
}

/** Removes a schedule the station no longer needs (nothing to do when it is not there). */
export async function dropSchedule(client: Client, scheduleId: string): Promise<void> {
  await client.schedule
    .getHandle(scheduleId)
    .delete()
    .catch((error: unknown) => {
      if (!(error instanceof ScheduleNotFoundError)) throw error;
    });
}
