// The daily build schedule, and a worker that dies in the middle of a day's build.
import { Worker } from '@temporalio/worker';
import { DateTime } from 'luxon';
import { describe, expect, it, onTestFinished } from 'vitest';
import { importStationBundle } from '../../db/bundle-import.js';
import { DailyLog } from '../../db/models.js';
import { broadcastDatesFrom } from '../../domain/broadcast-day.js';
import { buildScheduleId, startBroadcastDay, upsertBuildSchedule } from '../../temporal/broadcast-days.js';
import { WORKFLOWS_PATH } from '../../temporal/worker.js';
import { stateQuery } from '../../workflows/broadcast-day-messages.js';
import { smallStationBundle } from '../fixtures/bundles.js';
import { useTestDatabase } from '../support/db.js';
import { activitiesFor, useTemporal } from '../support/temporal.js';
import { until } from '../support/until.js';

const db = useTestDatabase();
const temporal = useTemporal();

const untilTrue = (check: () => Promise<boolean>, what: string) => until(check, Boolean, what);

describe('the daily build schedule', () => {
  it('is created once per station, updated in place when the station changes, and builds today and the next days', async () => {
    await importStationBundle(db, smallStationBundle());
    const client = temporal.env.client;
    const slug = `kqtr-${temporal.taskQueue}`;
    await db('stations').update({ slug });
    const station = { slug, timezone: 'America/Phoenix', buildHour: 4, buildDaysAhead: 2 };
    onTestFinished(async () => {
      await client.schedule.getHandle(buildScheduleId(slug)).delete();
    });

    await upsertBuildSchedule(client, temporal.taskQueue, station);
    await upsertBuildSchedule(client, temporal.taskQueue, { ...station, buildHour: 5 });
    const described = await client.schedule.getHandle(buildScheduleId(slug)).describe();
    expect(described.spec.calendars).toEqual([expect.objectContaining({ hour: [{ start: 5, end: 5, step: 1 }] })]);
    expect(described.spec.timezone).toBe('America/Phoenix');

    const dates = broadcastDatesFrom(new Date(), 'America/Phoenix', 3);
    await temporal.withWorker(activitiesFor(db), async () => {
      await client.schedule.getHandle(buildScheduleId(slug)).trigger();
      await untilTrue(async () => (await DailyLog.query(db).whereIn('broadcastDate', dates).where({ status: 'awaiting_approval' })).length === 3, 'three days built');
      // Running it again leaves the days alone: still one log each.
      await client.schedule.getHandle(buildScheduleId(slug)).trigger();
      await new Promise((r) => setTimeout(r, 1_500));
      expect(await DailyLog.query(db).whereIn('broadcastDate', dates).resultSize()).toBe(3);
      for (const date of dates) await client.workflow.getHandle(`broadcast-day:${slug}:${date}`).terminate('test over');
    });
  });
});

describe('a worker killed mid-build', () => {
  it('leaves the day to the next worker, which finishes it', async () => {
    await importStationBundle(db, smallStationBundle());
    const date = DateTime.now().setZone('America/Phoenix').plus({ days: 9 }).toISODate()!;
    const real = activitiesFor(db);
    let musicAttempts = 0;
    const dying = {
      ...real,
      scheduleMusic: () => {
        musicAttempts++;
        return Promise.reject(new Error('worker lost its database connection'));
      },
    };

    const first = await Worker.create({ connection: temporal.env.nativeConnection, taskQueue: temporal.taskQueue, workflowsPath: WORKFLOWS_PATH, activities: dying });
    const handle = await first.runUntil(async () => {
      const started = await startBroadcastDay(temporal.env.client, temporal.taskQueue, { slug: 'kqtr' }, date);
      await untilTrue(() => Promise.resolve(musicAttempts > 0), 'the first worker to reach music scheduling');
      return started;
    });
    onTestFinished(async () => {
      await handle.terminate('test over').catch(() => undefined);
    });
    expect(await DailyLog.query(db).findOne({ broadcastDate: date })).toMatchObject({ status: 'building' });

    await temporal.withWorker(real, () => untilTrue(async () => (await handle.query(stateQuery)).status === 'awaiting_approval', 'the second worker to finish'));
    expect(await DailyLog.query(db).findOne({ broadcastDate: date })).toMatchObject({ status: 'awaiting_approval', version: 1 });
  });
});
