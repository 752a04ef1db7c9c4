// Live shows, network feeds and outside programmes (docs/log-rules.md §1 and §6): a LIVE clock
// element becomes one entry of its fixed length at its hard start; LibreLog fills nothing in it
// and fits the rest of the hour around it.
import { describe, expect, it } from 'vitest';
import { buildLog } from '../../domain/log/build.js';
import { measureLog } from '../../domain/log/quality.js';
import type { BuildInputs, EngineClock, EngineClockElement, EngineTrack } from '../../domain/log/types.js';

const MIN = 60_000;

function track(id: string, type: EngineTrack['type'], title: string, lengthS: number, artist: string | null = null): EngineTrack {
  return { id, type, title, artist, genre: null, mood: null, bpm: null, energy: null, lengthMs: lengthS * 1_000, introMs: null, outroMs: null, categoryCodes: [], daypartIds: [] };
}

function clock(id: string, elements: (Partial<EngineClockElement> & Pick<EngineClockElement, 'type'>)[]): EngineClock {
  return {
    id,
    name: id,
    targetLengthMs: 3_600_000,
    elements: elements.map((e, position) => ({ id: `${id}-e${position}`, position, title: null, count: 1, fallback: null, categoryCode: null, ruleSetId: null, trackId: null, targetLengthMs: null, startOffsetMs: null, startKind: null, ...e })),
  };
}

const music = clock('music', [
  { type: 'LIN', title: 'Legal ID', startOffsetMs: 0, startKind: 'hard' },
  { type: 'MUS', count: 6 },
  { type: 'ADV', count: 3, fallback: 'PSA' },
  { type: 'MUS', count: 8 },
]);

/** Queer Talk Live at 07:00 for 30 minutes, then the legal ID, music and a break. */
const liveAtTop = clock('live-at-top', [
  { type: 'LIVE', title: 'Queer Talk Live', liveSource: 'live', targetLengthMs: 30 * MIN, startOffsetMs: 0, startKind: 'hard' },
  { type: 'LIN', title: 'Legal ID' },
  { type: 'MUS', count: 3 },
  { type: 'ADV', count: 2, fallback: 'PSA' },
  { type: 'MUS', count: 4 },
]);

/** Music and a break, then the network's news feed from :30 to the end of the hour. */
const networkAtHalf = clock('network-at-half', [
  { type: 'LIN', title: 'Legal ID', startOffsetMs: 0, startKind: 'hard' },
  { type: 'MUS', count: 4 },
  { type: 'ADV', count: 2, fallback: 'PSA' },
  { type: 'MUS', count: 3 },
  { type: 'LIVE', title: 'Network News Hour', liveSource: 'network', targetLengthMs: 30 * MIN, startOffsetMs: 30 * MIN, startKind: 'hard' },
]);

function station(overrides: Record<string, string>, extra: Partial<BuildInputs> = {}): BuildInputs {
  const grid: Record<string, string> = {};
  for (let weekday = 1; weekday <= 7; weekday++) for (let hour = 0; hour < 24; hour++) grid[`${weekday}:${hour}`] = 'music';
  return {
    station: { id: '00000000-0000-4000-8000-0000000000l1', slug: 'live', timezone: 'America/Chicago', fillToleranceMs: 30_000 },
    date: '2027-02-10',
    seed: 5,
    dayparts: [],
    clocks: [music, liveAtTop, networkAtHalf],
    grid,
    overrides,
    ruleSets: [],
    library: [
      track('legal', 'LIN', 'Legal ID', 10),
      ...Array.from({ length: 120 }, (_, i) => track(`song-${i}`, 'MUS', `Song ${i}`, 150 + ((i * 37) % 150), `Artist ${i % 40}`)),
      ...[10, 15, 20, 30, 45, 60].map((s, i) => track(`promo-${i}`, 'PRO', `Promo ${i}`, s)),
      ...[30, 60].map((s, i) => track(`psa-${i}`, 'PSA', `PSA ${i}`, s)),
      track('bed', 'BED', 'Bed', 120),
    ],
    campaigns: [],
    makeGoods: [],
    history: [],
    voiceTracks: [],
    ...extra,
  };
}

const at = (log: ReturnType<typeof buildLog>, hourIndex: number, minutes: number) => log.hours[hourIndex]!.startsAt + minutes * MIN;

describe('live and outside programmes in the log', () => {
  it('a 30-minute live show at 07:00 is one entry at its hard start; the rest of the hour is fitted from 07:30', () => {
    const inputs = station({ '7': 'live-at-top' });
    const log = buildLog(inputs);
    const live = log.entries.filter((e) => e.type === 'LIVE');
    expect(live).toHaveLength(1);
    expect(live[0]).toMatchObject({ title: 'Queer Talk Live', liveSource: 'live', trackId: null, campaignId: null, startsAt: at(log, 7, 0), lengthMs: 30 * MIN, fadedEarlyMs: 0, startKind: 'hard', hour: 7 });
    // The 06:00 hour ends on the top; after the show the legal ID, music and the break follow on.
    const hour7 = log.entries.filter((e) => e.hourIndex === 7);
    expect(hour7[0]!.type).toBe('LIVE');
    expect(hour7[1]).toMatchObject({ type: 'LIN', startsAt: at(log, 7, 30) });
    const last = hour7[hour7.length - 1]!;
    expect(Math.abs(last.startsAt + last.lengthMs - at(log, 8, 0))).toBeLessThanOrEqual(30_000);
    // Nothing is filled inside the show, and no spot or avail lies in it.
    expect(log.entries.filter((e) => e !== live[0] && e.startsAt < live[0]!.startsAt + live[0]!.lengthMs && e.startsAt + e.lengthMs > live[0]!.startsAt)).toEqual([]);
    // The show itself is never an under- or overrun; the legal ID near the top is left to the presenters.
    const hourExceptions = log.exceptions.filter((x) => x.hourIndex === 7);
    expect(hourExceptions.filter((x) => x.kind === 'hour_overrun' || x.kind === 'hour_underrun' || x.kind === 'empty_slot')).toEqual([]);
    const legalId = hourExceptions.filter((x) => x.kind === 'missing_legal_id');
    expect(legalId.map((x) => x.severity)).toEqual(['info']);
    expect(legalId[0]!.message).toContain('left to "Queer Talk Live"');
    const quality = measureLog(log, inputs.clocks, inputs.station.fillToleranceMs);
    expect(quality).toMatchObject({ overlaps: 0, outOfOrder: 0, gapMs: 0, hardStartsMissed: 0 });
    expect(quality.contentMs).toBe(quality.dayMs);
  });

  it('a network feed from :30 runs to the end of the hour; what comes before it ends at :30', () => {
    const inputs = station({ '14': 'network-at-half' });
    const log = buildLog(inputs);
    const hour14 = log.entries.filter((e) => e.hourIndex === 14);
    const feed = hour14[hour14.length - 1]!;
    expect(feed).toMatchObject({ type: 'LIVE', title: 'Network News Hour', liveSource: 'network', trackId: null, startsAt: at(log, 14, 30), lengthMs: 30 * MIN });
    // The entry before it ends exactly on its hard start (music faded or filled as for any hard start).
    const before = hour14[hour14.length - 2]!;
    expect(before.startsAt + before.lengthMs).toBe(at(log, 14, 30));
    // The next hour starts on its top, straight after the feed.
    expect(log.entries.find((e) => e.hourIndex === 15)!.startsAt).toBe(at(log, 15, 0));
    expect(log.exceptions.filter((x) => x.hourIndex === 14 && x.severity !== 'info')).toEqual([]);
    // The hour's own legal ID is still the station's: no live programme near its top.
    expect(log.exceptions.filter((x) => x.hourIndex === 14 && x.kind === 'missing_legal_id')).toEqual([]);
  });

  it('a voice track recorded for a live slot does not replace the programme', () => {
    const inputs = station(
      { '7': 'live-at-top' },
      { voiceTracks: [{ id: 'vt-1', hour: 7, clockElementId: 'live-at-top-e0', slotIndex: 0, trackId: 'vt-track', title: 'Link', lengthMs: 15_000 }] },
    );
    const log = buildLog(inputs);
    expect(log.entries.find((e) => e.hourIndex === 7 && e.startsAt === at(log, 7, 0))).toMatchObject({ type: 'LIVE', title: 'Queer Talk Live' });
    expect(log.exceptions.filter((x) => x.kind === 'empty_slot').map((x) => x.message)).toEqual([expect.stringContaining('a live slot takes no voice track') as string]);
  });

  it('an untitled element is named by its source; a count above one is still one programme', () => {
    const outside = clock('outside', [{ type: 'LIVE', title: null, count: 3, liveSource: 'outside', targetLengthMs: 60 * MIN, startOffsetMs: 0, startKind: 'hard' }]);
    const inputs = { ...station({ '20': 'outside' }), clocks: [music, outside] };
    const log = buildLog(inputs);
    const hour20 = log.entries.filter((e) => e.hourIndex === 20);
    expect(hour20).toHaveLength(1);
    expect(hour20[0]).toMatchObject({ type: 'LIVE', title: 'Outside broadcast', liveSource: 'outside', lengthMs: 60 * MIN, startsAt: at(log, 20, 0) });
  });
});
