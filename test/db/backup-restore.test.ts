// Backup and restore of a whole install, through the real commands (`npm run backup`,
// `npm run restore`): a station with a built, approved and published day, a voice track's audio
// and the published files are backed up from one database and data folder and restored into a
// new data folder whose embedded PostgreSQL the restore starts itself; the API on the restored
// install serves the same logs, versions, exceptions, audio and files. Restoring over data
// needs --force, a damaged or cut-short archive is refused before anything is touched, and a
// restore that fails while loading leaves the database and files as they were.
import { execFile } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Knex } from 'knex';
import { DateTime } from 'luxon';
import pg from 'pg';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, inject, it, onTestFinished } from 'vitest';
import { createApp } from '../../api/app.js';
import { ArchiveWriter, stageArchive } from '../../db/backup/archive.js';
import type { Manifest } from '../../db/backup/manifest.js';
import { importStationBundle } from '../../db/bundle-import.js';
import { startEmbeddedPostgres } from '../../db/embedded-postgres.js';
import { createDb, withDatabase } from '../../db/knex.js';
import { MIGRATIONS, migrationSource } from '../../migrations/index.js';
import { embeddedServerUrl } from '../../db/embedded-postgres.js';
import { EMBEDDED_DATABASE } from '../../db/operation-database.js';
import type { UserRole } from '../../domain/vocabulary.js';
import { wavFile } from '../fixtures/audio.js';
import { smallStationBundle } from '../fixtures/bundles.js';
import { createEmptyDatabase, useTestDatabase } from '../support/db.js';
import { makePerson } from '../support/people.js';
import { freePort } from '../support/ports.js';
import { activitiesFor, useTemporal } from '../support/temporal.js';
import { until } from '../support/until.js';

const SECRET = 'backup-test-secret';
// A station of this file's own: its broadcast days' workflow ids are no other test's.
const SLUG = 'kbak';
const db = useTestDatabase();
const temporal = useTemporal();
const root = fileURLToPath(new URL('../..', import.meta.url));
let work: string;

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'librelog-backup-'));
  // The embedded PostgreSQL runs as the `postgres` user when tests run as root: it must reach the folders.
  await chmod(work, 0o755);
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

/** Runs `npm run backup|restore -- …` as a person would, with this environment. */
function run(script: 'backup' | 'restore', args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', `scripts/${script}.ts`, ...args], { cwd: root, env: { ...process.env, ...env }, timeout: 120_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

/** The postgres:// URL of a test database, as DATABASE_URL. */
async function urlOf(knex: Knex): Promise<string> {
  const { rows } = (await knex.raw('SELECT current_database() AS name')) as { rows: { name: string }[] };
  return withDatabase(inject('pgServerUrl'), rows[0]!.name);
}

function appOn(knex: Knex, dataDir: string) {
  return request(
    createApp({
      db: knex,
      temporal: { namespace: 'default', check: () => Promise.resolve() },
      jwtSecret: SECRET,
      broadcastDays: { client: temporal.env.client, taskQueue: temporal.taskQueue, namespace: 'default', temporalUiUrl: 'http://localhost:8233' },
      dataDir,
      log: (e) => console.error(e),
    }),
  );
}

async function tokenFor(role: UserRole): Promise<{ id: string; token: string }> {
  const person = await makePerson(db, SECRET, role, { email: `${role}@kbak.example` });
  return { id: person.id, token: person.authorization };
}

/** Every file under a folder, relative path → bytes. */
async function filesIn(folder: string): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  for (const entry of await readdir(folder, { recursive: true, withFileTypes: true }).catch(() => [])) {
    if (!entry.isFile()) continue;
    const full = path.join(entry.parentPath, entry.name);
    files.set(path.relative(folder, full), await readFile(full));
  }
  return files;
}

async function manifestOf(archive: string): Promise<Manifest> {
  const dir = await mkdtemp(path.join(work, 'look-'));
  try {
    return (await stageArchive(archive, dir)).manifest;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

interface LogBody {
  status: string;
  version: number;
  approvedVersion: number | null;
  publishedVersion: number | null;
  entries: { voiceTrackId: string | null }[];
  exceptions: { id: string; blocksApproval: boolean; acknowledgement: { reason: string } | null }[];
}

/** Reads a response body as bytes (supertest's parser for audio). */
const binary = (res: request.Response, done: (error: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  const stream = res as unknown as NodeJS.ReadableStream;
  stream.on('data', (c: Buffer) => chunks.push(c));
  stream.on('end', () => done(null, Buffer.concat(chunks)));
};

describe('backup and restore', () => {
  // Builds, publishes, backs up, restores on a new embedded server and compares: minutes on a loaded machine.
  it('a restored install serves the same logs, versions, exceptions, audio and published files', async () => {
    const bundle = smallStationBundle();
    const { stationId } = await importStationBundle(db, { ...bundle, station: { ...bundle.station, slug: SLUG } });
    const date = DateTime.now().setZone('America/Phoenix').plus({ days: 3 }).toISODate()!;
    // 10:00 plays a clock without a legal ID: an error, acknowledged when approving.
    const [clock] = (await db('clocks').insert({ stationId, name: 'Music Only', targetLengthMs: 3_600_000 }).returning('id')) as { id: string }[];
    await db('clock_elements').insert({ clockId: clock!.id, position: 0, type: 'MUS', count: 14 });
    await db('grid_overrides').insert({ stationId, date, hour: 10, clockId: clock!.id });
    const morningDrive = (await db('clocks').where({ stationId, name: 'Morning Drive' }).first('id')) as { id: string };
    const musicElement = (await db('clock_elements').where({ clockId: morningDrive.id }).orderBy('position').pluck('id'))[1] as string;
    const [traffic, admin, voice, viewer] = await Promise.all((['traffic', 'admin', 'voice', 'viewer'] as const).map(tokenFor));

    const sourceDir = path.join(work, 'source');
    await mkdir(sourceDir);
    const source = appOn(db, sourceDir);
    const day = `/api/v1/stations/${SLUG}/logs/${date}`;
    const readLog = async (api = source) => (await api.get(day).set('Authorization', viewer!.token).expect(200)).body as LogBody;
    await temporal.withWorker(activitiesFor(db, sourceDir), async () => {
      await source.post(`${day}/build`).set('Authorization', traffic!.token).expect(202);
      onTestFinished(async () => {
        await temporal.env.client.workflow.getHandle(`broadcast-day:${SLUG}:${date}`).terminate('test over').catch(() => undefined);
      });
      await until(readLog, (log) => log.status === 'awaiting_approval');
      // A voice track's audio under media/; the day is rebuilt with it (version 2).
      await source
        .post(`/api/v1/stations/${SLUG}/voice-tracks`)
        .set('Authorization', voice!.token)
        .field('date', date)
        .field('hour', '9')
        .field('clockElementId', musicElement)
        .field('slotIndex', '1')
        .attach('file', wavFile(6.5, { title: 'Backup link', artist: 'DJ Rae' }), { filename: 'take.wav', contentType: 'audio/wav' })
        .expect(201);
      const built = await until(readLog, (log) => log.status === 'awaiting_approval' && log.version === 2);
      const acknowledgements = built.exceptions.filter((x) => x.blocksApproval).map((x) => ({ exceptionId: x.id, reason: 'The host reads the legal ID live' }));
      expect(acknowledgements).toHaveLength(1);
      await source.post(`${day}/approve`).set('Authorization', traffic!.token).send({ version: 2, acknowledgements }).expect(200);
      await source.post(`${day}/publish`).set('Authorization', admin!.token).send({ version: 2 }).expect(202);
      await until(readLog, (log) => log.status === 'published');
    });

    const log = await readLog();
    expect(log).toMatchObject({ version: 2, approvedVersion: 2, publishedVersion: 2 });
    expect(log.entries.filter((e) => e.voiceTrackId !== null)).toHaveLength(1);
    expect(log.exceptions.some((x) => x.acknowledgement?.reason === 'The host reads the legal ID live')).toBe(true);
    const sourceFiles = new Map([...(await filesIn(path.join(sourceDir, 'media'))), ...(await filesIn(path.join(sourceDir, 'published')))]);
    expect([...(await filesIn(path.join(sourceDir, 'published'))).keys()].sort()).toEqual([`${SLUG}/${date}.libretime.json`, `${SLUG}/${date}.rivendell.txt`]);
    expect([...(await filesIn(path.join(sourceDir, 'media'))).keys()]).toHaveLength(1);
    // Things a backup leaves out: Temporal's file, the logs, secrets, uploads on their way.
    await writeFile(path.join(sourceDir, 'temporal.sqlite'), 'not LibreLog data');
    await writeFile(path.join(sourceDir, 'jwt-secret'), 'secret\n');

    // Back up from DATABASE_URL while the system could still be running.
    const archive = path.join(work, 'librelog.tar.gz');
    const backup = await run('backup', [archive], { DATABASE_URL: await urlOf(db), LIBRELOG_DATA_DIR: sourceDir });
    expect(backup.stderr).toBe('');
    expect(backup.code).toBe(0);
    expect(backup.stdout).toMatch(/wrote .*librelog\.tar\.gz/);
    expect((await stat(archive)).mode & 0o777).toBe(0o600);
    const manifest = await manifestOf(archive);
    expect(manifest).toMatchObject({ format: 'librelog-backup', librelogVersion: expect.any(String) as string, migration: expect.stringMatching(/^\d{14}_/) as string });
    const rowsOf = (m: Manifest) => Object.fromEntries(m.tables.map((t) => [t.name, t.rows]));
    expect(rowsOf(manifest)).toMatchObject({ stations: 1, users: 4, daily_logs: 1, voice_tracks: 1 });
    expect(rowsOf(manifest)).not.toHaveProperty('knex_migrations');
    expect(manifest.files.map((f) => f.path).sort()).toEqual([...sourceFiles.keys()].map((p) => (p.startsWith(SLUG) ? `published/${p}` : `media/${p}`)).sort());

    // Restore on a "new machine": no DATABASE_URL, a new data folder; the restore starts the embedded PostgreSQL itself.
    const restoredDir = path.join(work, 'restored');
    const pgPort = await freePort();
    const embedded = { DATABASE_URL: '', LIBRELOG_DATA_DIR: restoredDir, PG_PORT: String(pgPort) };
    const restore = await run('restore', [archive], embedded);
    expect(restore.stderr).toBe('');
    expect(restore.code).toBe(0);
    expect(restore.stdout).toMatch(/starting the embedded PostgreSQL/);
    expect(restore.stdout).toMatch(/restored\./);
    expect(await readdir(restoredDir)).not.toContain('temporal.sqlite');
    expect(await readdir(restoredDir)).not.toContain('jwt-secret');

    // The restored install, served by the API from its own database and data folder ("npm start" running).
    const server = await startEmbeddedPostgres({ dataDir: restoredDir, port: pgPort });
    onTestFinished(() => server.stop());
    expect(embeddedServerUrl(pgPort)).toBe(server.serverUrl);
    const restoredDb = createDb(withDatabase(server.serverUrl, EMBEDDED_DATABASE), { bindModels: false, pool: { min: 0, max: 3 } });
    onTestFinished(() => restoredDb.destroy());
    const restored = appOn(restoredDb, restoredDir);
    const same = async (url: string, parse?: typeof binary) => {
      const get = (api: typeof source) => {
        const req = api.get(url).set('Authorization', viewer!.token);
        return (parse ? req.buffer(true).parse(parse) : req).expect(200);
      };
      const [before, after] = await Promise.all([get(source), get(restored)]);
      expect(after.body).toEqual(before.body);
      return after.body as unknown;
    };
    expect(await same(day)).toEqual(log);
    await same(`/api/v1/stations/${SLUG}/logs?from=${date}&to=${DateTime.fromISO(date).plus({ days: 1 }).toISODate()}`);
    const voiceTracks = (await same(`/api/v1/stations/${SLUG}/voice-tracks?date=${date}`)) as { id: string }[];
    expect(voiceTracks).toHaveLength(1);
    const audio = (await same(`/api/v1/stations/${SLUG}/voice-tracks/${voiceTracks[0]!.id}/audio`, binary)) as Buffer;
    expect(audio.subarray(0, 4).toString('ascii')).toBe('RIFF');
    const restoredFiles = new Map([...(await filesIn(path.join(restoredDir, 'media'))), ...(await filesIn(path.join(restoredDir, 'published')))]);
    expect(restoredFiles).toEqual(sourceFiles);
    // Serial ids go on after the restored ones.
    const [maxAudit] = (await restoredDb('audit_log').max('id as id')) as { id: number }[];
    const [next] = (await restoredDb('audit_log').insert({ action: 'test.after-restore', actorType: 'system', entity: 'test' }).returning('id')) as { id: number }[];
    expect(next!.id).toBeGreaterThan(maxAudit!.id);

    // A backup of the running embedded install attaches to it (no second server) and holds the same.
    const again = path.join(work, 'again.tar.gz');
    const attached = await run('backup', [again], embedded);
    expect(attached.stderr).toBe('');
    expect(attached.stdout).toMatch(/using the embedded PostgreSQL running on port/);
    expect({ ...rowsOf(await manifestOf(again)), audit_log: 0 }).toEqual({ ...rowsOf(manifest), audit_log: 0 });

    // Restoring over an install with data is refused without --force, and nothing changes.
    const refused = await run('restore', [archive], embedded);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^The restore was refused: the database .* already holds LibreLog data \(1 station, 4 users and [\d,]+ other rows\), and the data folder .* has 3 files in media\/ and published\/\. Restoring would replace all of it/);
    expect(refused.stderr).toMatch(/--force/);
    expect(refused.stderr).not.toMatch(/\n\s+at /);
    expect(await restoredDb('audit_log').where({ action: 'test.after-restore' }).count('* as n')).toEqual([{ n: 1 }]);
    // With --force it replaces everything with the backup, serving the same log again.
    const forced = await run('restore', [archive, '--force'], embedded);
    expect(forced.stderr).toBe('');
    expect(forced.code).toBe(0);
    expect(await restoredDb('audit_log').where({ action: 'test.after-restore' }).count('* as n')).toEqual([{ n: 0 }]);
    await same(day);
    expect(new Map([...(await filesIn(path.join(restoredDir, 'media'))), ...(await filesIn(path.join(restoredDir, 'published')))])).toEqual(sourceFiles);
    expect((await readdir(restoredDir)).filter((name) => name.startsWith('.restore-'))).toEqual([]);
  }, 240_000);

  it('a backup of an older LibreLog restores into this one: loaded at its own migration, then migrated to the latest', async () => {
    // An install one migration behind this version, with a station in it.
    const older = await createEmptyDatabase();
    onTestFinished(() => older.drop());
    const olderDb = createDb(older.url, { bindModels: false, pool: { min: 0, max: 2 } });
    onTestFinished(() => olderDb.destroy());
    const previous = MIGRATIONS.slice(0, -1);
    // The station is imported at this version (the importer writes this version's columns), then
    // the last migration is undone with it in the tables: the install as it was one version ago.
    await olderDb.migrate.latest({ migrationSource });
    const bundle = smallStationBundle();
    await importStationBundle(olderDb, { ...bundle, station: { ...bundle.station, slug: SLUG } });
    await olderDb.migrate.down({ migrationSource });
    const clockElements = Number(((await olderDb('clock_elements').count('* as n')) as { n: string }[])[0]!.n);
    const dataDir = await mkdtemp(path.join(work, 'older-'));
    const archive = path.join(work, 'older.tar.gz');
    const backup = await run('backup', [archive], { DATABASE_URL: older.url, LIBRELOG_DATA_DIR: dataDir });
    expect(backup.code).toBe(0);
    expect((await manifestOf(archive)).migration).toBe(previous.at(-1)![0]);

    const target = await createEmptyDatabase();
    onTestFinished(() => target.drop());
    const restore = await run('restore', [archive], { DATABASE_URL: target.url, LIBRELOG_DATA_DIR: path.join(work, 'newer') });
    expect(restore.stderr).toBe('');
    expect(restore.stdout).toContain(`then migrated to ${MIGRATIONS.at(-1)![0]} (1 newer migration)`);
    const restoredDb = createDb(target.url, { bindModels: false, pool: { min: 0, max: 2 } });
    onTestFinished(() => restoredDb.destroy());
    expect(await restoredDb('knex_migrations').orderBy('id').pluck('name')).toEqual(MIGRATIONS.map(([name]) => name));
    expect(await restoredDb('stations').pluck('slug')).toEqual([SLUG]);
    expect(await restoredDb('clock_elements').count('* as n')).toEqual([{ n: clockElements }]);
  });

  it('refuses a damaged or cut-short archive with one clear paragraph, and a failed load rolls back: the target is left as it was', async () => {
    const bundle = smallStationBundle();
    await importStationBundle(db, { ...bundle, station: { ...bundle.station, slug: SLUG } });
    const sourceDir = await mkdtemp(path.join(work, 'small-'));
    await mkdir(path.join(sourceDir, 'published', SLUG), { recursive: true });
    await writeFile(path.join(sourceDir, 'published', SLUG, '2030-01-01.rivendell.txt'), 'a published log\r\n'.repeat(2000));
    const archive = path.join(work, 'small.tar.gz');
    expect((await run('backup', [archive], { DATABASE_URL: await urlOf(db), LIBRELOG_DATA_DIR: sourceDir })).code).toBe(0);
    const whole = await readFile(archive);
    const cut = path.join(work, 'cut.tar.gz');
    await writeFile(cut, whole.subarray(0, Math.floor(whole.length * 0.6)));
    const damaged = path.join(work, 'damaged.tar.gz');
    const flipped = Buffer.from(whole);
    for (let i = Math.floor(flipped.length / 2); i < Math.floor(flipped.length / 2) + 16; i++) flipped[i] = flipped[i]! ^ 0xff;
    await writeFile(damaged, flipped);

    for (const [file, why] of [
      [cut, /it is incomplete/],
      [damaged, /it is damaged/],
    ] as const) {
      const target = await createEmptyDatabase();
      onTestFinished(() => target.drop());
      const targetDir = await mkdtemp(path.join(work, 'target-'));
      const result = await run('restore', [file], { DATABASE_URL: target.url, LIBRELOG_DATA_DIR: targetDir });
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/^The archive .* cannot be restored: /);
      expect(result.stderr).toMatch(why);
      expect(result.stderr).toMatch(/The database and the data folder were left as they were\.\n$/);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      const client = new pg.Client({ connectionString: target.url });
      await client.connect();
      const tables = await client.query(`SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'`).finally(() => client.end());
      expect(tables.rows).toEqual([{ n: 0 }]);
      expect(await readdir(targetDir)).toEqual([]);
    }

    // A whole archive whose tables do not load as its manifest says: even with --force over an
    // install with data, the transaction is rolled back and the files stay.
    const staged = await mkdtemp(path.join(work, 'staged-'));
    const { manifest } = await stageArchive(archive, staged);
    const stations = manifest.tables.find((t) => t.name === 'stations')!;
    stations.rows += 1;
    const lying = path.join(work, 'lying.tar.gz');
    const writer = new ArchiveWriter(lying);
    for (const t of manifest.tables) await writer.add(t.entry, t.bytes, createReadStream(path.join(staged, t.entry)));
    for (const f of manifest.files) await writer.add(`files/${f.path}`, f.bytes, createReadStream(path.join(staged, 'files', f.path)));
    await writer.addText('manifest.json', JSON.stringify(manifest));
    await writer.finish();
    await db('stations').update({ name: 'Changed since the backup' });
    const before = await filesIn(sourceDir);
    const refused = await run('restore', [lying, '--force'], { DATABASE_URL: await urlOf(db), LIBRELOG_DATA_DIR: sourceDir });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^The table stations did not load whole: the backup lists 2 rows, 1 were loaded\./);
    expect(await db('stations').pluck('name')).toEqual(['Changed since the backup']);
    expect(await filesIn(sourceDir)).toEqual(before);
  });
});
