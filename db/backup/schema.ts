// LibreLog's schema as the catalog describes it: the tables of the current schema (knex's
// bookkeeping aside), their columns, the sequences behind serial columns, the foreign keys.
// Read from the catalog rather than listed by hand, so a new migration's table is backed up
// and restored without anyone remembering to add it here.
import type pg from 'pg';

/** Tables knex keeps for itself: the manifest says the migration instead. */
export const KNEX_TABLES = ['knex_migrations', 'knex_migrations_lock'];

export interface SchemaTable {
  name: string;
  /** Stored columns in order (generated columns are made again, not copied). */
  columns: string[];
}

export async function schemaTables(client: pg.ClientBase): Promise<SchemaTable[]> {
  const { rows } = await client.query<{ name: string; columns: string[] }>(
    `SELECT c.relname::text AS name, array_agg(a.attname::text ORDER BY a.attnum) AS columns
       FROM pg_class c
       JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
      WHERE c.relnamespace = current_schema()::regnamespace
        AND c.relkind IN ('r', 'p') AND NOT c.relispartition
        AND c.relname <> ALL ($1::text[])
        AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
      GROUP BY c.relname
      ORDER BY c.relname`,
    [KNEX_TABLES],
  );
  return rows;
}

export interface SerialSequence {
  table: string;
  column: string;
  /** Qualified and quoted, ready for setval(). */
  sequence: string;
}

/** The sequences owned by serial and identity columns of the current schema's tables. */
export async function serialSequences(client: pg.ClientBase): Promise<SerialSequence[]> {
  const { rows } = await client.query<SerialSequence>(
    `SELECT t.relname::text AS table, a.attname::text AS column, s.oid::regclass::text AS sequence
       FROM pg_depend d
       JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S'
       JOIN pg_class t ON t.oid = d.refobjid AND t.relnamespace = current_schema()::regnamespace
       JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid
      WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')
      ORDER BY 1, 2`,
  );
  return rows;
}

export interface ForeignKey {
  table: string;
  name: string;
  definition: string;
}

export async function foreignKeys(client: pg.ClientBase): Promise<ForeignKey[]> {
  const { rows } = await client.query<ForeignKey>(
    `SELECT conrelid::regclass::text AS table, conname::text AS name, pg_get_constraintdef(oid) AS definition
       FROM pg_constraint
      WHERE contype = 'f' AND connamespace = current_schema()::regnamespace
      ORDER BY 1, 2`,
  );
  return rows;
}

/** The newest migration applied, or undefined where knex never migrated this database. */
export async function latestMigration(client: pg.ClientBase): Promise<string | undefined> {
  const { rows } = await client.query<{ present: boolean }>(`SELECT to_regclass(quote_ident(current_schema()) || '.knex_migrations') IS NOT NULL AS present`);
  if (!rows[0]?.present) return undefined;
  const latest = await client.query<{ name: string }>('SELECT name FROM knex_migrations ORDER BY id DESC LIMIT 1');
  return latest.rows[0]?.name;
}

/**
 * Everything in the current schema that is not an extension's: what a forced restore drops
 * before migrating afresh (tables, views, sequences, functions, enum and other types).
 */
export async function dropSchemaObjects(client: pg.ClientBase): Promise<void> {
  const owned = (catalog: string) => `NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = '${catalog}'::regclass AND d.objid = o.oid AND d.deptype = 'e')`;
  const relations = await client.query<{ kind: string; name: string }>(
    `SELECT o.relkind AS kind, o.oid::regclass::text AS name FROM pg_class o
      WHERE o.relnamespace = current_schema()::regnamespace AND o.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') AND ${owned('pg_class')}`,
  );
  const drop = { r: 'TABLE', p: 'TABLE', v: 'VIEW', m: 'MATERIALIZED VIEW', S: 'SEQUENCE', f: 'FOREIGN TABLE' } as Record<string, string>;
  // Views first, then tables (CASCADE takes their sequences and constraints), then what is left.
  for (const kind of ['v', 'm', 'f', 'r', 'p', 'S']) {
    const names = relations.rows.filter((r) => r.kind === kind).map((r) => r.name);
    if (names.length) await client.query(`DROP ${drop[kind]} IF EXISTS ${names.join(', ')} CASCADE`);
  }
  const functions = await client.query<{ name: string }>(
    `SELECT o.oid::regprocedure::text AS name FROM pg_proc o WHERE o.pronamespace = current_schema()::regnamespace AND o.prokind IN ('f', 'p') AND ${owned('pg_proc')}`,
  );
  for (const f of functions.rows) await client.query(`DROP ROUTINE IF EXISTS ${f.name} CASCADE`);
  const types = await client.query<{ name: string }>(
    `SELECT o.oid::regtype::text AS name FROM pg_type o
      WHERE o.typnamespace = current_schema()::regnamespace AND o.typtype IN ('e', 'd', 'r') AND ${owned('pg_type')}`,
  );
  for (const t of types.rows) await client.query(`DROP TYPE IF EXISTS ${t.name} CASCADE`);
}
