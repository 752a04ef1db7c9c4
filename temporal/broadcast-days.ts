// Starting broadcast days and keeping each station's daily build schedule, from the API,
// npm start and tests. Business ids are workflow ids, so these calls are idempotent.
import { WorkflowExecutionAlreadyStartedError, type Client, type WorkflowHandle } from '@temporalio/client';
import { broadcastDayWorkflowId } from '../domain/broadcast-day.js';
import type { broadcastDay } from '../workflows/broadcast-day.js';
import { keepSchedule } from './schedules.js';
import { BROADCAST_DATE, LOG_STATUS, STATION_ID } from './search-attributes.js';

export interface ScheduledStation {
  slug: string;
  timezone: string;
  buildHour: number;
  buildDaysAhead: number;
}

/** Starts the station's day, or returns the run that already carries it: never two logs for one day. */
export async function startBroadcastDay(
  client: Client,
  taskQueue: string,
  station: { slug: string },
  date: string,
  seed?: number,
): Promise<WorkflowHandle<typeof broadcastDay>> {
  const workflowId = broadcastDayWorkflowId(station.slug, date);
  try {
    return await client.workflow.start<typeof broadcastDay>('broadcastDay', {
      workflowId,
      taskQueue,
      args: [{ station: station.slug, date, ...(seed !== undefined && { seed }) }],
      workflowIdConflictPolicy: 'USE_EXISTING',
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      typedSearchAttributes: [
        { key: STATION_ID, value: station.slug },
        { key: BROADCAST_DATE, value: date },
        { key: LOG_STATUS, value: 'building' },
      ],
    });
  } catch (error) {
    // A finished day (reconciled) is not built again.
    if (error instanceof WorkflowExecutionAlreadyStartedError) return client.workflow.getHandle<typeof broadcastDay>(workflowId);
    throw error;
  }
}

export const buildScheduleId = (slug: string) => `build-logs:${slug}`;

/**
 * Creates or updates the station's Temporal Schedule that builds logs ahead every day at its
 * build hour, local time (04:00 or later: an hour that exists on every day, DST days too).
 */
export async function upsertBuildSchedule(client: Client, taskQueue: string, station: ScheduledStation): Promise<void> {
  await keepSchedule(client, {
    scheduleId: buildScheduleId(station.slug),
    spec: { calendars: [{ hour: station.buildHour, minute: 0 }], timezone: station.timezone },
    action: { type: 'startWorkflow', workflowType: 'buildUpcomingDays', workflowId: `build-upcoming:${station.slug}`, taskQueue, args: [{ station: station.slug }] },
    catchupWindow: '1 day',
    purpose: `Builds ${station.slug}'s logs ${station.buildDaysAhead} day(s) ahead`,
  });
}
