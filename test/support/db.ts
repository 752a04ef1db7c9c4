// A real PostgreSQL database for one test file: a copy of the migrated template made by
// the global setup, bound to Objection, emptied before each test and dropped afterwards.
import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, inject } from 'vitest';
import { createDb, withDatabase } from '../../db/knex.js';

async function admin<T>(sql: string): Promise<T> {
  const client = new pg.Client({ connectionString: inject('pgServerUrl') });
  await client.connect();
  try {
    return (await client.query(sql)) as T;
  } finally {
    await client.end();
  }
}

/** Creates an empty database (no schema) for tests of the migrations themselves. */
export async function createEmptyDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `librelog_empty_${randomBytes(4).toString('hex')}`;
  await admin(`CREATE DATABASE ${name}`);
  return {
    url: withDatabase(inject('pgServerUrl'), name),
    drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

export function useTestDatabase(options: { truncateBeforeEach?: boolean } = {}): Knex {
  const name = `librelog_test_${process.env.VITEST_POOL_ID ?? '0'}_${randomBytes(4).toString('hex')}`;
  let db: Knex | undefined;
  let tables: string[] = [];

  // The tests get a stand-in that forwards to the real instance once it exists.
  const proxy = new Proxy(function () {} as unknown as Knex, {
    get: (_target, prop) => {
      if (!db) throw new Error('useTestDatabase(): the database is ready only inside tests and hooks');
      const value = Reflect.get(db, prop, db) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(db) : value;
    },
    apply: (_target, _this, args: unknown[]) => {
      if (!db) throw new Error('useTestDatabase(): the database is ready only inside tests and hooks');
      return (db as unknown as (...a: unknown[]) => unknown)(...args);
    },
  });

  beforeAll(async () => {
    await admin(`CREATE DATABASE ${name} TEMPLATE ${inject('templateDatabase')}`);
    db = createDb(withDatabase(inject('pgServerUrl'), name), { pool: { min: 0, max: 5 } });
    const rows = await db('pg_tables').where({ schemaname: 'public' }).whereNot('tablename', 'like', 'knex_migrations%').pluck('tablename');
    tables = rows as string[];
  });

  if (options.truncateBeforeEach !== false) {
    beforeEach(async () => {
      if (tables.length) await db!.raw(`TRUNCATE ${tables.map((t) => `"${t}"`).join(', ')} RESTART IDENTITY CASCADE`);
    });
  }

  afterAll(async () => {
    await db?.destroy();
    db = undefined;
    await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  });

  return proxy;
}
