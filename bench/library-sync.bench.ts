// Benchmark of the library sync from LibreTime (issue "LibreTime publishing and library sync"):
// 20,000 files from the fake LibreTime server into a real PostgreSQL, first sync and a
// nightly re-sync with a few changes. Prints its figures; target: under a minute.
// Run: npm run bench:sync
import { MockActivityEnvironment } from '@temporalio/testing';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { activityDeps, createActivities } from '../activities/index.js';
import type { LibrarySyncResult } from '../activities/library-sync.js';
import { startEmbeddedPostgres } from '../db/embedded-postgres.js';
import { createDb, ensureDatabase, migrateToLatest, withDatabase } from '../db/knex.js';
import { startFakeLibreTime } from '../test/fakes/libretime.js';
import { freePort } from '../test/support/ports.js';

const FILES = 20_000;
const dataDir = await mkdtemp(path.join(os.tmpdir(), 'librelog-bench-sync-'));
await chmod(dataDir, 0o755);
const postgres = await startEmbeddedPostgres({ dataDir, port: await freePort(), persistent: false });
await ensureDatabase(postgres.serverUrl, 'bench');
const db = createDb(withDatabase(postgres.serverUrl, 'bench'));
const fake = await startFakeLibreTime();
try {
  await migrateToLatest(db);
  const music = fake.addLibrary({ code: 'MUS', name: 'Music' });
  const promo = fake.addLibrary({ code: 'PROMO', name: 'Promos' });
  for (let i = 0; i < FILES; i++) {
    const seconds = 150 + (i % 180);
    fake.addFile({
      import_status: 0,
      hidden: false,
      track_title: `Song ${i}`,
      artist_name: `Artist ${i % 1500}`,
      genre: ['pop', 'dance', 'rock', 'soul'][i % 4]!,
      bpm: 80 + (i % 100),
      length: `00:0${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}.250000`,
      library: i % 50 === 0 ? promo.id : music.id,
    });
  }
  const [station] = (await db('stations').insert({ slug: 'bench', name: 'Bench FM', timezone: 'America/Phoenix', playoutTarget: 'libretime', libretimeUrl: fake.url, libretimeApiKey: fake.apiKey }).returning('id')) as { id: string }[];
  const steps = createActivities(activityDeps(db, dataDir));
  // The activity heartbeats: run it in the SDK's mock activity context (no worker needed for timing).
  const activity = new MockActivityEnvironment();
  const sync = async (label: string) => {
    const [row] = (await db('library_syncs').insert({ stationId: station!.id, workflowId: 'bench' }).returning('id')) as { id: number }[];
    const started = performance.now();
    const result = (await activity.run((input: { syncId: number; stationId: string }) => steps.importLibreTimeLibrary(input), { syncId: row!.id, stationId: station!.id })) as LibrarySyncResult;
    const seconds = (performance.now() - started) / 1000;
    console.log(`  ${label}: ${seconds.toFixed(1)} s (target < 60 s) ${seconds < 60 ? 'ok' : 'MISSED'} — added ${result.added}, updated ${result.updated}, unchanged ${result.unchanged}, removed ${result.removed}`);
  };
  console.log(`Library sync of ${FILES.toLocaleString('en')} LibreTime files into PostgreSQL:`);
  await sync('first sync');
  for (let i = 0; i < 200; i++) fake.files[i]!.track_title = `Song ${i} (remastered)`;
  fake.files.splice(1000, 100);
  await sync('nightly re-sync (200 changed, 100 gone)');
} finally {
  await fake.close();
  await db.destroy();
  await postgres.stop();
  await rm(dataDir, { recursive: true, force: true });
}
