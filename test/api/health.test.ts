import { Connection } from '@temporalio/client';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createApp } from '../../api/app.js';
import { HEALTH_TIMEOUT_MS } from '../../api/routes/health.js';
import { temporalHealth } from '../../api/server.js';
import { useTestDatabase } from '../support/db.js';

const db = useTestDatabase();
let connection: Connection;

beforeAll(async () => {
  connection = await Connection.connect({ address: inject('temporalAddress') });
});
afterAll(async () => {
  await connection.close();
});

const app = () => createApp({ db, temporal: temporalHealth(connection, 'default'), temporalUiUrl: 'http://localhost:8233', jwtSecret: 'test-secret', log: () => undefined });

describe('GET /api/v1/health', () => {
  it('answers ok when PostgreSQL and Temporal both answer', async () => {
    const res = await request(app()).get('/api/v1/health').expect(200);
    expect(res.body).toMatchObject({
      status: 'ok',
      database: { ok: true },
      temporal: { ok: true, namespace: 'default', uiUrl: 'http://localhost:8233' },
    });
  });

  it('answers 503 and says which part is down when Temporal does not answer, but not why: that is in the log', async () => {
    const closed = await Connection.connect({ address: inject('temporalAddress') });
    await closed.close();
    const logged: unknown[] = [];
    const res = await request(createApp({ db, temporal: temporalHealth(closed, 'default'), jwtSecret: 'test-secret', log: (error) => logged.push(error) }))
      .get('/api/v1/health')
      .expect(503);
    expect(res.body).toEqual({ status: 'degraded', version: expect.any(String) as string, database: { ok: true, latencyMs: expect.any(Number) as number }, temporal: { ok: false, latencyMs: expect.any(Number) as number, namespace: 'default' } });
    expect(logged).toEqual([expect.objectContaining({ message: expect.stringMatching(/^health: Temporal does not answer: ./) as string })]);
  });

  it('shows anyone only ok or failing, never a raw database error (a host, a user, a server message)', async () => {
    const failing = new Proxy(db, {
      get: (target, prop): unknown => (prop === 'raw' ? () => Promise.reject(new Error('password authentication failed for user "librelog" at db.internal:5432')) : Reflect.get(target, prop)),
    });
    const logged: unknown[] = [];
    const res = await request(createApp({ db: failing, temporal: temporalHealth(connection, 'default'), jwtSecret: 'test-secret', log: (error) => logged.push(error) }))
      .get('/api/v1/health')
      .expect(503);
    expect(res.body).toMatchObject({ status: 'degraded', database: { ok: false }, temporal: { ok: true } });
    expect(JSON.stringify(res.body)).not.toMatch(/password|librelog"|db\.internal/);
    expect(String(logged[0])).toMatch(/db\.internal:5432/);
  });

  it('answers after its time-out and says the database is down when it does not answer (paused), never waiting for ever', async () => {
    // The database as a paused server looks: every query waits for ever.
    const paused = new Proxy(db, { get: (target, prop): unknown => (prop === 'raw' ? () => new Promise(() => undefined) : Reflect.get(target, prop)) });
    // Timed from the request, not from building the app (which a loaded CI machine makes slow).
    const app = createApp({ db: paused, temporal: temporalHealth(connection, 'default'), jwtSecret: 'test-secret', log: () => undefined });
    const started = Date.now();
    const res = await request(app).get('/api/v1/health').expect(503);
    // It gave up at its own time-out (1.5 s); the wall-clock bound only proves it did not hang —
    // a loaded machine fires timers late, so speed is not what this checks.
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(res.body).toMatchObject({ status: 'degraded', database: { ok: false }, temporal: { ok: true } });
    expect((res.body as { database: { latencyMs: number } }).database.latencyMs).toBeGreaterThanOrEqual(HEALTH_TIMEOUT_MS - 50);
  });
});

describe('errors', () => {
  it('are application/problem+json that say what and where', async () => {
    const res = await request(app()).get('/api/v1/no-such-thing').expect(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 404, title: 'Not Found', instance: '/api/v1/no-such-thing' });
    expect(JSON.stringify(res.body)).not.toMatch(/at .*\.ts:\d+/);
  });

  it('reject unknown query parameters by name', async () => {
    const res = await request(app()).get('/api/v1/health?verbose=1').expect(400);
    expect((res.body as { errors: unknown[] }).errors).toEqual([expect.objectContaining({ path: expect.stringContaining('verbose') as string })]);
  });
});

describe('the API documentation', () => {
  it('is served at /api/docs from the OpenAPI document', async () => {
    const page = await request(app()).get('/api/docs/').expect(200);
    expect(page.text).toContain('LibreLog API');
    const spec = await request(app()).get('/api/openapi.json').expect(200);
    expect((spec.body as { paths: object }).paths).toHaveProperty('/health');
  });
});
