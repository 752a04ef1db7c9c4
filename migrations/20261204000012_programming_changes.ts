import type { Knex } from 'knex';

// A token that changes whenever a station's programming does (clocks and their elements,
// dayparts, categories, music rule sets, the weekly grid), so the worker can keep what it read
// for the engine and re-read it only after a change: the steps of a build and a backfill of
// many days read the same programming again and again. One row; statement-level triggers, so
// a bundle import of thousands of elements changes it once per statement, not per row.
const TABLES = ['dayparts', 'categories', 'music_rule_sets', 'music_rule_set_dayparts', 'clocks', 'clock_elements', 'grid_slots'];

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE programming_changes (
      id boolean PRIMARY KEY DEFAULT true CHECK (id),
      token uuid NOT NULL DEFAULT gen_random_uuid()
    );
    INSERT INTO programming_changes DEFAULT VALUES;
    CREATE FUNCTION note_programming_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      -- An upsert, so it also works after the table was emptied (tests truncate everything).
      INSERT INTO programming_changes (id, token) VALUES (true, gen_random_uuid())
        ON CONFLICT (id) DO UPDATE SET token = EXCLUDED.token;
      RETURN NULL;
    END $$;
  `);
  for (const table of TABLES) {
    await knex.raw(`CREATE TRIGGER ${table}_programming_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION note_programming_change()`);
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const table of TABLES) await knex.raw(`DROP TRIGGER IF EXISTS ${table}_programming_change ON ${table}`);
  await knex.raw('DROP FUNCTION IF EXISTS note_programming_change()');
  await knex.raw('DROP TABLE IF EXISTS programming_changes');
}
