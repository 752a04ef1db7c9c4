// The broadcast day on the real dev server and PostgreSQL: built, approved, published,
// rebuilt — and never two logs for one day.
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DateTime } from 'luxon';
import { afterAll, describe, expect, it, onTestFinished } from 'vitest';
import { importStationBundle } from '../../db/bundle-import.js';
import { DailyLog, LogEntry } from '../../db/models.js';
import { startBroadcastDay } from '../../temporal/broadcast-days.js';
import { approveUpdate, publishUpdate, rebuildSignal, stateQuery } from '../../workflows/broadcast-day-messages.js';
import { smallStationBundle } from '../fixtures/bundles.js';
import { useTestDatabase } from '../support/db.js';
import { activitiesFor, useTemporal } from '../support/temporal.js';
import { until } from '../support/until.js';

const db = useTestDatabase();
const temporal = useTemporal();
const dataDir = await mkdtemp(path.join(os.tmpdir(), 'librelog-publish-'));
afterAll(() => rm(dataDir, { recursive: true, force: true }));

/** A day far enough ahead that its approval deadline has not passed. */
// Test files share one Temporal server and build the same station: each keeps to its own days
// (this one 15–16 ahead) so no two start the same workflow id.
const dayAhead = (days: number) => DateTime.now().setZone('America/Phoenix').plus({ days }).toISODate()!;


describe('a broadcast day', () => {
  it('is built to awaiting approval, approved by traffic, published by an admin, and written for playout', async () => {
    await importStationBundle(db, smallStationBundle());
    const date = dayAhead(15);
    await temporal.withWorker(activitiesFor(db, dataDir), async () => {
      const handle = await startBroadcastDay(temporal.env.client, temporal.taskQueue, { slug: 'kqtr' }, date);
      onTestFinished(async () => {
        await handle.terminate('test over').catch(() => undefined);
      });
      const built = await until(() => handle.query(stateQuery), (s) => s.status === 'awaiting_approval', 'the draft');
      expect(built).toMatchObject({ version: 1, progress: { done: 5, total: 5 } });

      const log = await DailyLog.query(db).findOne({ workflowId: `broadcast-day:kqtr:${date}` });
      expect(log).toMatchObject({ status: 'awaiting_approval', version: 1 });
      const entries = await LogEntry.query(db).where({ logId: log!.id }).orderBy('position');
      expect(entries.length).toBeGreaterThan(24 * 5);
      expect(new Set(entries.map((e) => e.hour)).size).toBe(24);

      // Starting the same day again gives the same run and the same log.
      const again = await startBroadcastDay(temporal.env.client, temporal.taskQueue, { slug: 'kqtr' }, date);
      expect((await again.describe()).runId).toBe((await handle.describe()).runId);
      expect(await DailyLog.query(db).where({ stationId: log!.stationId, broadcastDate: date }).resultSize()).toBe(1);

      // A viewer may not approve, nor may anyone approve a version they did not see.
      await expect(handle.executeUpdate(approveUpdate, { args: [{ userId: null, role: 'viewer', version: 1 }] })).rejects.toThrow(WorkflowUpdateFailedError);
      const stale = await handle.executeUpdate(approveUpdate, { args: [{ userId: null, role: 'traffic', version: 7 }] }).catch((e: unknown) => e);
      expect(String((stale as WorkflowUpdateFailedError).cause?.message)).toContain('Version 7 is not the log');

      const approved = await handle.executeUpdate(approveUpdate, { args: [{ userId: null, role: 'traffic', version: 1 }] });
      expect(approved).toMatchObject({ status: 'approved', approvedVersion: 1 });

      // Traffic may not publish at this station (the admin role is needed).
      await expect(handle.executeUpdate(publishUpdate, { args: [{ userId: null, role: 'traffic', version: 1 }] })).rejects.toThrow(WorkflowUpdateFailedError);
      const publishing = await handle.executeUpdate(publishUpdate, { args: [{ userId: null, role: 'admin', version: 1 }] });
      expect(['publishing', 'published']).toContain(publishing.status);
      const published = await until(() => handle.query(stateQuery), (s) => s.status === 'published', 'publishing');
      expect(published).toMatchObject({ status: 'published', publishedVersion: 1 });
      expect(await DailyLog.query(db).findById(log!.id)).toMatchObject({ status: 'published', publishedVersion: 1, approvedVersion: 1 });

      const json = JSON.parse(await readFile(path.join(dataDir, 'published', 'kqtr', `${date}.libretime.json`), 'utf8')) as { items: { librelog_entry_id: string; fade_in: string }[] };
      expect(json.items.map((i) => i.librelog_entry_id)).toEqual(entries.map((e) => e.id));
      expect(json.items.every((i) => i.fade_in === '00:00:00.000000')).toBe(true);
      const rivendell = await readFile(path.join(dataDir, 'published', 'kqtr', `${date}.rivendell.txt`), 'utf8');
      expect(rivendell.split('\r\n')[0]).toMatch(/^00:00:00 {2}/);
      expect(rivendell).toContain(entries[0]!.id.replaceAll('-', ''));

      // A change after publishing: rebuild, and the day asks for approval again with the same entry ids.
      await handle.signal(rebuildSignal, { reason: 'campaign changed' });
      const rebuilt = await until(() => handle.query(stateQuery), (s) => s.version === 2 && s.status === 'awaiting_approval', 'the rebuild');
      expect(rebuilt.approvedVersion).toBeNull();
      const rebuiltEntries = await LogEntry.query(db).where({ logId: log!.id }).orderBy('position');
      expect(rebuiltEntries.map((e) => e.id)).toEqual(entries.map((e) => e.id));
    });
  });

  it('shows a failed build with its reason, and a rebuild after the fix succeeds', async () => {
    const bundle = smallStationBundle();
    await importStationBundle(db, bundle);
    const date = dayAhead(16);
    await temporal.withWorker(activitiesFor(db, dataDir), async () => {
      // The station's timezone breaks after the day was opened: every step fails for good.
      const handle = await startBroadcastDay(temporal.env.client, temporal.taskQueue, { slug: 'kqtr' }, date);
      onTestFinished(async () => {
        await handle.terminate('test over').catch(() => undefined);
      });
      await until(() => handle.query(stateQuery), (s) => s.status === 'awaiting_approval', 'the first draft');
      await db('stations').where({ slug: 'kqtr' }).update({ timezone: 'Mars/Olympus_Mons' });
      await handle.signal(rebuildSignal, { reason: 'test' });
      const failed = await until(() => handle.query(stateQuery), (s) => s.status === "failed", "the failure", 40_000);
      expect(failed.failure).toMatch(/Building version 2 failed/);
      expect(await DailyLog.query(db).findOne({ broadcastDate: date })).toMatchObject({ status: 'failed' });

      await db('stations').where({ slug: 'kqtr' }).update({ timezone: 'America/Phoenix' });
      await handle.signal(rebuildSignal, { reason: 'timezone fixed' });
      await until(() => handle.query(stateQuery), (s) => s.status === 'awaiting_approval' && s.version === 2, 'the rebuilt draft');
    });
  });
});
