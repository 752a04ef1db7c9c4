// As-run file imports (docs/reconciliation.md §As-run files): the LibreLog as-run CSV and
// Rivendell's reconciliation export. Golden files: each fixture under test/fixtures/as-run/
// has a `.expected.json` beside it (instants as ISO 8601 UTC); UPDATE_GOLDEN=1 rewrites them.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { AsRunFile } from '../../domain/as-run/index.js';
import { asRunFileToPlays, dateOfElrFileName, instantsOf, parseAsRunCsv, parseAsRunFile, parseRivendellElr } from '../../domain/as-run/index.js';
import { reconcileDay, broadcastDayPeriod, type ReconciledDay, type ScheduledEntry } from '../../domain/reconciliation/index.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/as-run/', import.meta.url));
const fixture = (name: string) => readFileSync(path.join(FIXTURES, name), 'utf8');

/** The parse as people read it: instants in ISO 8601 UTC. */
function readable(file: AsRunFile) {
  return {
    format: file.format,
    rows: file.rows.map((r) => ({ ...r, startedAt: new Date(r.startedAt).toISOString(), endedAt: r.endedAt === null ? null : new Date(r.endedAt).toISOString() })),
    problems: file.problems,
  };
}

function golden(name: string, file: AsRunFile) {
  const expectedPath = path.join(FIXTURES, `${name}.expected.json`);
  const actual = readable(file);
  if (process.env.UPDATE_GOLDEN) writeFileSync(expectedPath, `${JSON.stringify(actual, null, 2)}\n`);
  expect(actual).toEqual(JSON.parse(readFileSync(expectedPath, 'utf8')));
}

const PHOENIX = 'America/Phoenix';
const NEW_YORK = 'America/New_York';

describe('the LibreLog as-run CSV', () => {
  it('reads a day: offsets and local times, quoting, a title over two lines, lengths in seconds and H:MM:SS (golden file)', () => {
    const file = parseAsRunFile(fixture('librelog-day.csv'), { timezone: PHOENIX });
    golden('librelog-day.csv', file);
    expect(file.problems).toEqual([]);
    expect(file.rows.map((r) => r.line)).toEqual([2, 3, 4, 5, 7]);
    expect(file.rows[1]).toMatchObject({ title: 'Desert Motors, Spring Sale', durationMs: 30_000, cart: '2001', type: 'ADV' });
    // A local time in the station's zone: 06:11:10 in Phoenix is 13:11:10 UTC.
    expect(new Date(file.rows[2]!.startedAt).toISOString()).toBe('2026-03-10T13:11:10.000Z');
    expect(file.rows[2]!.entryId).toBe('6f1c2d3e-4a5b-46c7-8899-00aabbccdd03');
    expect(file.rows[3]!.title).toBe("Don't Stop\n(Extended)");
  });

  it('every bad line is a problem with its line and column, the good lines are kept (golden file)', () => {
    const file = parseAsRunCsv(fixture('librelog-bad.csv'), { timezone: PHOENIX });
    golden('librelog-bad.csv', file);
    expect(file.rows.map((r) => r.title)).toEqual(['Good spot']);
    expect(file.problems.map((p) => [p.line, p.column])).toEqual([
      [3, 'started_at'],
      [4, 'started_at'],
      [5, 'duration'],
      [6, 'entry_id'],
      [7, 'type'],
      [8, null],
      [9, null],
      [10, null],
    ]);
  });

  it('the 25-hour day: local 01:30 is the first 01:30 until the file has passed it, then the second; an offset says which itself; the skipped hour is a problem', () => {
    const file = parseAsRunCsv(fixture('librelog-fall-back.csv'), { timezone: NEW_YORK });
    golden('librelog-fall-back.csv', file);
    expect(file.rows.map((r) => new Date(r.startedAt).toISOString())).toEqual([
      '2026-11-01T05:30:05.000Z', // 01:30:05 EDT
      '2026-11-01T05:59:30.000Z', // 01:59:30 EDT
      '2026-11-01T06:30:10.000Z', // 01:30:10 EST
      '2026-11-01T06:45:00.000Z', // 01:45 EST by its offset
    ]);
    expect(file.problems).toEqual([{ line: 6, column: 'started_at', message: expect.stringMatching(/does not exist/) as unknown as string }]);
  });

  it('a file that is not the format says so', () => {
    expect(parseAsRunCsv('when,what\n06:00,song\n', { timezone: PHOENIX })).toEqual({
      format: null,
      rows: [],
      problems: [{ line: 1, column: null, message: 'not a LibreLog as-run CSV: the header row has no started_at column' }],
    });
    expect(parseAsRunFile('%PDF-1.7 binary stuff', { timezone: PHOENIX })).toMatchObject({ format: null, problems: [{ line: 1, message: expect.stringMatching(/not an as-run file/) as unknown as string }] });
    expect(parseAsRunFile('', { timezone: PHOENIX }).problems[0]!.line).toBe(0);
    expect(parseAsRunCsv('', { timezone: PHOENIX }).problems[0]!.message).toMatch(/empty/);
  });

  it('never throws, whatever the bytes', () => {
    for (const text of ['started_at\n"', 'started_at,title\n\u0000\u0001,"x', 'started_at\r\n2026-13-45T99:99:99Z', 'started_at,started_at\n2026-03-10T06:00:00Z,x']) {
      expect(() => parseAsRunFile(text, { timezone: PHOENIX })).not.toThrow();
      expect(parseAsRunFile(text, { timezone: PHOENIX }).problems.length).toBeGreaterThan(0);
    }
  });
});

describe('the Rivendell reconciliation export', () => {
  it('reads an export of Rivendell 4.3 (golden file): the date from the name SSYYYYMMDD.elr, the GUID as the entry id, the cart as the media id', () => {
    const file = parseAsRunFile(fixture('0320260310.elr'), { timezone: PHOENIX, fileName: '/imports/0320260310.elr' });
    golden('0320260310.elr', file);
    expect(file.format).toBe('rivendell-elr');
    expect(file.problems).toEqual([]);
    expect(file.rows[1]).toMatchObject({ entryId: '6f1c2d3e-4a5b-46c7-8899-00aabbccdd02', cart: '2001', title: 'Desert Motors - Spring Sale', durationMs: 30_000, scheduledTime: '06:10:00', scheduledLengthMs: 30_000 });
    expect(new Date(file.rows[1]!.startedAt).toISOString()).toBe('2026-03-10T13:10:40.000Z');
    // An event added by hand: no GUID, no scheduled time; the title cut at 34 characters as Rivendell writes it.
    expect(file.rows[3]).toMatchObject({ entryId: null, scheduledTime: null, cart: '123', title: 'A Very Long Song Title That Rivend' });
    // The older filters' H:MM:SS scheduled length (one column short) is read too.
    expect(file.rows[4]).toMatchObject({ title: 'Coffee Co', entryId: '6f1c2d3e-4a5b-46c7-8899-00aabbccdd04' });
  });

  it('the 25-hour day: the lines come in air order, so the second 01:30 is 01:30 EST', () => {
    const file = parseRivendellElr(fixture('0320261101.elr'), { timezone: NEW_YORK, fileName: '0320261101.elr' });
    expect(file.rows.map((r) => new Date(r.startedAt).toISOString())).toEqual(['2026-11-01T05:30:05.000Z', '2026-11-01T05:59:30.000Z', '2026-11-01T06:30:10.000Z']);
  });

  it('bad lines are problems with line and column (golden file)', () => {
    const file = parseRivendellElr(fixture('0320260308-bad.elr'), { timezone: NEW_YORK, date: '2026-03-08' });
    golden('0320260308-bad.elr', file);
    expect(file.rows).toHaveLength(1);
    expect(file.problems.map((p) => [p.line, p.column])).toEqual([
      [2, null],
      [3, 'col 10'],
      [4, 'col 10'],
    ]);
  });

  it('without a date it says it needs one', () => {
    const file = parseRivendellElr(fixture('0320260310.elr'), { timezone: PHOENIX, fileName: 'export.txt' });
    expect(file.problems).toEqual([{ line: 0, column: null, message: expect.stringMatching(/only times of day/) as unknown as string }]);
    expect(dateOfElrFileName('0320090805.elr')).toBe('2009-08-05');
    expect(dateOfElrFileName('0320091305.elr')).toBeNull();
  });
});

describe('from the file to reconciliation', () => {
  it('the Rivendell export reconciles against the log: by GUID, by cart, and the spot cut short', () => {
    const day = broadcastDayPeriod('2026-03-10', PHOENIX);
    const at = (hms: string) => Date.parse(`2026-03-10T${hms}-07:00`);
    const e = (n: number, hms: string, extra: Partial<ScheduledEntry> = {}): ScheduledEntry => ({
      id: `6f1c2d3e-4a5b-46c7-8899-00aabbccdd0${n}`,
      position: n,
      type: 'ADV',
      startsAt: at(hms),
      lengthMs: 30_000,
      trackId: `t${n}`,
      campaignId: 'c1',
      title: `Spot ${n}`,
      artist: null,
      ...extra,
    });
    const entries = [e(1, '05:59:50', { type: 'LIN', lengthMs: 8_000 }), e(2, '06:10:00'), e(3, '06:10:30'), e(4, '06:20:00'), e(5, '06:14:00', { id: 'song', type: 'MUS', lengthMs: 211_000, mediaIds: ['123'] })];
    const file = parseAsRunFile(fixture('0320260310.elr'), { timezone: PHOENIX, fileName: '0320260310.elr' });
    const plays = asRunFileToPlays(file, 'upload-1');
    expect(plays[0]!.id).toBe('file:upload-1:1');
    const result = reconcileDay({ day, entries, plays }) as ReconciledDay;
    expect(result.outcomes.map((o) => [o.entryId.slice(-2), o.outcome, 'offsetSeconds' in o ? o.offsetSeconds : null])).toEqual([
      ['01', 'aired', 2],
      ['02', 'aired', 40],
      ['03', 'aired_partially', 40],
      ['04', 'aired', 1],
      ['ng', 'aired', 0],
    ]);
    expect(result.sources).toEqual(['file']);
  });
});

describe('local times', () => {
  it('a time of the repeated hour has two instants (Lord Howe repeats half an hour), one of the skipped hour none', () => {
    expect(instantsOf({ year: 2026, month: 11, day: 1, hour: 1, minute: 30, second: 0, millisecond: 0 }, NEW_YORK)).toHaveLength(2);
    expect(instantsOf({ year: 2026, month: 3, day: 8, hour: 2, minute: 30, second: 0, millisecond: 0 }, NEW_YORK)).toHaveLength(0);
    expect(instantsOf({ year: 2026, month: 4, day: 5, hour: 1, minute: 45, second: 0, millisecond: 0 }, 'Australia/Lord_Howe')).toHaveLength(2);
  });
});
