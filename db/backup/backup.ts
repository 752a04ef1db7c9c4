// A whole install in one archive: every table of LibreLog's schema as `COPY … TO STDOUT`, all
// read in one REPEATABLE READ, read-only transaction (one snapshot, so the tables agree with
// each other while the system keeps running), then the data folder's audio and published files,
// then the manifest. Needs no PostgreSQL client tools: the pg driver and pg-copy-streams.
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, type Dirent } from 'node:fs';
import { mkdtemp, open, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { ArchiveWriter } from './archive.js';
import { BackupFailure } from './failure.js';
import { DATA_FOLDERS, FORMAT, FORMAT_VERSION, MANIFEST, fileEntry, librelogVersion, tableEntry, type FileEntry, type Manifest, type SequenceValue, type TableDump } from './manifest.js';
import { latestMigration, schemaTables, serialSequences } from './schema.js';

export interface BackupOptions {
  databaseUrl: string;
  dataDir: string;
  /** Where the archive goes (.tar.gz); written beside it first and renamed when complete. */
  file: string;
  say?: (line: string) => void;
}

export interface BackupSummary {
  file: string;
  manifest: Manifest;
  archiveBytes: number;
}

/** Streams one table into a file, counting bytes and hashing as it goes. */
async function dumpTable(client: pg.Client, table: { name: string; columns: string[] }, file: string): Promise<Omit<TableDump, 'name' | 'columns' | 'entry'>> {
  const columns = table.columns.map((c) => client.escapeIdentifier(c)).join(', ');
  const copy = client.query(copyTo(`COPY ${client.escapeIdentifier(table.name)} (${columns}) TO STDOUT`));
  const hash = createHash('sha256');
  let bytes = 0;
  const measure = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      bytes += chunk.length;
      done(null, chunk);
    },
  });
  await pipeline(copy, measure, createWriteStream(file, { mode: 0o600 }));
  return { rows: copy.rowCount, bytes, sha256: hash.digest('hex') };
}

/** Every regular file under the data folder's LibreLog folders, as relative paths with forward slashes. */
async function dataFiles(dataDir: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (relative: string) => {
    let entries: Dirent[];
    try {
      entries = await readdir(path.join(dataDir, relative), { withFileTypes: true });
    } catch (error) {
      if ((error as { code?: string }).code === 'ENOENT') return;
      throw error;
    }
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const child = `${relative}/${entry.name}`;
      if (entry.isDirectory()) await walk(child);
      // A publisher's half-written file (renamed into place when done) is not a published file.
      else if (entry.isFile() && !entry.name.endsWith('.tmp')) found.push(child);
    }
  };
  for (const folder of DATA_FOLDERS) await walk(folder);
  return found;
}

/** Where the archive goes, as an absolute path: refused inside the folders it copies or in a folder that does not exist. */
export async function archiveTarget(file: string, dataDir: string): Promise<string> {
  const target = path.resolve(file);
  for (const inside of DATA_FOLDERS) {
    if (!path.relative(path.join(dataDir, inside), target).startsWith('..')) {
      throw new BackupFailure(`The archive cannot be written to ${target}:`, `that is inside the data folder's ${inside}/, which the backup itself copies.`, 'Write it somewhere else, e.g. a backups folder beside the data folder.');
    }
  }
  const folder = path.dirname(target);
  if (!(await stat(folder).then((s) => s.isDirectory(), () => false))) {
    throw new BackupFailure(`The archive cannot be written to ${target}:`, `the folder ${folder} does not exist.`, 'Create it first, or give another path.');
  }
  return target;
}

export async function createBackup(options: BackupOptions): Promise<BackupSummary> {
  const say = options.say ?? (() => undefined);
  const file = await archiveTarget(options.file, options.dataDir);
  const folder = path.dirname(file);

  // Tables are spooled beside the archive (a tar entry states its size before its bytes).
  const spool = await mkdtemp(path.join(folder, '.librelog-backup-'));
  const partial = path.join(spool, 'archive.tar.gz');
  try {
    const client = new pg.Client({ connectionString: options.databaseUrl });
    await client.connect();
    let manifest: Manifest;
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY');
      // The text COPY writes, whatever the server's defaults (as pg_dump does): ISO dates, UTC
      // times with their offset, intervals and floats that read back exactly.
      await client.query(`SET LOCAL datestyle = 'ISO, YMD'; SET LOCAL intervalstyle = 'postgres'; SET LOCAL timezone = 'UTC'; SET LOCAL extra_float_digits = 3`);
      const migration = await latestMigration(client);
      if (!migration) {
        throw new BackupFailure('There is nothing to back up:', 'the database has no LibreLog schema (it was never migrated).', 'Check DATABASE_URL (or LIBRELOG_DATA_DIR for the embedded database): it should name the database LibreLog runs on.');
      }
      const tables: TableDump[] = [];
      for (const table of await schemaTables(client)) {
        const dumped = await dumpTable(client, table, path.join(spool, `${table.name}.copy`));
        tables.push({ name: table.name, columns: table.columns, entry: tableEntry(table.name), ...dumped });
      }
      const sequences: SequenceValue[] = [];
      for (const s of await serialSequences(client)) {
        const { rows } = await client.query<{ lastValue: string; isCalled: boolean }>(`SELECT last_value::text AS "lastValue", is_called AS "isCalled" FROM ${s.sequence}`);
        sequences.push({ table: s.table, column: s.column, lastValue: rows[0]?.isCalled ? rows[0].lastValue : null });
      }
      const version = await client.query<{ version: string }>(`SELECT current_setting('server_version') AS version`);
      await client.query('COMMIT');
      manifest = {
        format: FORMAT,
        formatVersion: FORMAT_VERSION,
        librelogVersion: librelogVersion(),
        migration,
        createdAt: new Date().toISOString(),
        postgresVersion: version.rows[0]?.version ?? 'unknown',
        tables,
        sequences,
        files: [],
      };
    } finally {
      await client.end().catch(() => undefined);
    }
    const rows = manifest.tables.reduce((n, t) => n + t.rows, 0);
    say(`database: ${manifest.tables.length} tables, ${rows.toLocaleString('en')} rows (schema at ${manifest.migration})`);

    const archive = new ArchiveWriter(partial);
    try {
      for (const table of manifest.tables) {
        const spooled = path.join(spool, `${table.name}.copy`);
        await archive.add(table.entry, table.bytes, createReadStream(spooled));
        await rm(spooled);
      }
      for (const relative of await dataFiles(options.dataDir)) {
        // Opened first and read through the handle: a file replaced meanwhile (publishers rename
        // the new one into place) is read whole as it was; one removed meanwhile is left out.
        const handle = await open(path.join(options.dataDir, relative), 'r').catch((error: { code?: string }) => {
          if (error.code === 'ENOENT') return undefined;
          throw error;
        });
        if (!handle) continue;
        try {
          const facts = await handle.stat();
          const written = await archive.add(fileEntry(relative), facts.size, handle.createReadStream({ autoClose: false, start: 0 }), facts.mtime);
          manifest.files.push({ path: relative, ...written } satisfies FileEntry);
        } finally {
          await handle.close();
        }
      }
      await archive.addText(MANIFEST, `${JSON.stringify(manifest, null, 2)}\n`);
      await archive.finish();
    } catch (error) {
      await archive.abort();
      throw error;
    }
    const fileBytes = manifest.files.reduce((n, f) => n + f.bytes, 0);
    say(`files: ${manifest.files.length} from ${DATA_FOLDERS.map((f) => `${f}/`).join(' and ')} (${(fileBytes / 1e6).toFixed(1)} MB)`);
    await rename(partial, file);
    return { file, manifest, archiveBytes: (await stat(file)).size };
  } finally {
    await rm(spool, { recursive: true, force: true });
  }
}
