// Who may do what is cached between changes in a running API (startApi), and forgotten when
// anything about it changes — through this API at once, and by any other process (here: SQL,
// as another API process or an operator would) as soon as PostgreSQL's notice arrives.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi } from '../../api/server.js';
import { AccessCache, type AccessChanges } from '../../db/access-changes.js';
import { importStationBundle } from '../../db/bundle-import.js';
import { smallStationBundle } from '../fixtures/bundles.js';
import { useTestDatabase } from '../support/db.js';
import { makePerson } from '../support/people.js';
import { freePort } from '../support/ports.js';
import { until } from '../support/until.js';

const SECRET = 'access-changes-secret';
const db = useTestDatabase({ truncateBeforeEach: false });
let api: Awaited<ReturnType<typeof startApi>>;
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'librelog-access-'));
  await importStationBundle(db, smallStationBundle());
  api = await startApi({ port: await freePort(), db, temporal: { namespace: 'default', check: () => Promise.resolve() }, jwtSecret: SECRET, dataDir });
});

afterAll(async () => {
  await api?.close();
  await rm(dataDir, { recursive: true, force: true });
});

const get = (urlPath: string, authorization: string) => fetch(`${api.url}/api/v1${urlPath}`, { headers: { Authorization: authorization } }).then((r) => r.status);

describe('access changes', () => {
  it('a person disabled through the API is refused on their very next request', async () => {
    const owner = await makePerson(db, SECRET, 'admin');
    const viewer = await makePerson(db, SECRET, 'viewer', { stations: ['kqtr'] });
    expect(await get('/stations/kqtr/advertisers', viewer.authorization)).toBe(200);
    expect(await get('/stations/kqtr/advertisers', viewer.authorization)).toBe(200);
    const res = await fetch(`${api.url}/api/v1/users/${viewer.id}`, { method: 'PATCH', headers: { Authorization: owner.authorization, 'Content-Type': 'application/json' }, body: '{"disabled":true}' });
    expect(res.status).toBe(200);
    expect(await get('/stations/kqtr/advertisers', viewer.authorization)).toBe(401);
  });

  it('a role taken away or an account disabled by another process stops working as soon as its notice arrives', async () => {
    const viewer = await makePerson(db, SECRET, 'viewer', { stations: ['kqtr'] });
    expect(await get('/stations/kqtr/advertisers', viewer.authorization)).toBe(200);
    await db('station_memberships').where({ userId: viewer.id }).delete();
    await until(() => get('/stations/kqtr/advertisers', viewer.authorization), (status) => status === 404, 'the removed role to stop working', 2_000);

    const other = await makePerson(db, SECRET, 'traffic', { stations: ['kqtr'] });
    expect(await get('/stations/kqtr/advertisers', other.authorization)).toBe(200);
    await db('users').where({ id: other.id }).update({ disabled: true });
    await until(() => get('/stations/kqtr/advertisers', other.authorization), (status) => status === 401, 'the disabled account to stop working', 2_000);
  });
});

describe('a day\'s log', () => {
  it('is read again once another process changes it', async () => {
    const { id: stationId } = (await db('stations').where({ slug: 'kqtr' }).first('id')) as { id: string };
    await db('daily_logs').insert({ stationId, broadcastDate: '2031-02-03', workflowId: 'broadcast-day:kqtr:2031-02-03', status: 'awaiting_approval', version: 1 });
    const viewer = await makePerson(db, SECRET, 'viewer', { stations: ['kqtr'] });
    const read = async () => ((await (await fetch(`${api.url}/api/v1/stations/kqtr/logs/2031-02-03`, { headers: { Authorization: viewer.authorization } })).json()) as { version: number; status: string });
    expect(await read()).toMatchObject({ version: 1, status: 'awaiting_approval' });
    expect(await read()).toMatchObject({ version: 1 });
    // A worker (here: SQL) approves it.
    await db('daily_logs').where({ stationId, broadcastDate: '2031-02-03' }).update({ status: 'approved', approvedVersion: 1, updatedAt: db.fn.now() });
    await until(read, (log) => log.status === 'approved', 'the approved log to be shown', 2_000);
  });
});

describe('the access cache', () => {
  const changes = (generation: number | undefined): AccessChanges & { set(g: number | undefined): void } => {
    let current = generation;
    return { generation: () => current, changed: () => (current = (current ?? 0) + 1), close: () => Promise.resolve(), set: (g) => (current = g) };
  };

  it('caches within a generation, reads again after a change, and caches nothing while not listening', async () => {
    const c = changes(1);
    const cache = new AccessCache<number>(c);
    let loads = 0;
    const load = () => Promise.resolve(++loads);
    expect(await cache.get('k', load)).toBe(1);
    expect(await cache.get('k', load)).toBe(1);
    c.changed();
    expect(await cache.get('k', load)).toBe(2);
    c.set(undefined);
    expect(await cache.get('k', load)).toBe(3);
    expect(await cache.get('k', load)).toBe(4);
  });

  it('does not keep a read that a change overtook', async () => {
    const c = changes(1);
    const cache = new AccessCache<string>(c);
    expect(await cache.get('k', () => Promise.resolve().then(() => (c.changed(), 'read before the change')))).toBe('read before the change');
    expect(await cache.get('k', () => Promise.resolve('read after'))).toBe('read after');
  });
});
