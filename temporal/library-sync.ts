// Starting a station's library sync, and its nightly Temporal Schedule. Only stations whose
// playout is LibreTime (URL and key set) have one.
import type { Client, WorkflowHandle } from '@temporalio/client';
import { dropSchedule, keepSchedule } from './schedules.js';
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
  if (!station.syncsFromLibreTime) return dropSchedule(client, scheduleId);
  await keepSchedule(client, {
    scheduleId,
    spec: { calendars: [{ hour: LIBRARY_SYNC_HOUR, minute: 0 }], timezone: station.timezone },
    action: { type: 'startWorkflow', workflowType: 'librarySync', workflowId: librarySyncWorkflowId(station.slug), taskQueue, args: [{ station: station.slug }] },
    catchupWindow: '1 day',
    purpose: `Syncs ${station.slug}'s library from LibreTime nightly`,
  });
}
