// The LibreLog as-run CSV, version 1 (docs/reconciliation.md §The LibreLog as-run CSV): RFC 4180
// (csv-parse), UTF-8 with or without a BOM, comma-separated, one header row, one play a row.
//
//   started_at  required  ISO 8601 with an offset ("2026-03-10T06:10:40-07:00", "…Z"), or local
//                         time in the station's timezone ("2026-03-10T06:10:40", "2026-03-10 06:10:40")
//   duration    optional  seconds ("29.5") or M:SS / HH:MM:SS[.fff]
//   ended_at    optional  like started_at (used when duration is empty)
//   entry_id    optional  the log entry's id (UUID, or its 32 hex digits)
//   track_id    optional  LibreLog's track id (UUID)
//   cart        optional  the playout system's own id of the audio (cart number, media id)
//   type        optional  MUS, ADV, PSA, LIN, INT, PRO, BED or VT
//   title, artist optional
//
// Column names are read without regard to case or surrounding spaces, in any order; other columns
// are ignored. A row needs started_at and something to match it by (entry_id, track_id, cart or title).
import { parse } from 'csv-parse/sync';
import { DateTime } from 'luxon';
import { durationToMs } from '../durations.js';
import { TRACK_TYPES, type TrackType } from '../vocabulary.js';
import { hasOffset, parseLocalDateTime, resolveWallTime } from './local-time.js';
import type { AsRunFile, AsRunFileOptions, AsRunFileProblem, AsRunFileRow } from './types.js';

export const AS_RUN_CSV_COLUMNS = ['started_at', 'duration', 'ended_at', 'entry_id', 'track_id', 'cart', 'type', 'title', 'artist'] as const;
type Column = (typeof AS_RUN_CSV_COLUMNS)[number];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HEX32 = /^[0-9a-f]{32}$/i;

/** A UUID, or the same 32 hex digits without hyphens, as a lower-case UUID; else null. */
export function asUuid(text: string): string | null {
  const t = text.trim().toLowerCase();
  if (UUID.test(t)) return t;
  if (HEX32.test(t)) return `${t.slice(0, 8)}-${t.slice(8, 12)}-${t.slice(12, 16)}-${t.slice(16, 20)}-${t.slice(20)}`;
  return null;
}

/** Whether the text's first line is a LibreLog as-run CSV header (it names started_at). */
export function looksLikeAsRunCsv(text: string): boolean {
  const first = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  return first.split(',').some((c) => c.trim().replace(/^"|"$/g, '').trim().toLowerCase() === 'started_at');
}

export function parseAsRunCsv(text: string, options: AsRunFileOptions): AsRunFile {
  const problems: AsRunFileProblem[] = [];
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, {
      bom: true,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      skip_records_with_error: true,
      on_skip: (error) => {
        if (error) problems.push({ line: Number(error.lines ?? 0), column: null, message: `not valid CSV: ${error.message}` });
      },
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (error) {
    const e = error as { lines?: number; message?: string };
    return { format: null, rows: [], problems: [{ line: Number(e.lines ?? 0), column: null, message: `not valid CSV: ${e.message ?? String(error)}` }] };
  }
  const header = records[0];
  if (!header) return { format: null, rows: [], problems: [{ line: 0, column: null, message: 'the file is empty: a LibreLog as-run CSV starts with a header row naming started_at' }] };
  const names = header.record.map((c) => c.trim().toLowerCase());
  const index = new Map<Column, number>();
  names.forEach((name, i) => {
    if ((AS_RUN_CSV_COLUMNS as readonly string[]).includes(name)) {
      if (index.has(name as Column)) problems.push({ line: header.info.lines, column: name, message: `the column ${name} is named twice` });
      else index.set(name as Column, i);
    }
  });
  if (!index.has('started_at')) {
    return { format: null, rows: [], problems: [{ line: header.info.lines, column: null, message: 'not a LibreLog as-run CSV: the header row has no started_at column' }] };
  }

  const rows: AsRunFileRow[] = [];
  let previous: number | null = null;
  for (const { record, info } of records.slice(1)) {
    // info.lines is the line the record ends on; a quoted field may span lines.
    const line = info.lines - countNewlines(record);
    const cell = (c: Column) => {
      const i = index.get(c);
      return i === undefined ? '' : (record[i] ?? '').trim();
    };
    const rowProblems: AsRunFileProblem[] = [];
    const bad = (column: Column | null, message: string) => rowProblems.push({ line, column, message });
    if (record.length !== header.record.length) bad(null, `${record.length} fields where the header has ${header.record.length}`);

    const startedAt = readInstant(cell('started_at'), options.timezone, previous, (m) => bad('started_at', m), true);
    let durationMs: number | null = null;
    if (cell('duration')) {
      try {
        durationMs = durationToMs(/^\d+(?:\.\d+)?$/.test(cell('duration')) ? Number(cell('duration')) : cell('duration'));
      } catch {
        bad('duration', `"${cell('duration')}" is not a length (seconds, M:SS or HH:MM:SS)`);
      }
    }
    const endedAt = cell('ended_at') ? readInstant(cell('ended_at'), options.timezone, startedAt, (m) => bad('ended_at', m), false) : null;
    if (startedAt !== null && endedAt !== null && endedAt < startedAt) bad('ended_at', 'ends before it starts');
    const entryId = cell('entry_id') ? asUuid(cell('entry_id')) : null;
    if (cell('entry_id') && !entryId) bad('entry_id', `"${cell('entry_id')}" is not an entry id (a UUID)`);
    const trackId = cell('track_id') ? asUuid(cell('track_id')) : null;
    if (cell('track_id') && !trackId) bad('track_id', `"${cell('track_id')}" is not a track id (a UUID)`);
    const typeText = cell('type').toUpperCase();
    const type = typeText && (TRACK_TYPES as readonly string[]).includes(typeText) ? (typeText as TrackType) : null;
    if (typeText && !type) bad('type', `"${cell('type')}" is not a type (${TRACK_TYPES.join(', ')})`);
    if (!cell('entry_id') && !cell('track_id') && !cell('cart') && !cell('title')) bad(null, 'nothing to match the play by: give entry_id, track_id, cart or title');

    if (rowProblems.length || startedAt === null) {
      problems.push(...rowProblems);
      continue;
    }
    previous = startedAt;
    rows.push({
      line,
      startedAt,
      durationMs,
      endedAt,
      entryId,
      trackId,
      cart: cell('cart') || null,
      type,
      title: cell('title') || null,
      artist: cell('artist') || null,
    });
  }
  problems.sort((a, b) => a.line - b.line);
  return { format: 'librelog-csv', rows, problems };
}

function countNewlines(record: readonly string[]): number {
  let n = 0;
  for (const field of record) for (const ch of field) if (ch === '\n') n++;
  return n;
}

/** ISO 8601 with an offset as is; without one, local time in the station's timezone. */
function readInstant(text: string, timezone: string, after: number | null, problem: (message: string) => void, required: boolean): number | null {
  if (!text) {
    if (required) problem('missing: when the play started (ISO 8601, e.g. 2026-03-10T06:10:40-07:00)');
    return null;
  }
  if (hasOffset(text)) {
    const at = DateTime.fromISO(text.replace(' ', 'T'), { setZone: true });
    if (at.isValid) return at.toMillis();
    problem(`"${text}" is not a date and time (ISO 8601, e.g. 2026-03-10T06:10:40-07:00)`);
    return null;
  }
  const wall = parseLocalDateTime(text);
  if (!wall) {
    problem(`"${text}" is not a date and time (ISO 8601, e.g. 2026-03-10T06:10:40-07:00 or 2026-03-10 06:10:40 in the station's time)`);
    return null;
  }
  const resolved = resolveWallTime(wall, timezone, after);
  if ('problem' in resolved) {
    problem(`${text}: ${resolved.problem}`);
    return null;
  }
  return resolved.at;
}
