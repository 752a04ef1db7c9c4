// The live socket against a real API server and PostgreSQL: a client subscribes to a station,
// gets the days it shows, and is told of every status change of its logs — made here by
// plain SQL, as a worker's activity would — through the trigger and LISTEN/NOTIFY.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DateTime } from 'luxon';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { activityDeps, createActivities } from '../../activities/index.js';
import { TOKEN_TTL_SECONDS } from '../../api/auth/tokens.js';
import { TOKEN_EXPIRED } from '../../api/live-socket.js';
import { startApi, type RunningApi } from '../../api/server.js';
import { importStationBundle } from '../../db/bundle-import.js';
import { smallStationBundle } from '../fixtures/bundles.js';
import { useTestDatabase } from '../support/db.js';
import { makePerson } from '../support/people.js';
import { freePort } from '../support/ports.js';

const SECRET = 'live-test-secret';
const db = useTestDatabase();
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function api(): Promise<RunningApi> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'librelog-live-'));
  const running = await startApi({ port: await freePort(), db, temporal: { namespace: 'default', check: () => Promise.resolve() }, jwtSecret: SECRET, dataDir });
  cleanup.push(() => rm(dataDir, { recursive: true, force: true }), () => running.close());
  return running;
}

async function viewerToken(options: { now?: Date } = {}): Promise<string> {
  return (await makePerson(db, SECRET, 'viewer', { tokenOptions: options })).token;
}

type Message = Record<string, unknown> & { type: string };

/** A client that keeps every message, and waits for the next one of a type. */
function connect(url: string, headers: Record<string, string> = {}) {
  const socket = new WebSocket(url, { headers });
  const received: Message[] = [];
  const waiting: { type: string; resolve: (m: Message) => void }[] = [];
  socket.on('message', (data) => {
    const message = JSON.parse((data as Buffer).toString('utf8')) as Message;
    const i = waiting.findIndex((w) => w.type === message.type);
    if (i >= 0) waiting.splice(i, 1)[0]!.resolve(message);
    else received.push(message);
  });
  cleanup.push(() => {
    socket.terminate();
    return Promise.resolve();
  });
  return {
    socket,
    send: (message: unknown) => socket.send(typeof message === 'string' ? message : JSON.stringify(message)),
    next: (type: string) =>
      new Promise<Message>((resolve, reject) => {
        const i = received.findIndex((m) => m.type === type);
        if (i >= 0) return resolve(received.splice(i, 1)[0]!);
        const timer = setTimeout(() => reject(new Error(`no ${type} message within 10 s; got ${JSON.stringify(received)}`)), 10_000);
        waiting.push({ type, resolve: (m) => (clearTimeout(timer), resolve(m)) });
      }),
    closed: () => new Promise<{ code: number; reason: string }>((resolve) => socket.once('close', (code, reason) => resolve({ code, reason: String(reason) }))),
  };
}

const refusal = (url: string, headers: Record<string, string> = {}) =>
  new Promise<{ status: number; body: string }>((resolve, reject) => {
    const socket = new WebSocket(url, { headers });
    socket.on('open', () => reject(new Error('the socket opened')));
    socket.on('error', () => undefined);
    socket.on('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += String(c)));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
  });

describe('the live socket', () => {
  it('tells a subscribed client of every status change of its station’s logs, whoever made it', async () => {
    await importStationBundle(db, smallStationBundle());
    const running = await api();
    const token = await viewerToken();
    const stationId = ((await db('stations').where({ slug: 'kqtr' }).first('id')) as { id: string }).id;
    const tomorrow = DateTime.now().setZone('America/Phoenix').plus({ days: 1 }).toISODate()!;
    await db('daily_logs').insert({ stationId, broadcastDate: tomorrow, workflowId: `broadcast-day:kqtr:${tomorrow}`, status: 'awaiting_approval', version: 1 });

    const client = connect(`${running.url.replace('http', 'ws')}/api/v1/live`, { Authorization: `Bearer ${token}` });
    expect(await client.next('welcome')).toMatchObject({ owner: false });
    client.send({ type: 'subscribe', station: 'kqtr' });
    const subscribed = await client.next('subscribed');
    expect(subscribed).toMatchObject({ station: 'kqtr', days: [{ date: tomorrow, status: 'awaiting_approval', version: 1, workflowId: `broadcast-day:kqtr:${tomorrow}` }] });

    // A worker approves it (here: SQL), then the day is published.
    await db('daily_logs').where({ stationId, broadcastDate: tomorrow }).update({ status: 'approved', approvedVersion: 1 });
    expect(await client.next('log.status')).toMatchObject({ station: 'kqtr', date: tomorrow, status: 'approved', version: 1, approvedVersion: 1, atRisk: false });
    await db('daily_logs').where({ stationId, broadcastDate: tomorrow }).update({ status: 'published', publishedVersion: 1 });
    expect(await client.next('log.status')).toMatchObject({ status: 'published', publishedVersion: 1 });
    // A change nobody shows (only updated_at) is not announced.
    await db('daily_logs').where({ stationId, broadcastDate: tomorrow }).update({ updatedAt: db.fn.now() });

    // What is on air, announced by the now-playing workflow's step (AzuraCast or not).
    const steps = createActivities(activityDeps(db, os.tmpdir()));
    const startsAt = Date.parse('2026-12-01T13:00:00Z');
    await expect(
      steps.pushNowPlaying({ stationId, date: tomorrow, toAzuraCast: false, entry: { entryId: 'e-1', startsAt, title: 'Desert Bloom', artist: 'The Saguaros', durationS: 222, mediaId: null } }),
    ).resolves.toBe('announced');
    expect(await client.next('now_playing')).toMatchObject({ station: 'kqtr', date: tomorrow, entryId: 'e-1', title: 'Desert Bloom', artist: 'The Saguaros', durationS: 222, startsAt: '2026-12-01T13:00:00.000Z' });

    // Unsubscribed, the client hears nothing more.
    client.send({ type: 'unsubscribe', station: 'kqtr' });
    await client.next('unsubscribed');
    await db('daily_logs').where({ stationId, broadcastDate: tomorrow }).update({ atRisk: true });
    client.send({ type: 'ping' });
    await client.next('pong');
    await expect(Promise.race([client.next('log.status'), new Promise((r) => setTimeout(() => r('quiet'), 500))])).resolves.toBe('quiet');
  });

  it('answers bad messages without closing, and refuses a connection without a valid token', async () => {
    await importStationBundle(db, smallStationBundle());
    const running = await api();
    const url = `${running.url.replace('http', 'ws')}/api/v1/live`;
    const token = await viewerToken();

    const client = connect(`${url}?access_token=${token}`);
    await client.next('welcome');
    client.send('not json');
    expect(await client.next('error')).toMatchObject({ status: 400 });
    client.send({ type: 'dance' });
    expect(await client.next('error')).toMatchObject({ status: 400, detail: expect.stringContaining('dance') as string });
    client.send({ type: 'subscribe', station: 'nowhere' });
    expect(await client.next('error')).toMatchObject({ status: 404, detail: 'No station "nowhere"' });
    // A station the viewer holds no role at is not there for them either.
    await db('stations').insert({ slug: 'kelse', name: 'Someone else’s station', timezone: 'America/Phoenix' });
    client.send({ type: 'subscribe', station: 'kelse' });
    expect(await client.next('error')).toMatchObject({ status: 404, detail: 'No station "kelse"' });
    client.send({ type: 'subscribe', station: 'k\u0000' });
    expect(await client.next('error')).toMatchObject({ status: 400 });
    client.send({ type: 'subscribe' });
    expect(await client.next('error')).toMatchObject({ status: 400 });
    client.send({ type: 'subscribe', station: 'kqtr' });
    await client.next('subscribed');

    const none = await refusal(url);
    expect(none.status).toBe(401);
    expect(JSON.parse(none.body)).toMatchObject({ status: 401, title: 'Unauthorized' });
    expect((await refusal(url, { Authorization: `Bearer ${token}x` })).status).toBe(401);
    expect((await refusal(`${running.url.replace('http', 'ws')}/api/v1/elsewhere`, { Authorization: `Bearer ${token}` })).status).toBe(404);
  });

  it('closes with 4401 when the access token runs out', async () => {
    await importStationBundle(db, smallStationBundle());
    const running = await api();
    // Issued long enough ago that it has a second left.
    const token = await viewerToken({ now: new Date(Date.now() - (TOKEN_TTL_SECONDS - 1) * 1000) });
    const client = connect(`${running.url.replace('http', 'ws')}/api/v1/live`, { Authorization: `Bearer ${token}` });
    await client.next('welcome');
    expect(await client.closed()).toEqual({ code: TOKEN_EXPIRED, reason: 'access token expired' });
  });
});
