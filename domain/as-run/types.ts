// What an as-run file import gives: rows of what played, and every problem with its line and column.
import type { TrackType } from '../vocabulary.js';

export const AS_RUN_FILE_FORMATS = ['librelog-csv', 'rivendell-elr'] as const;
export type AsRunFileFormat = (typeof AS_RUN_FILE_FORMATS)[number];

export interface AsRunFileRow {
  /** The file's line the row starts on (1-based). */
  line: number;
  startedAt: number;
  durationMs: number | null;
  endedAt: number | null;
  entryId: string | null;
  trackId: string | null;
  /** The playout system's own id of the audio (a cart number), for matching by media id. */
  cart: string | null;
  type: TrackType | null;
  title: string | null;
  artist: string | null;
  /** Rivendell only: the traffic system's scheduled start ("HH:MM:SS") and length, as the file says them. */
  scheduledTime?: string | null;
  scheduledLengthMs?: number | null;
}

export interface AsRunFileProblem {
  /** 1-based line of the file (0: the file as a whole). */
  line: number;
  /** The column's name (CSV) or its character position "col 10" (Rivendell); null for the whole line. */
  column: string | null;
  message: string;
}

export interface AsRunFile {
  /** null when the file is none of the formats. */
  format: AsRunFileFormat | null;
  rows: AsRunFileRow[];
  problems: AsRunFileProblem[];
}

export interface AsRunFileOptions {
  /** The station's IANA timezone: local times in the file are read in it. */
  timezone: string;
  /** The broadcast date the file is for (YYYY-MM-DD); Rivendell files carry only times of day. */
  date?: string;
  /** The file's name: a Rivendell export named SSYYYYMMDD.elr gives the date. */
  fileName?: string;
}
