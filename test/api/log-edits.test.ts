// Hand edits to a built log through the API (docs/log-editing.md), against the real app,
// PostgreSQL, Temporal dev server and worker: each edit is the next version, re-timed only in
// its hours; approval applies to the version shown; a rebuild keeps the locks and edits whose
// place still exists; every role and bad input is refused with a problem that says where.
import request from 'supertest';
import { DateTime } from 'luxon';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createApp } from '../../api/app.js';
import { importStationBundle } from '../../db/bundle-import.js';
import { editSlotKey } from '../../domain/log/edits.js';
import { logEntryId } from '../../domain/log/entry-id.js';
import type { UserRole } from '../../domain/vocabulary.js';
import { smallStationBundle } from '../fixtures/bundles.js';
import { useTestDatabase } from '../support/db.js';
import { makePerson } from '../support/people.js';
import { activitiesFor, useTemporal } from '../support/temporal.js';
import { until } from '../support/until.js';

const SECRET = 'log-edits-test-secret';
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

interface Entry {
  id: string;
  position: number;
  startsAt: string;
  lengthMs: number;
  type: string;
  title: string;
  trackId: string | null;
  hour: number;
  hourLabel: string;
  locked?: boolean;
  note: string | null;
}

interface LogBody {
  status: string;
  version: number;
  approvedVersion: number | null;
  entries: Entry[];
  exceptions: { id: string; kind: string; severity: string; message: string; blocksApproval: boolean }[];
  edits: { id: string; kind: string; state: string; entryId: string; summary: string; reason: string; madeBy: { id: string; name: string } | null; madeInVersion: number; droppedBecause: string | null }[];
}

/** Entries are in time order and back to back, from the first to the last. */
function expectBackToBack(entries: readonly Entry[]) {
  entries.forEach((e, i) => {
    expect(e.position).toBe(i);
    if (i > 0) expect(Date.parse(e.startsAt)).toBe(Date.parse(entries[i - 1]!.startsAt) + entries[i - 1]!.lengthMs);
  });
}

const span = (entries: readonly Entry[]) => ({ start: entries[0]!.startsAt, end: Date.parse(entries.at(-1)!.startsAt) + entries.at(-1)!.lengthMs });

describe('hand edits to a built log, through the API', () => {
  it('inserts, moves, replaces, deletes and locks; each edit is the next version, only its hours move, and a rebuild keeps what it can', async () => {
    await importStationBundle(db, smallStationBundle());
    const date = DateTime.now().setZone('America/Phoenix').plus({ days: 5 }).toISODate()!;
    const [traffic, programming, viewer, voice] = await Promise.all((['traffic', 'programming', 'viewer', 'voice'] as UserRole[]).map((role) => makePerson(db, SECRET, role)));
    const api = request(app());
    const logPath = `/api/v1/stations/kqtr/logs/${date}`;
    const read = async () => (await api.get(logPath).set('Authorization', viewer!.authorization).expect(200)).body as LogBody;
    const edit = (who: { authorization: string }, body: object) => api.post(`${logPath}/edits`).set('Authorization', who.authorization).send(body);

    await temporal.withWorker(activitiesFor(db), async () => {
      await api.post(`${logPath}/build`).set('Authorization', traffic!.authorization).expect(202);
      onTestFinished(async () => {
        await temporal.env.client.workflow.getHandle(`broadcast-day:kqtr:${date}`).terminate('test over').catch(() => undefined);
      });
      const v1 = await until(read, (body) => body.status === 'awaiting_approval');
      expect(v1.version).toBe(1);
      const hour = (log: LogBody, h: number) => log.entries.filter((e) => e.hour === h);
      const songsAt = (log: LogBody, h: number) => hour(log, h).filter((e) => e.type === 'MUS');
      const anchor = songsAt(v1, 7)[1]!;

      // ---- Insert a note (a live read) after a song at 07:xx.
      const inserted = await edit(traffic!, { version: 1, kind: 'insert', entryId: anchor.id, placement: 'after', note: { text: 'Live read: Rainbow Motors', lengthMs: 30_000 }, reason: 'Sold a live read for the morning show' }).expect(200);
      expect(inserted.body).toMatchObject({ state: { version: 2, status: 'awaiting_approval' }, edit: { summary: expect.stringMatching(/^Inserted "Live read: Rainbow Motors" \(0:30\) after ".+" at 07:\d\d$/) as string } });
      const v2 = await read();
      expect(v2.version).toBe(2);
      expectBackToBack(v2.entries);
      const note = v2.entries.find((e) => e.title === 'Live read: Rainbow Motors')!;
      expect(note).toMatchObject({ type: 'LIVE', lengthMs: 30_000, hour: 7, trackId: null });
      expect(v2.entries[note.position - 1]!.id).toBe(anchor.id);
      // The hour fits the span it had; every other hour is exactly as it was.
      expect(span(hour(v2, 7))).toEqual(span(hour(v1, 7)));
      for (const h of [0, 6, 8, 23]) expect(hour(v2, h).map(({ position: _, ...e }) => e)).toEqual(hour(v1, h).map(({ position: _, ...e }) => e));
      expect(v2.edits).toEqual([expect.objectContaining({ kind: 'insert', state: 'active', entryId: anchor.id, reason: 'Sold a live read for the morning show', madeBy: { id: traffic!.id, name: expect.any(String) as string }, madeInVersion: 2 })]);

      // Approval applies to the version shown: the one before the edit is refused.
      await api.post(`${logPath}/approve`).set('Authorization', traffic!.authorization).send({ version: 1 }).expect(412);
      // An edit to a version not seen is refused too.
      await edit(traffic!, { version: 1, kind: 'delete', entryId: anchor.id, reason: 'stale' }).expect(412);

      // ---- Who may edit, and what is refused where.
      await edit(viewer!, { version: 2, kind: 'delete', entryId: anchor.id, reason: 'no' }).expect(403);
      await edit(voice!, { version: 2, kind: 'delete', entryId: anchor.id, reason: 'no' }).expect(403);
      const noWhy = await edit(traffic!, { version: 2, kind: 'delete', entryId: anchor.id, reason: '   ' }).expect(422);
      expect(noWhy.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(noWhy.body).toMatchObject({ errors: [{ path: 'body.reason' }] });
      const stranger = await edit(traffic!, { version: 2, kind: 'delete', entryId: '00000000-0000-4000-8000-000000000000', reason: 'gone' }).expect(422);
      expect(stranger.body).toMatchObject({ errors: [{ path: 'body.entryId' }] });
      const both = await edit(traffic!, { version: 2, kind: 'insert', entryId: anchor.id, trackId: anchor.trackId, note: { text: 'x', lengthMs: 0 }, reason: 'both' }).expect(422);
      expect(both.body).toMatchObject({ errors: [{ path: 'body.note' }] });
      await edit(traffic!, { version: 2, kind: 'replace', entryId: anchor.id, reason: 'with what?' }).expect(422);
      await edit(traffic!, { version: 2, kind: 'teleport', entryId: anchor.id, reason: 'x' }).expect(400);
      const legalId = hour(v2, 8).find((e) => e.type === 'LIN')!;
      const hardMove = await edit(traffic!, { version: 2, kind: 'move', entryId: legalId.id, anchorEntryId: anchor.id, reason: 'try' }).expect(422);
      expect(hardMove.body).toMatchObject({ detail: expect.stringContaining('hard start') as string });
      // Fill material is timing's, chosen again around every edit: not a place to edit.
      const fill = v2.entries.find((e) => (e as Entry & { fill?: boolean }).fill);
      if (fill) {
        const refusedFill = await edit(traffic!, { version: 2, kind: 'delete', entryId: fill.id, reason: 'try' }).expect(422);
        expect(refusedFill.body).toMatchObject({ detail: expect.stringContaining('fill material') as string });
      }
      expect((await read()).version).toBe(2);

      // ---- Replace a song, picked from the candidates with their separation warnings.
      const target = songsAt(v2, 9)[0]!;
      const candidates = (await api.get(`${logPath}/candidates`).query({ entryId: target.id }).set('Authorization', programming!.authorization).expect(200)).body as { id: string; title: string; warnings: string[] }[];
      expect(candidates.length).toBeGreaterThan(0);
      await api.get(`${logPath}/candidates`).query({ entryId: target.id }).set('Authorization', viewer!.authorization).expect(403);
      // The search matches words as typed, a form's "+" for a space included.
      const [first] = candidates;
      const words = first!.title.split(' ');
      if (words.length > 1) {
        const found = (await api.get(`${logPath}/candidates?entryId=${target.id}&q=${words.map(encodeURIComponent).join('+')}`).set('Authorization', programming!.authorization).expect(200)).body as { id: string }[];
        expect(found.map((c) => c.id)).toContain(first!.id);
      }
      // The song playing just before it would break its own title separation: a warning, in words.
      const before = songsAt(v2, 9)[1] ?? songsAt(v2, 8).at(-1)!;
      const repeat = candidates.find((c) => c.id === before.trackId);
      if (repeat) expect(repeat.warnings.join(' ')).toMatch(/title separation/);
      // A small library: every song may be near another play; the one with fewest warnings.
      const choice = candidates.filter((c) => c.id !== target.trackId).sort((a, b) => a.warnings.length - b.warnings.length)[0]!;
      const replaced = await edit(programming!, { version: 2, kind: 'replace', entryId: target.id, trackId: choice.id, reason: 'Request from the PD' }).expect(200);
      expect(replaced.body).toMatchObject({ state: { version: 3 }, edit: { summary: expect.stringContaining(`with "${choice.title}"`) as string } });
      // What it breaks is said with the edit, and kept as warnings of the version.
      expect((replaced.body as { edit: { separationWarnings: string[] } }).edit.separationWarnings).toHaveLength(choice.warnings.length);
      const v3 = await read();
      expectBackToBack(v3.entries);
      expect(v3.entries.find((e) => e.id === target.id)!.trackId).toBe(choice.id);

      // ---- Move a song from 10:xx to after a song at 11:xx; delete one at 12:xx.
      const moving = songsAt(v3, 10)[0]!;
      const to = songsAt(v3, 11)[0]!;
      const move = await edit(traffic!, { version: 3, kind: 'move', entryId: moving.id, anchorEntryId: to.id, placement: 'after', reason: 'Better after the news' }).expect(200);
      const v4 = await read();
      expectBackToBack(v4.entries);
      expect(v4.entries.some((e) => e.id === moving.id)).toBe(false);
      // The moved entry's id is its new place's: an edit's slot in hour 11 (Phoenix keeps no DST).
      const { id: stationId } = (await db('stations').where({ slug: 'kqtr' }).first('id')) as { id: string };
      const moved = v4.entries.find((e) => e.id === logEntryId(stationId, date, editSlotKey(11, (move.body as { edit: { id: string } }).edit.id)))!;
      expect(moved).toMatchObject({ hour: 11, trackId: moving.trackId });
      expect(v4.entries[moved.position - 1]!.id).toBe(to.id);
      expect(span(hour(v4, 10))).toEqual(span(hour(v3, 10)));
      expect(span(hour(v4, 11))).toEqual(span(hour(v3, 11)));
      const dropping = songsAt(v4, 12)[0]!;
      await edit(traffic!, { version: 4, kind: 'delete', entryId: dropping.id, reason: 'Artist asked us not to play it' }).expect(200);
      const v5 = await read();
      expect(v5.entries.some((e) => e.id === dropping.id)).toBe(false);
      expectBackToBack(v5.entries);

      // ---- Lock a song, approve, then rebuild: the lock and the edits come back.
      const locking = songsAt(v5, 14)[1]!;
      await edit(traffic!, { version: 5, kind: 'lock', entryId: locking.id, reason: 'Premiere, announced on air' }).expect(200);
      const v6 = await read();
      expect(v6.entries.find((e) => e.id === locking.id)).toMatchObject({ locked: true, trackId: locking.trackId });
      await edit(traffic!, { version: 6, kind: 'lock', entryId: locking.id, reason: 'twice' }).expect(422);
      const errors = v6.exceptions.filter((x) => x.blocksApproval);
      await api
        .post(`${logPath}/approve`)
        .set('Authorization', traffic!.authorization)
        .send({ version: 6, ...(errors.length > 0 && { acknowledgements: errors.map((x) => ({ exceptionId: x.id, reason: 'seen' })) }) })
        .expect(200);
      expect((await read()).status).toBe('approved');

      await api.post(`${logPath}/rebuild`).set('Authorization', traffic!.authorization).send({ reason: 'clock changed' }).expect(202);
      const v7 = await until(read, (body) => body.version === 7 && body.status === 'awaiting_approval');
      expectBackToBack(v7.entries);
      expect(v7.approvedVersion).toBeNull();
      expect(v7.entries.find((e) => e.id === locking.id)).toMatchObject({ locked: true, trackId: locking.trackId, hour: 14 });
      expect(v7.entries.find((e) => e.title === 'Live read: Rainbow Motors')).toMatchObject({ type: 'LIVE', hour: 7 });
      expect(v7.entries.some((e) => e.id === dropping.id)).toBe(false);
      expect(v7.exceptions.find((x) => x.kind === 'log_edit' && x.severity === 'info')?.message).toMatch(/hand edits of earlier versions applied again/);
      expect(v7.edits.map((e) => [e.kind, e.state])).toEqual([
        ['lock', 'active'],
        ['delete', 'active'],
        ['move', 'active'],
        ['replace', 'active'],
        ['insert', 'active'],
      ]);

      // ---- Unlock: the next version; the entry stays, no longer locked.
      await edit(traffic!, { version: 7, kind: 'unlock', entryId: locking.id, reason: 'Premiere moved to Friday' }).expect(200);
      const v8 = await read();
      expect(v8.entries.find((e) => e.id === locking.id)?.locked).toBe(false);
      expect(v8.edits.find((e) => e.kind === 'lock')?.state).toBe('undone');

      // Who and why, in the audit log, one row per edit.
      const audit = (await db('audit_log').where({ action: 'log.edit' }).orderBy('id').select('actorId', 'after')) as { actorId: string; after: { version: number; reason: string; summary: string } }[];
      expect(audit.map((a) => [a.after.version, a.after.reason])).toEqual([
        [2, 'Sold a live read for the morning show'],
        [3, 'Request from the PD'],
        [4, 'Better after the news'],
        [5, 'Artist asked us not to play it'],
        [6, 'Premiere, announced on air'],
        [8, 'Premiere moved to Friday'],
      ]);
      expect(audit[1]!.actorId).toBe(programming!.id);
    });
  });
});
