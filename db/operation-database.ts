// The database for a one-off command (backup, restore): DATABASE_URL when it is set; else the
// embedded PostgreSQL of the data folder — the one `npm start` runs on PG_PORT if it is running,
// or started on the data folder for this command alone and stopped after it.
import { createWriteStream, existsSync } from 'node:fs';
import { chmod, mkdir } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import type { Config } from '../config/env.js';
import { BackupFailure } from './backup/failure.js';
import { embeddedServerUrl, startEmbeddedPostgres } from './embedded-postgres.js';
import { ensureDatabase, withDatabase } from './knex.js';

/** The database `npm start` creates on its embedded server. */
export const EMBEDDED_DATABASE = 'librelog';


export interface OperationDatabase {
  url: string;
  /** For messages, after "the database": where it is, without a password. */
  description: string;
  /** Stops the embedded server if this command started it. */
  release(): Promise<void>;
}

/** A postgres:// URL without its password, for messages. */
export function redactedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'DATABASE_URL';
  }
}

/** Where the database of a command is, for messages after "the database": "at postgres://…" or "of the embedded PostgreSQL …". */
export function describeDatabase(config: Pick<Config, 'databaseUrl' | 'dataDir' | 'pgPort'>): string {
  return config.databaseUrl ? `at ${redactedUrl(config.databaseUrl)}` : `of the embedded PostgreSQL of ${config.dataDir} (port ${config.pgPort})`;
}

async function answers(serverUrl: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: serverUrl, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    return true;
  } catch (error) {
    // Nothing listens on the port: no `npm start` on this machine's PG_PORT.
    if ((error as { code?: string }).code === 'ECONNREFUSED') return false;
    throw error;
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function databaseForOperation(
  config: Pick<Config, 'databaseUrl' | 'dataDir' | 'pgPort'>,
  options: { create: boolean; say?: (line: string) => void },
): Promise<OperationDatabase> {
  const say = options.say ?? (() => undefined);
  if (config.databaseUrl) {
    return { url: config.databaseUrl, description: describeDatabase(config), release: () => Promise.resolve() };
  }
  const running = embeddedServerUrl(config.pgPort);
  const description = describeDatabase(config);
  if (await answers(running)) {
    say(`using the embedded PostgreSQL running on port ${config.pgPort}`);
    if (options.create) await ensureDatabase(running, EMBEDDED_DATABASE);
    return { url: withDatabase(running, EMBEDDED_DATABASE), description, release: () => Promise.resolve() };
  }
  if (!options.create && !existsSync(config.dataDir)) {
    throw new BackupFailure(
      `There is no LibreLog install at ${config.dataDir}:`,
      `the data folder does not exist, and DATABASE_URL is not set.`,
      'Set LIBRELOG_DATA_DIR to the data folder `npm start` uses (or run the command from the folder holding .data), or set DATABASE_URL.',
    );
  }
  say(`starting the embedded PostgreSQL of ${config.dataDir} on port ${config.pgPort} for this command …`);
  await mkdir(path.join(config.dataDir, 'logs'), { recursive: true });
  // Run as root, PostgreSQL runs as the `postgres` user, which must reach the folder (as npm start does).
  await chmod(config.dataDir, 0o755);
  const log = createWriteStream(path.join(config.dataDir, 'logs', 'postgres.log'), { flags: 'a' });
  const closeLog = () => new Promise<void>((resolve) => log.end(resolve));
  try {
    const server = await startEmbeddedPostgres({ dataDir: config.dataDir, port: config.pgPort, log: (line) => log.write(`${line}\n`) });
    try {
      if (options.create) await ensureDatabase(server.serverUrl, EMBEDDED_DATABASE);
    } catch (error) {
      await server.stop();
      throw error;
    }
    return {
      url: withDatabase(server.serverUrl, EMBEDDED_DATABASE),
      description,
      release: async () => {
        await server.stop();
        await closeLog();
      },
    };
  } catch (error) {
    await closeLog();
    throw error;
  }
}
