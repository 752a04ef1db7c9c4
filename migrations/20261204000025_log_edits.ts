import type { Knex } from 'knex';
import { LOG_EDIT_KINDS, LOG_EDIT_STATES } from '../domain/vocabulary.js';

// Hand edits to a built log (issue 15, item 4; docs/log-editing.md).
//
// - Each entry keeps the key of the slot it fills (`slot_key`, "7:3:0", "7:fill:2",
//   "7:edit:<edit id>"): an edit names entries by id, and a rebuild finds an edit's place again
//   by the slot key its entry id is made from.
// - `log_edits` keeps every edit of a station's day — who, why, in which version — and whether
//   it still applies: `active` edits are applied again by every rebuild; one whose place is gone
//   becomes `dropped` with the reason, listed on the rebuilt log; an unlocked lock is `undone`.
// - `log_edit` exceptions say what an edit did that a traffic manager should know (a song put
//   within its artist separation, an edit a rebuild could not keep).
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`ALTER TYPE exception_kind ADD VALUE IF NOT EXISTS 'log_edit'`);
  await knex.schema.alterTable('log_entries', (t) => {
    t.text('slot_key');
  });
  await knex.schema.createTable('log_edits', (t) => {
    t.uuid('id').primary();
    t.uuid('station_id').notNullable().references('stations.id').onDelete('CASCADE');
    t.date('broadcast_date').notNullable();
    t.enu('kind', LOG_EDIT_KINDS, { useNative: true, enumName: 'log_edit_kind' }).notNullable();
    t.enu('state', LOG_EDIT_STATES, { useNative: true, enumName: 'log_edit_state' }).notNullable().defaultTo('active');
    // The entry edited (insert: the entry it goes before or after).
    t.uuid('entry_id').notNullable();
    t.text('entry_slot_key'); // the slot key its id is made from: a lock finds a song music added again by it
    t.text('placement'); // insert and move: 'before' | 'after' the anchor
    t.uuid('anchor_entry_id'); // move: the entry it goes next to
    // What the edited place plays afterwards (insert, replace, move, lock), as the log shows it.
    t.jsonb('content');
    t.text('summary').notNullable(); // 'Inserted "Live read: Rainbow Motors" (0:30) after "Juice" at 07:14'
    t.text('reason').notNullable();
    t.uuid('made_by').references('users.id').onDelete('SET NULL');
    t.integer('made_in_version').notNullable();
    t.text('dropped_because');
    t.integer('dropped_in_version');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['station_id', 'broadcast_date', 'created_at']);
  });
  await knex.raw(`ALTER TABLE log_edits ADD CONSTRAINT log_edits_placement CHECK (placement IS NULL OR placement IN ('before', 'after'))`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('log_edits');
  await knex.raw('DROP TYPE IF EXISTS log_edit_state');
  await knex.raw('DROP TYPE IF EXISTS log_edit_kind');
  await knex.schema.alterTable('log_entries', (t) => t.dropColumn('slot_key'));
  // PostgreSQL cannot take a value out of an enum: 'log_edit' stays in exception_kind, unused.
  await knex('log_exceptions').where({ kind: 'log_edit' }).delete();
}
