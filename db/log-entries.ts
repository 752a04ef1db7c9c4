import type { Knex } from 'knex';

/** A log's entries in air order, joined with their tracks; callers choose the columns. */
export function logEntriesWithTracks(db: Knex, logId: string): Knex.QueryBuilder {
  return db('log_entries').leftJoin('tracks', 'tracks.id', 'log_entries.track_id').where('log_entries.log_id', logId).orderBy('log_entries.position');
}
