// The AzuraCast client against the fake AzuraCast (test/fakes/azuracast.ts): metadata pushes,
// the as-run history and listener sessions of a station day, and how failures surface.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { aggregateTuningHours, createAzuraCastClient, type AzuraCastClientOptions } from '../../integrations/azuracast/client.js';
import { AzuraCastRejected, AzuraCastUnavailable, StationUnsupported, type AzuraCastListenerSession } from '../../integrations/azuracast/types.js';
import { startFakeAzuraCast, type FakeAzuraCast, type FakeAzuraCastOptions } from '../fakes/azuracast.js';
import { freePort } from '../support/ports.js';

// Phoenix keeps UTC−7 all year: station midnight of 1 March 2026 is 07:00 UTC.
const NOW = new Date('2026-03-10T19:00:00Z');
const unix = (iso: string) => Date.parse(iso) / 1000;

let fake: FakeAzuraCast;
let sleeps: number[];

async function start(options: FakeAzuraCastOptions = {}): Promise<void> {
  fake = await startFakeAzuraCast({ now: () => NOW, ...options });
}

function client(overrides: { apiKey?: string } & AzuraCastClientOptions = {}) {
  const { apiKey, ...options } = overrides;
  return createAzuraCastClient(
    { baseUrl: fake.url, stationId: fake.stationId, apiKey: apiKey ?? fake.apiKey },
    {
      sleep: (ms) => {
        sleeps.push(ms);
        return Promise.resolve();
      },
      ...options,
    },
  );
}

beforeEach(() => {
  sleeps = [];
});

afterEach(async () => {
  // Every request the client made matched the OpenAPI subset of AzuraCast.
  expect(fake.violations).toEqual([]);
  await fake.close();
});

describe('now-playing pushes', () => {
  beforeEach(() => start());

  it('a pushed song becomes what the station is playing', async () => {
    await client().updateNowPlaying({ title: 'Aluko River', artist: 'Chet Porter', duration: 187, media_id: 42 });

    expect(fake.pushes).toEqual([{ at: NOW, title: 'Aluko River', artist: 'Chet Porter', duration: 187, media_id: 42 }]);
    const nowPlaying = (await (await fetch(`${fake.url}/api/nowplaying/${fake.stationId}`)).json()) as {
      now_playing: { played_at: number; duration: number; song: { title: string; artist: string; text: string } };
    };
    expect(nowPlaying.now_playing.song).toMatchObject({ title: 'Aluko River', artist: 'Chet Porter', text: 'Chet Porter - Aluko River' });
    expect(nowPlaying.now_playing.duration).toBe(187);
    expect(nowPlaying.now_playing.played_at).toBe(NOW.getTime() / 1000 + 5);
  });

  it('sends only the keys that are set, and a repeat of the current song is ignored', async () => {
    const bodies: unknown[] = [];
    const recording: typeof fetch = (input, init) => {
      bodies.push(typeof init?.body === 'string' ? JSON.parse(init.body) : init?.body);
      return fetch(input, init);
    };
    const azuracast = client({ fetch: recording });

    await azuracast.updateNowPlaying({ title: 'Station ID', artist: 'KXYZ' });
    await azuracast.updateNowPlaying({ title: 'Station ID', artist: 'KXYZ' });

    expect(bodies).toEqual([
      { title: 'Station ID', artist: 'KXYZ' },
      { title: 'Station ID', artist: 'KXYZ' },
    ]);
    expect(fake.pushes).toHaveLength(1);
    expect(fake.ignored).toEqual([{ at: NOW, title: 'Station ID', artist: 'KXYZ' }]);
  });
});

describe('refusals', () => {
  it('a station without Liquidsoap answers StationUnsupported once, without retries', async () => {
    await start({ liquidsoap: false });

    const push = client().updateNowPlaying({ title: 'Aluko River', artist: 'Chet Porter' });

    await expect(push).rejects.toBeInstanceOf(StationUnsupported);
    await expect(push).rejects.toMatchObject({ status: 500, message: 'This station does not currently support this functionality.' });
    expect(fake.requests).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it('a wrong or missing API key is refused with 403, as AzuraCast does for both', async () => {
    await start();

    for (const apiKey of ['0123456789abcdef:wrong', '']) {
      const report = client({ apiKey }).history('2026-03-01T00:00:00', '2026-03-01T23:59:59');
      await expect(report).rejects.toBeInstanceOf(AzuraCastRejected);
      await expect(report).rejects.not.toBeInstanceOf(StationUnsupported);
      await expect(report).rejects.toMatchObject({
        status: 403,
        path: `/api/station/${fake.stationId}/history?start=2026-03-01T00%3A00%3A00&end=2026-03-01T23%3A59%3A59`,
        message: 'You must be logged in to access this page.',
      });
    }
    expect(sleeps).toEqual([]);
  });
});

describe('transient failures', () => {
  beforeEach(() => start());

  it('a burst of 503s is retried with doubling waits', async () => {
    fake.failNext(3, 503);

    await client().updateNowPlaying({ title: 'Aluko River', artist: 'Chet Porter' });

    expect(fake.requests.map((r) => r.status)).toEqual([503, 503, 503, 200]);
    expect(sleeps).toEqual([500, 1000, 2000]);
    expect(fake.pushes).toHaveLength(1);
  });

  it('gives up with AzuraCastUnavailable after four retries', async () => {
    fake.failNext(10, 502);

    await expect(client().listenerSessions('2026-03-01T00:00:00', '2026-03-01T23:59:59')).rejects.toBeInstanceOf(AzuraCastUnavailable);

    expect(fake.requests).toHaveLength(5);
    expect(sleeps).toEqual([500, 1000, 2000, 4000]);
  });

  it('a server that does not answer in time counts as unavailable', async () => {
    const silent: typeof fetch = (_input, init) =>
      new Promise((_resolve, reject) => {
        const signal = init?.signal;
        signal?.addEventListener('abort', () => reject(signal.reason as Error));
      });

    const push = client({ fetch: silent, timeoutMs: 20, retries: 1 }).updateNowPlaying({ title: 'Aluko River', artist: 'Chet Porter' });

    await expect(push).rejects.toBeInstanceOf(AzuraCastUnavailable);
    await expect(push).rejects.toThrow(/no answer within 20 ms/);
    expect(sleeps).toEqual([500]);
  });

  it('an unreachable server counts as unavailable', async () => {
    const nobody = createAzuraCastClient({ baseUrl: `http://127.0.0.1:${await freePort()}`, stationId: 1, apiKey: fake.apiKey }, { retries: 2, sleep: () => Promise.resolve() });

    await expect(nobody.history('2026-03-01', '2026-03-01')).rejects.toThrow(/failed after 3 attempts: network error/);
  });
});

describe('a station day, as AzuraCast recorded it', () => {
  beforeEach(() => start());

  it('history covers the day in the station timezone, oldest first', async () => {
    fake.history.push(
      { timestamp_start: unix('2026-03-01T06:59:00Z'), duration: 60, title: 'Last of February', artist: 'A' },
      { timestamp_start: unix('2026-03-02T06:59:30Z'), duration: 200, title: 'Last of the day', artist: 'B', playlist: 'Gold' },
      { timestamp_start: unix('2026-03-01T07:00:00Z'), duration: 180, title: 'First of the day', artist: 'C' },
      { timestamp_start: unix('2026-03-02T07:00:00Z'), duration: 180, title: 'First of March 2', artist: 'D' },
    );

    const items = await client().history('2026-03-01T00:00:00', '2026-03-01T23:59:59');

    expect(items.map((item) => item.song.title)).toEqual(['First of the day', 'Last of the day']);
    // played_at is the real start + 5 s.
    expect(items.map((item) => item.played_at)).toEqual([unix('2026-03-01T07:00:05Z'), unix('2026-03-02T06:59:35Z')]);
    expect(items[1]).toMatchObject({ duration: 200, playlist: 'Gold', streamer: '', is_request: false, listeners_start: 0 });
  });

  it('listener sessions come one per connection with unique=0, clipped to the day', async () => {
    const phone = { listener_ip: '203.0.113.7', listener_user_agent: 'VLC/3.0.20' };
    fake.listeners.push(
      // Connected since 23:30 the evening before: only the part after midnight counts.
      { ...phone, timestamp_start: unix('2026-03-01T06:30:00Z'), timestamp_end: unix('2026-03-01T08:00:00Z') },
      // The same listener comes back later: a second session, not merged with the first.
      { ...phone, timestamp_start: unix('2026-03-01T15:00:00Z'), timestamp_end: unix('2026-03-01T15:45:00Z') },
      { listener_ip: '198.51.100.2', listener_user_agent: 'Mozilla/5.0', timestamp_start: unix('2026-03-01T20:00:00Z'), timestamp_end: unix('2026-03-01T20:30:00Z') },
      // The next station day.
      { listener_ip: '198.51.100.3', timestamp_start: unix('2026-03-02T07:10:00Z'), timestamp_end: unix('2026-03-02T08:00:00Z') },
    );

    const sessions = await client().listenerSessions('2026-03-01T00:00:00', '2026-03-01T23:59:59');

    expect(sessions.map((s) => [s.ip, s.connected_on, s.connected_until, s.connected_time])).toEqual([
      ['203.0.113.7', unix('2026-03-01T07:00:00Z'), unix('2026-03-01T08:00:00Z'), 3600],
      ['203.0.113.7', unix('2026-03-01T15:00:00Z'), unix('2026-03-01T15:45:00Z'), 2700],
      ['198.51.100.2', unix('2026-03-01T20:00:00Z'), unix('2026-03-01T20:30:00Z'), 1800],
    ]);
    // 1 h + 45 min + 30 min.
    expect(aggregateTuningHours(sessions)).toBe(2.25);
  });

  it('rows older than the 60-day retention are gone', async () => {
    // NOW is 10 March: 9 January is 60 days back, 5 January beyond.
    fake.history.push(
      { timestamp_start: unix('2026-01-05T15:00:00Z'), duration: 180, title: 'Deleted', artist: 'A' },
      { timestamp_start: unix('2026-01-15T15:00:00Z'), duration: 180, title: 'Kept', artist: 'B' },
    );
    fake.listeners.push(
      { listener_ip: '203.0.113.7', timestamp_start: unix('2026-01-05T15:00:00Z'), timestamp_end: unix('2026-01-05T16:00:00Z') },
      { listener_ip: '203.0.113.8', timestamp_start: unix('2026-01-15T15:00:00Z'), timestamp_end: unix('2026-01-15T16:00:00Z') },
    );
    const azuracast = client();

    const items = await azuracast.history('2026-01-01T00:00:00', '2026-01-31T23:59:59');
    const sessions = await azuracast.listenerSessions('2026-01-01T00:00:00', '2026-01-31T23:59:59');

    expect(items.map((item) => item.song.title)).toEqual(['Kept']);
    expect(sessions.map((s) => s.ip)).toEqual(['203.0.113.8']);
  });
});

describe('the fake itself', () => {
  beforeEach(() => start());

  it('merges a listener’s sessions unless unique=0, which is why the client sends it', async () => {
    fake.listeners.push(
      { listener_ip: '203.0.113.7', timestamp_start: unix('2026-03-01T08:00:00Z'), timestamp_end: unix('2026-03-01T09:00:00Z') },
      { listener_ip: '203.0.113.7', timestamp_start: unix('2026-03-01T08:30:00Z'), timestamp_end: unix('2026-03-01T09:30:00Z') },
    );
    const response = await fetch(`${fake.url}/api/station/1/listeners?start=2026-03-01&end=2026-03-01`, { headers: { 'X-API-Key': fake.apiKey } });
    const grouped = (await response.json()) as AzuraCastListenerSession[];

    expect(grouped.map((s) => s.connected_time)).toEqual([5400]);
    expect(aggregateTuningHours(await client().listenerSessions('2026-03-01', '2026-03-01'))).toBe(2);
  });

  it('wraps history in AzuraCast’s paging object when page or per_page is sent', async () => {
    for (const hour of ['08', '09', '10']) fake.history.push({ timestamp_start: unix(`2026-03-01T${hour}:00:00Z`), duration: 180, title: hour, artist: 'A' });
    const response = await fetch(`${fake.url}/api/station/1/history?start=2026-03-01&end=2026-03-01&page=2&per_page=2`, { headers: { 'X-API-Key': fake.apiKey } });

    expect(await response.json()).toMatchObject({ page: 2, per_page: 2, total: 3, total_pages: 2, rows: [{ song: { title: '08' } }] });
  });

  it('records a request that does not match the OpenAPI subset and answers 400', async () => {
    const response = await fetch(`${fake.url}/api/station/1/nowplaying/update`, {
      method: 'POST',
      headers: { 'X-API-Key': fake.apiKey, 'Content-Type': 'application/json' },
      body: JSON.stringify({ title: 'Aluko River', artist: 'Chet Porter', duration: '187' }),
    });

    expect(response.status).toBe(400);
    expect(fake.violations).toEqual([expect.stringContaining('body/duration: must be number')]);
    expect(fake.pushes).toEqual([]);
    fake.violations.length = 0;
  });
});
