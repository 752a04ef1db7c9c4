// United States, FCC hourly station identification (docs/royalty-formats.md): every clock
// hour of the period with the legal ID nearest its top, DST days as the clock shows them.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { legalIdCsv, legalIdHours, type AiredPlay } from '../../domain/royalty/index.js';
import { KXYZ, legalId7 } from '../fixtures/royalty/plays.js';

const lin = (id: string, iso: string, title = 'Legal ID'): AiredPlay => ({ ...legalId7, id, startedAt: Date.parse(iso), title });

describe('the hourly legal-ID record', () => {
  it('the day clocks fall back has 25 hours, 01:00 MDT and 01:00 MST; each hour shows the ID nearest its top or "no legal ID" (golden file)', () => {
    const day = { from: '2026-11-01', to: '2026-11-01' };
    const plays = [
      lin('a', '2026-11-01T05:59:45Z'), // 23:59:45 MDT on the 31st → the 00:00 ID
      lin('b', '2026-11-01T07:00:05Z'), // 01:00:05 MDT
      lin('c', '2026-11-01T08:20:00Z'), // 01:20 MST, farther from 01:00 MST than…
      lin('d', '2026-11-01T08:02:00Z'), // …01:02 MST
      lin('e', '2026-11-01T09:45:00Z', 'Legal ID, early'), // 02:45 MST → the 03:00 ID
      { ...lin('f', '2026-11-01T16:00:00Z'), trackType: 'PRO' as const }, // a promo is not a legal ID
    ];
    const hours = legalIdHours(KXYZ, plays, day);
    expect(hours).toHaveLength(25);
    expect(hours.slice(1, 3).map((h) => `${h.hour} ${h.timeZone}`)).toEqual(['01:00 MDT', '01:00 MST']);
    const file = legalIdCsv(KXYZ, hours, day);
    expect(file.fileName).toBe('kxyz-fm-legal-ids-2026-11-01-to-2026-11-01.csv');
    expect(file.body).toBe(readFileSync(new URL(`../fixtures/royalty/${file.fileName}`, import.meta.url), 'utf8'));
  });

  it('the day clocks spring forward has 23 hours, and no 02:00', () => {
    const hours = legalIdHours(KXYZ, [], { from: '2026-03-08', to: '2026-03-08' });
    expect(hours).toHaveLength(23);
    expect(hours.map((h) => h.hour)).not.toContain('02:00');
    expect(hours.slice(1, 3).map((h) => `${h.hour} ${h.timeZone}`)).toEqual(['01:00 MST', '03:00 MDT']);
    expect(hours.every((h) => h.legalId === null)).toBe(true);
  });

  it('any run of days has 24 hours a day, plus or minus one on each DST day, and every hour once', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3 * 365 }), fc.integer({ min: 0, max: 40 }), (start, length) => {
        const from = new Date(Date.UTC(2025, 0, 1) + start * 86_400_000).toISOString().slice(0, 10);
        const to = new Date(Date.UTC(2025, 0, 1) + (start + length) * 86_400_000).toISOString().slice(0, 10);
        const hours = legalIdHours(KXYZ, [], { from, to });
        const springs = ['2025-03-09', '2026-03-08', '2027-03-14'].filter((d) => d >= from && d <= to).length;
        const falls = ['2025-11-02', '2026-11-01', '2027-11-07'].filter((d) => d >= from && d <= to).length;
        expect(hours).toHaveLength((length + 1) * 24 - springs + falls);
        expect(new Set(hours.map((h) => h.topOfHour)).size).toBe(hours.length);
        expect(hours.every((h) => h.hour.endsWith(':00'))).toBe(true);
      }),
      { numRuns: 60 },
    );
  });

  it('a station without DST (Phoenix) has 24 hours every day, all MST', () => {
    const hours = legalIdHours({ timezone: 'America/Phoenix' }, [], { from: '2026-03-08', to: '2026-03-08' });
    expect(hours).toHaveLength(24);
    expect(new Set(hours.map((h) => h.timeZone))).toEqual(new Set(['MST']));
  });
});
