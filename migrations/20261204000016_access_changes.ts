import type { Knex } from 'knex';
import { ACCESS_CHANNEL, LOGS_CHANNEL } from '../db/access-changes.js';

// Any change to who may do what — accounts, API clients, roles per station, stations — is
// announced on the `access_changed` channel, and any change to a day's log on `logs_changed`,
// when its transaction commits; API processes LISTEN and forget what they cached
// (db/access-changes.ts). Once per statement: a change of many rows is one notice.
const TABLES = ['users', 'api_clients', 'station_memberships', 'stations', 'daily_logs'];

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE FUNCTION notify_access_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM pg_notify(CASE WHEN TG_TABLE_NAME = 'daily_logs' THEN '${LOGS_CHANNEL}' ELSE '${ACCESS_CHANNEL}' END, TG_TABLE_NAME);
      RETURN NULL;
    END $$`);
  for (const table of TABLES) {
    await knex.raw(`CREATE TRIGGER ${table}_notify_access AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION notify_access_changed()`);
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const table of TABLES) await knex.raw(`DROP TRIGGER IF EXISTS ${table}_notify_access ON ${table}`);
  await knex.raw('DROP FUNCTION IF EXISTS notify_access_changed()');
}
