// The monthly royalty reports' Temporal Schedule: the 2nd of each month at 07:00 station time
// (the day after the month closes, once its last day has been reconciled), for every station.
import type { Client } from '@temporalio/client';
import { keepSchedule } from './schedules.js';

export const royaltyReportScheduleId = (slug: string) => `royalty-reports:${slug}`;

export async function keepRoyaltyReportSchedule(client: Client, taskQueue: string, station: { slug: string; timezone: string }): Promise<void> {
  await keepSchedule(client, {
    scheduleId: royaltyReportScheduleId(station.slug),
    spec: { calendars: [{ dayOfMonth: 2, hour: 7, minute: 0 }], timezone: station.timezone },
    // No month: the run prepares the month that closed last, whenever it runs (a late catch-up included).
    action: { type: 'startWorkflow', workflowType: 'monthlyRoyaltyReports', workflowId: `royalty-reports:${station.slug}`, taskQueue, args: [{ station: station.slug }] },
    catchupWindow: '7 days',
    purpose: `Prepares ${station.slug}'s royalty and compliance files after the month closes`,
  });
}
