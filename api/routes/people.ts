// The people who sign in, the trusted apps (API clients), the roles each holds per station,
// and the audit log. People and clients are the install owners' business (the gate lets only
// owners in); the audit log is read by owners and by station admins for their stations.
// Passwords and client secrets are write-only; every change is audited in its transaction.
import { Router } from 'express';
import type { Knex } from 'knex';
import { findStation, StationNotFoundError } from '../../db/log-inputs.js';
import { replaceStationRoles, resolveStationRoles, stationRolesOf, UnknownStationError, type StationRoles } from '../../db/memberships.js';
import type { UserRole } from '../../domain/vocabulary.js';
import type { AppDeps } from '../deps.js';
import { recordAudit } from '../audit.js';
import { createApiClient } from '../auth/api-clients.js';
import { noStation } from '../auth/gate.js';
import { hashPassword } from '../auth/passwords.js';
import { principalOf, type Principal } from '../auth/principal.js';
import { revokeUserSessions } from '../auth/refresh-tokens.js';
import { stationsWhere } from '../auth/scopes.js';
import { handle } from '../handle.js';
import { Problem } from '../problem.js';

interface UserRecord {
  id: string;
  email: string;
  name: string;
  passwordHash: string;
  owner: boolean;
  disabled: boolean;
  lastLoginAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

interface ApiClientRecord {
  id: string;
  clientId: string;
  name: string;
  secretHash: string;
  owner: boolean;
  disabled: boolean;
  createdAt: Date;
  updatedAt: Date;
}

type StationRolesBody = { station: string; roles: UserRole[] }[];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const isUniqueViolation = (error: unknown) => (error as { code?: unknown } | null)?.code === '23505';

/** What the API (and the audit log) shows of a user: never the password hash. */
function userView(u: UserRecord, stations: StationRoles[]) {
  return {
    id: u.id,
    email: u.email,
    name: u.name,
    owner: u.owner,
    stations,
    disabled: u.disabled,
    lastLoginAt: u.lastLoginAt ? u.lastLoginAt.toISOString() : null,
    createdAt: u.createdAt.toISOString(),
    updatedAt: u.updatedAt.toISOString(),
  };
}

function apiClientView(c: ApiClientRecord, stations: StationRoles[]) {
  return {
    id: c.id,
    clientId: c.clientId,
    name: c.name,
    owner: c.owner,
    stations,
    disabled: c.disabled,
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
  };
}

/** The stations a body names, each once and existing; 400 naming the entry otherwise. */
async function stationRoles(db: Knex, wanted: StationRolesBody | undefined): Promise<StationRoles[] | undefined> {
  if (wanted === undefined) return undefined;
  const seen = new Map<string, number>();
  for (const [index, w] of wanted.entries()) {
    const key = w.station.toLowerCase();
    if (seen.has(key)) throw new Problem(400, 'Bad Request', `The station "${w.station}" is listed twice`, [{ path: `body.stations[${index}].station`, message: 'is listed twice; give all its roles in one entry' }]);
    seen.set(key, index);
  }
  try {
    const resolved = await resolveStationRoles(db, wanted);
    const ids = new Set<string>();
    for (const [index, s] of resolved.entries()) {
      if (ids.has(s.stationId)) throw new Problem(400, 'Bad Request', `The station "${s.station}" is listed twice`, [{ path: `body.stations[${index}].station`, message: 'is listed twice (by slug and by id)' }]);
      ids.add(s.stationId);
    }
    return resolved;
  } catch (error) {
    if (error instanceof UnknownStationError) {
      throw new Problem(400, 'Bad Request', `No station "${error.wanted}"`, [{ path: `body.stations[${error.index}].station`, message: 'names no station' }]);
    }
    throw error;
  }
}

/**
 * One audit record per station whose roles for this person or client changed, with the
 * station on it: a station's admins read their stations' entries, and this is who works there.
 */
async function auditStationRoles(
  trx: Knex,
  principal: Principal,
  who: { entity: 'user' | 'api_client'; id: string; name: string },
  before: readonly StationRoles[],
  after: readonly StationRoles[],
): Promise<void> {
  const ids = new Set([...before, ...after].map((s) => s.stationId));
  for (const stationId of ids) {
    const was = before.find((s) => s.stationId === stationId)?.roles ?? [];
    const now = after.find((s) => s.stationId === stationId)?.roles ?? [];
    if (was.length === now.length && was.every((role) => now.includes(role))) continue;
    await recordAudit(trx, principal, { action: 'station_roles.update', entity: who.entity, entityId: who.id, stationId, before: { name: who.name, roles: was }, after: { name: who.name, roles: now } });
  }
}

export function createPeopleRouter(deps: AppDeps): Router {
  const { db } = deps;
  const router = Router();

  // ---- Users ----

  const usersView = async (db: Knex, rows: UserRecord[]) => {
    const roles = await stationRolesOf(
      db,
      'user',
      rows.map((r) => r.id),
    );
    return rows.map((r) => userView(r, roles.get(r.id) ?? []));
  };

  router.get(
    '/users',
    handle(async (_req, res) => {
      const rows = (await db('users').orderByRaw('lower(email)').select('*')) as UserRecord[];
      res.json(await usersView(db, rows));
    }),
  );

  router.post(
    '/users',
    handle(async (req, res) => {
      const principal = principalOf(req);
      const body = req.body as { email: string; name: string; owner?: boolean; stations?: StationRolesBody; password: string };
      const email = body.email.trim();
      const conflict = () => new Problem(409, 'Conflict', `A user with the email ${email} already exists`, [{ path: 'body.email', message: 'is taken' }]);
      const passwordHash = await hashPassword(body.password);
      const created = await db.transaction(async (trx) => {
        const stations = (await stationRoles(trx, body.stations)) ?? [];
        const taken = (await trx('users').whereRaw('lower(email) = lower(?)', [email]).first('id')) as { id: string } | undefined;
        if (taken) throw conflict();
        let row: UserRecord;
        try {
          [row] = (await trx('users').insert({ email, name: body.name, owner: body.owner ?? false, passwordHash }).returning('*')) as [UserRecord];
        } catch (error) {
          if (isUniqueViolation(error)) throw conflict();
          throw error;
        }
        await replaceStationRoles(trx, { userId: row.id }, stations);
        const view = userView(row, stations);
        await recordAudit(trx, principal, { action: 'user.create', entity: 'user', entityId: row.id, after: view });
        await auditStationRoles(trx, principal, { entity: 'user', id: row.id, name: row.name }, [], stations);
        return view;
      });
      // This process forgets at once; the others when the change's notice reaches them.
      deps.accessChanges?.changed();
      res.status(201).json(created);
    }),
  );

  router.patch(
    '/users/:userId',
    handle(async (req, res) => {
      const principal = principalOf(req);
      const userId = String(req.params.userId);
      const { password, stations: wanted, ...changes } = req.body as { name?: string; owner?: boolean; disabled?: boolean; password?: string; stations?: StationRolesBody };
      if (principal.kind === 'user' && principal.id === userId && (changes.disabled === true || changes.owner === false)) {
        throw new Problem(409, 'Conflict', 'You may not disable yourself or give up your own ownership; ask another owner');
      }
      const passwordHash = password === undefined ? undefined : await hashPassword(password);
      const updated = await db.transaction(async (trx) => {
        const before = (await trx('users').where({ id: userId }).forUpdate().first()) as UserRecord | undefined;
        if (!before) throw new Problem(404, 'Not Found', `No user ${userId}`);
        const stations = await stationRoles(trx, wanted);
        const rolesBefore = (await stationRolesOf(trx, 'user', [userId])).get(userId) ?? [];
        const [after] = (await trx('users')
          .where({ id: userId })
          .update({ ...changes, ...(passwordHash && { passwordHash }), updatedAt: trx.fn.now() })
          .returning('*')) as [UserRecord];
        if (stations) {
          await replaceStationRoles(trx, { userId }, stations);
          await auditStationRoles(trx, principal, { entity: 'user', id: userId, name: after.name }, rolesBefore, stations);
        }
        // A new password or a disabled account ends every sign-in, here and in the web app.
        const signedOut = passwordHash !== undefined || (changes.disabled === true && !before.disabled);
        if (signedOut) await revokeUserSessions(trx, userId, passwordHash ? 'password_changed' : 'disabled', principal);
        const view = userView(after, stations ?? rolesBefore);
        await recordAudit(trx, principal, {
          action: 'user.update',
          entity: 'user',
          entityId: userId,
          before: userView(before, rolesBefore),
          after: { ...view, ...(passwordHash && { passwordChanged: true }), ...(signedOut && { signedOut: true }) },
        });
        return view;
      });
      // This process forgets at once; the others when the change's notice reaches them.
      deps.accessChanges?.changed();
      res.json(updated);
    }),
  );

  // ---- API clients ----

  /** `{clientId}` is the row's uuid or the client's `llc_…` id. */
  const whereClient = (param: string) => (UUID.test(param) ? { id: param } : { clientId: param });

  router.get(
    '/api-clients',
    handle(async (_req, res) => {
      const rows = (await db('api_clients').orderBy('name').orderBy('clientId').select('*')) as ApiClientRecord[];
      const roles = await stationRolesOf(
        db,
        'api_client',
        rows.map((r) => r.id),
      );
      res.json(rows.map((r) => apiClientView(r, roles.get(r.id) ?? [])));
    }),
  );

  router.post(
    '/api-clients',
    handle(async (req, res) => {
      const principal = principalOf(req);
      const body = req.body as { name: string; owner?: boolean; stations?: StationRolesBody; role?: UserRole; stationId?: string };
      if ((body.role === undefined) !== (body.stationId === undefined)) {
        throw new Problem(400, 'Bad Request', '`role` and `stationId` go together (or use `stations`)', [{ path: body.role ? 'body.stationId' : 'body.role', message: 'is needed with the other' }]);
      }
      if (body.stationId && body.stations) throw new Problem(400, 'Bad Request', 'Give either `stations` or `role` + `stationId`, not both', [{ path: 'body.stationId', message: 'conflicts with stations' }]);
      const wanted = body.stationId ? [{ station: body.stationId, roles: [body.role!] }] : body.stations;
      const { created, clientSecret } = await db.transaction(async (trx) => {
        const stations = (await stationRoles(trx, wanted).catch((error: unknown) => {
          // The shorthand's station is body.stationId, not body.stations[0].
          if (body.stationId && error instanceof Problem) throw new Problem(400, 'Bad Request', `No station ${body.stationId}`, [{ path: 'body.stationId', message: 'names no station' }]);
          throw error;
        })) ?? [];
        if (!body.owner && !stations.some((s) => s.roles.length > 0)) {
          throw new Problem(400, 'Bad Request', 'An API client needs a role at a station (or to be an owner)', [{ path: 'body.stations', message: 'needs at least one station with a role' }]);
        }
        const made = await createApiClient(trx, { name: body.name, owner: body.owner ?? false });
        await replaceStationRoles(trx, { apiClientId: made.id }, stations);
        const row = (await trx('api_clients').where({ id: made.id }).first()) as ApiClientRecord;
        await auditStationRoles(trx, principal, { entity: 'api_client', id: row.id, name: row.name }, [], stations);
        const view = apiClientView(row, stations);
        await recordAudit(trx, principal, { action: 'api_client.create', entity: 'api_client', entityId: row.id, stationId: stations.length === 1 ? stations[0]!.stationId : null, after: view });
        return { created: view, clientSecret: made.clientSecret };
      });
      // This process forgets at once; the others when the change's notice reaches them.
      deps.accessChanges?.changed();
      res.status(201).json({ ...created, clientSecret });
    }),
  );

  router.patch(
    '/api-clients/:clientId',
    handle(async (req, res) => {
      const principal = principalOf(req);
      const param = String(req.params.clientId);
      const { stations: wanted, ...changes } = req.body as { name?: string; owner?: boolean; disabled?: boolean; stations?: StationRolesBody };
      const updated = await db.transaction(async (trx) => {
        const before = (await trx('api_clients').where(whereClient(param)).forUpdate().first()) as ApiClientRecord | undefined;
        if (!before) throw new Problem(404, 'Not Found', `No API client ${param}`);
        const stations = await stationRoles(trx, wanted);
        const rolesBefore = (await stationRolesOf(trx, 'api_client', [before.id])).get(before.id) ?? [];
        const [after] = (await trx('api_clients')
          .where({ id: before.id })
          .update({ ...changes, updatedAt: trx.fn.now() })
          .returning('*')) as [ApiClientRecord];
        if (stations) {
          await replaceStationRoles(trx, { apiClientId: before.id }, stations);
          await auditStationRoles(trx, principal, { entity: 'api_client', id: before.id, name: after.name }, rolesBefore, stations);
        }
        const view = apiClientView(after, stations ?? rolesBefore);
        await recordAudit(trx, principal, { action: 'api_client.update', entity: 'api_client', entityId: before.id, before: apiClientView(before, rolesBefore), after: view });
        return view;
      });
      // This process forgets at once; the others when the change's notice reaches them.
      deps.accessChanges?.changed();
      res.json(updated);
    }),
  );

  // ---- Audit log ----

  router.get(
    '/audit',
    handle(async (req, res) => {
      const principal = principalOf(req);
      const q = req.query as { station?: string; actor?: string; action?: string; from?: string; to?: string; before?: number | string; limit?: number | string };
      const limit = Number(q.limit ?? 100);
      // Station admins read their stations' entries; entries about no station are the owners'.
      const readable = principal.owner ? null : stationsWhere(principal, ['admin']);
      let stationId: string | undefined;
      if (q.station !== undefined) {
        const station = await findStation(db, q.station).catch((error: unknown) => {
          throw error instanceof StationNotFoundError ? noStation(q.station!) : error;
        });
        if (readable && !readable.includes(station.id)) throw noStation(q.station);
        stationId = station.id;
      }
      const rows = (await db('audit_log as a')
        .leftJoin('stations as s', 's.id', 'a.station_id')
        .leftJoin('users as u', (j) => j.on(db.raw("a.actor_type = 'user'")).andOn(db.raw('u.id::text = a.actor_id')))
        .leftJoin('api_clients as c', (j) => j.on(db.raw("a.actor_type = 'api_client'")).andOn(db.raw('c.id::text = a.actor_id')))
        .modify((query) => {
          if (readable) void query.whereIn('a.station_id', readable);
          if (stationId) void query.where('a.station_id', stationId);
          if (q.actor) void query.where('a.actor_id', q.actor);
          if (q.action) void (q.action.endsWith('.') ? query.whereLike('a.action', `${q.action}%`) : query.where('a.action', q.action));
          if (q.from) void query.where('a.at', '>=', q.from);
          if (q.to) void query.where('a.at', '<', q.to);
          if (q.before !== undefined) void query.where('a.id', '<', Number(q.before));
        })
        .orderBy('a.id', 'desc')
        .limit(limit + 1)
        .select('a.*', 's.slug as station', db.raw('coalesce(u.name, c.name) as actor_name'))) as {
        id: string | number;
        at: Date;
        actorType: string;
        actorId: string | null;
        actorName: string | null;
        action: string;
        entity: string;
        entityId: string | null;
        station: string | null;
        before: unknown;
        after: unknown;
      }[];
      const page = rows.slice(0, limit);
      res.json({
        entries: page.map((r) => ({
          id: Number(r.id),
          at: r.at.toISOString(),
          actorType: r.actorType,
          actorId: r.actorId,
          actorName: r.actorName,
          action: r.action,
          entity: r.entity,
          entityId: r.entityId,
          station: r.station,
          before: r.before ?? null,
          after: r.after ?? null,
        })),
        nextBefore: rows.length > limit ? Number(page.at(-1)!.id) : null,
      });
    }),
  );

  return router;
}
