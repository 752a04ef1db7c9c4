import type { Knex } from 'knex';
import { CAMPAIGN_STATUSES, COPY_ROTATIONS } from '../domain/vocabulary.js';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('advertisers', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('station_id').notNullable().references('stations.id').onDelete('CASCADE');
    t.text('name').notNullable();
    t.uuid('category_id').references('categories.id').onDelete('SET NULL');
    t.text('contact_name');
    t.text('email');
    t.text('phone');
    t.text('notes');
    t.timestamps(true, true);
    t.unique(['station_id', 'name']);
  });

  // A campaign (order): flight, priority, how many spots, when, and which copy.
  await knex.schema.createTable('campaigns', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('station_id').notNullable().references('stations.id').onDelete('CASCADE');
    t.uuid('advertiser_id').notNullable().references('advertisers.id').onDelete('RESTRICT');
    t.text('name').notNullable();
    t.date('starts_on').notNullable();
    t.date('ends_on').notNullable();
    t.smallint('priority').notNullable().defaultTo(5); // higher preempts lower
    t.integer('spots_per_day');
    t.integer('spots_per_week');
    t.integer('spot_length_ms').notNullable().defaultTo(30_000);
    // Product category for competitive separation (defaults to the advertiser's).
    t.uuid('category_id').references('categories.id').onDelete('SET NULL');
    t.enu('rotation', COPY_ROTATIONS, { useNative: true, enumName: 'copy_rotation' }).notNullable().defaultTo('sequential');
    t.enu('status', CAMPAIGN_STATUSES, { useNative: true, enumName: 'campaign_status' }).notNullable().defaultTo('active');
    t.integer('version').notNullable().defaultTo(1);
    t.timestamps(true, true);
    t.unique(['advertiser_id', 'name']);
    t.index(['station_id', 'starts_on', 'ends_on']);
  });
  await knex.raw('ALTER TABLE campaigns ADD CONSTRAINT campaigns_flight CHECK (ends_on >= starts_on)');
  await knex.raw('ALTER TABLE campaigns ADD CONSTRAINT campaigns_priority CHECK (priority BETWEEN 1 AND 10)');
  await knex.raw('ALTER TABLE campaigns ADD CONSTRAINT campaigns_order CHECK ((spots_per_day IS NOT NULL AND spots_per_day > 0) OR (spots_per_week IS NOT NULL AND spots_per_week > 0))');

  await knex.schema.createTable('campaign_dayparts', (t) => {
    t.uuid('campaign_id').notNullable().references('campaigns.id').onDelete('CASCADE');
    t.uuid('daypart_id').notNullable().references('dayparts.id').onDelete('CASCADE');
    t.primary(['campaign_id', 'daypart_id']);
  });

  // Copy: the ADV tracks a campaign rotates, optionally dated.
  await knex.schema.createTable('campaign_copy', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('campaign_id').notNullable().references('campaigns.id').onDelete('CASCADE');
    t.uuid('track_id').notNullable().references('tracks.id').onDelete('RESTRICT');
    t.integer('position').notNullable();
    t.integer('weight').notNullable().defaultTo(1);
    t.date('starts_on');
    t.date('ends_on');
    t.unique(['campaign_id', 'position']);
  });
  await knex.raw('ALTER TABLE campaign_copy ADD CONSTRAINT campaign_copy_weight CHECK (weight BETWEEN 1 AND 100)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('campaign_copy');
  await knex.schema.dropTable('campaign_dayparts');
  await knex.schema.dropTable('campaigns');
  await knex.schema.dropTable('advertisers');
  await knex.raw('DROP TYPE IF EXISTS campaign_status');
  await knex.raw('DROP TYPE IF EXISTS copy_rotation');
}
