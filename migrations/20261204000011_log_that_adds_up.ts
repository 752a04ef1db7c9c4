import type { Knex } from 'knex';

// A log that adds up and airs as written (docs/log-rules.md):
// - entries faded early to meet a hard start say by how much, and with what fade, so playout
//   gets the same shortened length and cue-out;
// - the hour of an entry or exception as the station says it, so the repeated hour of a
//   25-hour day reads "01:00 EDT" / "01:00 EST" everywhere, with the UTC offset beside it;
// - each station names its fill material (types, in order of preference);
// - an error in a log is approved only when someone acknowledges it, with a reason.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('log_entries', (t) => {
    t.integer('faded_early_ms').notNullable().defaultTo(0);
    t.integer('fade_out_ms').notNullable().defaultTo(0);
    t.text('hour_label');
    t.smallint('utc_offset_minutes');
  });
  await knex.schema.alterTable('log_exceptions', (t) => {
    t.text('hour_label');
    t.uuid('acknowledged_by').references('users.id').onDelete('SET NULL');
    t.timestamp('acknowledged_at', { useTz: true });
    t.text('acknowledgement');
  });
  await knex.schema.alterTable('stations', (t) => {
    t.specificType('fill_types', 'track_type[]').notNullable().defaultTo(knex.raw("'{PRO,PSA,BED}'::track_type[]"));
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('stations', (t) => t.dropColumn('fill_types'));
  await knex.schema.alterTable('log_exceptions', (t) => {
    t.dropColumn('hour_label');
    t.dropColumn('acknowledged_by');
    t.dropColumn('acknowledged_at');
    t.dropColumn('acknowledgement');
  });
  await knex.schema.alterTable('log_entries', (t) => {
    t.dropColumn('faded_early_ms');
    t.dropColumn('fade_out_ms');
    t.dropColumn('hour_label');
    t.dropColumn('utc_offset_minutes');
  });
}
