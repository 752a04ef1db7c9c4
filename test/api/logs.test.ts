// The logs API against the real app, PostgreSQL, Temporal dev server and worker: a traffic
// manager builds, approves and an admin publishes a day; viewers read but may not act.
import request from 'supertest';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { DateTime } from 'luxon';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createApp } from '../../api/app.js';
import { importStationBundle } from '../../db/bundle-import.js';
import type { UserRole } from '../../domain/vocabulary.js';
import { smallStationBundle } from '../fixtures/bundles.js';
import { useTestDatabase } from '../support/db.js';
import { makePerson } from '../support/people.js';
import { activitiesFor, useTemporal } from '../support/temporal.js';
import { until } from '../support/until.js';
import { approveUpdate } from '../../workflows/broadcast-day-messages.js';

const SECRET = 'logs-test-secret';
const db = useTestDatabase();
const temporal = useTemporal();

const app = () =>
  createApp({
    db,
    temporal: { namespace: 'default', check: () => Promise.resolve() },
    jwtSecret: SECRET,
    broadcastDays: { client: temporal.env.client, taskQueue: temporal.taskQueue, namespace: 'default', temporalUiUrl: 'http://localhost:8233' },
    log: () => undefined,
  });

async function tokenFor(role: UserRole): Promise<string> {
  return (await userWithToken(role)).token;
}

async function userWithToken(role: UserRole): Promise<{ id: string; token: string }> {
  const person = await makePerson(db, SECRET, role);
  return { id: person.id, token: person.authorization };
}

interface LogBody {
  status?: string;
  version: number;
  entries: { id: string; type: string; hour: number; hourLabel: string; utcOffsetMinutes: number | null; fadedEarlyMs: number; fadeOutMs: number; lengthMs: number; note: string | null }[];
  exceptions: {
    id: string;
    kind: string;
    severity: string;
    hourLabel: string | null;
    message: string;
    blocksApproval: boolean;
    acknowledgement: { by: { id: string; name: string } | null; at: string; reason: string } | null;
  }[];
}


describe('the logs API', () => {
  it('builds a day, shows it with entries and exceptions, approves the version seen, and publishes it', async () => {
    await importStationBundle(db, smallStationBundle());
    const date = DateTime.now().setZone('America/Phoenix').plus({ days: 4 }).toISODate()!;
    const [traffic, admin, viewer] = await Promise.all([tokenFor('traffic'), tokenFor('admin'), tokenFor('viewer')]);
    const api = request(app());
    // The day's run starts while the station lets traffic publish…
    const letTrafficPublish = (may: boolean) => db('stations').where({ slug: 'kqtr' }).update({ trafficMayPublish: may });
    await letTrafficPublish(true);
    await temporal.withWorker(activitiesFor(db), async () => {
      const built = await api.post(`/api/v1/stations/kqtr/logs/${date}/build`).set('Authorization', traffic).expect(202);
      expect(built.body).toMatchObject({ workflowId: `broadcast-day:kqtr:${date}`, temporalUrl: `http://localhost:8233/namespaces/default/workflows/broadcast-day%3Akqtr%3A${date}` });
      onTestFinished(async () => {
        await temporal.env.client.workflow.getHandle(`broadcast-day:kqtr:${date}`).terminate('test over').catch(() => undefined);
      });

      const log = await until(
        async () => (await api.get(`/api/v1/stations/kqtr/logs/${date}`).set('Authorization', viewer)).body as LogBody,
        (body) => body.status === 'awaiting_approval',
      );
      expect(log.version).toBe(1);
      expect(log.entries.length).toBeGreaterThan(100);
      expect(log.entries.some((e) => e.type === 'LIN')).toBe(true);
      // Each entry says its hour as the station does, with the offset from UTC, and what is faded early.
      expect(log.entries.find((e) => e.hour === 7)).toMatchObject({ hourLabel: '07:00', utcOffsetMinutes: -420, fadedEarlyMs: expect.any(Number) as number });
      // A log without errors needs no acknowledgement.
      expect(log.exceptions.filter((x) => x.blocksApproval)).toEqual([]);

      // A viewer reads but may not approve; approving a version not seen is refused.
      await api.post(`/api/v1/stations/kqtr/logs/${date}/approve`).set('Authorization', viewer).send({ version: 1 }).expect(403);
      const stale = await api.post(`/api/v1/stations/kqtr/logs/${date}/approve`).set('Authorization', traffic).send({ version: 2 }).expect(412);
      expect(stale.headers['content-type']).toMatch(/application\/problem\+json/);
      expect((stale.body as { detail: string }).detail).toContain('Version 2 is not the log');
      // If-Match takes the GET's tag (or just the version) and refuses another version before the run is asked.
      await api.post(`/api/v1/stations/kqtr/logs/${date}/approve`).set('Authorization', traffic).set('If-Match', 'W/"2-1700000000000"').send({ version: 1 }).expect(412);
      const current = await api.get(`/api/v1/stations/kqtr/logs/${date}`).set('Authorization', viewer).expect(200);
      expect(String(current.headers.etag)).toMatch(/^W\/"1-\d+"$/);
      await api.post(`/api/v1/stations/kqtr/logs/${date}/approve`).set('Authorization', traffic).send({ version: '1' }).expect(400);

      const approved = await api
        .post(`/api/v1/stations/kqtr/logs/${date}/approve`)
        .set('Authorization', traffic)
        .set('If-Match', String(current.headers.etag))
        .send({ version: 1 })
        .expect(200);
      expect(approved.body).toMatchObject({ status: 'approved', approvedVersion: 1 });
      // Approving twice is a conflict with the log's state, not a stale version.
      await api.post(`/api/v1/stations/kqtr/logs/${date}/approve`).set('Authorization', traffic).send({ version: 1 }).expect(409);

      // …and no longer does: publishing needs the admin role at this station, as the setting is now.
      await letTrafficPublish(false);
      const notAllowed = await api.post(`/api/v1/stations/kqtr/logs/${date}/publish`).set('Authorization', traffic).send({ version: 1 }).expect(403);
      expect((notAllowed.body as { detail: string }).detail).toContain('may not publish');
      // Turned on again, traffic gets past the role check (to a stale version's 412).
      await letTrafficPublish(true);
      await api.post(`/api/v1/stations/kqtr/logs/${date}/publish`).set('Authorization', traffic).send({ version: 3 }).expect(412);
      await letTrafficPublish(false);
      await api.post(`/api/v1/stations/kqtr/logs/${date}/publish`).set('Authorization', admin).send({ version: 3 }).expect(412);
      await api.post(`/api/v1/stations/kqtr/logs/${date}/publish`).set('Authorization', admin).set('If-Match', '"1"').send({ version: 1 }).expect(202);
      await until(
        async () => ((await api.get(`/api/v1/stations/kqtr/logs/${date}`).set('Authorization', viewer)).body as { status: string }).status,
        (status) => status === 'published',
      );

      // A client polling the day gets 304 until the log changes; the body is the same either way.
      const first = await api.get(`/api/v1/stations/kqtr/logs/${date}`).set('Authorization', viewer).expect(200);
      const again = await api.get(`/api/v1/stations/kqtr/logs/${date}`).set('Authorization', viewer).expect(200);
      expect(again.body).toEqual(first.body);
      await api.get(`/api/v1/stations/kqtr/logs/${date}`).set('Authorization', viewer).set('If-None-Match', String(first.headers.etag)).expect(304);

      const days = await api.get(`/api/v1/stations/kqtr/logs?from=${date}&to=${DateTime.fromISO(date).plus({ days: 1 }).toISODate()}`).set('Authorization', viewer).expect(200);
      expect((days.body as { date: string; status: string }[]).map((d) => [d.date, d.status])).toEqual([
        [date, 'published'],
        [DateTime.fromISO(date).plus({ days: 1 }).toISODate(), 'not_built'],
      ]);

      const audit = (await db('audit_log').where('action', 'like', 'log.%').orderBy('id').pluck('action')) as string[];
      expect(audit).toEqual(expect.arrayContaining(['log.build', 'log.approve', 'log.publish']));
    });
  });

  it('approves a log with an error only when the error is acknowledged with a reason; the exception and the audit keep who and why', async () => {
    const { stationId } = await importStationBundle(db, smallStationBundle());
    const date = DateTime.now().setZone('America/Phoenix').plus({ days: 6 }).toISODate()!;
    // 09:00 plays a clock without a legal ID: an error the traffic manager must see before approving.
    const [clock] = (await db('clocks').insert({ stationId, name: 'Music Only', targetLengthMs: 3_600_000 }).returning('id')) as { id: string }[];
    await db('clock_elements').insert({ clockId: clock!.id, position: 0, type: 'MUS', count: 14 });
    await db('grid_overrides').insert({ stationId, date, hour: 9, clockId: clock!.id });
    const [traffic, viewer] = await Promise.all([userWithToken('traffic'), tokenFor('viewer')]);
    const api = request(app());
    const approve = (body: object) => api.post(`/api/v1/stations/kqtr/logs/${date}/approve`).set('Authorization', traffic.token).send(body);
    await temporal.withWorker(activitiesFor(db), async () => {
      await api.post(`/api/v1/stations/kqtr/logs/${date}/build`).set('Authorization', traffic.token).expect(202);
      const workflowId = `broadcast-day:kqtr:${date}`;
      onTestFinished(async () => {
        await temporal.env.client.workflow.getHandle(workflowId).terminate('test over').catch(() => undefined);
      });
      const log = await until(
        async () => (await api.get(`/api/v1/stations/kqtr/logs/${date}`).set('Authorization', viewer)).body as LogBody,
        (body) => body.status === 'awaiting_approval',
      );
      const errors = log.exceptions.filter((x) => x.blocksApproval);
      expect(errors.map((x) => [x.kind, x.hourLabel, x.acknowledgement])).toEqual([['missing_legal_id', '09:00', null]]);
      // Warnings do not block approval.
      expect(log.exceptions.filter((x) => x.severity === 'warning').every((x) => !x.blocksApproval)).toBe(true);
      const error = errors[0]!;

      // Without the acknowledgement: 422, naming the error so a client can show it.
      const refused = await approve({ version: 1 }).expect(422);
      expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(refused.body).toMatchObject({ status: 422, detail: expect.stringContaining('1 error is not acknowledged') as string });
      expect((refused.body as { errors: unknown[] }).errors).toEqual([{ path: 'body.acknowledgements', exceptionId: error.id, message: `not acknowledged: ${error.message}` }]);
      // An id that is no error of this version is refused too; a blank reason is no reason.
      const stranger = '00000000-0000-4000-8000-000000000001';
      const unknown = await approve({ version: 1, acknowledgements: [{ exceptionId: error.id, reason: 'read live' }, { exceptionId: stranger, reason: 'why not' }] }).expect(422);
      expect((unknown.body as { errors: unknown[] }).errors).toEqual([{ path: 'body.acknowledgements[1].exceptionId', exceptionId: stranger, message: 'is not an error of version 1' }]);
      const blank = await approve({ version: 1, acknowledgements: [{ exceptionId: error.id, reason: '   ' }] }).expect(400);
      expect((blank.body as { errors: { path: string }[] }).errors[0]!.path).toBe('body.acknowledgements[0].reason');
      // The run refuses on its own as well, whoever asks it.
      const direct = await temporal.env.client.workflow
        .getHandle(workflowId)
        .executeUpdate(approveUpdate, { args: [{ userId: traffic.id, role: 'traffic', version: 1 }] })
        .catch((e: unknown) => e);
      expect(direct).toBeInstanceOf(WorkflowUpdateFailedError);
      expect((direct as WorkflowUpdateFailedError).cause).toMatchObject({ type: 'Unacknowledged', message: expect.stringContaining('1 error is not acknowledged') as string });

      const approved = await approve({ version: 1, acknowledgements: [{ exceptionId: error.id, reason: '  The host reads the legal ID live at 09:00  ' }] }).expect(200);
      expect(approved.body).toMatchObject({ status: 'approved', approvedVersion: 1 });

      const reason = 'The host reads the legal ID live at 09:00';
      expect(await db('log_exceptions').where({ id: error.id }).first('acknowledgedBy', 'acknowledgement')).toEqual({ acknowledgedBy: traffic.id, acknowledgement: reason });
      const after = (await api.get(`/api/v1/stations/kqtr/logs/${date}`).set('Authorization', viewer).expect(200)).body as LogBody;
      expect(after.exceptions.find((x) => x.id === error.id)!.acknowledgement).toMatchObject({ by: { id: traffic.id, name: 'traffic person' }, reason });
      // Both records of the approval (the API's, as the person, and the run's) say what was acknowledged and why.
      const audits = (await db('audit_log').where({ action: 'log.approve' }).select('actorId', 'after')) as { actorId: string; after: { version: number; acknowledgements: { exceptionId: string; reason: string; message?: string }[] } }[];
      expect(audits).toHaveLength(2);
      for (const audit of audits) {
        expect(audit.actorId).toBe(traffic.id);
        expect(audit.after).toMatchObject({ version: 1, acknowledgements: [{ exceptionId: error.id, reason }] });
      }
      expect(audits.some((a) => a.after.acknowledgements[0]!.message === error.message)).toBe(true);
    });
  });

  it('answers 404 for an unknown station or an unbuilt day, and 400 for a bad date', async () => {
    await importStationBundle(db, smallStationBundle());
    const viewer = await tokenFor('viewer');
    const api = request(app());
    await api.get('/api/v1/stations/nowhere/logs/2026-12-01').set('Authorization', viewer).expect(404);
    const unbuilt = await api.get('/api/v1/stations/kqtr/logs/2031-12-01').set('Authorization', viewer).expect(404);
    expect((unbuilt.body as { detail: string }).detail).toBe('The log of 2031-12-01 has not been built yet');
    const bad = await api.get('/api/v1/stations/kqtr/logs/2026-13-45').set('Authorization', viewer).expect(400);
    expect((bad.body as { errors: { path: string }[] }).errors[0]!.path).toContain('date');
    await api.get('/api/v1/stations/kqtr/logs?from=2026-12-10&to=2026-12-01').set('Authorization', viewer).expect(400);
    await api.post('/api/v1/stations/kqtr/logs/2020-01-01/rebuild').set('Authorization', await tokenFor('programming')).send({}).expect(409);
  });
});
