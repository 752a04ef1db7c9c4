// Music-use lists for the performing-rights societies (docs/royalty-formats.md): the generic
// CSV for ASCAP, SESAC and GMR (golden file written by hand), and SOCAN's spreadsheet read back.
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { SOCAN_COLUMNS, proMusicUseCsv, proMusicUseMissing, socanMissing, socanMusicUseSheet } from '../../domain/royalty/index.js';
import { XLSX_CONTENT_TYPE, socanMusicUseXlsx } from '../../reports/royalty/socan-xlsx.js';
import { CFXY, KXYZ, NOVEMBER, NOVEMBER_PLAYS, cafeDelMar, talkBed, untitledDemo } from '../fixtures/royalty/plays.js';

describe('the generic PRO music-use CSV', () => {
  it('a row per music play in local time, writers ;-separated, usage codes, RFC 4180 with CR LF (golden file)', () => {
    const file = proMusicUseCsv(KXYZ, NOVEMBER_PLAYS, NOVEMBER);
    expect(file.fileName).toBe('kxyz-fm-music-use-2026-11-01-to-2026-11-30.csv');
    expect(file.body).toBe(readFileSync(new URL('../fixtures/royalty/kxyz-fm-music-use-2026-11-01-to-2026-11-30.csv', import.meta.url), 'utf8'));
    expect(file.rows).toBe(7);
  });

  it('a bed under an interview is background music; a song’s commas and quotes survive the round trip', () => {
    const quoted = { ...cafeDelMar, title: 'He said "Hi, there"' };
    const rows = parse(proMusicUseCsv(KXYZ, [quoted, talkBed], NOVEMBER).body as string, { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => [r.title, r.usage])).toEqual([
      ['He said "Hi, there"', 'F'],
      ['Talk Bed', 'B'],
    ]);
  });

  it('a song without writers is written with what it has, and listed', () => {
    expect(proMusicUseMissing(KXYZ, NOVEMBER_PLAYS, NOVEMBER)).toEqual([{ playId: untitledDemo.id, trackId: untitledDemo.trackId, title: untitledDemo.title, startedAt: untitledDemo.startedAt, fields: ['writers'] }]);
  });
});

describe('the SOCAN music-use spreadsheet', () => {
  it('one sheet, a heading row and a row per music play with the Tariff 1.A fields in station time (read back with exceljs)', async () => {
    const file = await socanMusicUseXlsx(CFXY, NOVEMBER_PLAYS, NOVEMBER, { generatedAt: new Date('2026-12-15T17:30:45Z') });
    expect(file).toMatchObject({ fileName: 'cfxy-fm-socan-music-use-2026-11-01-to-2026-11-30.xlsx', contentType: XLSX_CONTENT_TYPE, rows: 7 });
    const workbook = new ExcelJS.Workbook();
    // exceljs types its Buffer as an ArrayBuffer; Node's Buffer is what it reads.
    await workbook.xlsx.load(file.body as unknown as Parameters<typeof workbook.xlsx.load>[0]);
    expect(workbook.worksheets).toHaveLength(1);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.name).toBe('Music use');
    expect(sheet.rowCount).toBe(8);
    const values = (n: number) => (sheet.getRow(n).values as unknown[]).slice(1);
    expect(values(1)).toEqual(SOCAN_COLUMNS.map((c) => c.header));
    // The first play of November aired at 01:30 MDT, before the clocks fell back.
    expect(values(2)).toEqual(['2026-11-01', '01:30:00', 'MDT', '00:03:00', 'Night Owl', 'Night Owl', 'Luna Sky', undefined, 'Luna Sky', 'After Hours', 'Moon Records', undefined, 'USLUN2600003', 'Feature']);
    expect(values(3)).toEqual(['2026-11-03', '07:00:30', 'MST', '00:03:23', 'Morning Train', 'Morning Train', 'Jane Doe; Sam Roe', 'Doe Songs', 'Jane Doe', 'First Light', 'Acme Records', '012345678905', 'USABC2400001', 'Feature']);
    expect(values(4)!.slice(4, 9)).toEqual(['Café del Mar', 'Café del Mar', 'Zoë Ünger', 'Mar, Sol & Co.', 'Beyoncé & Røyksopp']);
    expect(values(6)![13]).toBe('Theme');
    expect(values(8)!.slice(3, 5)).toEqual(['00:01:00', 'Talk Bed']);
    expect(values(8)![13]).toBe('Background');
  });

  it('a work title the track gives is written beside the recording’s', () => {
    const sheet = socanMusicUseSheet(CFXY, [{ ...cafeDelMar, workTitle: 'Cafe Del Mar (Original)' }], NOVEMBER);
    expect(sheet.rows[0]!.slice(4, 6)).toEqual(['Café del Mar', 'Cafe Del Mar (Original)']);
  });

  it('what SOCAN asks for and the library lacks is listed: writers, UPC, ISRC', () => {
    const missing = socanMissing(CFXY, NOVEMBER_PLAYS, NOVEMBER);
    expect(missing.map((m) => [m.playId, m.fields])).toEqual([
      ['night-owl', ['upc']],
      ['cafe', ['upc', 'isrc']],
      ['demo', ['writers', 'upc', 'isrc']],
      ['theme', ['upc']],
      ['bed', ['upc', 'isrc']],
    ]);
  });
});
