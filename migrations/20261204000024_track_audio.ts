import type { Knex } from 'knex';

// Tracks uploaded to LibreLog's library (issue 15, item 3): what was measured in the audio — its
// EBU R128 integrated loudness (LUFS) and sample peak (dBFS), both to 0.1 — and the SHA-256 of the
// file, so the same audio uploaded again at a station is recognised. The file itself is kept
// under the data folder (library/<station id>/<track id>.<ext>, in tracks.file_path, as voice
// tracks keep theirs under media/); media_type is the type it is served and sent to LibreTime as.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('tracks', (t) => {
    t.decimal('loudness_lufs', 4, 1);
    t.decimal('peak_dbfs', 4, 1);
    t.text('file_sha256');
    t.text('media_type');
  });
  await knex.raw("ALTER TABLE tracks ADD CONSTRAINT tracks_file_sha256 CHECK (file_sha256 IS NULL OR file_sha256 ~ '^[0-9a-f]{64}$')");
  await knex.raw('CREATE UNIQUE INDEX tracks_station_file_sha256 ON tracks (station_id, file_sha256) WHERE file_sha256 IS NOT NULL');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX IF EXISTS tracks_station_file_sha256');
  await knex.raw('ALTER TABLE tracks DROP CONSTRAINT IF EXISTS tracks_file_sha256');
  await knex.schema.alterTable('tracks', (t) => {
    t.dropColumn('media_type');
    t.dropColumn('file_sha256');
    t.dropColumn('peak_dbfs');
    t.dropColumn('loudness_lufs');
  });
}
