// The printed and exported program log: a 25-hour day in Denver (2026-11-01, the clocks go back
// at 02:00 MDT) with its two 01:00 hours told apart by their zone, each hour's total against the
// hour, legal IDs counted, a make-good naming its original, a fallback and a voice track; the
// CSV byte for byte against its golden file (test/fixtures/log-export/, each row checked by eye).
import { parse } from 'csv-parse/sync';
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  PROGRAM_LOG_CSV_COLUMNS,
  assembleProgramLog,
  clockLength,
  describeDifference,
  hms,
  programLogCsv,
  programLogFileName,
  standingOf,
  stationTime,
  type ProgramLogEntryInput,
  type ProgramLogInput,
} from '../../domain/log/export.js';

const GOLDEN = new URL('../fixtures/log-export/kdnv-log-2026-11-01.csv', import.meta.url);
const station = { slug: 'kdnv', name: 'KDNV Front Range Radio', timezone: 'America/Denver', callLetters: 'KDNV-FM', communityOfLicense: 'Golden, CO', frequency: '88.7 MHz' };

let position = 0;
const entry = (id: string, startsAt: string, lengthMs: number, hourLabel: string, fields: Partial<ProgramLogEntryInput> = {}): ProgramLogEntryInput => ({
  id: `00000000-0000-4000-8000-0000000000${id}`,
  position: position++,
  startsAt: new Date(startsAt),
  lengthMs,
  type: 'MUS',
  title: 'Untitled',
  artist: null,
  advertiser: null,
  campaign: null,
  hourLabel,
  isFallback: false,
  fallbackReason: null,
  voiceTrackId: null,
  note: null,
  fadedEarlyMs: 0,
  makeGoodOf: null,
  ...fields,
});

// Midnight MDT is 06:00Z; 01:00 MDT 07:00Z; 01:00 MST 08:00Z; 02:00 MST 09:00Z.
const entries: ProgramLogEntryInput[] = [
  entry('01', '2026-11-01T06:00:00Z', 10_000, '00:00', { type: 'LIN', title: 'KDNV-FM Golden legal ID' }),
  entry('02', '2026-11-01T06:00:10Z', 3_589_000, '00:00', { title: 'Overnight, "live"', artist: 'Ólafur Arnalds' }),
  entry('03', '2026-11-01T07:00:00Z', 10_000, '01:00 MDT', { type: 'LIN', title: 'KDNV-FM Golden legal ID' }),
  entry('04', '2026-11-01T07:00:10Z', 30_000, '01:00 MDT', { type: 'ADV', title: 'Rainbow Motors — Fall Sale', advertiser: 'Rainbow Motors', campaign: 'Fall Sale', makeGoodOf: { reason: 'missed', original: { broadcastDate: '2026-10-30', startsAt: new Date('2026-10-30T13:40:00Z') } } }),
  entry('05', '2026-11-01T07:00:40Z', 30_000, '01:00 MDT', { type: 'PSA', title: 'Wear a helmet', isFallback: true, fallbackReason: 'no_sale', note: 'Talk up to the post, then read: "Drive safe"' }),
  entry('06', '2026-11-01T07:01:10Z', 3_500_000, '01:00 MDT', { title: 'A long set', artist: 'Various' }),
  // The repeated hour: no legal ID in it.
  entry('07', '2026-11-01T08:00:00Z', 15_250, '01:00 MST', { type: 'VT', title: 'Back-announce', voiceTrackId: '00000000-0000-4000-8000-0000000000f1' }),
  entry('08', '2026-11-01T08:00:15.250Z', 3_600_000, '01:00 MST', { title: 'Drone', artist: 'Stars of the Lid', fadedEarlyMs: 12_000 }),
  entry('09', '2026-11-01T09:00:00Z', 10_000, '02:00', { type: 'LIN', title: 'KDNV-FM Golden legal ID' }),
  entry('10', '2026-11-01T09:00:10Z', 3_590_000, '02:00', { type: 'ADV', title: 'Rainbow Motors — Fall Sale', advertiser: 'Rainbow Motors', campaign: 'Fall Sale', makeGoodOf: { reason: 'preempted', original: null } }),
];

const input: ProgramLogInput = {
  station,
  date: '2026-11-01',
  status: 'awaiting_approval',
  version: 3,
  approvedVersion: 2,
  publishedVersion: null,
  approvedBy: 'Tara Traffic',
  approvedAt: new Date('2026-10-30T20:02:00Z'),
  entries,
  exceptions: [{ severity: 'error', hourLabel: '01:00 MST', message: 'No legal ID near the top of 01:00 MST' }],
  generatedAt: new Date('2026-10-31T15:00:00Z'),
};

describe('the printed program log', () => {
  it('keeps the 25-hour day’s two 01:00 hours apart, each with its total against the hour and its legal IDs', () => {
    const log = assembleProgramLog(input);
    expect(log.hours.map((h) => [h.label, h.entries.length, h.legalIds, describeDifference(h.differenceMs)])).toEqual([
      ['00:00', 2, 1, '0:01 under'],
      ['01:00 MDT', 4, 1, '0:30 under'],
      ['01:00 MST', 2, 0, '0:15 over'],
      ['02:00', 2, 1, 'exactly the hour'],
    ]);
    expect(log.entries.map((e) => `${e.start.time} ${e.start.zone}`).slice(2, 7)).toEqual(['01:00:00 MDT', '01:00:10 MDT', '01:00:40 MDT', '01:01:10 MDT', '01:00:00 MST']);
    expect(log.entries.filter((e) => e.isLegalId).map((e) => e.hourLabel)).toEqual(['00:00', '01:00 MDT', '02:00']);
  });

  it('says what each entry is: make-good of which spot, fallback and why, voice track, faded early, its note', () => {
    const notes = assembleProgramLog(input).entries.map((e) => e.notes);
    expect(notes[3]).toEqual(['Make-good of 2026-10-30 07:40 MDT']);
    expect(notes[4]).toEqual(['Fallback: no spot sold', 'Talk up to the post, then read: "Drive safe"']);
    expect(notes[6]).toEqual(['Voice track']);
    expect(notes[7]).toEqual(['Faded 0:12 early']);
    expect(notes[9]).toEqual(['Make-good (a preempted spot)']);
  });

  it('is a draft unless this version is the one approved or published, and names who approved which version', () => {
    expect(assembleProgramLog(input)).toMatchObject({ standing: 'draft', approval: { version: 2, by: 'Tara Traffic', at: { date: '2026-10-30', time: '14:02:00', zone: 'MDT' } } });
    expect(standingOf({ version: 3, approvedVersion: 3, publishedVersion: null })).toBe('approved');
    expect(standingOf({ version: 3, approvedVersion: 3, publishedVersion: 3 })).toBe('published');
    expect(standingOf({ version: 4, approvedVersion: 3, publishedVersion: 3 })).toBe('draft');
  });

  it('writes times and lengths as the station reads them', () => {
    expect(stationTime(new Date('2026-11-01T08:30:00Z'), 'America/Denver')).toEqual({ date: '2026-11-01', time: '01:30:00', zone: 'MST', iso: '2026-11-01T01:30:00-07:00' });
    expect(stationTime(new Date('2026-07-01T12:00:00Z'), 'Asia/Kolkata').zone).toBe('UTC+05:30');
    expect([clockLength(215_400), clockLength(3_602_000), hms(215_600), hms(3_602_000)]).toEqual(['3:35', '1:00:02', '00:03:36', '01:00:02']);
    expect(programLogFileName(assembleProgramLog(input), 'pdf')).toBe('kdnv-log-2026-11-01.pdf');
  });
});

describe('the program log CSV', () => {
  it('is the golden file, byte for byte: RFC 4180, CRLF, one row per entry with the hour’s label and the local start with its offset', () => {
    const csv = programLogCsv(assembleProgramLog(input));
    // UPDATE_GOLDEN=1 rewrites the file (then read its diff before committing it).
    if (process.env.UPDATE_GOLDEN) writeFileSync(GOLDEN, csv);
    expect(Buffer.from(csv, 'utf8').equals(readFileSync(GOLDEN))).toBe(true);
    const rows = parse(csv, { columns: true }) as Record<string, string>[];
    expect(Object.keys(rows[0]!)).toEqual([...PROGRAM_LOG_CSV_COLUMNS]);
    expect(rows).toHaveLength(entries.length);
    expect(new Set(rows.map((r) => r.hour)).size).toBe(4);
    expect(csv.split('\r\n')).toHaveLength(entries.length + 2);
  });
});
