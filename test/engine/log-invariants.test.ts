// The invariants of a day's log (docs/log-rules.md, "A log that adds up"), over stations,
// clocks, libraries, dates and seeds that fast-check makes up: entries in time order, back to
// back, hard starts exact, the day's content equal to the day (23, 24, 23.5 or 25 hours), and
// nothing starting after the day ends.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildLog } from '../../domain/log/build.js';
import { measureLog } from '../../domain/log/quality.js';
import type { BuildInputs, EngineCampaign, EngineClock, EngineClockElement, EngineTrack } from '../../domain/log/types.js';

const TIMEZONES = ['America/Phoenix', 'America/New_York', 'Europe/London', 'Australia/Sydney', 'Australia/Lord_Howe', 'Asia/Kolkata', 'UTC'];
// The days DST changes somewhere above, with ordinary days between.
const DATES = ['2027-03-14', '2027-11-07', '2027-03-28', '2027-10-31', '2027-04-04', '2027-10-03', '2027-06-15', '2027-01-01', '2026-12-25', '2028-02-29'];

interface StationSpec {
  timezone: string;
  date: string;
  seed: number;
  toleranceS: number;
  songs: number[];
  artists: number;
  clocks: ClockSpec[];
  fillTypes: ('PRO' | 'PSA' | 'BED')[];
  campaigns: number;
  spotLengths: number[];
  voiceSlots: number;
}

interface ClockSpec {
  legalIdHard: boolean;
  /** Runs of songs, with a break after each but the last. */
  runs: number[];
  breakSizes: number[];
  /** A hard-timed news bed at :30 after the second run. */
  newsAtHalf: boolean;
  interviewS: number | null;
  voiceTrack: boolean;
  /** A live programme (not filled by LibreLog): at :00 it opens the clock, later it closes it. */
  live: { atMin: number; lengthMin: number; source: 'live' | 'network' | 'outside' } | null;
}

const clockSpec: fc.Arbitrary<ClockSpec> = fc.record({
  legalIdHard: fc.boolean(),
  runs: fc.array(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 4 }),
  breakSizes: fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 3, maxLength: 3 }),
  newsAtHalf: fc.boolean(),
  interviewS: fc.option(fc.integer({ min: 60, max: 1_500 }), { nil: null }),
  voiceTrack: fc.boolean(),
  live: fc.option(
    fc.constantFrom(0, 0, 20, 30, 45).chain((atMin) =>
      fc.record({ atMin: fc.constant(atMin), lengthMin: fc.integer({ min: 5, max: 60 - atMin }), source: fc.constantFrom('live' as const, 'network' as const, 'outside' as const) }),
    ),
    { nil: null, freq: 3 },
  ),
});

const stationSpec: fc.Arbitrary<StationSpec> = fc.record({
  timezone: fc.constantFrom(...TIMEZONES),
  date: fc.constantFrom(...DATES),
  seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  toleranceS: fc.constantFrom(5, 15, 30, 60),
  songs: fc.array(fc.integer({ min: 90, max: 420 }), { minLength: 30, maxLength: 300 }),
  artists: fc.integer({ min: 3, max: 80 }),
  clocks: fc.array(clockSpec, { minLength: 1, maxLength: 4 }),
  fillTypes: fc.subarray(['PRO', 'PSA', 'BED'] as const, { minLength: 1 }),
  campaigns: fc.integer({ min: 0, max: 30 }),
  spotLengths: fc.array(fc.constantFrom(15, 30, 60, 90), { minLength: 1, maxLength: 3 }),
  voiceSlots: fc.integer({ min: 0, max: 6 }),
});

function track(id: string, type: EngineTrack['type'], title: string, lengthS: number, extra: Partial<EngineTrack> = {}): EngineTrack {
  return { id, type, title, artist: null, genre: null, mood: null, bpm: null, energy: null, lengthMs: lengthS * 1_000, introMs: null, outroMs: null, categoryCodes: [], daypartIds: [], ...extra };
}

/** A station made from the spec: every hour of the week gets one of its clocks. */
function stationFrom(spec: StationSpec): BuildInputs {
  const library: EngineTrack[] = [
    track('lin-legal', 'LIN', 'Legal ID', 9),
    track('bed-news', 'BED', 'News Bed', 120),
    track('int-talk', 'INT', 'Talk', 600),
    ...spec.songs.map((s, i) => track(`mus-${i}`, 'MUS', `Song ${i}`, s, { artist: `Artist ${i % spec.artists}` })),
    ...[10, 15, 20, 30, 45, 60].map((s, i) => track(`pro-${i}`, 'PRO', `Promo ${i}`, s)),
    ...[30, 60, 30, 60].map((s, i) => track(`psa-${i}`, 'PSA', `PSA ${i}`, s, { categoryCodes: [i % 2 ? 'health' : 'arts'] })),
    ...[45, 90, 180].map((s, i) => track(`bed-${i}`, 'BED', `Bed ${i}`, s)),
  ];
  const clocks: EngineClock[] = spec.clocks.map((c, k) => {
    const elements: Omit<EngineClockElement, 'position'>[] = [];
    const el = (e: Partial<EngineClockElement> & Pick<EngineClockElement, 'type'>) =>
      elements.push({ id: `c${k}-e${elements.length}`, title: null, count: 1, fallback: null, categoryCode: null, ruleSetId: null, trackId: null, targetLengthMs: null, startOffsetMs: null, startKind: null, ...e });
    const live = c.live && { type: 'LIVE' as const, title: `Live ${k}`, liveSource: c.live.source, targetLengthMs: c.live.lengthMin * 60_000, startOffsetMs: c.live.atMin * 60_000, startKind: 'hard' as const };
    if (live && c.live!.atMin === 0) el(live);
    el({ type: 'LIN', title: 'Legal ID', ...(c.legalIdHard && !live ? { startOffsetMs: 0, startKind: 'hard' as const } : {}) });
    if (c.interviewS !== null) el({ type: 'INT', title: 'Talk' });
    c.runs.forEach((songs, r) => {
      if (songs > 0) el({ type: 'MUS', count: songs });
      if (c.voiceTrack && r === 0) el({ type: 'VT' });
      // A clock's hard starts come in time order and none lies inside a live programme (the
      // clocks API refuses others): no news at :30 before a later live programme or inside one.
      const newsClashes = c.live !== null && c.live.atMin <= 30 && (c.live.atMin > 0 || c.live.lengthMin > 30);
      if (c.newsAtHalf && r === 1 && !newsClashes) el({ type: 'BED', title: 'News Bed', startOffsetMs: 30 * 60_000, startKind: 'hard' });
      if (r < c.runs.length - 1) el({ type: 'ADV', count: c.breakSizes[r % 3]!, fallback: 'PSA' });
    });
    if (live && c.live!.atMin > 0) el(live);
    return { id: `clock-${k}`, name: `Clock ${k}`, targetLengthMs: 3_600_000, elements: elements.map((e, position) => ({ ...e, position })) };
  });
  const grid: Record<string, string> = {};
  for (let weekday = 1; weekday <= 7; weekday++) for (let hour = 0; hour < 24; hour++) grid[`${weekday}:${hour}`] = clocks[(weekday + hour) % clocks.length]!.id;
  const campaigns: EngineCampaign[] = Array.from({ length: spec.campaigns }, (_, i) => {
    const lengthS = spec.spotLengths[i % spec.spotLengths.length]!;
    library.push(track(`adv-${i}`, 'ADV', `Spot ${i}`, lengthS, { categoryCodes: [`cat-${i % 5}`] }));
    return {
      id: `campaign-${i}`,
      advertiserId: `advertiser-${i % 7}`,
      advertiserName: `Advertiser ${i % 7}`,
      name: `Campaign ${i}`,
      startsOn: '2026-01-01',
      endsOn: '2028-12-31',
      priority: 1 + (i % 9),
      spotsPerDay: 2 + (i % 10),
      spotsPerWeek: null,
      spotLengthMs: lengthS * 1_000,
      categoryCode: `cat-${i % 5}`,
      daypartIds: [],
      rotation: 'sequential',
      status: 'active',
      copy: [{ trackId: `adv-${i}`, weight: 1, startsOn: null, endsOn: null }],
      placedThisWeek: 0,
      placedBefore: 0,
    };
  });
  const vtElements = clocks.flatMap((c) => c.elements.filter((e) => e.type === 'VT'));
  const voiceTracks = Array.from({ length: Math.min(spec.voiceSlots, vtElements.length ? 24 : 0) }, (_, i) => {
    library.push(track(`vt-${i}`, 'VT', `Link ${i}`, 8 + i * 7));
    return { id: `voice-${i}`, hour: (i * 5) % 24, clockElementId: vtElements[i % vtElements.length]!.id, slotIndex: 0, trackId: `vt-${i}`, title: `Link ${i}`, lengthMs: (8 + i * 7) * 1_000 };
  });
  return {
    station: { id: '00000000-0000-4000-8000-00000000000a', slug: 'prop', timezone: spec.timezone, fillToleranceMs: spec.toleranceS * 1_000, fillTypes: spec.fillTypes },
    date: spec.date,
    seed: spec.seed,
    dayparts: [],
    clocks,
    grid,
    overrides: {},
    ruleSets: [],
    library,
    campaigns,
    makeGoods: [],
    history: [],
    voiceTracks,
  };
}

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

  it('the repeated hour of a 25-hour day is told apart in its label', () => {
    const inputs = stationFrom({ timezone: 'America/New_York', date: '2027-11-07', seed: 1, toleranceS: 30, songs: Array.from({ length: 200 }, (_, i) => 150 + (i % 150)), artists: 40, clocks: [{ legalIdHard: true, runs: [4, 4, 4], breakSizes: [2, 3, 2], newsAtHalf: false, interviewS: null, voiceTrack: false, live: null }], fillTypes: ['PRO', 'BED'], campaigns: 3, spotLengths: [30], voiceSlots: 0 });
    const log = buildLog(inputs);
    expect(log.hours.map((h) => h.label).slice(0, 4)).toEqual(['00:00', '01:00 EDT', '01:00 EST', '02:00']);
    expect(log.hours.slice(1, 3).map((h) => h.utcOffsetMinutes)).toEqual([-240, -300]);
    const labels = new Set(log.entries.map((e) => e.hourLabel));
    expect(labels.has('01:00 EDT') && labels.has('01:00 EST')).toBe(true);
  });
});
