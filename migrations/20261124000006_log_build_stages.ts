import type { Knex } from 'knex';

// Work in progress of a log build: each step of the broadcast-day workflow stores its result
// here and hands the next step only a reference, so Temporal's history stays small
// (a day's slots are hundreds of kilobytes) — the "claim check" pattern.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('log_build_stages', (t) => {
    t.uuid('log_id').notNullable().references('daily_logs.id').onDelete('CASCADE');
    t.integer('version').notNullable();
    t.text('stage').notNullable();
    // json, not jsonb: written once and read whole, so PostgreSQL need not parse it.
    t.json('payload').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['log_id', 'version', 'stage']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('log_build_stages');
}
