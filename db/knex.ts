import knexFactory, { type Knex } from 'knex';
import { Model, knexSnakeCaseMappers } from 'objection';
import pg from 'pg';
import { migrationSource } from '../migrations/index.js';

// DATE columns are calendar days in the station's own timezone: keep them as 'YYYY-MM-DD'
// strings instead of letting pg turn them into midnight-UTC Date objects.
pg.types.setTypeParser(pg.types.builtins.DATE, (value: string) => value);
// BIGINT ids and counts fit in a JS number for this application's sizes.
pg.types.setTypeParser(pg.types.builtins.INT8, (value: string) => Number(value));

export interface DbOptions {
  pool?: { min: number; max: number };
  /** Make this the instance Objection's models use when a query names none (default true). */
  bindModels?: boolean;
}

/** A knex instance for `databaseUrl`, by default also bound to Objection's models. */
export function createDb(databaseUrl: string, options: DbOptions = {}): Knex {
  const db = knexFactory({
    client: 'pg',
    connection: databaseUrl,
    pool: options.pool ?? { min: 0, max: 10 },
    migrations: { migrationSource, tableName: 'knex_migrations' },
    // A failed connection attempt also rejects the query that asked for it, where it is said
    // properly; knex's own warning would print the same error again with its stack.
    log: { warn: (message: string) => void (message.startsWith('Acquire connection error') || console.warn(message)) },
    // Code says stationId, the database says station_id: identifiers are mapped both ways.
    ...knexSnakeCaseMappers(),
  });
  if (options.bindModels !== false) Model.knex(db);
  return db;
}

export async function migrateToLatest(db: Knex): Promise<string[]> {
  const [, applied] = (await db.migrate.latest()) as [number, string[]];
  return applied;
}

/** Creates `database` on the server of `serverUrl` unless it exists. */
export async function ensureDatabase(serverUrl: string, database: string): Promise<void> {
  const url = new URL(serverUrl);
  url.pathname = '/postgres';
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE "${database.replaceAll('"', '""')}"`);
  } finally {
    await client.end();
  }
}

export function withDatabase(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}
