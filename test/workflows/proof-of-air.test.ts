// Proof of what aired, end to end on Temporal's time-skipping test server and PostgreSQL
// (issue 13): a day is built, approved and published by its run; AzuraCast's song history for
// it — everything but two spots — is pulled, the day's run is told, and reconciliation owes two
// make-goods; the next day's build places them, they air, and the month's affidavit lists them
// as make-goods of the spots they make good. A station that publishes to files waits for its
// as-run instead, and once an operator confirms the day as aired it owes nothing.
import { bundleWorkflowCode, DefaultLogger, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { Client, type WorkflowHandle } from '@temporalio/client';
import { parse as parseCsv } from 'csv-parse/sync';
import { DateTime } from 'luxon';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PDFParse } from 'pdf-parse';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activityDeps, createActivities } from '../../activities/index.js';
import { createApp } from '../../api/app.js';
import { importStationBundle } from '../../db/bundle-import.js';
import { errorsToAcknowledge } from '../../domain/approval.js';
import type { StationBundle } from '../../domain/bundle/types.js';
import type { ExceptionKind, ExceptionSeverity } from '../../domain/vocabulary.js';
import { prepareAffidavit } from '../../reports/affidavits.js';
import { startBroadcastDay } from '../../temporal/broadcast-days.js';
import { WORKFLOWS_PATH } from '../../temporal/worker.js';
import { monthlyAffidavits } from '../../workflows/affidavits.js';
import { azuracastDailyPull } from '../../workflows/azuracast.js';
import type { broadcastDay } from '../../workflows/broadcast-day.js';
import { approveUpdate, publishUpdate, stateQuery } from '../../workflows/broadcast-day-messages.js';
import { startFakeAzuraCast, type FakeAzuraCast, type FakeHistoryRow } from '../fakes/azuracast.js';
import { smallStationBundle } from '../fixtures/bundles.js';
import { useTestDatabase } from '../support/db.js';
import { makePerson } from '../support/people.js';
import { useTimeSkipping } from '../support/temporal.js';
import { until } from '../support/until.js';

const db = useTestDatabase();
const skipping = useTimeSkipping();
const SECRET = 'proof-of-air-secret';
const ZONE = 'America/Phoenix';

let dataDir: string;
let workflowBundle: WorkflowBundleWithSourceMap;
/**
 * An ordinary client of the test server. Awaiting a result through the test environment's own
 * client lets the server skip time, and a day waiting for its as-run would look again hour after
 * hour (and give up) while the test waits for something else; these days have aired already, so
 * time passes only where a test says so (`env.sleep`).
 */
let client: Client;
beforeAll(async () => {
  client = new Client({ connection: skipping.env.connection, namespace: skipping.env.namespace ?? 'default' });
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'librelog-proof-of-air-'));
  // Built once for the file; each test's worker has its own task queue.
  workflowBundle = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: new DefaultLogger('WARN') });
});
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

// Days that have aired, recent enough that a day's run still waits for its as-run (it gives up a
// week after the as-run was due, the day's end + 24 h). The two AzuraCast days follow each other
// in one month, so one month's affidavit shows the missed spots and their make-goods.
const today = DateTime.now().setZone(ZONE).startOf('day');
const secondDay = today.minus({ days: today.minus({ days: 2 }).day === 1 ? 3 : 2 });
const firstDay = secondDay.minus({ days: 1 });
const [day1, day2] = [firstDay.toISODate()!, secondDay.toISODate()!];
const month = secondDay.toFormat('yyyy-MM');

/**
 * The small station under its own call sign, with its one campaign in flight around these days,
 * at any hour. AzuraCast keeps no history row for a song played again straight after itself, so
 * the station has a real station's variety — no song or PSA of its days follows itself: sixteen
 * songs, five PSAs, and the Morning Drive clock every hour (the 06:00 clock's fill can repeat the
 * PSA before it).
 */
function station(slug: string, name: string): StationBundle {
  const bundle = smallStationBundle();
  const flight = { start: today.minus({ days: 30 }).toISODate()!, end: today.plus({ days: 30 }).toISODate()! };
  const songs = Array.from({ length: 16 }, (_, i) => ({
    ref: `song-${i + 1}`,
    type: 'MUS' as const,
    title: `Song Number ${i + 1}`,
    artist: `Artist ${String.fromCharCode(65 + i)}`,
    genre: 'pop',
    mood: 'upbeat',
    bpm: 100 + i,
    energy: 4 + (i % 4),
    length: 200 + i * 7,
  }));
  const psas = ['Wear Sunscreen', 'Adopt a Shelter Pet', 'Library Card Month', 'Monsoon Safety'].map((title, i) => ({ ref: `psa-${i + 2}`, type: 'PSA' as const, title, length: 30, categories: ['health'] }));
  return {
    ...bundle,
    station: { ...bundle.station, slug, name },
    // The Morning Drive clock every hour of every day.
    grid: { weekly: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], hours: [...Array(24).keys()], clock: 'Morning Drive' }], overrides: [] },
    library: [...bundle.library!, ...songs, ...psas],
    campaigns: bundle.campaigns!.map((c) => ({ ...c, ...flight, dayparts: [] })),
  };
}

interface Entry {
  id: string;
  type: string;
  startsAt: Date;
  lengthMs: number;
  title: string;
  artist: string | null;
  campaignId: string | null;
}

async function entriesOf(slug: string, date: string): Promise<Entry[]> {
  return (await db('log_entries as e')
    .join('daily_logs as l', 'l.id', 'e.log_id')
    .join('stations as s', 's.id', 'l.station_id')
    .leftJoin('tracks as t', 't.id', 'e.track_id')
    .where({ 's.slug': slug, 'l.broadcast_date': date })
    .orderBy('e.position')
    .select('e.id', 'e.type', 'e.starts_at as startsAt', 'e.length_ms as lengthMs', 'e.title', 't.artist', 'e.campaign_id as campaignId')) as Entry[];
}

/**
 * AzuraCast's song history of a stretch of air that played these entries at their times: one
 * row per song change (SongHistoryRepository::isDifferentFromCurrentSong — the same song again
 * straight after itself adds no row, as the fake's own pushes do).
 */
function historyOf(entries: readonly Entry[]): FakeHistoryRow[] {
  const rows: FakeHistoryRow[] = [];
  let current = '';
  for (const e of entries) {
    const song = `${e.artist ?? ''} - ${e.title}`.toLowerCase();
    if (song === current) continue;
    current = song;
    rows.push({ timestamp_start: Math.floor(e.startsAt.getTime() / 1000), duration: e.lengthMs / 1000, title: e.title, artist: e.artist ?? '' });
  }
  return rows;
}

/** A clock on the log's station time: "07:20:40". */
const stationClock = (at: Date) => DateTime.fromJSDate(at, { zone: ZONE }).toFormat('HH:mm:ss');

type Day = WorkflowHandle<typeof broadcastDay>;

/** The day's run, started as the API and the build schedule start it, through its build, approval and publishing, to waiting for its as-run. */
async function publishAndAir(taskQueue: string, slug: string, date: string, checkDraft: (entries: Entry[]) => Promise<void> = () => Promise.resolve()): Promise<Day> {
  const handle = await startBroadcastDay(client, taskQueue, { slug }, date);
  const built = await until(() => handle.query(stateQuery), (s) => s.status === 'awaiting_approval', `the draft of ${slug} ${date}`);
  await checkDraft(await entriesOf(slug, date));
  // Traffic approves what it saw, acknowledging whatever errors the build reports.
  const log = (await db('daily_logs as l').join('stations as s', 's.id', 'l.station_id').where({ 's.slug': slug, 'l.broadcast_date': date }).first('l.id')) as { id: string };
  const errors = errorsToAcknowledge((await db('log_exceptions').where({ logId: log.id, logVersion: built.version }).select('id', 'kind', 'severity')) as { id: string; kind: ExceptionKind; severity: ExceptionSeverity }[]);
  await handle.executeUpdate(approveUpdate, { args: [{ userId: null, role: 'traffic', version: built.version, acknowledgements: errors.map((x) => ({ exceptionId: x.id, reason: 'seen' })) }] });
  await handle.executeUpdate(publishUpdate, { args: [{ userId: null, role: 'admin', version: built.version }] });
  // The day has aired: nothing has come back yet, so the run waits for its as-run.
  await until(() => handle.query(stateQuery), (s) => s.status === 'reconciling' && s.step.startsWith('awaiting the as-run'), `${slug} ${date} awaiting its as-run`);
  return handle;
}

function withWorker<T>(taskQueue: string, fn: () => Promise<T>): Promise<T> {
  return Worker.create({
    connection: skipping.env.nativeConnection,
    namespace: skipping.env.namespace ?? 'default',
    taskQueue,
    workflowBundle,
    activities: createActivities(activityDeps(db, dataDir)),
  }).then((worker) => worker.runUntil(fn));
}

function api(taskQueue: string) {
  return createApp({
    db,
    temporal: { namespace: 'default', check: () => Promise.resolve() },
    jwtSecret: SECRET,
    dataDir,
    log: () => undefined,
    broadcastDays: { client, taskQueue, namespace: skipping.env.namespace ?? 'default', temporalUiUrl: 'http://localhost:8233' },
  });
}

interface DayReport {
  state: string;
  overdue?: boolean;
  counts: Record<string, number>;
  entries: { entryId: string; outcome: string | null; makeGoodOf: string | null }[];
}

describe('proof of what aired', () => {
  let fake: FakeAzuraCast | undefined;
  afterAll(async () => {
    await fake?.close();
  });

  it("AzuraCast's history shows two spots missed: two make-goods owed, placed first in the next day's log, aired, and on the month's affidavit as make-goods of their originals", async () => {
    const taskQueue = 'proof-of-air-azuracast';
    const { stationId } = await importStationBundle(db, station('kazc', 'KAZC Streaming Radio'));
    fake = await startFakeAzuraCast({ timezone: ZONE });
    await db('stations').where({ id: stationId }).update({ azuracastUrl: fake.url, azuracastStationId: fake.stationId, azuracastApiKey: fake.apiKey });
    const campaignId = ((await db('campaigns').where({ stationId }).first('id')) as { id: string }).id;
    const traffic = await makePerson(db, SECRET, 'traffic', { stations: ['kazc'] });
    const report = async (date: string) =>
      (await request(api(taskQueue)).get(`/api/v1/stations/kazc/logs/${date}/reconciliation`).set('Authorization', traffic.authorization).expect(200)).body as DayReport;
    const pull = (date: string) => client.workflow.execute(azuracastDailyPull, { taskQueue, workflowId: `azuracast-pull:kazc:${date}`, args: [{ station: 'kazc', date }] });

    await withWorker(taskQueue, async () => {
      // The first day publishes and airs; it waits for its as-run, counting nothing missed.
      const first = await publishAndAir(taskQueue, 'kazc', day1);
      expect(await db('make_goods')).toEqual([]);
      expect(await report(day1)).toMatchObject({ state: 'awaiting_as_run' });

      // AzuraCast played all of it but two of the campaign's spots. The daily pull copies the
      // day's history and tells the day's run, which reconciles at once (time stands still on
      // the test server here: the run was told, it did not look again on its own).
      const entries1 = await entriesOf('kazc', day1);
      const spots1 = entries1.filter((e) => e.campaignId === campaignId);
      expect(spots1).toHaveLength(6);
      const missed = [spots1[1]!, spots1[4]!];
      const aired1 = historyOf(entries1.filter((e) => !missed.includes(e)));
      expect(aired1).toHaveLength(entries1.length - 2);
      fake!.history.push(...aired1);
      expect(await pull(day1)).toMatchObject({ date: day1, plays: aired1.length });
      const done1 = await first.result();
      expect([done1.status, done1.step]).toEqual(['reconciled', `reconciled: ${aired1.length} aired, 2 make-good(s) owed`]);

      // Exactly the two spots AzuraCast did not play are missed, and a make-good is owed for each.
      const reconciled1 = await report(day1);
      expect(reconciled1).toMatchObject({ state: 'reconciled', counts: { missed: 2 } });
      const outcomeOf = new Map(reconciled1.entries.map((e) => [e.entryId, e.outcome]));
      expect(spots1.map((s) => outcomeOf.get(s.id))).toEqual(spots1.map((s) => (missed.includes(s) ? 'missed' : 'aired')));
      const owed = (await db('make_goods').orderBy('createdAt').select('missedEntryId', 'campaignId', 'reason', 'status')) as Record<string, unknown>[];
      expect(owed).toEqual(expect.arrayContaining(missed.map((s) => ({ missedEntryId: s.id, campaignId, reason: 'missed', status: 'owed' }))));
      expect(owed).toHaveLength(2);

      // The next day's build places both make-goods (they are placed first) and the day's own six
      // spots as well; each make-good is scheduled, linked to the entry that carries it.
      const second = await publishAndAir(taskQueue, 'kazc', day2, async (draft) => {
        const makeGoods = (await db('make_goods').select('missedEntryId', 'status', 'scheduledEntryId')) as { missedEntryId: string; status: string; scheduledEntryId: string | null }[];
        expect(makeGoods.map((m) => m.status)).toEqual(['scheduled', 'scheduled']);
        const placed = makeGoods.map((m) => draft.find((e) => e.id === m.scheduledEntryId));
        expect(placed.map((e) => e && { type: e.type, campaignId: e.campaignId })).toEqual([
          { type: 'ADV', campaignId },
          { type: 'ADV', campaignId },
        ]);
        expect(draft.filter((e) => e.campaignId === campaignId)).toHaveLength(6 + 2);
      });
      const entries2 = await entriesOf('kazc', day2);
      const links = (await db('make_goods').select('missedEntryId', 'scheduledEntryId')) as { missedEntryId: string; scheduledEntryId: string }[];
      const makeGoodFor = (original: Entry) => entries2.find((e) => e.id === links.find((m) => m.missedEntryId === original.id)?.scheduledEntryId)!;
      expect(missed.map((s) => makeGoodFor(s)?.campaignId)).toEqual([campaignId, campaignId]);

      // This time everything aired, the make-goods too: reconciled, nothing owed, both settled.
      const aired2 = historyOf(entries2);
      expect(aired2).toHaveLength(entries2.length);
      fake!.history.push(...aired2);
      expect(await pull(day2)).toMatchObject({ date: day2, plays: aired2.length });
      const done2 = await second.result();
      expect([done2.status, done2.step]).toEqual(['reconciled', `reconciled: ${aired2.length} aired, 0 make-good(s) owed`]);
      const settled = (await db('make_goods').select('missedEntryId', 'scheduledEntryId', 'status', 'resolvedAt')) as { missedEntryId: string; scheduledEntryId: string; status: string; resolvedAt: Date | null }[];
      expect(settled.map((m) => m.status)).toEqual(['aired', 'aired']);
      expect(settled.every((m) => m.resolvedAt !== null)).toBe(true);
      const reconciled2 = await report(day2);
      expect(reconciled2).toMatchObject({ state: 'reconciled', counts: { missed: 0 } });
      expect(reconciled2.entries.filter((e) => e.makeGoodOf !== null).map((e) => ({ outcome: e.outcome, makeGoodOf: e.makeGoodOf })).sort((a, b) => a.makeGoodOf!.localeCompare(b.makeGoodOf!))).toEqual(
        missed.map((s) => ({ outcome: 'aired', makeGoodOf: s.id })).sort((a, b) => a.makeGoodOf.localeCompare(b.makeGoodOf)),
      );

      // The month closes: its Schedule's run files each advertiser's affidavit.
      const filed = await client.workflow.execute(monthlyAffidavits, { taskQueue, workflowId: `affidavits:kazc:${month}`, args: [{ station: 'kazc', month }] });
      expect(filed).toEqual({ station: 'kazc', month, files: [`kazc/${month}/kazc-affidavit-rainbow-motors-${month}.pdf`, `kazc/${month}/kazc-affidavit-rainbow-motors-${month}.csv`] });
      const folder = path.join(dataDir, 'affidavits', 'kazc', month);

      // The CSV: each make-good aired on the second day, naming the date and time of the spot it makes good; those spots are missed.
      const rows = parseCsv(await readFile(path.join(folder, `kazc-affidavit-rainbow-motors-${month}.csv`), 'utf8'), { columns: true }) as Record<string, string>[];
      const makeGoodRows = rows.filter((r) => r.make_good === 'yes');
      const byTime = <T extends Record<string, string>>(rows: T[], key: keyof T) => [...rows].sort((a, b) => a[key]!.localeCompare(b[key]!));
      expect(
        byTime(
          makeGoodRows.map((r) => ({ status: r.status!, air_date: r.air_date!, air_time: r.air_time!, make_good_of_date: r.make_good_of_date!, make_good_of_time: r.make_good_of_time! })),
          'make_good_of_time',
        ),
      ).toEqual(
        byTime(
          missed.map((s) => ({ status: 'aired', air_date: day2, air_time: stationClock(makeGoodFor(s).startsAt), make_good_of_date: day1, make_good_of_time: `${stationClock(s.startsAt)} MST` })),
          'make_good_of_time',
        ),
      );
      expect(byTime(rows.filter((r) => r.status === 'missed').map((r) => ({ scheduled_date: r.scheduled_date!, scheduled_time: r.scheduled_time! })), 'scheduled_time')).toEqual(
        byTime(missed.map((s) => ({ scheduled_date: day1, scheduled_time: stationClock(s.startsAt) })), 'scheduled_time'),
      );
      expect(rows).toHaveLength(6 + 6 + 2);

      // The PDF says the same in words.
      const parser = new PDFParse({ data: new Uint8Array(await readFile(path.join(folder, `kazc-affidavit-rainbow-motors-${month}.pdf`))) });
      const { text } = await parser.getText();
      await parser.destroy();
      for (const s of missed) expect(text).toContain(`Make-good of ${day1} ${stationClock(s.startsAt).slice(0, 5)} MST`);

      // And its totals: ten of the ordered spots and the two make-goods aired; two missed.
      const advertiserId = ((await db('advertisers').where({ stationId }).first('id')) as { id: string }).id;
      const affidavit = await prepareAffidavit(db, stationId, { advertiserId, kind: 'month', month, signer: null, now: new Date() });
      expect(affidavit.totals).toMatchObject({ aired: 12, makeGoodsAired: 2, missed: 2, awaitingAsRun: 0 });
    });
    expect(fake.violations).toEqual([]);
  }, 120_000);

  it("a station that publishes to files waits for its as-run, owing nothing, and once traffic confirms the day as aired it is reconciled with nothing owed", async () => {
    const taskQueue = 'proof-of-air-files';
    const { stationId } = await importStationBundle(db, station('kfil', 'KFIL Files Radio'));
    const date = today.minus({ days: 2 }).toISODate()!;
    const traffic = await makePerson(db, SECRET, 'traffic', { stations: ['kfil'] });
    const app = api(taskQueue);
    const report = async () => (await request(app).get(`/api/v1/stations/kfil/logs/${date}/reconciliation`).set('Authorization', traffic.authorization).expect(200)).body as DayReport;

    let entries: Entry[] = [];
    await withWorker(taskQueue, async () => {
      const day = await publishAndAir(taskQueue, 'kfil', date);
      entries = await entriesOf('kfil', date);
      // Nothing comes back from files: the day awaits its as-run (overdue by now), counting nothing missed.
      expect((await day.query(stateQuery)).step).toBe('awaiting the as-run: overdue');
      expect(await db('daily_logs').where({ stationId, broadcastDate: date }).first('status', 'reconciledAt')).toEqual({ status: 'reconciling', reconciledAt: null });
      expect(await report()).toMatchObject({ state: 'awaiting_as_run', overdue: true, counts: { awaiting_as_run: entries.length, missed: 0 } });
      expect(await db('make_goods')).toEqual([]);

      // Three hours pass on the test server: the run looks again every hour, and still waits, owing nothing.
      const looks = async () => (await day.fetchHistory()).events!.filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'reconcileDay').length;
      const looked = await looks();
      await skipping.env.sleep('3 hours');
      await until(looks, (n) => n >= looked + 3, 'three more looks at the as-run');
      expect((await day.query(stateQuery)).step).toBe('awaiting the as-run: overdue');
      expect(await db('make_goods')).toEqual([]);

      // Traffic signs the whole day as aired as logged; the day's run is told and reconciles.
      const confirmed = await request(app).post(`/api/v1/stations/kfil/logs/${date}/confirmation`).set('Authorization', traffic.authorization).send({}).expect(200);
      expect(confirmed.body).toEqual({ format: 'confirmation', plays: entries.length, added: entries.length, problems: [], reconciling: true });
      expect(await day.result()).toMatchObject({ status: 'reconciled', step: `reconciled: ${entries.length} aired, 0 make-good(s) owed` });
    });
    expect(await report()).toMatchObject({ state: 'reconciled', counts: { aired: entries.length, missed: 0 } });
    expect(await db('make_goods')).toEqual([]);
  }, 120_000);
});
