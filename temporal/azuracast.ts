// The daily AzuraCast pull's Temporal Schedule: 02:00 station time, for stations with AzuraCast
// settings; removed when those are cleared.
import type { Client } from '@temporalio/client';
import { dropSchedule, keepSchedule } from './schedules.js';

export const azuracastPullScheduleId = (slug: string) => `azuracast-pull:${slug}`;
const PULL_HOUR = 2;

export const pullsFromAzuraCast = (s: { azuracastUrl: string | null; azuracastStationId: number | null; azuracastApiKey: string | null }) =>
  s.azuracastUrl !== null && s.azuracastStationId !== null && s.azuracastApiKey !== null;

export async function keepAzuraCastPullSchedule(client: Client, taskQueue: string, station: { slug: string; timezone: string; pullsFromAzuraCast: boolean }): Promise<void> {
  const scheduleId = azuracastPullScheduleId(station.slug);
  if (!station.pullsFromAzuraCast) return dropSchedule(client, scheduleId);
  await keepSchedule(client, {
    scheduleId,
    spec: { calendars: [{ hour: PULL_HOUR, minute: 0 }], timezone: station.timezone },
    // No date: the run pulls the station's previous day, whenever it runs (a late catch-up included).
    action: { type: 'startWorkflow', workflowType: 'azuracastDailyPull', workflowId: `azuracast-pull:${station.slug}`, taskQueue, args: [{ station: station.slug }] },
    catchupWindow: '1 day',
    purpose: `Copies ${station.slug}'s AzuraCast history and listeners daily`,
  });
}
