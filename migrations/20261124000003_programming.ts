import type { Knex } from 'knex';
import { START_KINDS } from '../domain/vocabulary.js';

export async function up(knex: Knex): Promise<void> {
  // A music rule set ("smart block"): what MUS may be picked, and how far apart.
  await knex.schema.createTable('music_rule_sets', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('station_id').notNullable().references('stations.id').onDelete('CASCADE');
    t.text('name').notNullable();
    t.specificType('genres', 'text[]').notNullable().defaultTo('{}');
    t.specificType('moods', 'text[]').notNullable().defaultTo('{}');
    t.integer('min_bpm');
    t.integer('max_bpm');
    t.smallint('min_energy');
    t.smallint('max_energy');
    t.integer('artist_separation_minutes').notNullable().defaultTo(60);
    t.integer('title_separation_hours').notNullable().defaultTo(3);
    t.integer('version').notNullable().defaultTo(1);
    t.timestamps(true, true);
    t.unique(['station_id', 'name']);
  });

  await knex.schema.createTable('music_rule_set_dayparts', (t) => {
    t.uuid('rule_set_id').notNullable().references('music_rule_sets.id').onDelete('CASCADE');
    t.uuid('daypart_id').notNullable().references('dayparts.id').onDelete('CASCADE');
    t.primary(['rule_set_id', 'daypart_id']);
  });

  await knex.schema.createTable('clocks', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('station_id').notNullable().references('stations.id').onDelete('CASCADE');
    t.text('name').notNullable();
    // The hour the clock was written for ("06:00"), a hint for the grid editor.
    t.smallint('hour');
    t.uuid('daypart_id').references('dayparts.id').onDelete('SET NULL');
    // What the hour's content should add up to (fill to time).
    t.integer('target_length_ms').notNullable().defaultTo(3_600_000);
    t.integer('version').notNullable().defaultTo(1);
    t.timestamps(true, true);
    t.unique(['station_id', 'name']);
  });
  await knex.raw('ALTER TABLE clocks ADD CONSTRAINT clocks_hour CHECK (hour IS NULL OR hour BETWEEN 0 AND 23)');

  await knex.schema.createTable('clock_elements', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('clock_id').notNullable().references('clocks.id').onDelete('CASCADE');
    t.integer('position').notNullable();
    t.specificType('type', 'track_type').notNullable();
    t.text('title');
    t.integer('count').notNullable().defaultTo(1);
    t.specificType('fallback', 'track_type');
    t.uuid('category_id').references('categories.id').onDelete('SET NULL');
    t.uuid('rule_set_id').references('music_rule_sets.id').onDelete('SET NULL');
    // A specific library item (a named interview, a bed) when the element names one.
    t.uuid('track_id').references('tracks.id').onDelete('SET NULL');
    t.integer('target_length_ms');
    t.integer('start_offset_ms');
    t.enu('start_kind', START_KINDS, { useNative: true, enumName: 'start_kind' });
    t.unique(['clock_id', 'position']);
  });
  await knex.raw('ALTER TABLE clock_elements ADD CONSTRAINT clock_elements_count CHECK (count BETWEEN 1 AND 60)');
  await knex.raw('ALTER TABLE clock_elements ADD CONSTRAINT clock_elements_offset CHECK (start_offset_ms IS NULL OR start_offset_ms BETWEEN 0 AND 3599999)');

  // The weekly grid: which clock plays in each of the 168 hours.
  await knex.schema.createTable('grid_slots', (t) => {
    t.uuid('station_id').notNullable().references('stations.id').onDelete('CASCADE');
    t.smallint('weekday').notNullable();
    t.smallint('hour').notNullable();
    t.uuid('clock_id').notNullable().references('clocks.id').onDelete('CASCADE');
    t.primary(['station_id', 'weekday', 'hour']);
  });
  await knex.raw('ALTER TABLE grid_slots ADD CONSTRAINT grid_slots_when CHECK (weekday BETWEEN 1 AND 7 AND hour BETWEEN 0 AND 23)');

  // Holidays and specials: a date's hour plays another clock.
  await knex.schema.createTable('grid_overrides', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('station_id').notNullable().references('stations.id').onDelete('CASCADE');
    t.date('date').notNullable();
    t.smallint('hour').notNullable();
    t.uuid('clock_id').notNullable().references('clocks.id').onDelete('CASCADE');
    t.text('note');
    t.unique(['station_id', 'date', 'hour']);
  });
  await knex.raw('ALTER TABLE grid_overrides ADD CONSTRAINT grid_overrides_hour CHECK (hour BETWEEN 0 AND 23)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('grid_overrides');
  await knex.schema.dropTable('grid_slots');
  await knex.schema.dropTable('clock_elements');
  await knex.schema.dropTable('clocks');
  await knex.schema.dropTable('music_rule_set_dayparts');
  await knex.schema.dropTable('music_rule_sets');
  await knex.raw('DROP TYPE IF EXISTS start_kind');
}
