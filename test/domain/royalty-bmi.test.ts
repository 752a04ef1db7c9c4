// BMI's EMR fixed-width file (docs/royalty-formats.md): a golden file written by hand, and
// the widths every record keeps.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EMR_FMDT_LAYOUT, EMR_WIDTHS, bmiEmr, bmiMissing, type AiredPlay, type MusicUsage } from '../../domain/royalty/index.js';
import { KXYZ, NOVEMBER, NOVEMBER_PLAYS, morningTrain7, untitledDemo } from '../fixtures/royalty/plays.js';

const CREATED = Date.parse('2026-12-15T17:30:45Z'); // 10:30:45 MST

describe('the BMI EMR file', () => {
  it('a header, a record per music play in air order, a trailer counting them all; CR LF (golden file)', () => {
    const file = bmiEmr(KXYZ, NOVEMBER_PLAYS, NOVEMBER, { createdAt: CREATED });
    expect(file.fileName).toBe('KXYZ-FM2611.emr');
    expect(file.body).toBe(readFileSync(new URL('../fixtures/royalty/KXYZ-FM2611.emr', import.meta.url), 'latin1'));
    expect(file.rows).toBe(7);
  });

  it('the FMDT layout adds up to its width', () => {
    expect(EMR_FMDT_LAYOUT.reduce((n, [, w]) => n + w, 0)).toBe(EMR_WIDTHS.FMDT);
  });

  it('a song without writers is written with the writer field blank, and listed', () => {
    const lines = (bmiEmr(KXYZ, [untitledDemo], NOVEMBER, { createdAt: CREATED }).body as string).split('\r\n');
    expect(lines[1]!.slice(184, 224)).toBe(' '.repeat(40));
    expect(bmiMissing(KXYZ, NOVEMBER_PLAYS, NOVEMBER)).toEqual([{ playId: untitledDemo.id, trackId: untitledDemo.trackId, title: untitledDemo.title, startedAt: untitledDemo.startedAt, fields: ['writers'] }]);
  });

  it('the BMI station id, when the station has one, names the file and fills the station fields; online is OT', () => {
    const file = bmiEmr({ ...KXYZ, bmiStationId: '12345', band: 'online' }, [morningTrain7], NOVEMBER, { createdAt: CREATED });
    expect(file.fileName).toBe('123452611.emr');
    const fmdt = (file.body as string).split('\r\n')[1]!;
    expect(fmdt.slice(4, 44).trimEnd()).toBe('12345');
    expect(fmdt.slice(44, 46)).toBe('OT');
  });

  it('every record is exactly its type’s width, ASCII, whatever the titles and names are', () => {
    const text = fc.string({ unit: 'binary', maxLength: 80 });
    const aPlay = fc.record({
      title: text,
      performer: fc.option(text),
      writers: fc.array(text, { maxLength: 4 }),
      isrc: fc.option(fc.string({ maxLength: 20 })),
      lengthMs: fc.integer({ min: 0, max: 5 * 3_600_000 }),
      offset: fc.integer({ min: 0, max: 29 * 86_400_000 }),
      usage: fc.option(fc.constantFrom<MusicUsage>('feature', 'theme_open', 'theme_close', 'theme', 'background', 'jingle')),
    });
    fc.assert(
      fc.property(fc.array(aPlay, { maxLength: 20 }), (specs) => {
        const plays: AiredPlay[] = specs.map((s, i) => ({ ...morningTrain7, id: `p${i}`, ...s, startedAt: Date.parse('2026-11-01T08:00:00Z') + s.offset }));
        const lines = (bmiEmr(KXYZ, plays, NOVEMBER, { createdAt: CREATED }).body as string).split('\r\n');
        expect(lines.pop()).toBe('');
        expect(lines).toHaveLength(plays.length + 2);
        for (const line of lines) {
          expect(line).toMatch(/^[\x20-\x7e]*$/);
          expect(line.length).toBe(EMR_WIDTHS[line.slice(0, 4) as keyof typeof EMR_WIDTHS]);
        }
        expect(lines.at(-1)!.slice(4, 16)).toBe(String(plays.length + 2).padStart(12, '0'));
      }),
      { numRuns: 100 },
    );
  });
});
