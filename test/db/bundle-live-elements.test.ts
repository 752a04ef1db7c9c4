// Live shows, network feeds and outside programmes in a station bundle (issue 15, item 5): a
// LIVE clock element with its source, length and hard start comes back the same after an import
// and an export, and the bundle says what is wrong with one that cannot air as written.
import { describe, expect, it } from 'vitest';
import { exportStationBundle } from '../../db/bundle-export.js';
import { importStationBundle } from '../../db/bundle-import.js';
import type { BundleClock, StationBundle } from '../../domain/bundle/types.js';
import { BundleValidationError, validateStationBundle } from '../../domain/bundle/validate.js';
import { smallStationBundle } from '../fixtures/bundles.js';
import { useTestDatabase } from '../support/db.js';

const db = useTestDatabase();

const queerTalk: BundleClock = {
  name: 'Queer Talk Live',
  elements: [
    { type: 'LIVE', title: 'Queer Talk Live', source: 'live', length: '30:00', start: { at: '00:00' } },
    { type: 'LIN', title: 'Legal ID' },
    { type: 'MUS', count: 4 },
    { type: 'ADV', count: 2, fallback: 'PSA' },
    { type: 'MUS', count: 3 },
    { type: 'LIVE', title: 'Network News', source: 'network', length: '05:00', start: { at: '55:00', kind: 'hard' } },
  ],
};

function withLive(clock: BundleClock = queerTalk): StationBundle {
  const bundle = smallStationBundle();
  bundle.clocks = [...(bundle.clocks ?? []), clock];
  return bundle;
}

const problemsOf = (bundle: unknown) => {
  try {
    validateStationBundle(bundle);
    return [];
  } catch (error) {
    if (error instanceof BundleValidationError) return error.problems.map((p) => p.path);
    throw error;
  }
};

describe('live programmes in a station bundle', () => {
  it('come back the same after an import and an export, stored as LIVE elements with a hard start', async () => {
    const { stationId } = await importStationBundle(db, withLive());
    const rows = (await db('clock_elements')
      .join('clocks', 'clocks.id', 'clock_elements.clock_id')
      .where({ 'clocks.stationId': stationId, 'clock_elements.type': 'LIVE' })
      .orderBy('clock_elements.position')
      .select('clock_elements.title', 'liveSource', 'clock_elements.targetLengthMs', 'startOffsetMs', 'startKind', 'count', 'clock_elements.trackId')) as unknown[];
    expect(rows).toEqual([
      { title: 'Queer Talk Live', liveSource: 'live', targetLengthMs: 1_800_000, startOffsetMs: 0, startKind: 'hard', count: 1, trackId: null },
      { title: 'Network News', liveSource: 'network', targetLengthMs: 300_000, startOffsetMs: 3_300_000, startKind: 'hard', count: 1, trackId: null },
    ]);

    const exported = await exportStationBundle(db, stationId);
    const clock = exported.clocks!.find((c) => c.name === 'Queer Talk Live')!;
    expect(clock.elements[0]).toEqual({ type: 'LIVE', title: 'Queer Talk Live', source: 'live', length: 1800, start: { at: '00:00', kind: 'hard' } });
    expect(clock.elements[5]).toEqual({ type: 'LIVE', title: 'Network News', source: 'network', length: 300, start: { at: '55:00', kind: 'hard' } });
    expect(clock.elements[1]).not.toHaveProperty('source');
    expect(validateStationBundle(exported)).toBeTruthy();
    await importStationBundle(db, exported);
    expect(await exportStationBundle(db, stationId)).toEqual(exported);
  });

  it('names what a live element lacks or gets wrong, and what is timed inside it', () => {
    const bad: BundleClock = {
      name: 'Bad live',
      elements: [
        { type: 'LIVE', title: 'No source', length: '10:00', start: { at: '00:00' } },
        { type: 'LIVE', title: 'Too long', source: 'outside', length: '40:00', start: { at: '30:00' } },
        { type: 'LIVE', title: 'Soft', source: 'live', length: '05:00', start: { at: '10:00', kind: 'soft' } },
        { type: 'LIVE', title: 'No start', source: 'network', length: '05:00', track: 'lin-1' },
        { type: 'BED', title: 'News Bed', source: 'network', start: { at: '35:00', kind: 'hard' } },
      ],
    };
    expect([...new Set(problemsOf(withLive(bad)).filter((p) => p.startsWith('$.clocks[2]')))].sort()).toEqual(
      [
        '$.clocks[2].elements[0].source',
        '$.clocks[2].elements[1].length',
        // Before the live programme at 10:00 in the clock, but starting after it.
        '$.clocks[2].elements[1].start',
        '$.clocks[2].elements[2].start',
        '$.clocks[2].elements[3].start',
        '$.clocks[2].elements[3].track',
        '$.clocks[2].elements[4].source',
        '$.clocks[2].elements[4].start',
      ].sort(),
    );
  });
});
