// The invariants of a day's log (docs/log-rules.md, "A log that adds up"), over stations,
// clocks, libraries, dates and seeds that fast-check makes up: entries in time order, back to
// back, hard starts exact, the day's content equal to the day (23, 24, 23.5 or 25 hours), and
// nothing starting after the day ends.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildLog } from '../../domain/log/build.js';
import { measureLog } from '../../domain/log/quality.js';
import { stationFrom, stationSpec } from './fixtures/property-station.js';

describe('a day’s log adds up (property)', () => {
  it('entries are in time order, back to back, hard starts exact, and fill the broadcast day exactly', () => {
    fc.assert(
      fc.property(stationSpec, (spec) => {
        const inputs = stationFrom(spec);
        const log = buildLog(inputs);
        const quality = measureLog(log, inputs.clocks, inputs.station.fillToleranceMs);
        expect(quality).toMatchObject({ overlaps: 0, outOfOrder: 0, gapMs: 0, startsAfterDayEnd: 0, hardStartsMissed: 0, hoursOutsideTolerance: 0 });
        expect(quality.contentMs).toBe(quality.dayMs);
        // Positions run 0 … n−1 and each entry starts where the one before it ends.
        log.entries.forEach((entry, i) => {
          expect(entry.position).toBe(i);
          if (i > 0) expect(entry.startsAt).toBe(log.entries[i - 1]!.startsAt + log.entries[i - 1]!.lengthMs);
          expect(entry.lengthMs).toBeGreaterThan(0);
          expect(entry.lengthMs + entry.fadedEarlyMs).toBeGreaterThan(0);
        });
        // Where nothing had to be bent, nothing is reported as dead air.
        expect(log.exceptions.filter((x) => x.kind === 'hour_underrun' && x.severity === 'error')).toEqual([]);
        // A live programme keeps its hard start and its length (cut only by the end of a short
        // day), has no track, and no spot or avail lies inside it.
        for (const entry of log.entries.filter((e) => e.type === 'LIVE')) {
          const element = inputs.clocks.flatMap((c) => c.elements).find((e) => e.id === entry.clockElementId)!;
          const hour = log.hours[entry.hourIndex]!;
          expect(entry.startsAt).toBe(hour.startsAt + element.startOffsetMs!);
          expect(entry.lengthMs).toBe(Math.min(element.targetLengthMs!, hour.endsAt - entry.startsAt));
          expect(entry.trackId).toBeNull();
          expect(entry.liveSource).toBe(element.liveSource);
        }
        // The day is as long as the calendar says.
        const hours = log.hours.length;
        expect(quality.dayMs).toBe(log.hours[hours - 1]!.endsAt - log.hours[0]!.startsAt);
      }),
      { numRuns: 120, seed: 20261204 },
    );
  });

  it('a faded entry is shortened by its fade and carries a fade-out; nothing else is', () => {
    fc.assert(
      fc.property(stationSpec, (spec) => {
        const log = buildLog(stationFrom(spec));
        for (const entry of log.entries) {
          if (entry.fadedEarlyMs > 0) {
            expect(entry.fadeOutMs).toBeGreaterThan(0);
            expect(entry.note).toMatch(/(faded|cut) \d+:\d\d (early|short)/);
          } else {
            expect(entry.fadeOutMs).toBe(0);
          }
        }
      }),
      { numRuns: 40, seed: 7 },
    );
  });

  it('a live programme whose hard start lies past a half-hour hour (Lord Howe’s DST end) is not on the log, and says so', () => {
    const inputs = stationFrom({ timezone: 'Australia/Lord_Howe', date: '2027-04-04', seed: 0, toleranceS: 5, songs: Array.from({ length: 30 }, () => 90), artists: 3, clocks: [{ legalIdHard: false, runs: [0], breakSizes: [1, 1, 1], newsAtHalf: false, interviewS: null, voiceTrack: false, live: { atMin: 30, lengthMin: 5, source: 'live' } }], fillTypes: ['PSA'], campaigns: 0, spotLengths: [15], voiceSlots: 0 });
    const log = buildLog(inputs);
    const quality = measureLog(log, inputs.clocks, inputs.station.fillToleranceMs);
    expect(quality).toMatchObject({ startsAfterDayEnd: 0, gapMs: 0, overlaps: 0 });
    expect(log.entries.filter((e) => e.lengthMs <= 0).map((e) => `${e.slotKey} ${e.type} ${e.note}`)).toEqual([]);
    const last = log.hours.at(-1)!;
    expect(log.exceptions.filter((x) => x.hourIndex === last.index && x.kind === 'hour_overrun').map((x) => x.message)).toContainEqual(expect.stringMatching(/"Live 0" does not air/));
  });

  it('the repeated hour of a 25-hour day is told apart in its label', () => {
    const inputs = stationFrom({ timezone: 'America/New_York', date: '2027-11-07', seed: 1, toleranceS: 30, songs: Array.from({ length: 200 }, (_, i) => 150 + (i % 150)), artists: 40, clocks: [{ legalIdHard: true, runs: [4, 4, 4], breakSizes: [2, 3, 2], newsAtHalf: false, interviewS: null, voiceTrack: false, live: null }], fillTypes: ['PRO', 'BED'], campaigns: 3, spotLengths: [30], voiceSlots: 0 });
    const log = buildLog(inputs);
    expect(log.hours.map((h) => h.label).slice(0, 4)).toEqual(['00:00', '01:00 EDT', '01:00 EST', '02:00']);
    expect(log.hours.slice(1, 3).map((h) => h.utcOffsetMinutes)).toEqual([-240, -300]);
    const labels = new Set(log.entries.map((e) => e.hourLabel));
    expect(labels.has('01:00 EDT') && labels.has('01:00 EST')).toBe(true);
  });
});
