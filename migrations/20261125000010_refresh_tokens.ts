import type { Knex } from 'knex';

// Refresh tokens (RFC 6749 §6) for people signed in to the web app: access tokens live 15
// minutes, a sign-in lasts a working shift. Only a hash of each token is kept. Every refresh
// replaces the token (rotation); a replaced token used again means it leaked, and the whole
// family from that sign-in is revoked.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('refresh_tokens', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.text('token_hash').notNullable().unique();
    t.uuid('user_id').notNullable().references('users.id').onDelete('CASCADE');
    // One sign-in and every token rotated from it.
    t.uuid('family_id').notNullable();
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.timestamp('replaced_at', { useTz: true });
    t.timestamp('revoked_at', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['family_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('refresh_tokens');
}
