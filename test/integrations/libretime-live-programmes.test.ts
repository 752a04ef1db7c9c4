// A live programme in the log is LibreTime's (issue 15, item 5): against the fake LibreTime,
// LibreLog's instance stops where the live show starts and resumes where it ends, so a live show
// scheduled in LibreTime for that time is never overlapped, and LibreLog's items never play
// during it; a rebuild that adds the live show takes the old whole-day instance away.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DateTime } from 'luxon';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createLibreTimePublisher } from '../../activities/publishing/libretime-publisher.js';
import type { PublishableEntry, PublishableLog } from '../../activities/publishing/publisher.js';
import { importStationBundle } from '../../db/bundle-import.js';
import { createLibreTimeClient } from '../../integrations/libretime/client.js';
import type { LibreTimeApi, LibreTimeConnection } from '../../integrations/libretime/types.js';
import { startFakeLibreTime, type FakeLibreTime } from '../fakes/libretime.js';
import { smallStationBundle } from '../fixtures/bundles.js';
import { useTestDatabase } from '../support/db.js';

const db = useTestDatabase();
let fake: FakeLibreTime;
let dataDir: string;
beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'librelog-live-'));
});
afterAll(() => rm(dataDir, { recursive: true, force: true }));
afterEach(async () => {
  expect(fake.violations).toEqual([]);
  await fake.close();
});

const fastClient = (connection: LibreTimeConnection): LibreTimeApi => createLibreTimeClient(connection, { retries: 1, sleep: () => Promise.resolve() });

async function libretimeStation() {
  fake = await startFakeLibreTime({ importAfterPolls: 1 });
  await importStationBundle(db, smallStationBundle());
  await db('stations').where({ slug: 'kqtr' }).update({ playoutTarget: 'libretime', libretimeUrl: fake.url, libretimeApiKey: fake.apiKey });
  const station = (await db('stations').where({ slug: 'kqtr' }).first('id', 'name', 'timezone')) as { id: string; name: string; timezone: string };
  const date = DateTime.now().setZone(station.timezone).plus({ days: 10 }).toISODate()!;
  const local = (time: string) => DateTime.fromISO(`${date}T${time}`, { zone: station.timezone });
  return { station, date, local };
}

type Piece = { song: string; seconds: number } | { live: string; minutes: number };

/** A log from pieces laid back to back from `at`: songs (a LibreTime file each) and live programmes. */
async function logFrom(station: { id: string; name: string; timezone: string }, date: string, start: DateTime, pieces: Piece[], version = 1): Promise<PublishableLog> {
  let cursor = start;
  const entries: PublishableEntry[] = [];
  for (const [i, piece] of pieces.entries()) {
    const id = `00000000-0000-4000-8000-${String(version).padStart(4, '0')}${String(i).padStart(8, '0')}`;
    if ('live' in piece) {
      const lengthMs = piece.minutes * 60_000;
      entries.push({ id, position: i, startsAt: cursor.toUTC().toISO()!, lengthMs, type: 'LIVE', title: piece.live, artist: null, trackId: null, trackRef: null, libretimeFileId: null, cueInMs: 0, cueOutMs: lengthMs, fadeOutMs: 0, campaignId: null, isFallback: false });
      cursor = cursor.plus({ minutes: piece.minutes });
      continue;
    }
    const lengthMs = piece.seconds * 1000;
    const file = fake.addFile({ import_status: 0, hidden: false, track_title: piece.song, length: '00:05:00', cue_out: '00:05:00' });
    const [track] = (await db('tracks').insert({ stationId: station.id, type: 'MUS', title: piece.song, lengthMs: 300_000, libretimeFileId: file.id }).returning('id')) as { id: string }[];
    entries.push({ id, position: i, startsAt: cursor.toUTC().toISO()!, lengthMs, type: 'MUS', title: piece.song, artist: null, trackId: track!.id, trackRef: null, libretimeFileId: file.id, cueInMs: 0, cueOutMs: lengthMs, fadeOutMs: 0, campaignId: null, isFallback: false });
    cursor = cursor.plus({ seconds: piece.seconds });
  }
  return { station: { id: station.id, slug: 'kqtr', name: station.name, timezone: station.timezone }, date, version, entries };
}

const iso = (t: DateTime) => t.toUTC().toISO()!;
const span = (instance: { starts_at: string; ends_at: string }) => [Date.parse(instance.starts_at), Date.parse(instance.ends_at)];
const before = (prefix: string) => [1, 2, 3, 4].map((n) => ({ song: `${prefix} ${n}`, seconds: 150 }));

describe('a live programme published to LibreTime', () => {
  it('is left to LibreTime: LibreLog’s instances stop at it and resume after it, and the live show scheduled there plays alone', async () => {
    const { station, date, local } = await libretimeStation();
    // The station's live show, scheduled in LibreTime's own calendar (no items: the presenter streams).
    const queerTalk = fake.addShow('Queer Talk Live');
    const theirs = fake.addInstance({ show: queerTalk.id, starts_at: iso(local('19:00')), ends_at: iso(local('20:00')) });
    const log = await logFrom(station, date, local('18:50'), [...before('Before'), { live: 'Queer Talk Live', minutes: 60 }, ...before('After')]);

    const publisher = createLibreTimePublisher({ db, dataDir, libretimeFor: fastClient });
    const receipt = await publisher.publish(log);
    expect(receipt.items).toBe(8);

    const ours = fake.instances.filter((i) => i.id !== theirs.id);
    const dayStart = local('00:00');
    expect(ours.map(span)).toEqual([
      [dayStart.toMillis(), local('19:00').toMillis()],
      [local('20:00').toMillis(), dayStart.plus({ days: 1 }).toMillis()],
    ]);
    const recorded = (await db('libretime_instances').where({ stationId: station.id, broadcastDate: date }).orderBy('startsAt').select('instanceId')) as { instanceId: number }[];
    expect(recorded.map((r) => r.instanceId)).toEqual(ours.map((i) => i.id));
    // Nothing of LibreLog's plays during the live show; each instance plays its items in order.
    const view = fake.playoutView();
    expect(view.duringOtherShows).toEqual([]);
    expect(view.skipped).toEqual([]);
    expect(view.overlaps).toEqual([]);
    expect(view.positionsInTimeOrder).toBe(true);
    expect(fake.schedule.filter((item) => item.instance === ours[0]!.id).map((item) => item.position)).toEqual([0, 1, 2, 3]);
    expect(fake.schedule.filter((item) => item.instance === ours[1]!.id).map((item) => [item.position, item.starts_at])).toEqual([
      [0, iso(local('20:00')).replace('.000', '')],
      [1, iso(local('20:02:30')).replace('.000', '')],
      [2, iso(local('20:05')).replace('.000', '')],
      [3, iso(local('20:07:30')).replace('.000', '')],
    ]);
    // Their show is as it was.
    expect(fake.instances.find((i) => i.id === theirs.id)).toMatchObject({ show: queerTalk.id, modified: false });

    // Publishing again leaves the same instances and one item per entry.
    await publisher.publish(log);
    expect(fake.instances.filter((i) => i.id !== theirs.id).map((i) => i.id)).toEqual(ours.map((i) => i.id));
    expect(fake.schedule).toHaveLength(8);
  });

  it('refuses to publish over a show scheduled in LibreTime where the log has no live element, naming it, and writes nothing', async () => {
    const { station, date, local } = await libretimeStation();
    const queerTalk = fake.addShow('Queer Talk Live');
    fake.addInstance({ show: queerTalk.id, starts_at: iso(local('19:00')), ends_at: iso(local('20:00')) });
    const music = await logFrom(station, date, local('18:50'), [...before('Music'), ...Array.from({ length: 24 }, (_, n) => ({ song: `Hour ${n}`, seconds: 150 }))]);
    const publisher = createLibreTimePublisher({ db, dataDir, libretimeFor: fastClient });
    await expect(publisher.publish(music)).rejects.toThrow(/LibreTime has "Queer Talk Live" 19:00–20:00 \(instance \d+\) scheduled in its own calendar, where this log plays LibreLog's show: both would play at once\. Put a live element/);
    expect(fake.instances.map((i) => i.show)).toEqual([queerTalk.id]);
    expect(fake.schedule).toEqual([]);
  });

  it('a rebuild that adds the live show takes away the whole-day instance that would have played over it', async () => {
    const { station, date, local } = await libretimeStation();
    const publisher = createLibreTimePublisher({ db, dataDir, libretimeFor: fastClient });

    // Version 1 has music through 19:00–20:00, published before the live show was put in LibreTime's calendar …
    const v1 = await logFrom(station, date, local('18:50'), [...before('Music'), ...Array.from({ length: 24 }, (_, n) => ({ song: `Hour ${n}`, seconds: 150 }))]);
    await publisher.publish(v1);
    const queerTalk = fake.addShow('Queer Talk Live');
    const theirs = fake.addInstance({ show: queerTalk.id, starts_at: iso(local('19:00')), ends_at: iso(local('20:00')) });
    // … so in LibreTime its music plays during the live show (the clash), and publishing it again is refused.
    expect(fake.instances.filter((i) => i.id !== theirs.id)).toHaveLength(1);
    expect(fake.playoutView().duringOtherShows.map(([, other]) => other)).toContain(theirs.id);
    await expect(publisher.publish(v1)).rejects.toThrow(/"Queer Talk Live" 19:00–20:00/);

    // Version 2 has the live show: the old instance and its items go, two instances take its place.
    const v2 = await logFrom(station, date, local('18:50'), [...before('Before'), { live: 'Queer Talk Live', minutes: 60 }, ...before('After')], 2);
    await publisher.publish(v2);
    const ours = fake.instances.filter((i) => i.id !== theirs.id);
    expect(ours.map(span)).toEqual([
      [local('00:00').toMillis(), local('19:00').toMillis()],
      [local('20:00').toMillis(), local('00:00').plus({ days: 1 }).toMillis()],
    ]);
    expect(fake.playoutView().duringOtherShows).toEqual([]);
    expect(fake.schedule).toHaveLength(8);
    // The songs taken out are no longer flagged as scheduled.
    expect(fake.files.filter((f) => f.track_title?.startsWith('Hour')).every((f) => !f.scheduled)).toBe(true);
  });

  it('refuses a log whose song would run into the live programme, naming it, and writes nothing', async () => {
    const { station, date, local } = await libretimeStation();
    const log = await logFrom(station, date, local('18:50'), [...before('Before'), { live: 'Network News', minutes: 30 }]);
    // The last song before the feed runs 30 seconds into it.
    log.entries[3]!.lengthMs += 30_000;
    const publisher = createLibreTimePublisher({ db, dataDir, libretimeFor: fastClient });
    await expect(publisher.publish(log)).rejects.toThrow(/Entry 3 "Before 4" .* would run 0:30 into the live programme "Network News" \(19:00–19:30\), which LibreTime keeps for itself/);
    expect(fake.instances).toEqual([]);
    expect(fake.schedule).toEqual([]);
  });
});
