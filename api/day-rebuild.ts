// A change to what a day's log is built from (a voice track for one of its slots) reaches the
// log by a rebuild: at once while the log is not published yet, on request once it is (a
// rebuild then needs approval and publishing again), never once the day has started airing.
import type { Client } from '@temporalio/client';
import type { Knex } from 'knex';
import { DateTime } from 'luxon';
import { broadcastDayWorkflowId } from '../domain/broadcast-day.js';
import type { LogStatus } from '../domain/vocabulary.js';
import { rebuildSignal, type RebuildRequest } from '../workflows/broadcast-day-messages.js';

export type DayRebuild = 'requested' | 'when_built' | 'on_request' | 'too_late';

export interface DayEffect {
  status: LogStatus | 'not_built';
  rebuild: DayRebuild;
  detail: string;
}

const NOT_PUBLISHED: readonly LogStatus[] = ['building', 'awaiting_approval', 'approved', 'failed'];

export async function rebuildUnpublishedDay(
  db: Knex,
  client: Client | undefined,
  station: { id: string; slug: string; timezone: string },
  date: string,
  request: RebuildRequest,
): Promise<DayEffect> {
  const log = (await db('daily_logs').where({ stationId: station.id, broadcastDate: date }).first('status')) as { status: LogStatus } | undefined;
  if (!log) return { status: 'not_built', rebuild: 'when_built', detail: `The log of ${date} is not built yet; its build will use this.` };
  if (DateTime.fromISO(date, { zone: station.timezone }).toMillis() <= Date.now()) {
    return { status: log.status, rebuild: 'too_late', detail: `${date} has started airing; its log is no longer rebuilt.` };
  }
  if (!NOT_PUBLISHED.includes(log.status)) {
    return { status: log.status, rebuild: 'on_request', detail: `The log of ${date} is ${log.status}; rebuild it to use this (it then needs approval and publishing again).` };
  }
  if (!client) return { status: log.status, rebuild: 'on_request', detail: 'This API server has no connection to Temporal; rebuild the log to use this.' };
  await client.workflow.getHandle(broadcastDayWorkflowId(station.slug, date)).signal(rebuildSignal, request);
  return { status: log.status, rebuild: 'requested', detail: `The log of ${date} is being rebuilt with this; it needs approval again.` };
}
