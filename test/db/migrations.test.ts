import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Knex } from 'knex';
import { createDb } from '../../db/knex.js';
import { createEmptyDatabase } from '../support/db.js';

const DOMAIN_TABLES = [
  'stations', 'users', 'api_clients', 'audit_log', 'categories', 'dayparts', 'tracks', 'track_categories', 'track_dayparts',
  'music_rule_sets', 'music_rule_set_dayparts', 'clocks', 'clock_elements', 'grid_slots', 'grid_overrides', 'advertisers',
  'campaigns', 'campaign_dayparts', 'campaign_copy', 'daily_logs', 'log_entries', 'log_exceptions', 'voice_tracks',
  'playback_history', 'make_goods', 'log_build_stages', 'libretime_shows', 'libretime_instances', 'library_syncs', 'listener_sessions', 'refresh_tokens',
  'programming_changes', 'station_memberships', 'sign_in_guards', 'web_sessions', 'log_edits',
];

describe('the schema migrations', () => {
  let db: Knex;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const empty = await createEmptyDatabase();
    drop = empty.drop;
    db = createDb(empty.url);
  });
  afterAll(async () => {
    await db.destroy();
    await drop();
  });

  const publicTables = async () =>
    ((await db('pg_tables').where({ schemaname: 'public' }).pluck('tablename')) as string[]).filter((t) => !t.startsWith('knex_'));
  const views = async () => (await db('pg_views').where({ schemaname: 'public' }).pluck('viewname')) as string[];
  const enumTypes = async () => (await db('pg_type').where({ typtype: 'e' }).pluck('typname')) as string[];

  it('build every table of the domain and the reconciliation_report view on an empty database', async () => {
    await db.migrate.latest();
    expect((await publicTables()).sort()).toEqual([...DOMAIN_TABLES].sort());
    expect(await views()).toContain('reconciliation_report');
  });

  it('roll all the way back to an empty database, types included, and forwards again', async () => {
    await db.migrate.rollback(undefined, true);
    expect(await publicTables()).toEqual([]);
    expect(await views()).toEqual([]);
    expect(await enumTypes()).toEqual([]);
    await db.migrate.latest();
    expect((await publicTables()).sort()).toEqual([...DOMAIN_TABLES].sort());
  });

  it('can step each migration down and up again', async () => {
    const [, pending] = (await db.migrate.list()) as [unknown[], unknown[]];
    expect(pending).toEqual([]);
    for (;;) {
      const [, undone] = (await db.migrate.down()) as [number, string[]];
      if (undone.length === 0) break;
    }
    expect(await publicTables()).toEqual([]);
    for (;;) {
      const [, done] = (await db.migrate.up()) as [number, string[]];
      if (done.length === 0) break;
    }
    expect(await publicTables()).toHaveLength(DOMAIN_TABLES.length);
  });
});

describe('the migration list', () => {
  it('names every migration file in the folder, in order', async () => {
    const { readdir } = await import('node:fs/promises');
    const { MIGRATIONS } = await import('../../migrations/index.js');
    const files = (await readdir(new URL('../../migrations/', import.meta.url))).filter((f) => /^\d{14}_.+\.ts$/.test(f)).map((f) => f.replace(/\.ts$/, ''));
    expect(MIGRATIONS.map(([name]) => name)).toEqual(files.sort());
  });
});
