import type { Knex } from 'knex';

// Which of a track's fields a person changed in LibreLog (its type, title, genre, mood, taking it
// out of rotation …): the nightly LibreTime sync leaves those as LibreLog has them and updates
// only what LibreTime owns — the file, its length and cues, and fields never edited here.
// Names as the sync compares them (type, title, artist, album, genre, mood, bpm, isrc, writers,
// label, language, removed). Tracks edited before this migration are not known: nothing is
// marked, and the next sync behaves as it did.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('tracks', (t) => {
    t.specificType('edited_in_librelog', 'text[]').notNullable().defaultTo('{}');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('tracks', (t) => {
    t.dropColumn('edited_in_librelog');
  });
}
