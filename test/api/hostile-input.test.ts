// Hostile and careless input against the real app and PostgreSQL: each is answered with a 4xx
// problem that says what is wrong and where, never a 500 — impossible dates, days far from
// today, NUL, bytes that are not UTF-8, integers past their column, a daypart ending at 00:00,
// a new station's LibreTime track types, a broken multipart body, methods a path does not have,
// deep JSON, huge headers and ids that try to climb out of their folder.
import { ActivityFailure, ApplicationFailure } from '@temporalio/common';
import { Worker } from '@temporalio/worker';
import { WorkflowFailedError } from '@temporalio/client';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { DateTime } from 'luxon';
import request from 'supertest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { activityDeps, createActivities } from '../../activities/index.js';
import { createApp } from '../../api/app.js';
import { importStationBundle } from '../../db/bundle-import.js';
import { broadcastDayWorkflowId } from '../../domain/broadcast-day.js';
import { WORKFLOWS_PATH } from '../../temporal/worker.js';
import { broadcastDay } from '../../workflows/broadcast-day.js';
import { stateQuery } from '../../workflows/broadcast-day-messages.js';
import { smallStationBundle } from '../fixtures/bundles.js';
import { useTestDatabase } from '../support/db.js';
import { makePerson } from '../support/people.js';
import { useTimeSkipping } from '../support/temporal.js';

const SECRET = 'hostile-input-secret';
const db = useTestDatabase({ truncateBeforeEach: false });
const serverErrors: unknown[] = [];
let dataDir: string;
let app: ReturnType<typeof createApp>;
let owner: string;
let admin: string;
let voice: string;

interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail?: string;
  errors?: { path: string; message: string }[];
}

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'librelog-hostile-'));
  await importStationBundle(db, smallStationBundle());
  owner = (await makePerson(db, SECRET, 'admin', { email: 'owner@hostile.example' })).authorization;
  admin = (await makePerson(db, SECRET, 'admin', { stations: ['kqtr'], email: 'admin@hostile.example' })).authorization;
  voice = (await makePerson(db, SECRET, 'voice', { stations: ['kqtr'], email: 'voice@hostile.example' })).authorization;
  app = createApp({
    db,
    temporal: { namespace: 'default', check: () => Promise.resolve() },
    jwtSecret: SECRET,
    dataDir,
    validateResponses: true,
    log: (error) => serverErrors.push(error),
  });
});

beforeEach(() => {
  serverErrors.length = 0;
});

afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

/** A 4xx problem document naming where the trouble is; nothing logged as a server error. */
function expectProblem(res: { status: number; body: unknown; headers: Record<string, string> }, status: number, where?: string | RegExp): ProblemBody {
  const body = res.body as ProblemBody;
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(body).toMatchObject({ status, title: expect.any(String) as string });
  if (where !== undefined) expect(body.errors?.map((e) => e.path) ?? [], JSON.stringify(body)).toContainEqual(typeof where === 'string' ? where : expect.stringMatching(where));
  expect(serverErrors).toEqual([]);
  return body;
}

const today = () => DateTime.now().setZone('America/Phoenix').startOf('day');

/** Sends bytes exactly as given (supertest would serialize a Buffer sent as JSON). */
async function rawRequest(method: string, url: string, headers: Record<string, string>, body: Buffer | string) {
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    return await new Promise<{ status: number; body: unknown; headers: Record<string, string> }>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port, method, path: url, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown, headers: res.headers as Record<string, string> }));
      });
      req.on('error', reject);
      req.end(body);
    });
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

describe('impossible dates', () => {
  it.each([
    ['a day of month 13', 'GET', '/api/v1/stations/kqtr/logs/2024-13-01', /date/],
    ['February 30th', 'GET', '/api/v1/stations/kqtr/logs/2024-02-30', /date/],
    ['a range from month 13', 'GET', '/api/v1/stations/kqtr/logs?from=2024-13-01&to=2024-13-05', /query\.from/],
    ['voice slots of February 30th', 'GET', '/api/v1/stations/kqtr/voice-slots?date=2023-02-29', /query\.date/],
    ['tuning hours from April 31st', 'GET', '/api/v1/stations/kqtr/reports/tuning-hours?from=2024-04-31&to=2024-05-02', /query\.from/],
    ['year zero', 'GET', '/api/v1/stations/kqtr/logs/0000-01-01', /date/],
  ])('%s is a 400 naming the date', async (_name, method, url, where) => {
    const res = await request(app)[method === 'GET' ? 'get' : 'post'](url).set('Authorization', admin);
    const body = expectProblem(res, 400, where);
    expect(JSON.stringify(body.errors)).toMatch(/calendar date/);
  });

  it('a build for February 30th is refused with 400, not accepted and failed later', async () => {
    const res = await request(app).post('/api/v1/stations/kqtr/logs/2024-02-30/build').set('Authorization', admin);
    expectProblem(res, 400, /date/);
  });

  it('a build for a day that exists but is not near today (year 0001, 401 days ahead) is a 400 giving the range', async () => {
    for (const date of ['0001-01-01', today().plus({ days: 401 }).toISODate()!, today().minus({ days: 401 }).toISODate()!]) {
      const res = await request(app).post(`/api/v1/stations/kqtr/logs/${date}/build`).set('Authorization', admin);
      const body = expectProblem(res, 400, /date/);
      expect(body.detail).toContain(`${today().minus({ days: 400 }).toISODate()} to ${today().plus({ days: 400 }).toISODate()}`);
    }
    // The edge of the window is in it (this API server has no Temporal: 503 after the check).
    const edge = await request(app).post(`/api/v1/stations/kqtr/logs/${today().plus({ days: 400 }).toISODate()}/build`).set('Authorization', admin);
    expect(edge.status).toBe(503);
  });

  it('opening a day that is no broadcast day fails for good at once, saying why, and leaves no log', async () => {
    const activities = createActivities(activityDeps(db, dataDir));
    const station = (await db('stations').where({ slug: 'kqtr' }).first('id')) as { id: string };
    for (const date of ['0001-01-01', '2024-02-30', '1999-12-31']) {
      const opened = activities.openBroadcastDay({ stationId: station.id, date, workflowId: broadcastDayWorkflowId('kqtr', date), runId: 'run' });
      await expect(opened).rejects.toBeInstanceOf(ApplicationFailure);
      await expect(opened).rejects.toMatchObject({ nonRetryable: true, type: 'InvalidDate', message: expect.stringContaining(`"${date}" is not a broadcast date`) as string });
    }
    expect(await db('daily_logs').whereIn('broadcastDate', ['0001-01-01', '1999-12-31']).select('id')).toEqual([]);
  });
});

describe('a broadcast day whose build fails', () => {
  const skipping = useTimeSkipping();

  it('a day that is no broadcast day ends its run at once, with the reason in words', async () => {
    const worker = await Worker.create({ connection: skipping.env.nativeConnection, taskQueue: 'hostile-date', workflowsPath: WORKFLOWS_PATH, activities: createActivities(activityDeps(db, dataDir)) });
    await worker.runUntil(async () => {
      const run = skipping.env.client.workflow.execute(broadcastDay, { taskQueue: 'hostile-date', workflowId: broadcastDayWorkflowId('kqtr', '0001-01-01'), args: [{ station: 'kqtr', date: '0001-01-01' }] });
      const failed = (await run.catch((error: unknown) => error)) as WorkflowFailedError;
      expect(failed).toBeInstanceOf(WorkflowFailedError);
      // Opening the day refused it, once (no retries), in words.
      expect(failed.cause).toBeInstanceOf(ActivityFailure);
      expect((failed.cause as ActivityFailure).cause).toMatchObject({ type: 'InvalidDate', nonRetryable: true, message: expect.stringContaining('"0001-01-01" is not a broadcast date') as string });
    });
  });

  it('keeps the SQL of a database error out of the day\'s failure', async () => {
    const real = createActivities(activityDeps(db, dataDir));
    const sql = 'insert into "log_entries" ("hour", "utc_offset_minutes") values ($1, $2) - invalid input syntax for type smallint: "-448.3"';
    const activities = {
      ...real,
      saveDraft: () => Promise.reject(Object.assign(new Error(sql), { name: 'error', code: '22P02' })),
    };
    const date = today().plus({ days: 3 }).toISODate()!;
    const worker = await Worker.create({ connection: skipping.env.nativeConnection, taskQueue: 'hostile-sql', workflowsPath: WORKFLOWS_PATH, activities });
    await worker.runUntil(async () => {
      const handle = await skipping.env.client.workflow.start(broadcastDay, { taskQueue: 'hostile-sql', workflowId: broadcastDayWorkflowId('kqtr', date), args: [{ station: 'kqtr', date }] });
      // Every retry of the step (ten, at most a minute apart) passes in the test server's time.
      let state = await handle.query(stateQuery);
      for (let i = 0; i < 60 && state.status !== 'failed'; i++) {
        await skipping.env.sleep('1 minute');
        state = await handle.query(stateQuery);
      }
      expect(state.status).toBe('failed');
      expect(state.failure).toMatch(/^Building version 1 failed: an unexpected error while timing and saving the draft/);
      expect(state.failure).not.toMatch(/insert into|smallint/);
      const log = (await db('daily_logs').where({ broadcastDate: date }).first('failure')) as { failure: string };
      expect(log.failure).toBe(state.failure);
      await handle.terminate('test over');
    });
  });
});

describe('text', () => {
  it('a NUL character in a JSON body is a 400 naming the field', async () => {
    const res = await request(app).post('/api/v1/stations/kqtr/advertisers').set('Authorization', admin).send({ name: 'Caf\u0000e Nine' });
    const body = expectProblem(res, 400, 'body.name');
    expect(body.errors?.[0]?.message).toMatch(/NUL/);
  });

  it('a NUL character in a key, a nested text or the query is a 400 naming it', async () => {
    expectProblem(await request(app).post('/api/v1/stations/kqtr/rule-sets').set('Authorization', admin).send({ name: 'soft', genres: ['pop', 'r\u0000b'] }), 400, 'body.genres[1]');
    expectProblem(await request(app).patch('/api/v1/stations/kqtr').set('Authorization', admin).send({ libretimeTrackTypes: { 'SW\u0000EEP': 'PRO' } }), 400, /body\.libretimeTrackTypes/);
    expectProblem(await request(app).get('/api/v1/stations/kqtr/tracks?q=a%00b').set('Authorization', admin), 400, 'query.q');
  });

  it('a body that is not UTF-8 is refused, not stored with replacement characters', async () => {
    const latin1 = Buffer.concat([Buffer.from('{"name":"Caf'), Buffer.from([0xe9]), Buffer.from(' Nine"}')]);
    const res = await rawRequest('POST', '/api/v1/stations/kqtr/advertisers', { Authorization: admin, 'Content-Type': 'application/json' }, latin1);
    const body = expectProblem(res, 400, 'body');
    expect(body.errors?.[0]?.message).toMatch(/UTF-8/);
    expect(await db('advertisers').where('name', 'like', 'Caf%').select('name')).toEqual([]);
    // A replacement character that was really sent (UTF-8 bytes EF BF BD) is text like any other.
    await request(app).post('/api/v1/stations/kqtr/advertisers').set('Authorization', admin).send({ name: 'Caf\uFFFD Ten' }).expect(201);
    // Percent-encoding that is not UTF-8 in the query is refused too.
    expectProblem(await request(app).get('/api/v1/stations/kqtr/tracks?q=caf%E9').set('Authorization', admin), 400, 'query.q');
  });

  it('JSON nested thousands deep is a 400 at once', async () => {
    const deep = `{"name":"x","notes":${'['.repeat(50_000)}${']'.repeat(50_000)}}`;
    const started = Date.now();
    const res = await rawRequest('POST', '/api/v1/stations/kqtr/advertisers', { Authorization: admin, 'Content-Type': 'application/json' }, deep);
    expectProblem(res, 400, /body\.notes/);
    expect(Date.now() - started).toBeLessThan(5_000);
    const bundle = `${JSON.stringify(smallStationBundle()).slice(0, -1)},"extra":${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)}}`;
    expectProblem(await rawRequest('PUT', '/api/v1/stations/kqtr/bundle', { Authorization: admin, 'Content-Type': 'application/json' }, bundle), 400, /body\.extra/);
  });
});

describe('numbers and times of day', () => {
  it('an integer past its int4 column is a 400 naming it', async () => {
    const res = await request(app).patch('/api/v1/stations/kqtr').set('Authorization', admin).send({ azuracastStationId: 2_147_483_648 });
    const body = expectProblem(res, 400, 'body.azuracastStationId');
    expect(body.errors?.[0]?.message).toContain('2147483647');
    expectProblem(await request(app).post('/api/v1/stations/kqtr/logs/2031-01-01/publish').set('Authorization', admin).send({ version: 99_999_999_999 }), 400, 'body.version');
  });

  it('a daypart ending at 00:00 ends at midnight, the end of the day', async () => {
    const res = await request(app).post('/api/v1/stations/kqtr/dayparts').set('Authorization', admin).send({ name: 'late night', days: ['fri', 'sat'], start: '22:00', end: '00:00' });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ name: 'late night', start: '22:00', end: '24:00' });
    expect(await db('dayparts').where({ name: 'late night' }).first('startMinute', 'endMinute')).toEqual({ startMinute: 1320, endMinute: 1440 });
  });

  it('a bundle whose daypart ends at 00:00 imports, ending at midnight', async () => {
    const bundle = smallStationBundle();
    bundle.dayparts = [...(bundle.dayparts ?? []), { name: 'evening', days: ['sun'], start: '19:00', end: '00:00' }];
    const res = await request(app).put('/api/v1/stations/kqtr/bundle').set('Authorization', admin).send(bundle);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(await db('dayparts').where({ name: 'evening' }).first('endMinute')).toEqual({ endMinute: 1440 });
  });
});

describe('stations', () => {
  it('a new station with LibreTime track types is made with them', async () => {
    const res = await request(app)
      .post('/api/v1/stations')
      .set('Authorization', owner)
      .send({ slug: 'ksweep', name: 'K-Sweep', timezone: 'America/Chicago', libretimeTrackTypes: { SWEEP: 'PRO', JNGL: 'LIN' } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ slug: 'ksweep', libretimeTrackTypes: { SWEEP: 'PRO', JNGL: 'LIN' } });
    const changed = await request(app).patch('/api/v1/stations/ksweep').set('Authorization', owner).send({ libretimeTrackTypes: { SWEEP: 'PSA' } });
    expect(changed.body).toMatchObject({ libretimeTrackTypes: { SWEEP: 'PSA' } });
  });
});

describe('requests the API does not take', () => {
  it('a malformed multipart body is a 400, not a 500 nor a response-contract breach', async () => {
    const bodies = [
      '--xyz\r\nContent-Disposition: form-data; name="date"\r\n\r\n2031-01-06\r\n--xyz\r\nContent-Disposition form-data name=file\r\n\r\nabc',
      '--xyz\r\nContent-Disposition: form-data; name="file"; filename="a.wav"\r\nContent-Type: audio/wav\r\n\r\nRIFF',
    ];
    for (const body of bodies) {
      const res = await request(app).post('/api/v1/stations/kqtr/voice-tracks').set('Authorization', voice).set('Content-Type', 'multipart/form-data; boundary=xyz').send(body);
      const problem = expectProblem(res, 400, 'body');
      expect(problem.detail).toMatch(/multipart/);
    }
  });

  it('a method a path does not have is a 405 with Allow listing the ones it has', async () => {
    const res = await request(app).delete('/api/v1/stations').set('Authorization', owner);
    expectProblem(res, 405);
    expect(res.headers.allow).toBe('GET, POST');
    const trace = await request(app).trace('/api/v1/stations/kqtr/logs/2031-01-06').set('Authorization', admin);
    expect(trace.status).toBe(405);
    expect(trace.headers.allow).toBe('GET');
  });

  it('headers far larger than any client sends are refused by the server, which goes on answering', async () => {
    const server = app.listen(0, '127.0.0.1');
    try {
      await new Promise<void>((resolve) => server.once('listening', resolve));
      const { port } = server.address() as AddressInfo;
      const status = await new Promise<number>((resolve, reject) => {
        const req = http.get({ host: '127.0.0.1', port, path: '/api/v1/health', headers: { 'X-Padding': 'x'.repeat(64 * 1024) } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
      });
      expect(status).toBe(431);
      expect((await request(server).get('/api/v1/health')).status).toBe(200);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it.each([
    ['/api/v1/stations/..%2F..%2F..%2Fetc%2Fpasswd', 404],
    ['/api/v1/stations/%2e%2e/logs/2031-01-06', 404],
    ['/api/v1/stations/kqtr/voice-tracks/..%2F..%2F..%2Fetc%2Fpasswd/audio', 400],
    ['/api/v1/stations/kqtr/voice-tracks/%2e%2e%2f%2e%2e%2fpackage.json/audio', 400],
    ['/api/v1/stations/kqtr/tracks/..%252F..%252Fetc', 400],
  ])('an id that climbs out of its folder (%s) is a %i', async (url, status) => {
    const res = await request(app).get(url).set('Authorization', admin);
    expectProblem(res, status);
    expect(res.text).not.toMatch(/root:|"dependencies"/);
  });
});

describe('the served OpenAPI document', () => {
  it('lists 400 on every operation, and 413 and 415 on every one that takes a body', async () => {
    const spec = (await request(app).get('/api/openapi.json')).body as { paths: Record<string, Record<string, { requestBody?: unknown; responses: Record<string, unknown> }>> };
    const missing: string[] = [];
    for (const [p, item] of Object.entries(spec.paths)) {
      for (const [method, op] of Object.entries(item)) {
        if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
        for (const status of op.requestBody ? ['400', '413', '415'] : ['400']) if (!op.responses[status]) missing.push(`${method.toUpperCase()} ${p} ${status}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('bounds every integer a request carries to its column', async () => {
    const spec = (await request(app).get('/api/openapi.json')).body as { components: { schemas: Record<string, { properties: Record<string, { minimum?: number; maximum?: number }> }> } };
    expect(spec.components.schemas.StationChanges!.properties.azuracastStationId).toMatchObject({ minimum: 1, maximum: 2147483647 });
    expect(spec.components.schemas.VersionRequest!.properties.version).toMatchObject({ minimum: 1, maximum: 2147483647 });
  });
});
