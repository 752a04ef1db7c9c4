// Restoring a backup archive (db/backup/backup.ts) into a database and data folder:
//
// 1. The archive is unpacked into a staging folder inside the data folder and checked whole
//    (gzip, every entry's size and SHA-256 against the manifest): a damaged archive stops here.
// 2. A database that holds data, or a data folder with files, is refused unless `force`.
// 3. In one transaction: what the schema held is dropped, the schema migrated to exactly the
//    backup's migration, every table emptied and loaded with `COPY … FROM STDIN` (foreign keys
//    dropped meanwhile and added back after, user triggers off: the programming_changes and
//    log-status triggers do not fire for a restore), serial sequences set past the highest id,
//    row counts checked against the manifest, then migrated to the latest migration (a backup
//    of an older LibreLog restores into a newer one). The files are moved into place last, and
//    moved back if the commit fails: whatever goes wrong, the target is left as it was.
import type { Knex } from 'knex';
import { createReadStream, existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rename, rm, rmdir } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { MIGRATIONS, migrationSource } from '../../migrations/index.js';
import { createDb } from '../knex.js';
import type { OperationDatabase } from '../operation-database.js';
import { stageArchive } from './archive.js';
import { BackupFailure } from './failure.js';
import { DATA_FOLDERS, type Manifest } from './manifest.js';
import { dropSchemaObjects, foreignKeys, latestMigration, schemaTables, serialSequences } from './schema.js';

export interface RestoreOptions {
  file: string;
  dataDir: string;
  /** Replace a database with data and a data folder with files. */
  force: boolean;
  /** Opened once the archive has been checked (so a damaged archive starts no server). */
  database: () => Promise<OperationDatabase>;
  say?: (line: string) => void;
}

export interface RestoreSummary {
  manifest: Manifest;
  rows: number;
  files: number;
  /** Migrations newer than the backup's, applied after loading. */
  migratedSince: string[];
}

/** Tables whose rows the migrations themselves insert: not "data" when deciding what a database holds. */
const SEEDED_BY_MIGRATIONS = new Set(['programming_changes']);

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en')} ${n === 1 ? one : many}`;

/** What the database holds, said for a person ("2 stations, 3 users and 1,204 other rows"), or undefined when empty. */
async function existingData(url: string): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const counts = new Map<string, number>();
    for (const table of await schemaTables(client)) {
      if (SEEDED_BY_MIGRATIONS.has(table.name)) continue;
      const { rows } = await client.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${client.escapeIdentifier(table.name)}`);
      const n = Number(rows[0]?.n ?? 0);
      if (n > 0) counts.set(table.name, n);
    }
    if (!counts.size) return undefined;
    const named = (['stations', 'users'] as const).filter((t) => counts.has(t)).map((t) => plural(counts.get(t)!, t.slice(0, -1)));
    const others = [...counts].filter(([t]) => t !== 'stations' && t !== 'users').reduce((n, [, c]) => n + c, 0);
    if (others) named.push(plural(others, named.length ? 'other row' : 'row'));
    return named.length > 1 ? `${named.slice(0, -1).join(', ')} and ${named.at(-1)}` : named[0];
  } finally {
    await client.end();
  }
}

async function filesUnder(folder: string): Promise<number> {
  let n = 0;
  for (const entry of await readdir(folder, { withFileTypes: true, recursive: true }).catch(() => [])) if (entry.isFile()) n++;
  return n;
}

/** The migrations up to and including `name`: the schema the backup's tables were written from. */
function migrationsUpTo(name: string): Knex.MigratorConfig['migrationSource'] {
  const upTo = MIGRATIONS.slice(0, MIGRATIONS.findIndex(([n]) => n === name) + 1);
  return { ...migrationSource, getMigrations: () => Promise.resolve([...upTo]) };
}

/** Loads the staged tables; the schema is already at the backup's migration. */
async function loadTables(client: pg.ClientBase, staging: string, manifest: Manifest): Promise<number> {
  const q = (name: string) => client.escapeIdentifier(name);
  const present = new Map((await schemaTables(client)).map((t) => [t.name, new Set(t.columns)]));
  for (const table of manifest.tables) {
    const columns = present.get(table.name);
    const missing = columns ? table.columns.filter((c) => !columns.has(c)) : [];
    if (!columns || missing.length) {
      throw new BackupFailure(
        'The backup does not fit its own schema:',
        `at migration ${manifest.migration} ${columns ? `the table ${table.name} has no column ${missing.join(', ')}` : `there is no table ${table.name}`}, yet the archive holds it.`,
        'The archive was not made by `npm run backup` of a LibreLog with these migrations; use another backup.',
      );
    }
  }
  // Data first, constraints after (as pg_restore does): the order of the tables does not matter.
  const keys = await foreignKeys(client);
  for (const key of keys) await client.query(`ALTER TABLE ${key.table} DROP CONSTRAINT ${q(key.name)}`);
  const tables = manifest.tables.map((t) => q(t.name));
  for (const table of tables) await client.query(`ALTER TABLE ${table} DISABLE TRIGGER USER`);
  // Rows the migrations inserted (programming_changes) make way for the backup's.
  if (tables.length) await client.query(`TRUNCATE ${tables.join(', ')}`);
  for (const table of manifest.tables) {
    const copy = client.query(copyFrom(`COPY ${q(table.name)} (${table.columns.map(q).join(', ')}) FROM STDIN`));
    await pipeline(createReadStream(path.join(staging, table.entry)), copy);
    if (copy.rowCount !== table.rows) {
      throw new BackupFailure(`The table ${table.name} did not load whole:`, `the backup lists ${table.rows} rows, ${copy.rowCount} were loaded.`, 'Use another copy of the backup.');
    }
  }
  for (const key of keys) {
    try {
      await client.query(`ALTER TABLE ${key.table} ADD CONSTRAINT ${q(key.name)} ${key.definition}`);
    } catch (error) {
      throw new BackupFailure(
        'The backup\'s tables do not agree with each other:',
        `${key.table} breaks its constraint ${key.name} (${(error as Error).message}).`,
        'The backup was not taken in one snapshot (not made by `npm run backup`?); use another backup.',
        { cause: error },
      );
    }
  }
  for (const table of tables) await client.query(`ALTER TABLE ${table} ENABLE TRIGGER USER`);

  // Serial ids go on after the highest one restored (or where the backup's sequence was, if later).
  const recorded = new Map(manifest.sequences.map((s) => [`${s.table}.${s.column}`, s.lastValue]));
  for (const s of await serialSequences(client)) {
    await client.query(
      `SELECT CASE WHEN v > 0 THEN setval($1::regclass, v, true) ELSE setval($1::regclass, 1, false) END
         FROM (SELECT GREATEST(COALESCE($2::bigint, 0), COALESCE(max(${q(s.column)}), 0)) AS v FROM ${q(s.table)}) AS top`,
      [s.sequence, recorded.get(`${s.table}.${s.column}`) ?? null],
    );
  }

  let rows = 0;
  for (const table of manifest.tables) {
    const { rows: found } = await client.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${q(table.name)}`);
    const n = Number(found[0]?.n);
    if (n !== table.rows) throw new BackupFailure(`The table ${table.name} did not load whole:`, `the manifest lists ${table.rows} rows, the table has ${n}.`, 'Use another copy of the backup.');
    rows += n;
  }
  return rows;
}

/** Moves the staged files into the data folder (what was there aside); `undo` puts everything back. */
async function swapFiles(dataDir: string, staging: string): Promise<{ undo: () => Promise<void> }> {
  const undo: (() => Promise<void>)[] = [];
  const previous = path.join(staging, 'previous');
  await mkdir(previous, { recursive: true });
  const run = async (from: string, to: string) => {
    await rename(from, to);
    undo.unshift(() => rename(to, from));
  };
  for (const folder of DATA_FOLDERS) {
    const current = path.join(dataDir, folder);
    const incoming = path.join(staging, 'files', folder);
    if (existsSync(current)) await run(current, path.join(previous, folder));
    if (existsSync(incoming)) await run(incoming, current);
  }
  return {
    undo: async () => {
      for (const step of undo) await step();
    },
  };
}

export async function restoreBackup(options: RestoreOptions): Promise<RestoreSummary> {
  const say = options.say ?? (() => undefined);
  const file = path.resolve(options.file);
  const dataDir = path.resolve(options.dataDir);
  if (!existsSync(file)) throw new BackupFailure(`There is no archive at ${file}.`, 'The file does not exist.', 'Give the path of a backup made with `npm run backup`.');
  const hadDataDir = existsSync(dataDir);
  await mkdir(dataDir, { recursive: true });
  const staging = await mkdtemp(path.join(dataDir, '.restore-'));
  let swapped: { undo: () => Promise<void> } | undefined;
  let committed = false;
  try {
    const { manifest } = await stageArchive(file, staging);
    const backedUpRows = manifest.tables.reduce((n, t) => n + t.rows, 0);
    say(`archive: LibreLog ${manifest.librelogVersion}, made ${manifest.createdAt}, schema at ${manifest.migration}; ${plural(manifest.tables.length, 'table')} (${plural(backedUpRows, 'row')}), ${plural(manifest.files.length, 'file')} — complete`);
    if (!MIGRATIONS.some(([name]) => name === manifest.migration)) {
      throw new BackupFailure(
        'The backup is from a newer LibreLog:',
        `its schema is at migration ${manifest.migration}, which this version (newest ${MIGRATIONS.at(-1)![0]}) does not have.`,
        `Upgrade this install to LibreLog ${manifest.librelogVersion} or later first, then restore.`,
      );
    }
    const filesThere = (await Promise.all(DATA_FOLDERS.map((f) => filesUnder(path.join(dataDir, f))))).reduce((a, b) => a + b, 0);

    const database = await options.database();
    try {
      const holds = await existingData(database.url);
      if ((holds || filesThere) && !options.force) {
        const what = [holds && `the database ${database.description} already holds LibreLog data (${holds})`, filesThere && `the data folder ${dataDir} already has ${plural(filesThere, 'file')} in ${DATA_FOLDERS.map((f) => `${f}/`).join(' and ')}`]
          .filter(Boolean)
          .join(', and ');
        throw new BackupFailure(
          'The restore was refused:',
          `${what}. Restoring would replace all of it with the backup made ${manifest.createdAt}.`,
          'To replace it, run the restore again with --force (and back the current install up first with `npm run backup`); to keep it, restore into an empty database (DATABASE_URL) and a new data folder (LIBRELOG_DATA_DIR).',
        );
      }
      const db = createDb(database.url, { bindModels: false, pool: { min: 0, max: 1 } });
      try {
        let rows = 0;
        let migratedSince: string[] = [];
        await db.transaction(async (trx) => {
          // The transaction's own connection, for COPY and the catalog queries.
          const client = (await (trx.client as { acquireConnection(): Promise<unknown> }).acquireConnection()) as pg.Client;
          // Dates read back as they were written (backup.ts writes them so); a running LibreLog
          // holding a table makes the restore stop after a while instead of waiting for ever.
          await client.query(`SET LOCAL datestyle = 'ISO, YMD'; SET LOCAL intervalstyle = 'postgres'; SET LOCAL timezone = 'UTC'; SET LOCAL lock_timeout = '30s'`);
          if (holds || (await latestMigration(client))) say(options.force && holds ? 'replacing what the database held (--force)' : 'clearing the empty schema');
          await dropSchemaObjects(client);
          await trx.migrate.latest({ migrationSource: migrationsUpTo(manifest.migration) });
          rows = await loadTables(client, staging, manifest);
          // Workers keep programming they read until this token changes: make it change.
          if ((await client.query<{ present: boolean }>(`SELECT to_regclass('programming_changes') IS NOT NULL AS present`)).rows[0]?.present) {
            await client.query('UPDATE programming_changes SET token = gen_random_uuid()');
          }
          const [, applied] = (await trx.migrate.latest()) as [number, string[]];
          migratedSince = applied;
          say(`database: ${plural(rows, 'row')} loaded into ${plural(manifest.tables.length, 'table')}${applied.length ? `, then migrated to ${applied.at(-1)} (${plural(applied.length, 'newer migration')})` : ''}`);
          swapped = await swapFiles(dataDir, staging);
        });
        committed = true;
        say(`files: ${plural(manifest.files.length, 'file')} restored into ${dataDir}`);
        return { manifest, rows, files: manifest.files.length, migratedSince };
      } finally {
        await db.destroy();
      }
    } finally {
      await database.release();
    }
  } catch (error) {
    if (swapped && !committed) await swapped.undo();
    throw error;
  } finally {
    await rm(staging, { recursive: true, force: true });
    // A data folder this restore made and could not fill goes again (if nothing else is in it).
    if (!hadDataDir && !committed) await rmdir(dataDir).catch(() => undefined);
  }
}
