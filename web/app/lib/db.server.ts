// The web app's database: one knex pool per process, created on first use from
// DATABASE_URL (read at request time: `npm start` sets it before the web server starts).
import type { Knex } from 'knex';
import { loadConfig } from '../../../config/env.js';
import { createDb } from '../../../db/knex.js';

// A global key, not a module variable: web/server.ts closes the pool the server build opened,
// and those are two copies of this module (the build bundles its own).
const DB_KEY = Symbol.for('librelog.web.db');
type Holder = { [DB_KEY]?: Knex };
const holder = globalThis as Holder;

export class DatabaseNotConfiguredError extends Error {
  override name = 'DatabaseNotConfiguredError';
}

export function getDb(): Knex {
  const existing = holder[DB_KEY];
  if (existing) return existing;
  const { databaseUrl } = loadConfig();
  if (!databaseUrl) {
    throw new DatabaseNotConfiguredError('DATABASE_URL is not set: the web app needs the LibreLog database (npm start sets it).');
  }
  // The web's queries always pass this knex explicitly, so it leaves the models' default
  // binding to whichever part (worker, API) shares the process.
  const db = createDb(databaseUrl, { bindModels: false });
  holder[DB_KEY] = db;
  return db;
}

/** Closes the web app's pool, if one was opened. */
export async function closeDb(): Promise<void> {
  const db = holder[DB_KEY];
  if (!db) return;
  delete holder[DB_KEY];
  await db.destroy();
}
