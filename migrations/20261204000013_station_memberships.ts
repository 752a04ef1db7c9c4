// Roles per station. A person (or an API client) holds one or more roles at each station they
// work for; the install's owners manage stations, people and API clients and may do everything.
// What was a global role becomes: admin → owner; any other role → that role at every station
// that exists now (nobody loses access they had, nobody gains any).
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('users', (t) => {
    t.boolean('owner').notNullable().defaultTo(false);
  });
  await knex.schema.alterTable('api_clients', (t) => {
    t.boolean('owner').notNullable().defaultTo(false);
  });
  await knex.schema.createTable('station_memberships', (t) => {
    t.bigIncrements('id');
    t.uuid('station_id').notNullable().references('stations.id').onDelete('CASCADE');
    t.uuid('user_id').references('users.id').onDelete('CASCADE');
    t.uuid('api_client_id').references('api_clients.id').onDelete('CASCADE');
    t.specificType('role', 'user_role').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw('ALTER TABLE station_memberships ADD CONSTRAINT station_memberships_one_holder CHECK (num_nonnulls(user_id, api_client_id) = 1)');
  await knex.raw('CREATE UNIQUE INDEX station_memberships_user ON station_memberships (user_id, station_id, role) WHERE user_id IS NOT NULL');
  await knex.raw('CREATE UNIQUE INDEX station_memberships_client ON station_memberships (api_client_id, station_id, role) WHERE api_client_id IS NOT NULL');
  await knex.raw('CREATE INDEX station_memberships_station ON station_memberships (station_id)');

  await knex.raw(`UPDATE users SET owner = true WHERE role = 'admin'`);
  await knex.raw(`INSERT INTO station_memberships (station_id, user_id, role)
                  SELECT s.id, u.id, u.role FROM users u CROSS JOIN stations s WHERE u.role <> 'admin'`);
  // Unbound admin clients were the install's; bound ones administer their station only.
  await knex.raw(`UPDATE api_clients SET owner = true WHERE role = 'admin' AND station_id IS NULL`);
  await knex.raw(`INSERT INTO station_memberships (station_id, api_client_id, role)
                  SELECT c.station_id, c.id, c.role FROM api_clients c WHERE c.station_id IS NOT NULL`);
  await knex.raw(`INSERT INTO station_memberships (station_id, api_client_id, role)
                  SELECT s.id, c.id, c.role FROM api_clients c CROSS JOIN stations s WHERE c.station_id IS NULL AND c.role <> 'admin'`);
  await knex.schema.alterTable('users', (t) => {
    t.dropColumn('role');
  });
  await knex.schema.alterTable('api_clients', (t) => {
    t.dropColumn('role');
    t.dropColumn('station_id');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('users', (t) => {
    t.specificType('role', 'user_role').notNullable().defaultTo('viewer');
  });
  await knex.schema.alterTable('api_clients', (t) => {
    t.specificType('role', 'user_role').notNullable().defaultTo('viewer');
    t.uuid('station_id').references('stations.id').onDelete('CASCADE');
  });
  // The highest role each held anywhere; owners are admins again.
  await knex.raw(`UPDATE users u SET role = CASE WHEN u.owner THEN 'admin'::user_role ELSE coalesce(
                    (SELECT m.role FROM station_memberships m WHERE m.user_id = u.id ORDER BY m.role LIMIT 1), 'viewer') END`);
  await knex.raw(`UPDATE api_clients c SET role = CASE WHEN c.owner THEN 'admin'::user_role ELSE coalesce(
                    (SELECT m.role FROM station_memberships m WHERE m.api_client_id = c.id ORDER BY m.role LIMIT 1), 'viewer') END,
                  station_id = CASE WHEN c.owner THEN NULL ELSE (SELECT m.station_id FROM station_memberships m WHERE m.api_client_id = c.id LIMIT 1) END`);
  await knex.schema.dropTable('station_memberships');
  await knex.schema.alterTable('users', (t) => {
    t.dropColumn('owner');
  });
  await knex.schema.alterTable('api_clients', (t) => {
    t.dropColumn('owner');
  });
}
