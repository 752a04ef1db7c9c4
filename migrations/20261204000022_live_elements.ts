import type { Knex } from 'knex';
import { ELEMENT_TYPES, LIVE_SOURCES } from '../domain/vocabulary.js';

// Live shows, network feeds and outside programmes (issue 15, item 5; docs/log-rules.md §1).
//
// A clock element — and so a log entry — may now be LIVE: a programme of a fixed length at a
// hard start that LibreLog does not fill and playout leaves alone. A live element is not a track,
// so LIVE is not added to `track_type` (tracks, fill types and what played keep it): clock
// elements and log entries get their own enum `element_type` (the track types + LIVE), and both
// get `live_source` (live from the studio, a network feed, an outside broadcast). The checks:
// a LIVE element has its source, a hard start and a length that ends within its hour, names no
// track and counts one; a LIVE entry has no track.
//
// The reconciliation_report view reads log_entries.type beside tracks.type (UNION), so it is
// made again with the tracks' type cast to element_type (and the play's columns it reads named,
// so it depends on no column a later migration adds). `down` refuses while anything is LIVE.
const reconciliationView = (unscheduledType: string) => `
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
      SELECT ph.id, ph.track_id, ph.started_at, ph.ended_at FROM playback_history ph
      WHERE ph.log_entry_id = e.id
      ORDER BY ph.started_at
      LIMIT 1
    ) p ON true
    UNION ALL
    SELECT
      ph.station_id,
      (ph.started_at AT TIME ZONE s.timezone)::date AS broadcast_date,
      NULL, NULL, NULL, NULL, NULL,
      ${unscheduledType},
      NULL, NULL, NULL,
      ph.track_id,
      ph.started_at,
      ph.ended_at,
      'unscheduled'
    FROM playback_history ph
    JOIN stations s ON s.id = ph.station_id
    LEFT JOIN tracks t ON t.id = ph.track_id
    WHERE ph.log_entry_id IS NULL
  `;

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`CREATE TYPE element_type AS ENUM (${ELEMENT_TYPES.map((t) => `'${t}'`).join(', ')})`);
  await knex.raw(`CREATE TYPE live_source AS ENUM (${LIVE_SOURCES.map((s) => `'${s}'`).join(', ')})`);
  await knex.raw('DROP VIEW IF EXISTS reconciliation_report');
  await knex.raw('ALTER TABLE clock_elements ALTER COLUMN type TYPE element_type USING type::text::element_type');
  await knex.raw('ALTER TABLE log_entries ALTER COLUMN type TYPE element_type USING type::text::element_type');
  await knex.raw('ALTER TABLE clock_elements ADD COLUMN live_source live_source');
  await knex.raw('ALTER TABLE log_entries ADD COLUMN live_source live_source');
  await knex.raw(reconciliationView('t.type::text::element_type'));
  await knex.raw(`
    ALTER TABLE clock_elements ADD CONSTRAINT clock_elements_live CHECK (
      (type = 'LIVE') = (live_source IS NOT NULL)
      AND (type <> 'LIVE' OR (
        start_kind = 'hard' AND start_offset_ms IS NOT NULL AND target_length_ms > 0
        AND start_offset_ms + target_length_ms <= 3600000 AND track_id IS NULL AND count = 1
      ))
    )`);
  await knex.raw(`ALTER TABLE log_entries ADD CONSTRAINT log_entries_live CHECK ((type = 'LIVE') = (live_source IS NOT NULL) AND (type <> 'LIVE' OR track_id IS NULL))`);
}

export async function down(knex: Knex): Promise<void> {
  const live = (await knex.raw(`SELECT (SELECT count(*) FROM clock_elements WHERE type = 'LIVE')::int AS elements, (SELECT count(*) FROM log_entries WHERE type = 'LIVE')::int AS entries`)) as { rows: { elements: number; entries: number }[] };
  const { elements, entries } = live.rows[0]!;
  if (elements > 0 || entries > 0) {
    throw new Error(`Cannot undo live programmes: ${elements} clock element(s) and ${entries} log entr(ies) are LIVE. Remove them from the clocks and rebuild those logs first.`);
  }
  await knex.raw('ALTER TABLE log_entries DROP CONSTRAINT IF EXISTS log_entries_live');
  await knex.raw('ALTER TABLE clock_elements DROP CONSTRAINT IF EXISTS clock_elements_live');
  await knex.raw('DROP VIEW IF EXISTS reconciliation_report');
  await knex.raw('ALTER TABLE log_entries DROP COLUMN live_source');
  await knex.raw('ALTER TABLE clock_elements DROP COLUMN live_source');
  await knex.raw('ALTER TABLE log_entries ALTER COLUMN type TYPE track_type USING type::text::track_type');
  await knex.raw('ALTER TABLE clock_elements ALTER COLUMN type TYPE track_type USING type::text::track_type');
  await knex.raw(reconciliationView('t.type'));
  await knex.raw('DROP TYPE IF EXISTS live_source');
  await knex.raw('DROP TYPE IF EXISTS element_type');
}
