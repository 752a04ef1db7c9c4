// The monthly affidavits' Temporal Schedule: the 2nd of each month at 06:00 station time (the
// day after the month closes, once its last day has been reconciled), for every station.
import type { Client } from '@temporalio/client';
import { keepSchedule } from './schedules.js';

export const affidavitScheduleId = (slug: string) => `affidavits:${slug}`;

export async function keepAffidavitSchedule(client: Client, taskQueue: string, station: { slug: string; timezone: string }): Promise<void> {
  await keepSchedule(client, {
    scheduleId: affidavitScheduleId(station.slug),
    spec: { calendars: [{ dayOfMonth: 2, hour: 6, minute: 0 }], timezone: station.timezone },
    // No month: the run files the month that closed last, whenever it runs (a late catch-up included).
    action: { type: 'startWorkflow', workflowType: 'monthlyAffidavits', workflowId: `affidavits:${station.slug}`, taskQueue, args: [{ station: station.slug }] },
    catchupWindow: '7 days',
    purpose: `Files ${station.slug}'s affidavits for each advertiser after the month closes`,
  });
}
