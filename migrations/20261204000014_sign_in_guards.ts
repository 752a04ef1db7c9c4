import type { Knex } from 'knex';

// What keeps sign-in safe when several API and web processes share one database:
// - sign_in_guards: failed sign-ins per account and per client address, for the backoff of
//   api/auth/rate-limit.ts (a key is `account:<email>`, `client:<client_id>` or `address:<ip>`);
// - web_sessions: the web app's sessions, server side. The cookie holds only a random session
//   id; the row is found by a hash of it and its data (the API tokens) is encrypted with a key
//   derived from it, so neither a copy of this table nor of the cookie alone signs anyone in;
// - the audit log's `anonymous` actor: a failed sign-in has nobody to name.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('sign_in_guards', (t) => {
    t.text('key').primary();
    // Consecutive failures (an account) or recent ones (an address); success resets an account.
    t.integer('failures').notNullable().defaultTo(0);
    t.timestamp('last_failure_at', { useTz: true });
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['updated_at']);
  });
  await knex.schema.createTable('web_sessions', (t) => {
    // sha256 of the id in the cookie.
    t.text('id').primary();
    t.uuid('user_id').references('users.id').onDelete('CASCADE');
    // AES-256-GCM, keyed by the session id and LIBRELOG_SESSION_SECRET.
    t.text('data').notNullable();
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['user_id']);
    t.index(['expires_at']);
  });
  await knex.raw(`ALTER TYPE actor_type ADD VALUE IF NOT EXISTS 'anonymous'`);
}

export async function down(knex: Knex): Promise<void> {
  // PostgreSQL cannot drop one value of an enum; entries without an actor become the system's.
  await knex.raw(`UPDATE audit_log SET actor_type = 'system' WHERE actor_type::text = 'anonymous'`);
  await knex.schema.dropTable('web_sessions');
  await knex.schema.dropTable('sign_in_guards');
}
