import type { Knex } from 'knex';

/** Tables written many rows at a time from JSON. */
type JsonTable = 'log_entries' | 'log_exceptions';

/**
 * Inserts rows (keys are column names) in one statement, the rows sent as a single JSON value:
 * hundreds of rows × twenty columns as bound parameters cost more than PostgreSQL reading them.
 * Answers the `returning` columns of the rows inserted. With `onConflictUpdate`, a row whose id
 * exists is updated instead.
 */
export async function insertAsJson<R = never>(db: Knex, table: JsonTable, rows: Record<string, unknown>[], returning: string[] = [], options: { onConflictUpdate?: boolean } = {}): Promise<R[]> {
  if (rows.length === 0) return [];
  const columns = Object.keys(rows[0]!);
  const list = columns.map((c) => `"${c}"`).join(', ');
  const upsert = options.onConflictUpdate
    ? ` ON CONFLICT (id) DO UPDATE SET ${columns
        .filter((c) => c !== 'id')
        .map((c) => `"${c}" = EXCLUDED."${c}"`)
        .join(', ')}`
    : '';
  const answer = returning.length > 0 ? ` RETURNING ${returning.map((c) => `"${c}"`).join(', ')}` : '';
  const result = (await db.raw(`INSERT INTO ${table} (${list}) SELECT ${list} FROM json_populate_recordset(NULL::${table}, ?::json)${upsert}${answer}`, [JSON.stringify(rows)])) as { rows: R[] };
  return result.rows;
}
