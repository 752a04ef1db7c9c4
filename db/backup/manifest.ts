// What a LibreLog backup archive holds, described by its manifest (manifest.json, the archive's
// last entry, written once everything before it is in):
//
//   database/<table>.copy   one table of LibreLog's schema, as `COPY … TO STDOUT` text
//   files/media/…           voice-track audio (tracks.file_path is relative to the data folder)
//   files/published/…       logs published to files
//   manifest.json           versions, counts, sizes and SHA-256 of every entry above
import { readFileSync } from 'node:fs';

export const FORMAT = 'librelog-backup';
export const FORMAT_VERSION = 1;
export const MANIFEST = 'manifest.json';

/**
 * The folders of the data folder that hold LibreLog's own files. Everything else there is left
 * out: the embedded PostgreSQL cluster (`postgres/`, in the archive as the tables), Temporal's
 * SQLite file, logs, secrets and uploads still arriving.
 */
export const DATA_FOLDERS = ['media', 'published'] as const;

export interface TableDump {
  name: string;
  /** The columns in the order of the COPY data. */
  columns: string[];
  rows: number;
  /** Entry in the archive: database/<name>.copy */
  entry: string;
  bytes: number;
  sha256: string;
}

export interface SequenceValue {
  table: string;
  column: string;
  /** The sequence's last value as text (bigint), or null when it was never used. */
  lastValue: string | null;
}

export interface FileEntry {
  /** Path under the data folder, with forward slashes: media/…, published/… */
  path: string;
  bytes: number;
  sha256: string;
}

export interface Manifest {
  format: typeof FORMAT;
  formatVersion: typeof FORMAT_VERSION;
  librelogVersion: string;
  /** The newest knex migration applied to the database backed up. */
  migration: string;
  createdAt: string;
  postgresVersion: string;
  tables: TableDump[];
  sequences: SequenceValue[];
  files: FileEntry[];
}

export const tableEntry = (table: string) => `database/${table}.copy`;
export const fileEntry = (relativePath: string) => `files/${relativePath}`;

/** LibreLog's version, from package.json. */
export function librelogVersion(): string {
  return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}

const SAFE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The manifest as read from an archive, or what is wrong with it. */
export function parseManifest(text: string): Manifest | string {
  try {
    return checkManifest(text);
  } catch {
    return 'its manifest is malformed';
  }
}

function checkManifest(text: string): Manifest | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return 'its manifest is not JSON';
  }
  const m = value as Partial<Manifest>;
  if (typeof m !== 'object' || m === null || m.format !== FORMAT) return 'it is not a LibreLog backup (no LibreLog manifest)';
  if (m.formatVersion !== FORMAT_VERSION) return `it is a backup of format ${String(m.formatVersion)}, which this LibreLog does not read (it reads format ${FORMAT_VERSION})`;
  if (typeof m.migration !== 'string' || typeof m.librelogVersion !== 'string' || typeof m.createdAt !== 'string') return 'its manifest lacks the version or the migration';
  if (!Array.isArray(m.tables) || !Array.isArray(m.files) || !Array.isArray(m.sequences)) return 'its manifest lacks the list of tables or files';
  for (const t of m.tables) {
    if (!SAFE_NAME.test(t.name) || !Array.isArray(t.columns) || !t.columns.every((c) => SAFE_NAME.test(c)) || !Number.isInteger(t.rows) || t.entry !== tableEntry(t.name)) {
      return `its manifest describes the table "${String(t.name)}" wrongly`;
    }
  }
  for (const f of m.files) {
    if (typeof f.path !== 'string' || !safeDataPath(f.path)) return `its manifest names the file "${String(f.path)}", which is not under ${DATA_FOLDERS.join('/ or ')}/`;
  }
  return m as Manifest;
}

/** A relative path under one of the data folders, without `..` or empty parts. */
export function safeDataPath(relative: string): boolean {
  const parts = relative.split('/');
  return DATA_FOLDERS.includes(parts[0] as (typeof DATA_FOLDERS)[number]) && parts.length > 1 && parts.every((p) => p !== '' && p !== '.' && p !== '..' && !p.includes('\\') && !p.includes('\0'));
}
