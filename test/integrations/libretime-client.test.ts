// The LibreTime client against the fake LibreTime: the calls LibreLog makes, what LibreTime
// refuses and why, how the client rides out an outage, and the fake's own contract checks.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { msToInterval as libretimeDuration } from '../../domain/durations.js';
import { createLibreTimeClient, parseLibretimeDuration, type LibreTimeClientOptions } from '../../integrations/libretime/client.js';
import { LibreTimeRejected, LibreTimeUnavailable, type LibreTimeShowInstance, type NewScheduleItem } from '../../integrations/libretime/types.js';
import { startFakeLibreTime, type FakeLibreTime } from '../fakes/libretime.js';
import { wavFile } from '../fixtures/audio.js';

const API_KEY = 'test-station-key';

let fake: FakeLibreTime;
let waits: number[];

beforeEach(async () => {
  fake = await startFakeLibreTime({ apiKey: API_KEY });
  waits = [];
});

afterEach(async () => {
  await fake.close();
});

/** A client whose backoff only records how long it would have waited. */
function client(options: LibreTimeClientOptions & { apiKey?: string } = {}) {
  const { apiKey = API_KEY, ...rest } = options;
  return createLibreTimeClient(
    { baseUrl: `${fake.url}/`, apiKey },
    {
      sleep: (ms) => {
        waits.push(ms);
        return Promise.resolve();
      },
      ...rest,
    },
  );
}

/** What a request outside the client sends, for the fake's contract checks. */
function raw(method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${fake.url}${path}`, {
    method,
    headers: { Authorization: `Api-Key ${API_KEY}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

function instanceFor(fakeLibreTime: FakeLibreTime, startsAt = '2025-03-01T06:00:00Z', endsAt = '2025-03-01T07:00:00Z'): LibreTimeShowInstance {
  const show = fakeLibreTime.addShow('Morning Drive');
  return fakeLibreTime.addInstance({ show: show.id, starts_at: startsAt, ends_at: endsAt });
}

function item(instance: number, file: number, startsAt: string, position: number, overrides: Partial<NewScheduleItem> = {}): NewScheduleItem {
  const ends = new Date(Date.parse(startsAt) + 205_123).toISOString();
  return {
    starts_at: startsAt,
    ends_at: ends,
    instance,
    file,
    length: libretimeDuration(205_123),
    cue_in: libretimeDuration(0),
    cue_out: libretimeDuration(205_123),
    fade_in: libretimeDuration(500),
    fade_out: libretimeDuration(500),
    position,
    position_status: 1,
    broadcasted: 0,
    ...overrides,
  };
}

async function rejection(promise: Promise<unknown>): Promise<LibreTimeRejected> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(LibreTimeRejected);
  return error as LibreTimeRejected;
}

describe('reading LibreTime', () => {
  it('lists the library and reads one file with its API v2 field names', async () => {
    const song = fake.addFile({ track_title: 'Blue Monday', artist_name: 'New Order', genre: 'Synth-pop', length: '00:07:29.560000', library: 1 });
    fake.addFile({ track_title: 'Spot: Bakery', genre: 'Commercial' });
    const libreTime = client();

    const files = await libreTime.listFiles();
    expect(files.map((file) => file.track_title)).toEqual(['Blue Monday', 'Spot: Bakery']);

    const file = await libreTime.getFile(song.id);
    expect(file).toMatchObject({ id: song.id, artist_name: 'New Order', length: '00:07:29.560000', import_status: 0, library: 1 });
    expect(parseLibretimeDuration(file.length)).toBe(449_560);
  });

  it('a file that does not exist is a 404 refusal, not retried', async () => {
    const error = await rejection(client().getFile(404));
    expect(error.status).toBe(404);
    expect(error.message).toBe('LibreTime refused GET /api/v2/files/404 (404): No File matches the given query.');
    expect(fake.count('GET', '/api/v2/files/404')).toBe(1);
  });

  it('lists track types, what played and when live shows took over', async () => {
    fake.addLibrary({ code: 'MUS', name: 'Music' });
    fake.playoutHistory.push({ id: 1, starts: '2025-03-01T06:00:00Z', ends: '2025-03-01T06:03:25Z', file: 1, instance: 1 });
    fake.liveLogs.push({ id: 1, state: 'L', start_time: '2025-03-01T08:00:00Z', end_time: '2025-03-01T09:00:00Z' });
    const libreTime = client();

    expect(await libreTime.listLibraries()).toEqual([{ id: 1, code: 'MUS', name: 'Music', enabled: true }]);
    expect(await libreTime.listPlayoutHistory()).toEqual(fake.playoutHistory);
    expect(await libreTime.listLiveLogs()).toEqual(fake.liveLogs);
  });
});

describe('writing a day into LibreTime', () => {
  it('creates a show, an instance and its items, and reads them back; nothing strays off the subset', async () => {
    const libreTime = client();
    const song = fake.addFile({ length: '00:03:25.123000' });

    const show = await libreTime.createShow({ name: 'LibreLog 2025-03-01', description: 'Built by LibreLog' });
    expect(show).toMatchObject({ name: 'LibreLog 2025-03-01', description: 'Built by LibreLog' });
    expect(await libreTime.listShows()).toEqual([expect.objectContaining({ id: show.id })]);

    const instance = await libreTime.createShowInstance({ show: show.id, starts_at: '2025-03-01T06:00:00Z', ends_at: '2025-03-01T07:00:00Z' });
    expect(instance).toMatchObject({ show: show.id, starts_at: '2025-03-01T06:00:00Z', ends_at: '2025-03-01T07:00:00Z', modified: false, auto_playlist_built: false });

    const created = await libreTime.createScheduleItem(item(instance.id, song.id, '2025-03-01T06:00:00Z', 0));
    expect(created).toMatchObject({
      instance: instance.id,
      file: song.id,
      starts_at: '2025-03-01T06:00:00Z',
      ends_at: '2025-03-01T06:03:25.123000Z',
      cue_out: '00:03:25.123000',
      fade_in: '00:00:00.500000',
      position_status: 1,
      broadcasted: 0,
    });
    expect(await libreTime.listSchedule()).toEqual([created]);
    await libreTime.pushSchedule();

    await libreTime.deleteScheduleItem(created.id);
    expect(fake.schedule).toEqual([]);
    expect(fake.violations).toEqual([]);
  });

  it('lists the instances of one show within a window, although LibreTime itself cannot filter them', async () => {
    const morning = fake.addShow('Morning');
    const evening = fake.addShow('Evening');
    fake.addInstance({ show: morning.id, starts_at: '2025-03-01T06:00:00Z', ends_at: '2025-03-01T09:00:00Z' });
    const second = fake.addInstance({ show: morning.id, starts_at: '2025-03-02T06:00:00Z', ends_at: '2025-03-02T09:00:00Z' });
    fake.addInstance({ show: evening.id, starts_at: '2025-03-02T18:00:00Z', ends_at: '2025-03-02T20:00:00Z' });

    const found = await client().listShowInstances({ show: morning.id, starts_after: '2025-03-02T00:00:00Z', starts_before: '2025-03-03T00:00:00Z' });
    expect(found.map((instance) => instance.id)).toEqual([second.id]);
    expect(fake.violations).toEqual([]);
  });

  it('a null fade is refused, naming fade_in, and nothing is stored', async () => {
    const instance = instanceFor(fake);
    const song = fake.addFile();

    const error = await rejection(client().createScheduleItem(item(instance.id, song.id, '2025-03-01T06:00:00Z', 0, { fade_in: null })));
    expect(error.status).toBe(400);
    expect(error.path).toBe('/api/v2/schedule');
    expect(error.message).toBe('LibreTime refused POST /api/v2/schedule (400): fade_in: This field may not be null.');
    expect(fake.schedule).toEqual([]);
    expect(fake.count('POST', '/api/v2/schedule')).toBe(1);
  });

  it('an item for an instance that does not exist is refused as DRF words it', async () => {
    const song = fake.addFile();
    const error = await rejection(client().createScheduleItem(item(9, song.id, '2025-03-01T06:00:00Z', 0)));
    expect(error.message).toBe('LibreTime refused POST /api/v2/schedule (400): instance: Invalid pk "9" - object does not exist.');
  });

  it('filters the schedule by start, both ends included', async () => {
    const instance = instanceFor(fake, '2025-03-01T06:00:00Z', '2025-03-01T10:00:00Z');
    const song = fake.addFile();
    const libreTime = client();
    for (const [position, startsAt] of ['2025-03-01T06:00:00Z', '2025-03-01T07:00:00Z', '2025-03-01T08:00:00Z', '2025-03-01T09:00:00Z'].entries()) {
      await libreTime.createScheduleItem(item(instance.id, song.id, startsAt, position));
    }

    const window = await libreTime.listSchedule({ starts_after: '2025-03-01T07:00:00Z', starts_before: '2025-03-01T08:00:00Z' });
    expect(window.map((row) => row.starts_at)).toEqual(['2025-03-01T07:00:00Z', '2025-03-01T08:00:00Z']);
    expect(await libreTime.listSchedule({ starts_after: '2025-03-01T09:00:01Z' })).toEqual([]);
    expect(await libreTime.listSchedule({ broadcasted: 0, position_status: 1 })).toHaveLength(4);
    expect(fake.violations).toEqual([]);
  });

  it('tells playout to reload, and the fake keeps a log of it', async () => {
    const instance = instanceFor(fake);
    const song = fake.addFile();
    const libreTime = client();
    await libreTime.createScheduleItem(item(instance.id, song.id, '2025-03-01T06:00:00Z', 0));
    await libreTime.pushSchedule();

    expect(fake.pushes).toEqual([{ at: expect.any(String) as string, scheduleItems: 1 }]);
    expect(fake.count('GET', '/api/rabbitmq-do-push')).toBe(1);
  });
});

describe('the API key', () => {
  it('a wrong key is refused at once, and the error says the key was refused', async () => {
    const libreTime = client({ apiKey: 'not-the-key' });

    const error = await rejection(libreTime.listFiles());
    // DRF answers 403 here, not 401: see checkApiKey in the fake.
    expect(error.status).toBe(403);
    expect(error.message).toBe('LibreTime refused the API key for GET /api/v2/files (403): Authentication credentials were not provided.');
    expect(fake.count('GET', '/api/v2/files')).toBe(1);

    const push = await rejection(libreTime.pushSchedule());
    expect(push.status).toBe(401);
    expect(push.message).toMatch(/refused the API key .*You are not allowed to access this resource\./);
  });

  it('no key at all is refused too', async () => {
    const response = await fetch(`${fake.url}/api/v2/files`);
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({ detail: 'Authentication credentials were not provided.' });
  });
});

describe('when LibreTime falters', () => {
  it('a burst of two 503s is retried with backoff and then succeeds', async () => {
    fake.addFile();
    fake.failNext(2);

    expect(await client().listFiles()).toHaveLength(1);
    expect(fake.count('GET', '/api/v2/files')).toBe(3);
    expect(waits).toEqual([500, 1000]);
  });

  it('an answer that does not come in time is retried', async () => {
    fake.hangNext(1);
    expect(await client({ timeoutMs: 200 }).listFiles()).toEqual([]);
    expect(fake.count('GET', '/api/v2/files')).toBe(2);
  });

  it('a long outage ends in LibreTimeUnavailable saying what failed', async () => {
    fake.down('refuse');
    const refused = client().listFiles();
    await expect(refused).rejects.toBeInstanceOf(LibreTimeUnavailable);
    await expect(refused).rejects.toThrow(/^LibreTime is unavailable: GET \/api\/v2\/files failed 5 times; the last time it failed: fetch failed/);
    expect(waits).toEqual([500, 1000, 2000, 4000]);

    fake.down('unavailable');
    await expect(client({ retries: 2 }).listShows()).rejects.toThrow('LibreTime is unavailable: GET /api/v2/shows failed 3 times; the last time it answered 503 Service Unavailable');

    fake.up();
    expect(await client().listShows()).toEqual([]);
  });
});

describe('uploading audio', () => {
  it('gives a pending file that becomes ready once LibreTime has imported it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'librelog-libretime-'));
    try {
      const path = join(dir, 'take.wav');
      const bytes = wavFile(1);
      await writeFile(path, bytes);
      const libreTime = client();

      const uploaded = await libreTime.uploadMedia({ path, filename: 'Station ID 2025.wav', mediaType: 'audio/wav' });
      expect(uploaded).toMatchObject({ name: 'Station ID 2025.wav', mime: 'audio/wav', size: bytes.length, import_status: 1, hidden: true, length: null });

      let file = uploaded;
      for (let poll = 0; poll < 5 && file.import_status !== 0; poll++) file = await libreTime.getFile(uploaded.id);
      expect(file).toMatchObject({ import_status: 0, hidden: false, length: '00:03:00', cue_out: '00:03:00' });
      // importAfterPolls = 2: the upload's own read and one more still see it pending.
      expect(fake.count('GET', `/api/v2/files/${uploaded.id}`)).toBe(3);
      expect(fake.violations).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a wrong key is refused by the legacy upload as well', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'librelog-libretime-'));
    try {
      const path = join(dir, 'take.wav');
      await writeFile(path, wavFile(0.1));
      const error = await rejection(client({ apiKey: 'nope' }).uploadMedia({ path, filename: 'take.wav', mediaType: 'audio/wav' }));
      expect(error.message).toBe('LibreTime refused the API key for POST /rest/media (401): ERROR: Incorrect API key.');
      expect(fake.files).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('durations', () => {
  it('round-trip between milliseconds and LibreTime text', () => {
    expect(libretimeDuration(205_123)).toBe('00:03:25.123000');
    expect(libretimeDuration(500)).toBe('00:00:00.500000');
    expect(libretimeDuration(0)).toBe('00:00:00.000000');
    expect(libretimeDuration(3 * 3600_000 + 1)).toBe('03:00:00.001000');
    for (const ms of [0, 1, 500, 205_123, 3_599_999, 7_200_000]) expect(parseLibretimeDuration(libretimeDuration(ms))).toBe(ms);

    expect(parseLibretimeDuration('00:03:25')).toBe(205_000);
    expect(parseLibretimeDuration('00:03:25.123456')).toBeCloseTo(205_123.456, 6);
    expect(parseLibretimeDuration('1 02:00:00')).toBe(26 * 3600_000);
    expect(parseLibretimeDuration(null)).toBeNull();
    expect(() => parseLibretimeDuration('3 minutes')).toThrow(RangeError);
  });
});

describe('the fake LibreTime', () => {
  it('refuses and reports a request that does not match the OpenAPI subset', async () => {
    const instance = instanceFor(fake);
    const song = fake.addFile();

    const wrongType = await raw('POST', '/api/v2/schedule', { ...item(instance.id, song.id, '2025-03-01T06:00:00Z', 0), position: 'first' });
    expect(wrongType.status).toBe(400);
    expect(await wrongType.json()).toEqual({ position: ['must be integer (OpenAPI subset).'] });

    const misspelt = await raw('POST', '/api/v2/schedule', { ...item(instance.id, song.id, '2025-03-01T06:00:00Z', 0), fadein: '00:00:01' });
    expect(misspelt.status).toBe(400);

    const unknownFilter = await raw('GET', '/api/v2/schedule?starts=2025-03-01T06:00:00Z');
    expect(unknownFilter.status).toBe(400);

    expect(fake.violations).toEqual([
      { method: 'POST', path: '/api/v2/schedule', errors: ['body.position: must be integer'] },
      { method: 'POST', path: '/api/v2/schedule', errors: ['body.fadein: not in the subset'] },
      { method: 'GET', path: '/api/v2/schedule', errors: ['query.starts: not in the subset'] },
    ]);
    expect(fake.schedule).toEqual([]);
  });

  it('wants every required field of a show instance', async () => {
    const show = fake.addShow('Morning');
    const response = await raw('POST', '/api/v2/show-instances', { show: show.id, starts_at: '2025-03-01T06:00:00Z', ends_at: '2025-03-01T07:00:00Z' });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      created_at: ['This field is required.'],
      modified: ['This field is required.'],
      auto_playlist_built: ['This field is required.'],
    });
  });

  it('keeps ends_at and cue_out as created: PUT and PATCH ignore them', async () => {
    const instance = instanceFor(fake);
    const song = fake.addFile();
    const created = await client().createScheduleItem(item(instance.id, song.id, '2025-03-01T06:00:00Z', 0));

    const patched = await raw('PATCH', `/api/v2/schedule/${created.id}`, { ends_at: '2025-03-01T06:10:00Z', cue_out: '00:10:00', position: 3 });
    expect(await patched.json()).toMatchObject({ ends_at: created.ends_at, cue_out: created.cue_out, position: 3 });

    const { id: _id, ...rest } = created;
    const put = await raw('PUT', `/api/v2/schedule/${created.id}`, { ...rest, starts_at: '2025-03-01T06:00:01Z', cue_out: '00:00:10' });
    expect(await put.json()).toMatchObject({ starts_at: '2025-03-01T06:00:01Z', ends_at: created.ends_at, cue_out: created.cue_out });
    expect(fake.violations).toEqual([]);
  });

  it('reads an item that overruns its instance as ending with it', async () => {
    const instance = instanceFor(fake, '2025-03-01T06:00:00Z', '2025-03-01T06:02:00Z');
    const song = fake.addFile();
    const libreTime = client();
    await libreTime.createScheduleItem(item(instance.id, song.id, '2025-03-01T06:00:00Z', 0));

    const [read] = await libreTime.listSchedule();
    expect(read).toMatchObject({ ends_at: '2025-03-01T06:02:00Z', cue_out: '00:02:00' });
    expect(fake.schedule[0]).toMatchObject({ ends_at: '2025-03-01T06:03:25.123000Z', cue_out: '00:03:25.123000' });
  });
});

describe('the fake LibreTime behaves as the real one does', () => {
  /** An hour a week ahead, so the instance and its items lie in the future as a real day's do. */
  const hourAhead = () => {
    const starts = new Date(Math.ceil(Date.now() / 3_600_000) * 3_600_000 + 7 * 86_400_000);
    const at = (seconds: number) => new Date(starts.getTime() + seconds * 1000).toISOString().replace('.000Z', 'Z');
    return { startsAt: at(0), endsAt: at(3600), at };
  };

  it('tells what playout would play: overlapping items together, overbooked ones never, unready files never', async () => {
    const hour = hourAhead();
    const instance = instanceFor(fake, hour.startsAt, hour.endsAt);
    const song = fake.addFile();
    const pending = fake.addFile({ import_status: 1, hidden: true });
    const libreTime = client();
    // 205.123 s each. B starts before A ends; C runs past the end; D starts when the hour is over; E's file is still importing.
    const a = await libreTime.createScheduleItem(item(instance.id, song.id, hour.at(0), 0));
    const b = await libreTime.createScheduleItem(item(instance.id, song.id, hour.at(200), 1));
    const c = await libreTime.createScheduleItem(item(instance.id, song.id, hour.at(3500), 2));
    const d = await libreTime.createScheduleItem(item(instance.id, song.id, hour.at(3600), 3));
    const e = await libreTime.createScheduleItem(item(instance.id, pending.id, hour.at(1000), 4));
    // LibreTime took every one of them.
    expect(fake.schedule).toHaveLength(5);

    const view = fake.playoutView(instance.id);
    expect(view.items.map((i) => i.id)).toEqual([a.id, b.id, e.id, c.id, d.id]);
    expect(view.overlaps).toEqual([[a.id, b.id]]);
    expect(view.positionsInTimeOrder).toBe(false);
    expect(view.skipped.map((i) => [i.id, i.skipped])).toEqual([
      [e.id, `file ${pending.id} is not imported (import_status 1)`],
      [d.id, `overbooked: starts at ${hour.at(3600)}, at or after its instance ends (${hour.endsAt})`],
    ]);
    // Playout gets C cut at the instance end, as every GET answers it.
    expect(view.items.find((i) => i.id === c.id)).toMatchObject({ plays: true, endsAt: hour.endsAt, cueOut: '00:01:40' });
    expect((await libreTime.listSchedule({ overbooked: true })).map((i) => i.id)).toEqual([d.id]);
    expect(fake.violations).toEqual([]);
  });

  it('answers a POST into an instance deleted in the calendar with 400 Invalid pk; a show with other days only hides it', async () => {
    const hour = hourAhead();
    const show = fake.addShow('Daily');
    const today = fake.addInstance({ show: show.id, starts_at: hour.startsAt, ends_at: hour.endsAt });
    const tomorrow = fake.addInstance({ show: show.id, starts_at: hour.at(86_400), ends_at: hour.at(90_000) });
    const song = fake.addFile();
    const libreTime = client();
    await libreTime.createScheduleItem(item(today.id, song.id, hour.at(0), 0));

    // "Delete this instance" while the show has another day: hidden (modified) and emptied, still there.
    fake.deleteInstance(today.id);
    expect(await libreTime.getShowInstance(today.id)).toMatchObject({ id: today.id, modified: true });
    expect(fake.schedule).toEqual([]);

    // The last day of the show: the show goes, with its instances.
    fake.deleteInstance(tomorrow.id);
    expect(fake.shows).toEqual([]);
    expect((await rejection(libreTime.getShow(show.id))).status).toBe(404);
    expect((await rejection(libreTime.getShowInstance(tomorrow.id))).status).toBe(404);
    const refused = await raw('POST', '/api/v2/schedule', item(tomorrow.id, song.id, hour.at(86_400), 0));
    expect(refused.status).toBe(400);
    expect(await refused.json()).toEqual({ instance: [`Invalid pk "${tomorrow.id}" - object does not exist.`] });
    const error = await rejection(libreTime.createScheduleItem(item(tomorrow.id, song.id, hour.at(86_400), 0)));
    expect(error.isInvalidPk('instance')).toBe(true);

    // Ids are never given twice, as PostgreSQL's sequences do not.
    const again = fake.addInstance({ show: fake.addShow('Daily').id, starts_at: hour.startsAt, ends_at: hour.endsAt });
    expect(again.id).toBeGreaterThan(tomorrow.id);
    // The calendar does not delete what is over.
    const past = fake.addInstance({ show: again.show, starts_at: '2025-03-01T06:00:00Z', ends_at: '2025-03-01T07:00:00Z' });
    expect(() => fake.deleteInstance(past.id)).toThrow(/in the past/);
  });

  it('keeps no bookkeeping of its own when items are written through API v2, and takes it when sent', async () => {
    const hour = hourAhead();
    const instance = instanceFor(fake, hour.startsAt, hour.endsAt);
    const song = fake.addFile();
    const libreTime = client();
    await libreTime.createScheduleItem(item(instance.id, song.id, hour.at(0), 0));
    expect(await libreTime.getShowInstance(instance.id)).toMatchObject({ filled_time: null, last_scheduled_at: null });
    expect(await libreTime.getFile(song.id)).toMatchObject({ scheduled: false });

    const stamped = await libreTime.updateShowInstance(instance.id, { filled_time: '25:00:00.000000', last_scheduled_at: '2026-01-01T10:00:00.000Z' });
    expect(stamped).toMatchObject({ filled_time: '1 01:00:00', last_scheduled_at: '2026-01-01T10:00:00Z' });
    await libreTime.setFileScheduled(song.id, true);
    expect(await libreTime.getFile(song.id)).toMatchObject({ scheduled: true });
    expect(fake.violations).toEqual([]);
  });

  it('refuses to delete a file that an item still ahead uses (409), and keeps the row of one it deletes', async () => {
    const hour = hourAhead();
    const ahead = instanceFor(fake, hour.startsAt, hour.endsAt);
    const over = instanceFor(fake, '2025-03-01T06:00:00Z', '2025-03-01T07:00:00Z');
    const [scheduled, played] = [fake.addFile(), fake.addFile()];
    const libreTime = client();
    await libreTime.createScheduleItem(item(ahead.id, scheduled.id, hour.at(0), 0));
    await libreTime.createScheduleItem(item(over.id, played.id, '2025-03-01T06:00:00Z', 0));

    const refused = await raw('DELETE', `/api/v2/files/${scheduled.id}`);
    expect(refused.status).toBe(409);
    expect(await refused.json()).toEqual({ detail: 'file is scheduled in the future' });

    expect((await raw('DELETE', `/api/v2/files/${played.id}`)).status).toBe(204);
    expect(await libreTime.getFile(played.id)).toMatchObject({ id: played.id });
    expect(fake.filesWithoutAudio).toEqual(new Set([played.id]));
  });
});
