// The activities that wait on LibreTime or AzuraCast heartbeat while they wait, so a worker that
// dies mid-way is noticed within their 30 s heartbeat timeout (the publishing and as-run steps
// are proven by the worker-kill fault test; these are the library sync and the AzuraCast pull).
import { MockActivityEnvironment } from '@temporalio/testing';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { activityDeps, createActivities } from '../../activities/index.js';
import { HEARTBEAT_EVERY_MS } from '../../activities/heartbeat.js';
import { importStationBundle } from '../../db/bundle-import.js';
import { createAzuraCastClient } from '../../integrations/azuracast/client.js';
import { createLibreTimeClient } from '../../integrations/libretime/client.js';
import { startFakeAzuraCast } from '../fakes/azuracast.js';
import { startFakeLibreTime } from '../fakes/libretime.js';
import { smallStationBundle } from '../fixtures/bundles.js';
import { useTestDatabase } from '../support/db.js';

const db = useTestDatabase();
const dataDir = await mkdtemp(path.join(os.tmpdir(), 'librelog-heartbeats-'));
afterAll(() => rm(dataDir, { recursive: true, force: true }));

/** A client whose first call takes longer than a heartbeat interval, like a slow server. */
function slowFirstCall<T extends object>(client: T): T {
  let slowed = false;
  return new Proxy(client, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        if (!slowed) {
          slowed = true;
          await new Promise((r) => setTimeout(r, HEARTBEAT_EVERY_MS + 700));
        }
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

async function heartbeatsOf(run: (env: MockActivityEnvironment) => Promise<unknown>): Promise<number> {
  const env = new MockActivityEnvironment();
  let beats = 0;
  env.on('heartbeat', () => beats++);
  await run(env);
  return beats;
}

describe('long activities heartbeat while they wait', () => {
  it('the LibreTime library sync and the AzuraCast pull say they are alive while the server is slow', async () => {
    const libretime = await startFakeLibreTime();
    const azuracast = await startFakeAzuraCast();
    try {
      await importStationBundle(db, smallStationBundle());
      await db('stations')
        .where({ slug: 'kqtr' })
        .update({ playoutTarget: 'libretime', libretimeUrl: libretime.url, libretimeApiKey: libretime.apiKey, azuracastUrl: azuracast.url, azuracastStationId: azuracast.stationId, azuracastApiKey: azuracast.apiKey });
      const activities = createActivities(
        activityDeps(db, dataDir, {
          libretimeFor: (connection) => slowFirstCall(createLibreTimeClient(connection, { retries: 0 })),
          azuracastFor: (connection) => slowFirstCall(createAzuraCastClient(connection, { retries: 0 })),
        }),
      );
      const opened = await activities.openLibrarySync({ station: 'kqtr', workflowId: 'library-sync:kqtr' });
      const [sync, pull] = await Promise.all([
        heartbeatsOf((env) => env.run(activities.importLibreTimeLibrary, { syncId: opened.syncId, stationId: opened.stationId })),
        heartbeatsOf((env) => env.run(activities.pullAzuraCastDay, { station: 'kqtr' })),
      ]);
      // One as each starts, and at least one more while the server had not answered yet.
      expect(sync).toBeGreaterThanOrEqual(2);
      expect(pull).toBeGreaterThanOrEqual(2);
    } finally {
      await Promise.all([libretime.close(), azuracast.close()]);
    }
  }, 30_000);
});
