// As-run file imports (docs/reconciliation.md §As-run files): the LibreLog as-run CSV and
// Rivendell's reconciliation export, read into plays for reconciliation. Pure: text in, rows
// and problems out; every bad line is a problem with its line and column, never an exception.
import type { AsRunPlay } from '../reconciliation/types.js';
import { looksLikeAsRunCsv, parseAsRunCsv } from './csv.js';
import { looksLikeRivendellElr, parseRivendellElr } from './rivendell.js';
import type { AsRunFile, AsRunFileOptions } from './types.js';

export * from './types.js';
export { AS_RUN_CSV_COLUMNS, asUuid, parseAsRunCsv } from './csv.js';
export { dateOfElrFileName, parseRivendellElr } from './rivendell.js';
export { instantsOf } from './local-time.js';

/** Reads an as-run file of either format, telling which by its first line. */
export function parseAsRunFile(text: string, options: AsRunFileOptions): AsRunFile {
  if (looksLikeAsRunCsv(text)) return parseAsRunCsv(text, options);
  if (looksLikeRivendellElr(text)) return parseRivendellElr(text, options);
  return {
    format: null,
    rows: [],
    problems: [{ line: text.trim() === '' ? 0 : 1, column: null, message: 'not an as-run file LibreLog reads: expected a LibreLog as-run CSV (a header row naming started_at) or a Rivendell reconciliation export (.elr)' }],
  };
}

/** The file's rows as plays (source `file`), ids `file:<fileId>:<line>` so importing the same file twice gives the same plays. */
export function asRunFileToPlays(file: AsRunFile, fileId: string): AsRunPlay[] {
  return file.rows.map((row) => ({
    id: `file:${fileId}:${row.line}`,
    source: 'file',
    startedAt: row.startedAt,
    endedAt: row.endedAt,
    durationMs: row.durationMs,
    entryId: row.entryId,
    trackId: row.trackId,
    mediaId: row.cart,
    type: row.type,
    title: row.title,
    artist: row.artist,
  }));
}
