// LibreTime down for ten minutes while a day is being published: first it answers 503 (the proxy
// in front of a stopped LibreTime), then it takes requests and never answers (stuck PHP workers),
// then it is back. On Temporal's time-skipping server the ten minutes pass in seconds; the day is
// published exactly once, within about a minute (of Temporal's time) after LibreTime returns.
import { WorkflowUpdateStage } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DateTime } from 'luxon';
import { afterAll, describe, expect, it } from 'vitest';
import { activityDeps, createActivities } from '../../activities/index.js';
import { importStationBundle } from '../../db/bundle-import.js';
import { broadcastDayWorkflowId } from '../../domain/broadcast-day.js';
import { createLibreTimeClient } from '../../integrations/libretime/client.js';
import { WORKFLOWS_PATH } from '../../temporal/worker.js';
import { broadcastDay } from '../../workflows/broadcast-day.js';
import { approveUpdate, publishUpdate, stateQuery } from '../../workflows/broadcast-day-messages.js';
import { startFakeLibreTime } from '../fakes/libretime.js';
import { smallStationBundle } from '../fixtures/bundles.js';
import { useTestDatabase } from '../support/db.js';
import { useTimeSkipping } from '../support/temporal.js';

const db = useTestDatabase();
const skipping = useTimeSkipping();
const dataDir = await mkdtemp(path.join(os.tmpdir(), 'librelog-outage-'));

afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

const MINUTE = 60_000;

describe('LibreTime down for ten minutes during publishing', () => {
  it('503s, then no answers, then back: the day is published once, within about a minute of its return', async () => {
    const fake = await startFakeLibreTime({ importAfterPolls: 1 });
    try {
      await importStationBundle(db, smallStationBundle());
      const station = (await db('stations').where({ slug: 'kqtr' }).first('id')) as { id: string };
      await db('stations').where({ id: station.id }).update({ playoutTarget: 'libretime', libretimeUrl: fake.url, libretimeApiKey: fake.apiKey });
      const tracks = (await db('tracks').where({ stationId: station.id }).select('id', 'title')) as { id: string; title: string }[];
      for (const track of tracks) {
        const file = fake.addFile({ import_status: 0, hidden: false, track_title: track.title, length: '00:03:00' });
        await db('tracks').where({ id: track.id }).update({ libretimeFileId: file.id });
      }
      // LibreTime's own client, giving up on an unanswered request after 2 s instead of 30: the
      // hang phase then costs seconds of real time; the workflow's retry policy does the waiting.
      const activities = createActivities(
        activityDeps(db, dataDir, { libretimeFor: (connection) => createLibreTimeClient(connection, { timeoutMs: 2_000, retries: 1, sleep: () => Promise.resolve() }) }),
      );
      const taskQueue = 'faults-libretime-outage';
      const worker = await Worker.create({ connection: skipping.env.nativeConnection, taskQueue, workflowsPath: WORKFLOWS_PATH, activities });
      const date = DateTime.now().setZone('America/Phoenix').plus({ days: 3 }).toISODate()!;

      await worker.runUntil(async () => {
        const handle = await skipping.env.client.workflow.start(broadcastDay, { taskQueue, workflowId: broadcastDayWorkflowId('kqtr', date), args: [{ station: 'kqtr', date }] });
        for (let i = 0; (await handle.query(stateQuery)).status !== 'awaiting_approval'; i++) {
          if (i > 300) throw new Error('the draft was not built');
          await new Promise((r) => setTimeout(r, 100));
        }
        await handle.executeUpdate(approveUpdate, { args: [{ userId: null, role: 'traffic', version: 1 }] });

        fake.down('unavailable');
        const downAt = await skipping.env.currentTimeMs();
        await handle.startUpdate(publishUpdate, { args: [{ userId: null, role: 'admin', version: 1 }], waitForStage: WorkflowUpdateStage.ACCEPTED });
        const sleepUntil = async (until: number) => {
          while ((await skipping.env.currentTimeMs()) < until) await skipping.env.sleep('20 seconds');
        };
        await sleepUntil(downAt + 5 * MINUTE);
        const answered503 = Object.values(fake.requests).reduce((sum, n) => sum + n, 0);
        fake.down('hang');
        await sleepUntil(downAt + 10 * MINUTE);
        const triedDuringOutage = Object.values(fake.requests).reduce((sum, n) => sum + n, 0);
        expect((await handle.query(stateQuery)).status).toBe('publishing');
        expect(fake.schedule).toEqual([]);

        fake.up();
        const upAt = await skipping.env.currentTimeMs();
        while ((await handle.query(stateQuery)).status !== 'published') {
          if ((await skipping.env.currentTimeMs()) - upAt > 10 * MINUTE) throw new Error('not published ten minutes after LibreTime came back');
          await skipping.env.sleep('5 seconds');
        }
        const recoveredMs = (await skipping.env.currentTimeMs()) - upAt;
        console.log(
          `[faults] LibreTime down 10 min (503 for 5, no answer for 5; ${triedDuringOutage} requests tried, ${answered503} of them in the 503 phase): published ${Math.round(recoveredMs / 1000)} s (Temporal time) after it came back`,
        );
        expect(recoveredMs).toBeLessThanOrEqual(2 * MINUTE);
        expect(triedDuringOutage).toBeGreaterThan(answered503);
        await handle.terminate('test over');
      });

      // Exactly once: one item per entry, one show, one instance, nothing playout would skip.
      const log = (await db('daily_logs').where({ stationId: station.id, broadcastDate: date }).first('id')) as { id: string };
      const entries = (await db('log_entries').where({ logId: log.id }).count({ n: '*' }).first()) as { n: number };
      expect(fake.schedule).toHaveLength(Number(entries.n));
      expect(fake.shows).toHaveLength(1);
      expect(fake.instances).toHaveLength(1);
      expect(fake.playoutView().overlaps).toEqual([]);
      expect(fake.violations).toEqual([]);
    } finally {
      await fake.close();
    }
  }, 180_000);
});
