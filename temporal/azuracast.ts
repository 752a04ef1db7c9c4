// The daily AzuraCast pull's Temporal Schedule: 02:00 station time, for stations with AzuraCast
// settings; removed when those are cleared.
import { ScheduleAlreadyRunning, ScheduleNotFoundError, ScheduleOverlapPolicy, type Client } from '@temporalio/client';

export const azuracastPullScheduleId = (slug: string) => `azuracast-pull:${slug}`;
const PULL_HOUR = 2;

export const pullsFromAzuraCast = (s: { azuracastUrl: string | null; azuracastStationId: number | null; azuracastApiKey: string | null }) =>
  s.azuracastUrl !== null && s.azuracastStationId !== null && s.azuracastApiKey !== null;

export async function keepAzuraCastPullSchedule(client: Client, taskQueue: string, station: { slug: string; timezone: string; pullsFromAzuraCast: boolean }): Promise<void> {
  const scheduleId = azuracastPullScheduleId(station.slug);
  if (!station.pullsFromAzuraCast) {
    await client.schedule
      .getHandle(scheduleId)
      .delete()
      .catch((error: unknown) => {
        if (!(error instanceof ScheduleNotFoundError)) throw error;
      });
    return;
  }
  const spec = { calendars: [{ hour: PULL_HOUR, minute: 0 }], timezone: station.timezone };
  // No date: the run pulls the station's previous day, whenever it runs (a late catch-up included).
  const action = { type: 'startWorkflow' as const, workflowType: 'azuracastDailyPull', workflowId: `azuracast-pull:${station.slug}`, taskQueue, args: [{ station: station.slug }] as [{ station: string }] };
  try {
    await client.schedule.create({ scheduleId, spec, action, policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' }, memo: { purpose: `Copies ${station.slug}'s AzuraCast history and listeners daily` } });
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
    await client.schedule.getHandle(scheduleId).update((previous) => ({ ...previous, spec, action }));
  }
}
