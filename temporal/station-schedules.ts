// Every station's schedules on the Temporal cluster: the daily log build, the nightly LibreTime
// library sync, the daily AzuraCast pull, the monthly affidavits and royalty reports. Kept by whatever starts (npm start and every worker),
// so a new or restored cluster has them without anyone editing a station; keeping them is
// idempotent, so several workers starting at once agree.
import type { Client } from '@temporalio/client';
import type { Knex } from 'knex';
import { keepAffidavitSchedule } from './affidavits.js';
import { keepAzuraCastPullSchedule, pullsFromAzuraCast } from './azuracast.js';
import { upsertBuildSchedule, type ScheduledStation } from './broadcast-days.js';
import { keepLibrarySyncSchedule, syncsFromLibreTime } from './library-sync.js';
import { keepRoyaltyReportSchedule } from './royalty-reports.js';

export type StationWithSchedules = ScheduledStation & Parameters<typeof syncsFromLibreTime>[0] & Parameters<typeof pullsFromAzuraCast>[0];

export async function keepStationSchedules(db: Knex, client: Client, taskQueue: string): Promise<StationWithSchedules[]> {
  const stations = (await db('stations').select(
    'slug',
    'timezone',
    'buildHour',
    'buildDaysAhead',
    'playoutTarget',
    'libretimeUrl',
    'libretimeApiKey',
    'azuracastUrl',
    'azuracastStationId',
    'azuracastApiKey',
  )) as StationWithSchedules[];
  for (const station of stations) {
    await upsertBuildSchedule(client, taskQueue, station);
    await keepLibrarySyncSchedule(client, taskQueue, { slug: station.slug, timezone: station.timezone, syncsFromLibreTime: syncsFromLibreTime(station) });
    await keepAzuraCastPullSchedule(client, taskQueue, { slug: station.slug, timezone: station.timezone, pullsFromAzuraCast: pullsFromAzuraCast(station) });
    await keepAffidavitSchedule(client, taskQueue, station);
    await keepRoyaltyReportSchedule(client, taskQueue, station);
  }
  return stations;
}
