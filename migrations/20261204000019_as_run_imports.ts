import type { Knex } from 'knex';

// As-run from files and from an operator's confirmation: `file` joins the sources (new
// databases have it from the first migration, which reads AS_RUN_SOURCES), and a play keeps
// what its source said it was when no track of the library is known for it: the type (a
// substitution is told by it) and the playout system's id of the audio (a Rivendell cart).
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`ALTER TYPE as_run_source ADD VALUE IF NOT EXISTS 'file'`);
  await knex.schema.alterTable('playback_history', (t) => {
    t.specificType('type', 'track_type');
    t.text('media_id');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('playback_history', (t) => {
    t.dropColumn('type');
    t.dropColumn('media_id');
  });
  // A value cannot leave an enum type: plays imported from files go with the down migration's data.
  await knex.raw(`DELETE FROM playback_history WHERE source = 'file'`);
}
