// Every worker keeps every station's schedules at start: a new or restored Temporal cluster gets
// them without anyone editing a station, and several workers starting together agree.
import { afterAll, describe, expect, it } from 'vitest';
import { importStationBundle } from '../../db/bundle-import.js';
import { azuracastPullScheduleId } from '../../temporal/azuracast.js';
import { buildScheduleId } from '../../temporal/broadcast-days.js';
import { librarySyncScheduleId } from '../../temporal/library-sync.js';
import { keepStationSchedules } from '../../temporal/station-schedules.js';
import { smallStationBundle } from '../fixtures/bundles.js';
import { useTestDatabase } from '../support/db.js';
import { useTemporal } from '../support/temporal.js';

const db = useTestDatabase();
const temporal = useTemporal();
// Schedule ids are shared by every test file on the one Temporal server: a station of its own.
const SLUG = 'ksch';
const ids = [buildScheduleId(SLUG), librarySyncScheduleId(SLUG), azuracastPullScheduleId(SLUG)];

afterAll(async () => {
  for (const id of ids) await temporal.env.client.schedule.getHandle(id).delete().catch(() => undefined);
});

describe('keeping the stations’ schedules', () => {
  it('makes each station’s build, LibreTime sync and AzuraCast pull schedules, the same however often it runs', async () => {
    const bundle = smallStationBundle();
    bundle.station.slug = SLUG;
    await importStationBundle(db, bundle);
    await db('stations')
      .where({ slug: SLUG })
      .update({ playoutTarget: 'libretime', libretimeUrl: 'http://libretime.invalid', libretimeApiKey: 'k', azuracastUrl: 'http://azuracast.invalid', azuracastStationId: 1, azuracastApiKey: 'k' });

    await Promise.all([1, 2].map(() => keepStationSchedules(db, temporal.env.client, temporal.taskQueue)));
    const stations = await keepStationSchedules(db, temporal.env.client, temporal.taskQueue);
    expect(stations.map((s) => s.slug)).toEqual([SLUG]);
    const build = await temporal.env.client.schedule.getHandle(buildScheduleId(SLUG)).describe();
    expect(build.spec.timezone).toBe('America/Phoenix');
    expect(build.action).toMatchObject({ type: 'startWorkflow', taskQueue: temporal.taskQueue });
    for (const id of ids.slice(1)) expect((await temporal.env.client.schedule.getHandle(id).describe()).scheduleId).toBe(id);

    // A station that no longer syncs from LibreTime loses that schedule at the next start.
    await db('stations').where({ slug: SLUG }).update({ playoutTarget: 'file', libretimeUrl: null, libretimeApiKey: null });
    await keepStationSchedules(db, temporal.env.client, temporal.taskQueue);
    await expect(temporal.env.client.schedule.getHandle(librarySyncScheduleId(SLUG)).describe()).rejects.toThrow();
  });
});
