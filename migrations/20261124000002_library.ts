import type { Knex } from 'knex';
import { TRACK_TYPES } from '../domain/vocabulary.js';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('categories', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('station_id').notNullable().references('stations.id').onDelete('CASCADE');
    t.text('code').notNullable();
    t.text('name').notNullable();
    t.unique(['station_id', 'code']);
  });

  await knex.schema.createTable('dayparts', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('station_id').notNullable().references('stations.id').onDelete('CASCADE');
    t.text('name').notNullable();
    // ISO weekdays 1 (Monday) … 7 (Sunday) on which the daypart starts.
    t.specificType('weekdays', 'smallint[]').notNullable();
    // Minutes after local midnight; end may be 1440; end < start crosses midnight.
    t.integer('start_minute').notNullable();
    t.integer('end_minute').notNullable();
    t.unique(['station_id', 'name']);
  });
  await knex.raw('ALTER TABLE dayparts ADD CONSTRAINT dayparts_minutes CHECK (start_minute BETWEEN 0 AND 1439 AND end_minute BETWEEN 1 AND 1440 AND start_minute <> end_minute)');
  await knex.raw("ALTER TABLE dayparts ADD CONSTRAINT dayparts_weekdays CHECK (cardinality(weekdays) > 0 AND weekdays <@ '{1,2,3,4,5,6,7}'::smallint[])");

  await knex.schema.createTable('tracks', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('station_id').notNullable().references('stations.id').onDelete('CASCADE');
    // A bundle's own key for the track, so re-importing updates instead of duplicating.
    t.text('ref');
    t.enu('type', TRACK_TYPES, { useNative: true, enumName: 'track_type' }).notNullable();
    t.text('title').notNullable();
    t.text('artist');
    t.text('album');
    t.text('composer');
    t.text('publisher');
    t.text('isrc');
    t.text('genre');
    t.text('mood');
    t.integer('bpm');
    t.smallint('energy'); // 1 (calm) … 10 (peak)
    // Durations in milliseconds, everywhere.
    t.integer('length_ms').notNullable();
    t.integer('cue_in_ms').notNullable().defaultTo(0);
    t.integer('cue_out_ms');
    t.integer('intro_ms'); // talk-over time at the start (to the vocal)
    t.integer('outro_ms'); // talk-over time at the end
    t.integer('libretime_file_id');
    t.text('azuracast_media_id');
    t.text('file_path');
    t.boolean('removed').notNullable().defaultTo(false);
    t.timestamp('removed_at', { useTz: true });
    t.timestamps(true, true);
    t.unique(['station_id', 'ref']);
    t.unique(['station_id', 'libretime_file_id']);
  });
  await knex.raw('ALTER TABLE tracks ADD CONSTRAINT tracks_length CHECK (length_ms > 0 AND cue_in_ms >= 0 AND (cue_out_ms IS NULL OR (cue_out_ms > cue_in_ms AND cue_out_ms <= length_ms)))');
  await knex.raw('ALTER TABLE tracks ADD CONSTRAINT tracks_energy CHECK (energy IS NULL OR energy BETWEEN 1 AND 10)');
  await knex.raw('ALTER TABLE tracks ADD CONSTRAINT tracks_bpm CHECK (bpm IS NULL OR bpm BETWEEN 20 AND 300)');
  await knex.raw('CREATE INDEX tracks_schedulable ON tracks (station_id, type) WHERE NOT removed');
  await knex.raw('CREATE INDEX tracks_artist ON tracks (station_id, lower(artist))');

  await knex.schema.createTable('track_categories', (t) => {
    t.uuid('track_id').notNullable().references('tracks.id').onDelete('CASCADE');
    t.uuid('category_id').notNullable().references('categories.id').onDelete('CASCADE');
    t.primary(['track_id', 'category_id']);
    t.index(['category_id']);
  });

  // Dayparts a track may play in (none listed = any time).
  await knex.schema.createTable('track_dayparts', (t) => {
    t.uuid('track_id').notNullable().references('tracks.id').onDelete('CASCADE');
    t.uuid('daypart_id').notNullable().references('dayparts.id').onDelete('CASCADE');
    t.primary(['track_id', 'daypart_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('track_dayparts');
  await knex.schema.dropTable('track_categories');
  await knex.schema.dropTable('tracks');
  await knex.schema.dropTable('dayparts');
  await knex.schema.dropTable('categories');
  await knex.raw('DROP TYPE IF EXISTS track_type');
}
