import type { Knex } from 'knex';
import {
  AS_RUN_SOURCES,
  EXCEPTION_KINDS,
  EXCEPTION_SEVERITIES,
  FALLBACK_REASONS,
  LOG_STATUSES,
  MAKE_GOOD_REASONS,
  MAKE_GOOD_STATUSES,
} from '../domain/vocabulary.js';

export async function up(knex: Knex): Promise<void> {
  // One log per station and broadcast day, carried by the workflow `broadcast-day:<station>:<date>`.
  await knex.schema.createTable('daily_logs', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('station_id').notNullable().references('stations.id').onDelete('CASCADE');
    t.date('broadcast_date').notNullable();
    t.enu('status', LOG_STATUSES, { useNative: true, enumName: 'log_status' }).notNullable().defaultTo('building');
    // Bumped on every (re)build; approval names the version it approves.
    t.integer('version').notNullable().defaultTo(0);
    t.text('workflow_id').notNullable();
    t.text('workflow_run_id');
    t.text('current_step');
    t.integer('seed').notNullable().defaultTo(0);
    t.timestamp('built_at', { useTz: true });
    t.uuid('approved_by').references('users.id').onDelete('SET NULL');
    t.timestamp('approved_at', { useTz: true });
    t.integer('approved_version');
    t.timestamp('published_at', { useTz: true });
    t.integer('published_version');
    t.timestamp('reconciled_at', { useTz: true });
    t.boolean('at_risk').notNullable().defaultTo(false);
    t.text('failure');
    t.timestamps(true, true);
    t.unique(['station_id', 'broadcast_date']);
    t.unique(['workflow_id']);
  });

  // A line of the log. Its id is stable: it follows the entry to playout, the as-run and reports.
  await knex.schema.createTable('log_entries', (t) => {
    t.uuid('id').primary();
    t.uuid('log_id').notNullable().references('daily_logs.id').onDelete('CASCADE');
    t.integer('position').notNullable();
    t.timestamp('starts_at', { useTz: true }).notNullable();
    t.integer('length_ms').notNullable();
    t.specificType('type', 'track_type').notNullable();
    t.uuid('track_id').references('tracks.id').onDelete('RESTRICT');
    t.uuid('campaign_id').references('campaigns.id').onDelete('RESTRICT');
    t.uuid('clock_id').references('clocks.id').onDelete('SET NULL');
    t.uuid('clock_element_id').references('clock_elements.id').onDelete('SET NULL');
    t.uuid('voice_track_id');
    t.smallint('hour').notNullable(); // local clock hour of the slot
    t.integer('break_index'); // which break (stopset) of the hour, for ADV/PSA
    t.specificType('start_kind', 'start_kind');
    t.boolean('is_fallback').notNullable().defaultTo(false);
    t.enu('fallback_reason', FALLBACK_REASONS, { useNative: true, enumName: 'fallback_reason' });
    t.text('title').notNullable(); // as it reads on the printed log
    t.text('note');
    t.unique(['log_id', 'position']);
    t.index(['track_id']);
    t.index(['campaign_id']);
  });

  await knex.schema.createTable('log_exceptions', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('log_id').notNullable().references('daily_logs.id').onDelete('CASCADE');
    t.integer('log_version').notNullable();
    t.uuid('entry_id').references('log_entries.id').onDelete('SET NULL');
    t.smallint('hour');
    t.enu('kind', EXCEPTION_KINDS, { useNative: true, enumName: 'exception_kind' }).notNullable();
    t.enu('severity', EXCEPTION_SEVERITIES, { useNative: true, enumName: 'exception_severity' }).notNullable();
    t.text('message').notNullable();
    t.jsonb('details').notNullable().defaultTo('{}');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['log_id', 'log_version']);
  });

  // A recorded link for one slot of one day; voice priority puts it over the clock's content.
  await knex.schema.createTable('voice_tracks', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('station_id').notNullable().references('stations.id').onDelete('CASCADE');
    t.date('broadcast_date').notNullable();
    t.smallint('hour').notNullable();
    t.uuid('clock_element_id').references('clock_elements.id').onDelete('SET NULL');
    t.integer('slot_index').notNullable().defaultTo(0);
    t.uuid('track_id').notNullable().references('tracks.id').onDelete('CASCADE');
    t.integer('length_ms').notNullable();
    t.uuid('recorded_by').references('users.id').onDelete('SET NULL');
    t.timestamps(true, true);
    t.unique(['station_id', 'broadcast_date', 'hour', 'clock_element_id', 'slot_index']);
  });
  await knex.schema.alterTable('log_entries', (t) => {
    t.foreign('voice_track_id').references('voice_tracks.id').onDelete('SET NULL');
  });

  // The as-run: what actually played, from LibreTime or AzuraCast.
  await knex.schema.createTable('playback_history', (t) => {
    t.bigIncrements('id');
    t.uuid('station_id').notNullable().references('stations.id').onDelete('CASCADE');
    t.enu('source', AS_RUN_SOURCES, { useNative: true, enumName: 'as_run_source' }).notNullable();
    t.text('external_id').notNullable();
    t.uuid('log_entry_id').references('log_entries.id').onDelete('SET NULL');
    t.uuid('track_id').references('tracks.id').onDelete('SET NULL');
    t.timestamp('started_at', { useTz: true }).notNullable();
    t.timestamp('ended_at', { useTz: true });
    t.text('title');
    t.text('artist');
    t.integer('listeners');
    t.timestamp('imported_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['station_id', 'source', 'external_id']);
    t.index(['station_id', 'started_at']);
    t.index(['log_entry_id']);
  });

  await knex.schema.createTable('make_goods', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('station_id').notNullable().references('stations.id').onDelete('CASCADE');
    t.uuid('campaign_id').notNullable().references('campaigns.id').onDelete('CASCADE');
    t.uuid('missed_entry_id').references('log_entries.id').onDelete('SET NULL');
    t.enu('reason', MAKE_GOOD_REASONS, { useNative: true, enumName: 'make_good_reason' }).notNullable();
    t.enu('status', MAKE_GOOD_STATUSES, { useNative: true, enumName: 'make_good_status' }).notNullable().defaultTo('owed');
    t.uuid('scheduled_entry_id').references('log_entries.id').onDelete('SET NULL');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('resolved_at', { useTz: true });
    t.unique(['missed_entry_id']);
    t.index(['station_id', 'status']);
  });

  // Reconciliation: each scheduled entry of a log with what aired for it, plus plays no log asked for.
  await knex.raw(`
    CREATE VIEW reconciliation_report AS
    SELECT
      l.station_id,
      l.broadcast_date,
      l.id AS log_id,
      e.id AS entry_id,
      e.position,
      e.starts_at AS scheduled_at,
      e.length_ms AS scheduled_length_ms,
      e.type,
      e.track_id AS scheduled_track_id,
      e.campaign_id,
      c.advertiser_id,
      p.track_id AS aired_track_id,
      p.started_at AS aired_at,
      p.ended_at AS aired_until,
      CASE
        WHEN p.id IS NULL THEN 'missed'
        WHEN p.track_id IS DISTINCT FROM e.track_id THEN 'substituted'
        ELSE 'aired'
      END AS outcome
    FROM daily_logs l
    JOIN log_entries e ON e.log_id = l.id
    LEFT JOIN campaigns c ON c.id = e.campaign_id
    LEFT JOIN LATERAL (
      SELECT ph.* FROM playback_history ph
      WHERE ph.log_entry_id = e.id
      ORDER BY ph.started_at
      LIMIT 1
    ) p ON true
    UNION ALL
    SELECT
      ph.station_id,
      (ph.started_at AT TIME ZONE s.timezone)::date AS broadcast_date,
      NULL, NULL, NULL, NULL, NULL,
      t.type,
      NULL, NULL, NULL,
      ph.track_id,
      ph.started_at,
      ph.ended_at,
      'unscheduled'
    FROM playback_history ph
    JOIN stations s ON s.id = ph.station_id
    LEFT JOIN tracks t ON t.id = ph.track_id
    WHERE ph.log_entry_id IS NULL
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP VIEW IF EXISTS reconciliation_report');
  await knex.schema.dropTable('make_goods');
  await knex.schema.dropTable('playback_history');
  await knex.schema.alterTable('log_entries', (t) => {
    t.dropForeign(['voice_track_id']);
  });
  await knex.schema.dropTable('voice_tracks');
  await knex.schema.dropTable('log_exceptions');
  await knex.schema.dropTable('log_entries');
  await knex.schema.dropTable('daily_logs');
  for (const type of ['make_good_status', 'make_good_reason', 'as_run_source', 'exception_severity', 'exception_kind', 'fallback_reason', 'log_status']) {
    await knex.raw(`DROP TYPE IF EXISTS ${type}`);
  }
}
