// Every worker keeps every station's schedules at start: a new or restored Temporal cluster gets
// them without anyone editing a station, and several workers starting together agree.
import { afterAll, describe, expect, it } from 'vitest';
import { importStationBundle } from '../../db/bundle-import.js';
import { azuracastPullScheduleId } from '../../temporal/azuracast.js';
import { buildScheduleId } from '../../temporal/broadcast-days.js';
import { librarySyncScheduleId } from '../../temporal/library-sync.js';
import { affidavitScheduleId } from '../../temporal/affidavits.js';
import { royaltyReportScheduleId } from '../../temporal/royalty-reports.js';
import { keepStationSchedules } from '../../temporal/station-schedules.js';
import { smallStationBundle } from '../fixtures/bundles.js';
import { useTestDatabase } from '../support/db.js';
import { useTemporal } from '../support/temporal.js';

const db = useTestDatabase();
const temporal = useTemporal();
// Schedule ids are shared by every test file on the one Temporal server: a station of its own.
const SLUG = 'ksch';
const ids = [buildScheduleId(SLUG), librarySyncScheduleId(SLUG), azuracastPullScheduleId(SLUG), affidavitScheduleId(SLUG), royaltyReportScheduleId(SLUG)];

afterAll(async () => {
  for (const id of ids) await temporal.env.client.schedule.getHandle(id).delete().catch(() => undefined);
});

describe('keeping the stations’ schedules', () => {
  it('makes each station’s build, LibreTime sync, AzuraCast pull, affidavit and royalty report schedules, the same however often it runs', async () => {
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
    // The royalty files: the 2nd of the month at 07:00 station time, after the affidavits.
    const royalty = await temporal.env.client.schedule.getHandle(royaltyReportScheduleId(SLUG)).describe();
    expect(royalty.spec.calendars?.[0]).toMatchObject({ dayOfMonth: [{ start: 2, end: 2, step: 1 }], hour: [{ start: 7, end: 7, step: 1 }] });
    expect(royalty.action).toMatchObject({ workflowType: 'monthlyRoyaltyReports', args: [{ station: SLUG }] });

    // A station that no longer syncs from LibreTime loses that schedule at the next start.
    await db('stations').where({ slug: SLUG }).update({ playoutTarget: 'file', libretimeUrl: null, libretimeApiKey: null });
    await keepStationSchedules(db, temporal.env.client, temporal.taskQueue);
    await expect(temporal.env.client.schedule.getHandle(librarySyncScheduleId(SLUG)).describe()).rejects.toThrow();
  });
});
