import { describe, expect, it } from 'vitest';
import { importStationBundle } from '../../db/bundle-import.js';
import { Campaign, Clock, GridOverride, GridSlot, Station, Track } from '../../db/models.js';
import { BundleValidationError, validateStationBundle } from '../../domain/bundle/validate.js';
import { SPEC_CLOCK_EXAMPLE, smallStationBundle } from '../fixtures/bundles.js';
import { useTestDatabase } from '../support/db.js';

const db = useTestDatabase();

async function rowCounts() {
  const tables = ['stations', 'categories', 'dayparts', 'tracks', 'clocks', 'clock_elements', 'grid_slots', 'advertisers', 'campaigns', 'campaign_copy', 'audit_log'];
  const counts: Record<string, number> = {};
  for (const table of tables) counts[table] = Number(((await db(table).count({ n: '*' }).first()) as { n: string }).n);
  return counts;
}

async function importExpectingProblems(bundle: unknown) {
  const error = await importStationBundle(db, bundle).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(BundleValidationError);
  return (error as BundleValidationError).problems;
}

describe('importing a station bundle', () => {
  it('accepts the spec’s clock example as it stands', () => {
    const bundle = { ...smallStationBundle(), clocks: [SPEC_CLOCK_EXAMPLE] };
    bundle.grid = { weekly: [{ days: ['mon'], hours: [6], clock: '06:00' }] };
    expect(() => validateStationBundle(bundle)).not.toThrow();
  });

  it('imports a whole station: library, clocks with ordered elements, grid, overrides and campaigns', async () => {
    const summary = await importStationBundle(db, smallStationBundle());
    expect(summary).toMatchObject({ slug: 'kqtr', created: true, counts: { tracks: 5, clocks: 2, gridHours: 168, campaigns: 1 } });

    const station = await Station.query(db).findOne({ slug: 'kqtr' });
    expect(station).toMatchObject({ name: 'KQTR Community Radio', timezone: 'America/Phoenix', buildDaysAhead: 2 });

    const specClock = await Clock.query(db).findOne({ stationId: station!.id, name: '06:00' }).withGraphFetched('elements');
    expect(specClock!.hour).toBe(6);
    expect(specClock!.elements!.map((e) => [e.type, e.title, e.count, e.fallback])).toEqual([
      ['LIN', 'Top-of-Hour ID', 1, null],
      ['BED', 'News Bed', 1, null],
      ['INT', 'Morning Interview', 1, null],
      ['ADV', null, 1, 'PSA'],
      ['MUS', null, 3, null],
    ]);

    // Later grid rules win: weekday 06:00 plays the spec clock, the rest Morning Drive.
    const mondaySix = await GridSlot.query(db).findOne({ stationId: station!.id, weekday: 1, hour: 6 });
    const sundaySix = await GridSlot.query(db).findOne({ stationId: station!.id, weekday: 7, hour: 6 });
    expect(mondaySix!.clockId).toBe(specClock!.id);
    expect(sundaySix!.clockId).not.toBe(specClock!.id);
    expect(await GridOverride.query(db).where({ stationId: station!.id, date: '2026-12-25' })).toHaveLength(1);

    const song = await Track.query(db).findOne({ stationId: station!.id, ref: 'mus-2' });
    expect(song).toMatchObject({ type: 'MUS', lengthMs: 245_500, cueInMs: 500, cueOutMs: 244_000 });
    const psa = await Track.query(db).findOne({ ref: 'psa-1' }).withGraphFetched('categories');
    expect(psa!.categories!.map((c) => c.code)).toEqual(['health']);

    const campaign = await Campaign.query(db).findOne({ name: 'Fall Sale' }).withGraphFetched('[copy.track, dayparts, advertiser]');
    expect(campaign).toMatchObject({ priority: 7, spotsPerDay: 6, spotLengthMs: 30_000, startsOn: '2026-11-01', endsOn: '2026-12-31' });
    expect(campaign!.copy!.map((c) => [c.track!.ref, c.weight])).toEqual([['adv-1', 2]]);
    expect(campaign!.dayparts!.map((d) => d.name)).toEqual(['morning drive']);
    expect(campaign!.advertiser!.name).toBe('Rainbow Motors');
  });

  it('updates in place on a second import, keeping the ids logs point at', async () => {
    await importStationBundle(db, smallStationBundle());
    const before = await Track.query(db).findOne({ ref: 'mus-1' });
    const elementIdsBefore = (await Clock.query(db).findOne({ name: 'Morning Drive' }).withGraphFetched('elements'))!.elements!.map((e) => e.id);

    const changed = smallStationBundle();
    changed.library![0]!.title = 'Desert Bloom (Radio Edit)';
    const summary = await importStationBundle(db, changed);

    expect(summary.created).toBe(false);
    const after = await Track.query(db).findOne({ ref: 'mus-1' });
    expect(after!.id).toBe(before!.id);
    expect(after!.title).toBe('Desert Bloom (Radio Edit)');
    expect((await Clock.query(db).findOne({ name: 'Morning Drive' }).withGraphFetched('elements'))!.elements!.map((e) => e.id)).toEqual(elementIdsBefore);
    expect(await Track.query(db).resultSize()).toBe(5);
  });

  it('names the JSON path of a malformed value and leaves the database unchanged', async () => {
    await importStationBundle(db, smallStationBundle());
    const before = await rowCounts();

    const bad = smallStationBundle() as unknown as { clocks: { elements: { type: string }[] }[]; library: Record<string, unknown>[] };
    bad.clocks[1]!.elements[2]!.type = 'ADZ';
    bad.library[3]!.length = 'ten seconds';
    bad.library[0]!.colour = 'purple';

    const problems = await importExpectingProblems(bad);
    expect(problems).toEqual(
      expect.arrayContaining([
        { path: '$.clocks[1].elements[2].type', message: expect.stringContaining('must be one of "MUS"') as string },
        { path: '$.library[3].length', message: expect.any(String) as string },
        { path: '$.library[0].colour', message: 'is not a known field' },
      ]),
    );
    expect(await rowCounts()).toEqual(before);
  });

  it('refuses a date that does not exist and an id past what its column holds, before the database sees them', () => {
    const bad = smallStationBundle() as unknown as { campaigns: Record<string, unknown>[]; library: Record<string, unknown>[] };
    bad.campaigns[0]!.start = '0000-01-01';
    bad.campaigns[0]!.end = '2027-02-30';
    bad.library[0]!.libretimeFileId = 2 ** 31;
    let problems: { path: string }[] = [];
    try {
      validateStationBundle(bad);
    } catch (error) {
      problems = (error as BundleValidationError).problems;
    }
    expect(problems.map((p) => p.path)).toEqual(expect.arrayContaining(['$.campaigns[0].start', '$.campaigns[0].end', '$.library[0].libretimeFileId']));
  });

  it('names references that do not resolve and imports nothing', async () => {
    const bundle = smallStationBundle();
    bundle.clocks![1]!.elements[1]!.ruleSet = 'late-night club beats';
    bundle.campaigns![0]!.copy[0]!.track = 'psa-1';
    bundle.grid!.weekly![1]!.clock = 'Afternoon';
    bundle.campaigns![0]!.end = '2026-10-01';

    const problems = await importExpectingProblems(bundle);
    expect(problems).toEqual(
      expect.arrayContaining([
        { path: '$.clocks[1].elements[1].ruleSet', message: 'no rule set named "late-night club beats" in this bundle' },
        { path: '$.campaigns[0].copy[0].track', message: 'copy must be an ADV track; "psa-1" is PSA' },
        { path: '$.grid.weekly[1].clock', message: 'no clock named "Afternoon" in this bundle' },
        { path: '$.campaigns[0].end', message: 'ends (2026-10-01) before it starts (2026-11-01)' },
      ]),
    );
    expect(await Station.query(db).resultSize()).toBe(0);
  });

  it('rolls back everything when the database refuses part of the bundle', async () => {
    // A second station may not reuse a LibreTime file id… of the same station: force a unique clash.
    const bundle = smallStationBundle();
    bundle.library![0]!.libretimeFileId = 42;
    bundle.library![1]!.libretimeFileId = 42;
    await expect(importStationBundle(db, bundle)).rejects.toThrow(/tracks_station_id_libretime_file_id_unique/);
    expect(await Station.query(db).resultSize()).toBe(0);
    expect(await Track.query(db).resultSize()).toBe(0);
  });
});

describe("the station's fill material", () => {
  it('is kept as the bundle orders it, left as it was by a bundle that does not say, and exported', async () => {
    const { stationId } = await importStationBundle(db, smallStationBundle());
    const fillTypes = async () => ((await db('stations').where({ id: stationId }).first(db.raw('array_to_json(fill_types) as fill_types'))) as { fillTypes: string[] }).fillTypes;
    expect(await fillTypes()).toEqual(['PRO', 'PSA', 'BED']);

    const bundle = smallStationBundle();
    bundle.station.fillTypes = ['BED', 'PRO'];
    await importStationBundle(db, bundle);
    expect(await fillTypes()).toEqual(['BED', 'PRO']);
    await importStationBundle(db, smallStationBundle());
    expect(await fillTypes()).toEqual(['BED', 'PRO']);

    const { exportStationBundle } = await import('../../db/bundle-export.js');
    const exported = await exportStationBundle(db, stationId);
    expect(exported.station.fillTypes).toEqual(['BED', 'PRO']);
    expect(() => validateStationBundle(JSON.parse(JSON.stringify(exported)))).not.toThrow();
  });

  it('is refused empty, with a type twice, or with spots or voice tracks', async () => {
    for (const fillTypes of [[], ['PSA', 'PSA'], ['ADV'], ['VT']]) {
      const bundle = smallStationBundle() as unknown as { station: Record<string, unknown> };
      bundle.station.fillTypes = fillTypes;
      const problems = await importExpectingProblems(bundle);
      expect(problems.map((p) => p.path)[0]).toMatch(/^\$\.station\.fillTypes/);
    }
  });
});

describe('exporting and importing again', () => {
  it('keeps a track that had no ref as the same track', async () => {
    const { stationId } = await importStationBundle(db, smallStationBundle());
    const added = await Track.query(db).insert({ stationId, type: 'MUS', title: 'Added in LibreLog', artist: 'Someone New', lengthMs: 200_000 }).returning('*');
    const { exportStationBundle } = await import('../../db/bundle-export.js');
    const exported = await exportStationBundle(db, stationId);
    expect(exported.library!.map((t) => t.ref)).toContain(`id:${added.id}`);

    await importStationBundle(db, JSON.parse(JSON.stringify(exported)) as unknown);
    const copies = await Track.query(db).where({ stationId, title: 'Added in LibreLog' });
    expect(copies.map((t) => [t.id, t.ref])).toEqual([[added.id, `id:${added.id}`]]);
  });
});
