// What the engine reads for a day: the play history rotation and separation see, and the
// station's fill material.
import { describe, expect, it } from 'vitest';
import { importStationBundle } from '../../db/bundle-import.js';
import { HISTORY_DAYS, createLogInputsLoader } from '../../db/log-inputs.js';
import { smallStationBundle } from '../fixtures/bundles.js';
import { useTestDatabase } from '../support/db.js';

const db = useTestDatabase();

/** A built log of `date` with one song at 08:00 local (Phoenix, UTC−7). */
async function loggedSong(stationId: string, trackId: string, date: string, position = 0) {
  const [log] = (await db('daily_logs')
    .insert({ stationId, broadcastDate: date, workflowId: `broadcast-day:kqtr:${date}`, status: 'reconciled', version: 1 })
    .returning('id')) as { id: string }[];
  const startsAt = new Date(`${date}T15:00:00Z`);
  await db('log_entries').insert({ id: crypto.randomUUID(), logId: log!.id, position, startsAt, lengthMs: 200_000, type: 'MUS', trackId, hour: 8, title: 'x' });
  return startsAt.getTime();
}

describe('the history a day is built with', () => {
  it('reads the logs of the last seven days at least, and what aired that no log accounts for', async () => {
    const { stationId } = await importStationBundle(db, smallStationBundle());
    const [song, other] = (await db('tracks').where({ stationId, type: 'MUS' }).orderBy('title').pluck('id')) as string[];
    expect(HISTORY_DAYS).toBe(7);
    // The rule set's title separation is 4 h, so only the week counts.
    const sevenDaysBefore = await loggedSong(stationId, song!, '2026-12-03');
    await loggedSong(stationId, song!, '2026-12-02'); // eight days before: too old
    const yesterday = await loggedSong(stationId, song!, '2026-12-09');
    await loggedSong(stationId, song!, '2026-12-10'); // the day itself: not history
    const aired = new Date('2026-12-06T20:00:00Z');
    await db('playback_history').insert({ stationId, source: 'libretime', externalId: 'p-1', trackId: other, startedAt: aired, title: 'Monsoon Heart', artist: 'Lavender Static' });

    const inputs = await createLogInputsLoader(db).load('kqtr', '2026-12-10', 1);
    expect(inputs.history.map((p) => p.startsAt).sort()).toEqual([sevenDaysBefore, aired.getTime(), yesterday].sort());
    expect(inputs.history.find((p) => p.trackId === other)).toMatchObject({ title: 'Monsoon Heart', artist: 'Lavender Static' });
  });

  it("passes the station's fill material on, promos, PSAs and beds unless it names others", async () => {
    const { stationId } = await importStationBundle(db, smallStationBundle());
    const loader = createLogInputsLoader(db);
    expect((await loader.load('kqtr', '2026-12-10', 1)).station.fillTypes).toEqual(['PRO', 'PSA', 'BED']);
    await db('stations').where({ id: stationId }).update({ fillTypes: db.raw("'{BED,LIN}'::track_type[]") });
    expect((await loader.load('kqtr', '2026-12-10', 1)).station.fillTypes).toEqual(['BED', 'LIN']);
  });

  it('keeps the programming it read until someone changes it, and reads the change at once', async () => {
    const { stationId } = await importStationBundle(db, smallStationBundle());
    const loader = createLogInputsLoader(db);
    const first = await loader.load('kqtr', '2026-12-10', 1);
    expect((await loader.load('kqtr', '2026-12-10', 1)).clocks).toBe(first.clocks);
    const clock = first.clocks.find((c) => c.name === 'Morning Drive')!;
    await db('clock_elements').where({ clockId: clock.id, position: 1 }).update({ count: 6 });
    const changed = await loader.load('kqtr', '2026-12-10', 1);
    expect(changed.clocks).not.toBe(first.clocks);
    expect(changed.clocks.find((c) => c.id === clock.id)!.elements.find((e) => e.position === 1)!.count).toBe(6);
    await db('grid_slots').where({ stationId, weekday: 4, hour: 7 }).delete();
    expect((await loader.load('kqtr', '2026-12-10', 1)).grid['4:7']).toBeUndefined();
  });

  it('keeps no failed read: once the database answers again, the next load succeeds', async () => {
    await importStationBundle(db, smallStationBundle());
    const loader = createLogInputsLoader(db);
    // The library cannot be read for a moment (a column gone, as good as a database down).
    await db.raw('ALTER TABLE tracks RENAME COLUMN energy TO energy_away');
    await expect(loader.load('kqtr', '2026-12-10', 1)).rejects.toThrow(/energy/);
    await db.raw('ALTER TABLE tracks RENAME COLUMN energy_away TO energy');
    expect((await loader.load('kqtr', '2026-12-10', 1)).library.length).toBeGreaterThan(0);
  });
});
