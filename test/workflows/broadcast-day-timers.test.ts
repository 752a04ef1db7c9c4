// The broadcast day's long waits, on Temporal's time-skipping test server: the approval
// deadline, waiting until after air, reconciliation — and a publisher that fails for a while.
import { WorkflowUpdateStage } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import proto from '@temporalio/proto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DateTime } from 'luxon';
import { afterAll, describe, expect, it } from 'vitest';
import { activityDeps, createActivities } from '../../activities/index.js';
import { createFilePublisher } from '../../activities/publishing/file-publisher.js';
import type { Publisher } from '../../activities/publishing/publisher.js';
import { importStationBundle } from '../../db/bundle-import.js';
import { DailyLog, LogException, MakeGood } from '../../db/models.js';
import { broadcastDayWorkflowId } from '../../domain/broadcast-day.js';
import { WORKFLOWS_PATH } from '../../temporal/worker.js';
import { broadcastDay } from '../../workflows/broadcast-day.js';
import { approveUpdate, publishUpdate, stateQuery } from '../../workflows/broadcast-day-messages.js';
import { smallStationBundle } from '../fixtures/bundles.js';
import { useTestDatabase } from '../support/db.js';
import { useTimeSkipping } from '../support/temporal.js';

const db = useTestDatabase();
const skipping = useTimeSkipping();
const dataDir = await mkdtemp(path.join(os.tmpdir(), 'librelog-timers-'));

afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

/**
 * Two days ahead in Phoenix or later: the approval deadline (12 h before air) is still to come.
 * A weekday, so the small station's morning-drive campaign has spots to miss.
 */
const date = (() => {
  let day = DateTime.now().setZone('America/Phoenix').plus({ days: 2 });
  while (day.weekday > 5) day = day.plus({ days: 1 });
  return day.toISODate()!;
})();

async function runDay(taskQueue: string, publisher: Publisher, during: (handle: Awaited<ReturnType<typeof skipping.env.client.workflow.start<typeof broadcastDay>>>) => Promise<void>) {
  const worker = await Worker.create({
    connection: skipping.env.nativeConnection,
    taskQueue,
    workflowsPath: WORKFLOWS_PATH,
    activities: createActivities(activityDeps(db, dataDir, { publisher })),
  });
  return worker.runUntil(async () => {
    const handle = await skipping.env.client.workflow.start(broadcastDay, {
      taskQueue,
      workflowId: broadcastDayWorkflowId('kqtr', date),
      args: [{ station: 'kqtr', date }],
    });
    await during(handle);
    const result = await handle.result();
    return { handle, result };
  });
}

async function draftReady(handle: { query: (q: typeof stateQuery) => Promise<{ status: string }> }) {
  for (let i = 0; i < 300; i++) {
    if ((await handle.query(stateQuery)).status === 'awaiting_approval') return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the draft was not built');
}

describe('a broadcast day over time', () => {
  it('is marked at risk when nobody approves by the deadline, keeps waiting, and after air waits for an as-run instead of counting every spot missed', async () => {
    await importStationBundle(db, smallStationBundle());
    const { handle, result } = await runDay('timers-at-risk', createFilePublisher(dataDir), async (handle) => {
      await draftReady(handle);
      // Nobody approves: three days pass in the test server's time.
      await skipping.env.sleep('3 days');
      const atRisk = await DailyLog.query(db).findOne({ broadcastDate: date });
      expect(atRisk).toMatchObject({ status: 'awaiting_approval', atRisk: true });
      expect(await LogException.query(db).where({ logId: atRisk!.id, kind: 'approval_at_risk' })).toHaveLength(1);
      expect((await handle.query(stateQuery)).step).toBe('at risk: awaiting approval');

      await handle.executeUpdate(approveUpdate, { args: [{ userId: null, role: 'traffic', version: 1 }] });
      await handle.executeUpdate(publishUpdate, { args: [{ userId: null, role: 'admin', version: 1 }] });
    });

    expect(result).toMatchObject({ status: 'reconciled', publishedVersion: 1 });
    const log = await DailyLog.query(db).findOne({ broadcastDate: date });
    expect(log).toMatchObject({ status: 'reconciled' });
    // Never reconciled against an as-run: none came.
    expect(log!.reconciledAt).toBeNull();
    // No as-run came back for this day (it publishes to files): the day waited for one, a week
    // past its deadline, and counted nothing missed — no make-good owed — and says so.
    expect(await MakeGood.query(db)).toEqual([]);
    expect(result).toMatchObject({ step: 'reconciled: no as-run came, nothing counted missed' });
    const [note] = await LogException.query(db).where({ logId: log!.id, kind: 'reconciliation' });
    expect(note).toMatchObject({ severity: 'warning' });
    expect(note!.message).toMatch(/^No as-run has come for this day, and it was due by /);

    if (process.env.RECORD_HISTORIES) {
      const file = new URL('./histories/broadcast-day-at-risk-reconciled.history.bin', import.meta.url);
      await writeFile(file, proto.temporal.api.history.v1.History.encode(await handle.fetchHistory()).finish());
    }
  });

  it('keeps publishing while playout is down and completes when it comes back', async () => {
    await importStationBundle(db, smallStationBundle());
    const files = createFilePublisher(dataDir);
    let attempts = 0;
    const flaky: Publisher = {
      target: 'flaky',
      async publish(log) {
        attempts++;
        if (attempts <= 3) throw new Error('LibreTime answered 503 Service Unavailable');
        return files.publish(log);
      },
    };
    const { result } = await runDay('timers-flaky', flaky, async (handle) => {
      await draftReady(handle);
      await handle.executeUpdate(approveUpdate, { args: [{ userId: null, role: 'admin', version: 1 }] });
      // Accepted now; it completes once playout takes the log, while the test server skips the retry backoff.
      await handle.startUpdate(publishUpdate, { args: [{ userId: null, role: 'admin', version: 1 }], waitForStage: WorkflowUpdateStage.ACCEPTED });
    });
    expect(attempts).toBe(4);
    expect(result).toMatchObject({ status: 'reconciled', publishedVersion: 1 });
  });
});
