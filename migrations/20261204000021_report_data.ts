import type { Knex } from 'knex';

// The data the royalty and compliance reports need (issue 14; shared/guide/reports.md "Track
// data the reports need").
//
// Tracks: label, ISWC, UPC, writers and publishers as lists, language, the Canadian content
// (MAPL) flags, how the music is used, instrumental, hit and the CRTC content category. `artist`
// stays the performer (featured artist). The codes' shapes (ISRC, ISWC, UPC, language) are
// checked by the API and the bundle schema (domain/track-metadata.ts), not here.
//
// The old `composer` and `publisher` text columns become `writers` and `publishers`:
// - writers: `composer` split at " / ", ";" and " & " ("Lennon & McCartney" are two writers);
// - publishers: `publisher` split at " / " and ";" only — a company's name often has an "&";
// a slash without spaces ("AC/DC") and a comma ("Smith, Jane") stay inside a name, each piece is
// trimmed and empty pieces dropped (the same rules as splitNames in domain/track-metadata.ts).
// Until now the LibreTime library sync wrote LibreTime's record label into `publisher`: for a
// track the sync made (a LibreTime file and no bundle ref) that value is the label, and moves to
// `label` instead. `down` joins the lists back with " / " (and puts such a label back).
//
// Stations: their identity for report headers (call letters … signer). Call letters and market
// kept in the `settings` document until now move to their columns.
const WRITER_SEPARATORS = String.raw`\s+/\s+|\s*;\s*|\s+&\s+`;
const PUBLISHER_SEPARATORS = String.raw`\s+/\s+|\s*;\s*`;
const SYNCED = 'libretime_file_id IS NOT NULL AND ref IS NULL';

/** SQL: the names in `column`, split at `separators`, trimmed, empty pieces dropped, in order. */
const splitSql = (column: string, separators: string) =>
  `coalesce(array(SELECT btrim(name) FROM unnest(regexp_split_to_array(${column}, '${separators}')) WITH ORDINALITY AS n(name, i) WHERE btrim(name) <> '' ORDER BY i), '{}')`;

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('tracks', (t) => {
    t.text('label');
    t.text('iswc');
    t.text('upc');
    t.specificType('writers', 'text[]').notNullable().defaultTo('{}');
    t.specificType('publishers', 'text[]').notNullable().defaultTo('{}');
    t.text('language'); // ISO 639-1/2: en, fr, crk
    // Canadian content (MAPL): Music, Artist, Performance/production, Lyrics. NULL: not known.
    t.boolean('mapl_music');
    t.boolean('mapl_artist');
    t.boolean('mapl_performance');
    t.boolean('mapl_lyrics');
    t.text('usage');
    t.boolean('instrumental');
    t.boolean('hit');
    t.text('content_category'); // CRTC: 21, 22, 51 …
  });
  await knex.raw(`ALTER TABLE tracks ADD CONSTRAINT tracks_usage CHECK (usage IN ('feature', 'theme_open', 'theme_close', 'theme', 'background', 'jingle'))`);
  await knex.raw(`UPDATE tracks SET label = nullif(btrim(publisher), '') WHERE ${SYNCED}`);
  await knex.raw(`UPDATE tracks SET writers = ${splitSql('composer', WRITER_SEPARATORS)} WHERE composer IS NOT NULL`);
  await knex.raw(`UPDATE tracks SET publishers = ${splitSql('publisher', PUBLISHER_SEPARATORS)} WHERE publisher IS NOT NULL AND NOT (${SYNCED})`);
  await knex.schema.alterTable('tracks', (t) => {
    t.dropColumn('composer');
    t.dropColumn('publisher');
  });

  await knex.schema.alterTable('stations', (t) => {
    t.text('call_letters');
    t.text('frequency'); // "91.5 MHz", "1340 kHz"
    t.text('band');
    t.text('market');
    t.text('community_of_license');
    t.text('country'); // ISO 3166-1 alpha-2
    t.text('service_name'); // SoundExchange NAME_OF_SERVICE
    t.text('transmission_category'); // SoundExchange
    t.text('bmi_station_id');
    t.text('music_format'); // as BMI asks for it: Variety, Country, Jazz …
    // For report headers: {name, street, city, region, postalCode, phone, email}.
    t.jsonb('contact').notNullable().defaultTo('{}');
    t.text('signer_name');
    t.text('signer_title');
  });
  await knex.raw(`ALTER TABLE stations ADD CONSTRAINT stations_band CHECK (band IN ('AM', 'FM', 'online'))`);
  await knex.raw(`ALTER TABLE stations ADD CONSTRAINT stations_country CHECK (country ~ '^[A-Z]{2}$')`);
  await knex.raw(`ALTER TABLE stations ADD CONSTRAINT stations_transmission_category CHECK (transmission_category IN ('A', 'B', 'C', 'H', 'I', 'J', 'K'))`);
  await knex.raw(`
    UPDATE stations
       SET call_letters = nullif(btrim(settings->>'callLetters'), ''),
           market = nullif(btrim(settings->>'market'), ''),
           settings = settings - 'callLetters' - 'market'
     WHERE settings \\?| array['callLetters', 'market']`); // knex reads a bare ? as a binding
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    UPDATE stations
       SET settings = settings
             || CASE WHEN call_letters IS NULL THEN '{}'::jsonb ELSE jsonb_build_object('callLetters', call_letters) END
             || CASE WHEN market IS NULL THEN '{}'::jsonb ELSE jsonb_build_object('market', market) END
     WHERE call_letters IS NOT NULL OR market IS NOT NULL`);
  await knex.raw('ALTER TABLE stations DROP CONSTRAINT IF EXISTS stations_band');
  await knex.raw('ALTER TABLE stations DROP CONSTRAINT IF EXISTS stations_country');
  await knex.raw('ALTER TABLE stations DROP CONSTRAINT IF EXISTS stations_transmission_category');
  await knex.schema.alterTable('stations', (t) => {
    for (const column of [
      'call_letters', 'frequency', 'band', 'market', 'community_of_license', 'country', 'service_name', 'transmission_category',
      'bmi_station_id', 'music_format', 'contact', 'signer_name', 'signer_title',
    ]) t.dropColumn(column);
  });

  await knex.schema.alterTable('tracks', (t) => {
    t.text('composer');
    t.text('publisher');
  });
  await knex.raw(`UPDATE tracks SET composer = array_to_string(writers, ' / ') WHERE cardinality(writers) > 0`);
  await knex.raw(`UPDATE tracks SET publisher = array_to_string(publishers, ' / ') WHERE cardinality(publishers) > 0`);
  await knex.raw(`UPDATE tracks SET publisher = label WHERE publisher IS NULL AND label IS NOT NULL AND ${SYNCED}`);
  await knex.raw('ALTER TABLE tracks DROP CONSTRAINT IF EXISTS tracks_usage');
  await knex.schema.alterTable('tracks', (t) => {
    for (const column of [
      'label', 'iswc', 'upc', 'writers', 'publishers', 'language', 'mapl_music', 'mapl_artist', 'mapl_performance', 'mapl_lyrics',
      'usage', 'instrumental', 'hit', 'content_category',
    ]) t.dropColumn(column);
  });
}
