import type { Knex } from 'knex';
import { ACTOR_TYPES, PLAYOUT_TARGETS, USER_ROLES } from '../domain/vocabulary.js';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('stations', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.text('slug').notNullable().unique();
    t.text('name').notNullable();
    t.text('timezone').notNullable();
    // Playout: where approved logs go and how.
    t.enu('playout_target', PLAYOUT_TARGETS, { useNative: true, enumName: 'playout_target' }).notNullable().defaultTo('file');
    t.text('libretime_url');
    t.text('libretime_api_key'); // secret: write-only through the API
    t.text('azuracast_url');
    t.integer('azuracast_station_id');
    t.text('azuracast_api_key'); // secret: write-only through the API
    // Log building and approval.
    t.integer('build_days_ahead').notNullable().defaultTo(2);
    // 04:00 or later: a local hour that exists on every day, DST days included.
    t.integer('build_hour').notNullable().defaultTo(4);
    t.integer('fill_tolerance_ms').notNullable().defaultTo(30_000);
    t.integer('approval_lead_hours').notNullable().defaultTo(12);
    t.integer('reconcile_grace_minutes').notNullable().defaultTo(60);
    t.boolean('traffic_may_publish').notNullable().defaultTo(false);
    t.jsonb('settings').notNullable().defaultTo('{}');
    t.integer('version').notNullable().defaultTo(1);
    t.timestamps(true, true);
  });
  await knex.raw(`ALTER TABLE stations ADD CONSTRAINT stations_slug_format CHECK (slug ~ '^[a-z0-9][a-z0-9-]{0,62}$')`);
  await knex.raw('ALTER TABLE stations ADD CONSTRAINT stations_build_days_ahead CHECK (build_days_ahead BETWEEN 0 AND 14)');
  await knex.raw('ALTER TABLE stations ADD CONSTRAINT stations_build_hour CHECK (build_hour BETWEEN 4 AND 23)');

  await knex.schema.createTable('users', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.text('email').notNullable();
    t.text('name').notNullable();
    t.text('password_hash').notNullable();
    t.enu('role', USER_ROLES, { useNative: true, enumName: 'user_role' }).notNullable().defaultTo('viewer');
    t.boolean('disabled').notNullable().defaultTo(false);
    t.timestamp('last_login_at', { useTz: true });
    t.timestamps(true, true);
  });
  await knex.raw('CREATE UNIQUE INDEX users_email_unique ON users (lower(email))');

  // Trusted apps (LibreTime, scripts) authenticate with OAuth2 client credentials.
  await knex.schema.createTable('api_clients', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.text('client_id').notNullable().unique();
    t.text('name').notNullable();
    t.text('secret_hash').notNullable();
    t.specificType('role', 'user_role').notNullable().defaultTo('viewer');
    t.uuid('station_id').references('stations.id').onDelete('CASCADE');
    t.boolean('disabled').notNullable().defaultTo(false);
    t.timestamps(true, true);
  });

  await knex.schema.createTable('audit_log', (t) => {
    t.bigIncrements('id');
    t.timestamp('at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.enu('actor_type', ACTOR_TYPES, { useNative: true, enumName: 'actor_type' }).notNullable();
    t.text('actor_id');
    t.text('action').notNullable();
    t.text('entity').notNullable();
    t.text('entity_id');
    t.uuid('station_id').references('stations.id').onDelete('SET NULL');
    t.jsonb('before');
    t.jsonb('after');
    t.index(['entity', 'entity_id']);
    t.index(['station_id', 'at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('audit_log');
  await knex.schema.dropTable('api_clients');
  await knex.schema.dropTable('users');
  await knex.schema.dropTable('stations');
  await knex.raw('DROP TYPE IF EXISTS actor_type');
  await knex.raw('DROP TYPE IF EXISTS user_role');
  await knex.raw('DROP TYPE IF EXISTS playout_target');
}
