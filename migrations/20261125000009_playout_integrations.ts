import type { Knex } from 'knex';

// What LibreLog keeps of the systems it talks to:
// - the LibreTime show it schedules into and the show instances it created (LibreLog only
//   ever changes instances listed here, never one a person made in LibreTime);
// - each library sync from LibreTime, so the web app shows when the library was last in step;
// - listener sessions pulled from AzuraCast before its 60-day retention deletes them
//   (SoundExchange Aggregate Tuning Hours are summed from these);
// - AzuraCast's media id is a text column on tracks already (azuracast_media_id).
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('libretime_shows', (t) => {
    t.uuid('station_id').primary().references('stations.id').onDelete('CASCADE');
    t.text('libretime_url').notNullable();
    t.integer('show_id').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  await knex.schema.createTable('libretime_instances', (t) => {
    t.uuid('station_id').notNullable().references('stations.id').onDelete('CASCADE');
    t.date('broadcast_date').notNullable();
    t.integer('instance_id').notNullable();
    t.integer('show_id').notNullable();
    t.timestamp('starts_at', { useTz: true }).notNullable();
    t.timestamp('ends_at', { useTz: true }).notNullable();
    // The log version whose items are in it, once publishing it finished.
    t.integer('published_version');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['station_id', 'instance_id']);
    t.index(['station_id', 'broadcast_date']);
  });

  await knex.schema.createTable('library_syncs', (t) => {
    t.bigIncrements('id');
    t.uuid('station_id').notNullable().references('stations.id').onDelete('CASCADE');
    t.text('workflow_id').notNullable();
    t.timestamp('started_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('finished_at', { useTz: true });
    t.integer('files');
    t.integer('added');
    t.integer('updated');
    t.integer('removed');
    t.integer('kept_in_logs');
    t.integer('skipped');
    t.jsonb('details').notNullable().defaultTo('{}');
    t.text('failure');
    t.index(['station_id', 'started_at']);
  });

  await knex.schema.createTable('listener_sessions', (t) => {
    t.bigIncrements('id');
    t.uuid('station_id').notNullable().references('stations.id').onDelete('CASCADE');
    t.text('source').notNullable().defaultTo('azuracast');
    // Sessions have no id in AzuraCast: a hash of what identifies one makes the pull idempotent.
    t.text('session_key').notNullable();
    t.timestamp('connected_on', { useTz: true }).notNullable();
    t.timestamp('connected_until', { useTz: true }).notNullable();
    t.integer('connected_seconds').notNullable();
    t.text('mount_name');
    t.text('user_agent');
    t.jsonb('location');
    t.timestamp('imported_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['station_id', 'session_key']);
    t.index(['station_id', 'connected_on']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('listener_sessions');
  await knex.schema.dropTable('library_syncs');
  await knex.schema.dropTable('libretime_instances');
  await knex.schema.dropTable('libretime_shows');
}
