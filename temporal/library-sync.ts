// Starting a station's library sync, and its nightly Temporal Schedule. Only stations whose
// playout is LibreTime (URL and key set) have one.
import { ScheduleAlreadyRunning, ScheduleNotFoundError, ScheduleOverlapPolicy, type Client, type WorkflowHandle } from '@temporalio/client';
import { librarySyncWorkflowId, type librarySync } from '../workflows/library-sync.js';

/** A station whose playout is LibreTime, with URL and key, takes its library from there. */
export const syncsFromLibreTime = (s: { playoutTarget: string; libretimeUrl: string | null; libretimeApiKey: string | null }) =>
  s.playoutTarget === 'libretime' && s.libretimeUrl !== null && s.libretimeApiKey !== null;

export const librarySyncScheduleId = (slug: string) => `library-sync:${slug}`;
/** Night-time, before the 04:00 log builds, so they see last night's library. */
export const LIBRARY_SYNC_HOUR = 3;

/** Starts the sync, or returns the one running: one sync at a time per station. */
export async function startLibrarySync(client: Client, taskQueue: string, slug: string): Promise<WorkflowHandle<typeof librarySync>> {
  return client.workflow.start<typeof librarySync>('librarySync', {
    workflowId: librarySyncWorkflowId(slug),
    taskQueue,
    args: [{ station: slug }],
    workflowIdConflictPolicy: 'USE_EXISTING',
  });
}

/** Creates or updates the nightly sync; removes it when the station no longer plays out through LibreTime. */
export async function keepLibrarySyncSchedule(client: Client, taskQueue: string, station: { slug: string; timezone: string; syncsFromLibreTime: boolean }): Promise<void> {
  const scheduleId = librarySyncScheduleId(station.slug);
  if (!station.syncsFromLibreTime) {
    await client.schedule
      .getHandle(scheduleId)
      .delete()
      .catch((error: unknown) => {
        if (!(error instanceof ScheduleNotFoundError)) throw error;
      });
    return;
  }
  const spec = { calendars: [{ hour: LIBRARY_SYNC_HOUR, minute: 0 }], timezone: station.timezone };
  const action = { type: 'startWorkflow' as const, workflowType: 'librarySync', workflowId: librarySyncWorkflowId(station.slug), taskQueue, args: [{ station: station.slug }] as [{ station: string }] };
  try {
    await client.schedule.create({ scheduleId, spec, action, policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' }, memo: { purpose: `Syncs ${station.slug}'s library from LibreTime nightly` } });
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
    await client.schedule.getHandle(scheduleId).update((previous) => ({ ...previous, spec, action }));
  }
}
