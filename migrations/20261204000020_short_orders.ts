import type { Knex } from 'knex';

// Make-goods for an order left short: at the end of each week of a campaign's flight, the spots
// it was ordered for that week that were never placed in a log (bumped or preempted) are owed
// as make-goods (reason `preempted`), one row per spot, keyed by the week they were short in
// (its first day in the flight). And a make-good may be wanted in a daypart: the log places it
// only there (or leaves it owed).
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('make_goods', (t) => {
    t.date('short_week_starts_on');
    t.uuid('wanted_daypart_id').references('dayparts.id').onDelete('SET NULL');
    t.index(['campaign_id', 'short_week_starts_on']);
  });
  await knex.raw(`ALTER TABLE make_goods ADD CONSTRAINT make_goods_short_week CHECK (reason <> 'preempted' OR short_week_starts_on IS NOT NULL)`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE make_goods DROP CONSTRAINT IF EXISTS make_goods_short_week');
  await knex.schema.alterTable('make_goods', (t) => {
    t.dropIndex(['campaign_id', 'short_week_starts_on']);
    t.dropColumn('short_week_starts_on');
    t.dropColumn('wanted_daypart_id');
  });
}
