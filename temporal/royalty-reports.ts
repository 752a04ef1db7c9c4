// The monthly royalty reports' Temporal Schedule: the 2nd of each month at 07:00 station time
// (the day after the month closes, once its last day has been reconciled), for every station.
import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client } from '@temporalio/client';

export const royaltyReportScheduleId = (slug: string) => `royalty-reports:${slug}`;

export async function keepRoyaltyReportSchedule(client: Client, taskQueue: string, station: { slug: string; timezone: string }): Promise<void> {
  const scheduleId = royaltyReportScheduleId(station.slug);
  const spec = { calendars: [{ dayOfMonth: 2, hour: 7, minute: 0 }], timezone: station.timezone };
  // No month: the run prepares the month that closed last, whenever it runs (a late catch-up included).
  const action = {
    type: 'startWorkflow' as const,
    workflowType: 'monthlyRoyaltyReports',
    workflowId: `royalty-reports:${station.slug}`,
    taskQueue,
    args: [{ station: station.slug }] as [{ station: string }],
  };
  try {
    await client.schedule.create({
      scheduleId,
      spec,
      action,
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '7 days' },
      memo: { purpose: `Prepares ${station.slug}'s royalty and compliance files after the month closes` },
    });
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
    await client.schedule.getHandle(scheduleId).update((previous) => ({ ...previous, spec, action }));
  }
}
