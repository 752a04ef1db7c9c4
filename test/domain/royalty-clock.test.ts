// The station clock the royalty files read local times with (domain/royalty/common.ts): it
// reads the zone's offset once a quarter hour, so it must agree with luxon at every instant,
// DST changes and half-hour zones included.
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { stationClock } from '../../domain/royalty/index.js';

describe('the station clock', () => {
  it('agrees with luxon on the local date, time and offset, around DST changes and in half-hour zones', () => {
    const zones = ['America/Denver', 'America/Phoenix', 'America/St_Johns', 'Asia/Kolkata', 'Australia/Adelaide', 'Europe/London', 'America/Edmonton'];
    const clocks = new Map(zones.map((z) => [z, stationClock(z)]));
    fc.assert(
      fc.property(fc.constantFrom(...zones), fc.integer({ min: Date.parse('2024-01-01T00:00:00Z'), max: Date.parse('2028-12-31T00:00:00Z') }), (zone, at) => {
        const local = clocks.get(zone)!(at);
        const expected = DateTime.fromMillis(at, { zone });
        expect([local.date, local.time, local.offset]).toEqual([expected.toISODate(), expected.toFormat('HH:mm:ss'), expected.offset]);
      }),
      { numRuns: 2_000 },
    );
  });

  it('names the zone as the station’s clocks do: MDT before the clocks fall back, MST after', () => {
    const denver = stationClock('America/Denver');
    expect(denver(Date.parse('2026-11-01T07:59:59Z'))).toMatchObject({ time: '01:59:59', zoneAbbreviation: 'MDT' });
    expect(denver(Date.parse('2026-11-01T08:00:00Z'))).toMatchObject({ time: '01:00:00', zoneAbbreviation: 'MST' });
  });
});
