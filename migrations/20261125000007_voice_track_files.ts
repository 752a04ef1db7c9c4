import type { Knex } from 'knex';

// What was uploaded for a voice track, so the traffic manager sees the file they sent and
// playout gets the audio with its real type. The audio itself lives under the data folder
// (tracks.file_path, relative to it); these say what it is.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('voice_tracks', (t) => {
    t.text('media_type');
    t.bigInteger('file_bytes');
    t.text('original_filename');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('voice_tracks', (t) => {
    t.dropColumns('media_type', 'file_bytes', 'original_filename');
  });
}
