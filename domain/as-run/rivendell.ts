// Rivendell's reconciliation ("as-played") export, as Rivendell 4.3.0 writes it
// (ElvishArtisan/rivendell, lib/export_radiotraffic.cpp, RDReport::ExportRadioTraffic, at commit
// 6ce6b3ad; the format is "Reconciliation Format – returned from Rivendell to scheduler system"
// in docs/misc/scheduler_formats.ods). The report filters "RadioTraffic.com Traffic
// Reconciliation", "CounterPoint Traffic Reconciliation v2", "WideOrbit", "CounterPoint" and
// "Music1 Reconciliation" all write it. One file per station and day, named SSYYYYMMDD.elr, no
// header, one play a line, CR LF:
//
//   col  1  8  scheduled start   HH:MM:SS (00:00:00 for an event the traffic log did not have)
//   col 10  8  actual start      HH:MM:SS (station time)
//   col 19  8  scheduled length  HH:MM:SS (the older filters write H:MM:SS: one column less)
//   col 28  8  actual length     HH:MM:SS
//   col 37  6  cart number       zero- or space-padded
//   col 44 34  cart title        space-padded
//   col 79 32  event GUID        as the traffic log gave it (spaces for an event added by hand)
//
// LibreLog reads the event GUID as the entry id when it is one (a UUID's 32 hex digits without
// hyphens fit the 32 columns), and the cart number as the play's media id.
import { DateTime } from 'luxon';
import { asUuid } from './csv.js';
import { resolveWallTime } from './local-time.js';
import type { AsRunFile, AsRunFileOptions, AsRunFileProblem, AsRunFileRow } from './types.js';

const LINE = /^(\d{2}:\d{2}:\d{2}) (\d{2}:\d{2}:\d{2}) (\d{1,2}:\d{2}:\d{2}) (\d{2,3}:\d{2}:\d{2}) ( *\d+) (.*)$/;
const TITLE_WIDTH = 34;

/** Whether the text's first non-empty line reads like a Rivendell reconciliation export. */
export function looksLikeRivendellElr(text: string): boolean {
  const first = text.replace(/^\uFEFF/, '').split(/\r?\n/).find((l) => l.trim() !== '') ?? '';
  return LINE.test(first.replace(/\r$/, ''));
}

/** The date in a Rivendell export's name, SSYYYYMMDD.elr ("0320090805.elr" → 2009-08-05). */
export function dateOfElrFileName(fileName: string): string | null {
  const m = /(?:^|[\\/])\d{2}(\d{4})(\d{2})(\d{2})\.elr$/i.exec(fileName.trim());
  if (!m) return null;
  const date = `${m[1]}-${m[2]}-${m[3]}`;
  return DateTime.fromISO(date).isValid ? date : null;
}

const lengthMs = (hms: string) => {
  const [h, m, s] = hms.split(':').map(Number) as [number, number, number];
  return ((h * 60 + m) * 60 + s) * 1000;
};

export function parseRivendellElr(text: string, options: AsRunFileOptions): AsRunFile {
  const date = options.date ?? (options.fileName ? dateOfElrFileName(options.fileName) : null);
  if (!date || !DateTime.fromISO(date, { zone: options.timezone }).isValid) {
    return { format: 'rivendell-elr', rows: [], problems: [{ line: 0, column: null, message: 'a Rivendell export gives only times of day: say which date it is for (or keep its name SSYYYYMMDD.elr)' }] };
  }
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const problems: AsRunFileProblem[] = [];
  const rows: AsRunFileRow[] = [];
  let previous: number | null = null;
  text
    .replace(/^\uFEFF/, '')
    .split('\n')
    .forEach((raw, i) => {
      const line = i + 1;
      const text = raw.replace(/\r$/, '');
      if (text.trim() === '') return;
      const m = LINE.exec(text);
      if (!m) {
        problems.push({ line, column: null, message: 'not a line of a Rivendell reconciliation export (HH:MM:SS HH:MM:SS HH:MM:SS HH:MM:SS cart title GUID)' });
        return;
      }
      const [, scheduled, actual, scheduledLength, actualLength, cart, rest] = m as unknown as [string, string, string, string, string, string, string];
      // Character positions of the fields on this line (the older filters' short length shifts the rest).
      const actualCol = 10;
      const lengthCol = actualCol + 9 + scheduledLength.length + 1;
      const [hour, minute, second] = actual.split(':').map(Number) as [number, number, number];
      if (hour > 23 || minute > 59 || second > 59) {
        problems.push({ line, column: `col ${actualCol}`, message: `${actual} is not a time of day` });
        return;
      }
      if (Number(actualLength.split(':')[1]) > 59 || Number(actualLength.split(':')[2]) > 59) {
        problems.push({ line, column: `col ${lengthCol}`, message: `${actualLength} is not a length` });
        return;
      }
      const resolved = resolveWallTime({ year, month, day, hour, minute, second, millisecond: 0 }, options.timezone, previous);
      if ('problem' in resolved) {
        problems.push({ line, column: `col ${actualCol}`, message: `${actual}: ${resolved.problem}` });
        return;
      }
      previous = resolved.at;
      const title = rest.slice(0, TITLE_WIDTH).trimEnd();
      const guid = rest.slice(TITLE_WIDTH).trim();
      const played = lengthMs(actualLength);
      rows.push({
        line,
        startedAt: resolved.at,
        durationMs: played > 0 ? played : null,
        endedAt: null,
        entryId: guid ? asUuid(guid) : null,
        trackId: null,
        cart: cart.trim().replace(/^0+(?=\d)/, ''),
        type: null,
        title: title || null,
        artist: null,
        scheduledTime: scheduled === '00:00:00' && !guid ? null : scheduled,
        scheduledLengthMs: lengthMs(scheduledLength),
      });
    });
  if (rows.length === 0 && problems.length === 0) problems.push({ line: 0, column: null, message: 'the file has no plays' });
  return { format: 'rivendell-elr', rows, problems };
}
