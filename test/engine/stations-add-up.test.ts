// The stations people will actually run — the demo station (GayPHX Radio, Phoenix), the same
// station in a DST timezone (New York, both DST days) and the bench station (20,000 songs, 300
// campaigns) — loaded from a real database, built day after day: every day adds up, and over a
// week the rotation plays every song of a pool before any song twice.
import { beforeAll, describe, expect, it } from 'vitest';
import { importStationBundle } from '../../db/bundle-import.js';
import { createLogInputsLoader } from '../../db/log-inputs.js';
import { readDemoBundle } from '../../db/seed.js';
import { buildLog } from '../../domain/log/build.js';
import { measureLog } from '../../domain/log/quality.js';
import type { BuildInputs, BuiltLog, EnginePlay } from '../../domain/log/types.js';
import type { StationBundle } from '../../domain/bundle/types.js';
import { benchStationBundle } from '../../bench/bench-station.js';
import { useTestDatabase } from '../support/db.js';

const db = useTestDatabase({ truncateBeforeEach: false });
const WEEK = ['2026-12-07', '2026-12-08', '2026-12-09', '2026-12-10', '2026-12-11', '2026-12-12', '2026-12-13'];

beforeAll(async () => {
  const demo = (await readDemoBundle()) as StationBundle;
  await importStationBundle(db, demo);
  await importStationBundle(db, { ...demo, station: { ...demo.station!, slug: 'dst', name: 'GayPHX East', timezone: 'America/New_York' } });
  await importStationBundle(db, benchStationBundle());
}, 120_000);

const playsOf = (log: BuiltLog): EnginePlay[] => log.entries.filter((e) => e.trackId).map((e) => ({ trackId: e.trackId!, title: e.title, artist: e.artist, startsAt: e.startsAt }));

/** Builds consecutive days as the workflow would: each day's history is the days before it. */
async function buildWeek(station: string, dates: string[], seed: number): Promise<{ inputs: BuildInputs; log: BuiltLog }[]> {
  const loader = createLogInputsLoader(db);
  const history: EnginePlay[] = [];
  const days: { inputs: BuildInputs; log: BuiltLog }[] = [];
  for (const date of dates) {
    const inputs = { ...(await loader.load(station, date, seed)), history: [...history] };
    const log = buildLog(inputs);
    history.push(...playsOf(log));
    days.push({ inputs, log });
  }
  return days;
}

function expectAddsUp({ inputs, log }: { inputs: BuildInputs; log: BuiltLog }) {
  const quality = measureLog(log, inputs.clocks, inputs.station.fillToleranceMs);
  expect(quality, `${inputs.station.slug} ${inputs.date}`).toMatchObject({ overlaps: 0, outOfOrder: 0, gapMs: 0, startsAfterDayEnd: 0, hardStartsMissed: 0, hoursOutsideTolerance: 0 });
  expect(quality.contentMs).toBe(quality.dayMs);
  return quality;
}

describe('the stations people run add up', () => {
  it('the demo station airs clean every day of a week: every hour fits, no error, hard starts exact', async () => {
    for (const seed of [1, 2]) {
      for (const day of await buildWeek('demo', WEEK, seed)) {
        expectAddsUp(day);
        // A song dropped to meet a hard start is said as info; nothing cut, no clock short, no error.
        const problems = day.log.exceptions.filter((x) => x.severity === 'error' || (x.severity === 'warning' && (x.kind === 'hour_overrun' || x.kind === 'hour_underrun')));
        expect(problems, day.inputs.date).toEqual([]);
      }
    }
  });

  it('the demo station’s holidays and specials add up too', async () => {
    for (const day of await buildWeek('demo', ['2026-12-25', '2026-12-31', '2027-01-01'], 3)) expectAddsUp(day);
  });

  it('a station in a DST timezone: the 23- and 25-hour days add up and the repeated hour says which it is', async () => {
    const [spring, fall] = await buildWeek('dst', ['2027-03-14', '2027-11-07'], 1);
    expect(expectAddsUp(spring!).dayMs).toBe(23 * 3_600_000);
    expect(expectAddsUp(fall!).dayMs).toBe(25 * 3_600_000);
    expect(fall!.log.hours.filter((h) => h.hour === 1).map((h) => h.label)).toEqual(['01:00 EDT', '01:00 EST']);
    expect(spring!.log.hours.some((h) => h.hour === 2)).toBe(false);
  });

  it('the bench station adds up for a week, and plays no song twice before its pool is used up', async () => {
    const week = await buildWeek('bench', WEEK, 5);
    for (const day of week) expectAddsUp(day);
    // Six rule sets of ~3,300 songs each, ~60 plays a day each: no pool runs out in a week.
    const songs = week.flatMap((d) => d.log.entries.filter((e) => e.type === 'MUS').map((e) => e.trackId));
    const repeats = songs.length - new Set(songs).size;
    expect(songs.length).toBeGreaterThan(7 * 300);
    expect(repeats).toBe(0);
  }, 120_000);
});
