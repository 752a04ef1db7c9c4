import type { Knex } from 'knex';

// Make-goods as a lifecycle: owed → scheduled → aired, or waived (by traffic, with a reason),
// or expired (past the campaign's flight plus the station's grace). Traffic may ask for one
// on a chosen day; the log of that day places it first. Make-goods take at most a share of a
// day's avails (the rest wait for later days). The `expired` value is
// in the type from the first migration on for new databases (it reads MAKE_GOOD_STATUSES).
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`ALTER TYPE make_good_status ADD VALUE IF NOT EXISTS 'expired'`);
  await knex.schema.alterTable('make_goods', (t) => {
    t.date('wanted_on');
    t.text('waived_reason');
    t.uuid('resolved_by').references('users.id').onDelete('SET NULL');
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.schema.alterTable('stations', (t) => {
    // Days after a campaign's flight that its make-goods are still owed.
    t.integer('make_good_grace_days').notNullable().defaultTo(14);
    // The largest share of a day's ADV avails make-goods may take, in percent.
    t.integer('make_good_share_percent').notNullable().defaultTo(25);
  });
  await knex.raw('ALTER TABLE stations ADD CONSTRAINT stations_make_good_grace_days CHECK (make_good_grace_days BETWEEN 0 AND 365)');
  await knex.raw('ALTER TABLE stations ADD CONSTRAINT stations_make_good_share_percent CHECK (make_good_share_percent BETWEEN 0 AND 100)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE stations DROP CONSTRAINT IF EXISTS stations_make_good_grace_days');
  await knex.raw('ALTER TABLE stations DROP CONSTRAINT IF EXISTS stations_make_good_share_percent');
  await knex.schema.alterTable('stations', (t) => {
    t.dropColumn('make_good_grace_days');
    t.dropColumn('make_good_share_percent');
  });
  await knex.schema.alterTable('make_goods', (t) => {
    t.dropColumn('wanted_on');
    t.dropColumn('waived_reason');
    t.dropColumn('resolved_by');
    t.dropColumn('updated_at');
  });
  // A value cannot leave an enum type: what was expired is owed again, and `expired` stays unused.
  await knex.raw(`UPDATE make_goods SET status = 'owed' WHERE status = 'expired'`);
}
