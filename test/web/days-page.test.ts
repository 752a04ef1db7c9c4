// The stations page: every station with its next seven broadcast days, in its own timezone.
import { describe, expect, it } from 'vitest';
import { DailyLog, Station } from '../../db/models.js';
import { listStationsWithNextDays } from '../../web/app/lib/stations.server.js';
import { useTestDatabase } from '../support/db.js';

const db = useTestDatabase();

// 05:30 UTC on Sunday 8 March 2026: still Saturday 7 March (22:30) in Phoenix, already
// Sunday 8 March (00:30, the night US clocks spring forward) in New York.
const NOW = new Date('2026-03-08T05:30:00Z');
const TEMPORAL = { temporalUiUrl: 'http://localhost:8233', namespace: 'default' };

async function twoStations() {
  const demo = await Station.query(db).insert({ slug: 'demo', name: 'GayPHX Radio', timezone: 'America/Phoenix' });
  const east = await Station.query(db).insert({ slug: 'east', name: 'WEST Coast to Coast', timezone: 'America/New_York' });
  await DailyLog.query(db).insert({
    stationId: demo.id,
    broadcastDate: '2026-03-07',
    status: 'awaiting_approval',
    version: 1,
    workflowId: 'broadcast-day:demo:2026-03-07',
  });
  return { demo, east };
}

describe('the stations page', () => {
  it('with no stations there is nothing to list', async () => {
    expect(await listStationsWithNextDays(db, { now: NOW, ...TEMPORAL })).toEqual([]);
  });

  it('lists every station by name with its slug and timezone', async () => {
    await twoStations();
    const stations = await listStationsWithNextDays(db, { now: NOW, ...TEMPORAL });
    expect(stations.map(({ name, slug, timezone }) => ({ name, slug, timezone }))).toEqual([
      { name: 'GayPHX Radio', slug: 'demo', timezone: 'America/Phoenix' },
      { name: 'WEST Coast to Coast', slug: 'east', timezone: 'America/New_York' },
    ]);
  });

  it("shows each station's next seven broadcast days, starting today in the station's own timezone", async () => {
    await twoStations();
    const [demo, east] = await listStationsWithNextDays(db, { now: NOW, ...TEMPORAL });
    expect(demo!.days.map((day) => day.date)).toEqual(['2026-03-07', '2026-03-08', '2026-03-09', '2026-03-10', '2026-03-11', '2026-03-12', '2026-03-13']);
    // The spring-forward day (23 hours) is still one broadcast day.
    expect(east!.days.map((day) => day.date)).toEqual(['2026-03-08', '2026-03-09', '2026-03-10', '2026-03-11', '2026-03-12', '2026-03-13', '2026-03-14']);
    expect(demo!.days.map((day) => day.isToday)).toEqual([true, false, false, false, false, false, false]);
    expect(east!.days[0]!.isToday).toBe(true);
  });

  it("a built day shows its log's status and version; the other days are not built", async () => {
    await twoStations();
    const [demo, east] = await listStationsWithNextDays(db, { now: NOW, ...TEMPORAL });
    expect(demo!.days[0]).toMatchObject({ date: '2026-03-07', status: 'awaiting_approval', version: 1 });
    for (const day of [...demo!.days.slice(1), ...east!.days]) {
      expect(day).toMatchObject({ status: 'not_built', version: null });
    }
  });

  it("every day links to its broadcast-day run in Temporal UI, built or not", async () => {
    await twoStations();
    const [demo, east] = await listStationsWithNextDays(db, { now: NOW, ...TEMPORAL });
    expect(demo!.days[0]).toMatchObject({
      workflowId: 'broadcast-day:demo:2026-03-07',
      temporalUrl: 'http://localhost:8233/namespaces/default/workflows/broadcast-day%3Ademo%3A2026-03-07',
    });
    expect(east!.days[6]).toMatchObject({
      workflowId: 'broadcast-day:east:2026-03-14',
      temporalUrl: 'http://localhost:8233/namespaces/default/workflows/broadcast-day%3Aeast%3A2026-03-14',
    });
  });

  it("a built day links to the run named in its log", async () => {
    const { demo } = await twoStations();
    await DailyLog.query(db).insert({
      stationId: demo.id,
      broadcastDate: '2026-03-08',
      status: 'building',
      version: 0,
      workflowId: 'broadcast-day:demo:2026-03-08:rebuild',
    });
    const [page] = await listStationsWithNextDays(db, { now: NOW, temporalUiUrl: 'https://temporal.example.org/', namespace: 'librelog' });
    expect(page!.days[1]).toMatchObject({
      status: 'building',
      version: 0,
      workflowId: 'broadcast-day:demo:2026-03-08:rebuild',
      temporalUrl: 'https://temporal.example.org/namespaces/librelog/workflows/broadcast-day%3Ademo%3A2026-03-08%3Arebuild',
    });
  });
});
