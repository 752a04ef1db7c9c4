// Stations with their playout and build settings, the people who sign in, and the trusted apps
// (API clients). Integration API keys, passwords and client secrets are write-only: responses
// and the audit log only say whether a key is set. Every change is audited in its transaction.
import { Router, type Request } from 'express';
import type { Knex } from 'knex';
import { IANAZone } from 'luxon';
import { upsertBuildSchedule } from '../../temporal/broadcast-days.js';
import { keepAzuraCastPullSchedule, pullsFromAzuraCast } from '../../temporal/azuracast.js';
import { keepLibrarySyncSchedule, syncsFromLibreTime } from '../../temporal/library-sync.js';
import type { PlayoutTarget, TrackType, UserRole } from '../../domain/vocabulary.js';
import type { AppDeps } from '../app.js';
import { recordAudit } from '../audit.js';
import { createApiClient } from '../auth/api-clients.js';
import { hashPassword } from '../auth/passwords.js';
import { principalOf } from '../auth/principal.js';
import { handle } from '../handle.js';
import { Problem } from '../problem.js';
import { stationOf } from '../stations.js';
import { checkIfMatch, setVersionTag } from '../versioning.js';

interface StationRecord {
  id: string;
  slug: string;
  name: string;
  timezone: string;
  playoutTarget: PlayoutTarget;
  libretimeUrl: string | null;
  libretimeApiKey: string | null;
  azuracastUrl: string | null;
  azuracastStationId: number | null;
  azuracastApiKey: string | null;
  buildDaysAhead: number;
  buildHour: number;
  fillToleranceMs: number;
  approvalLeadHours: number;
  reconcileGraceMinutes: number;
  trafficMayPublish: boolean;
  /** The station's fill material, in order of preference; pg gives a `track_type[]` as its text "{PRO,PSA,BED}". */
  fillTypes: TrackType[] | string;
  settings: { libretimeTrackTypes?: Record<string, TrackType> };
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

/** The settings a request may set; the API keys among them are never read back. */
type StationSettings = Partial<Omit<StationRecord, 'id' | 'slug' | 'version' | 'createdAt' | 'updatedAt' | 'settings' | 'fillTypes'>> & {
  libretimeTrackTypes?: Record<string, TrackType>;
  fillTypes?: TrackType[];
};

/** A `track_type[]` column as pg hands it over (its text form) or as written. */
function trackTypes(value: TrackType[] | string): TrackType[] {
  if (Array.isArray(value)) return value;
  return value.replace(/^\{|\}$/g, '').split(',').filter(Boolean) as TrackType[];
}

/**
 * Columns for a write: settings kept in the `settings` document are merged into it on an
 * update, and make it on an insert (where there is no row yet to read `settings` from).
 */
function stationColumns(db: Knex, { libretimeTrackTypes, ...columns }: StationSettings, write: 'insert' | 'update' = 'update') {
  const settings =
    write === 'insert'
      ? JSON.stringify({ libretimeTrackTypes })
      : db.raw(`coalesce(settings, '{}'::jsonb) || jsonb_build_object('libretimeTrackTypes', ?::jsonb)`, [JSON.stringify(libretimeTrackTypes)]);
  return { ...columns, ...(libretimeTrackTypes !== undefined && { settings }) };
}
type NewStationBody = StationSettings & { slug: string; name: string; timezone: string };

interface UserRecord {
  id: string;
  email: string;
  name: string;
  passwordHash: string;
  role: UserRole;
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
  role: UserRole;
  stationId: string | null;
  disabled: boolean;
  createdAt: Date;
  updatedAt: Date;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const UNIQUE_VIOLATION = '23505';

const isUniqueViolation = (error: unknown) => (error as { code?: unknown } | null)?.code === UNIQUE_VIOLATION;

/** What the API shows of a station: keys only as "set or not". Also what the audit log keeps. */
function stationView(s: StationRecord) {
  return {
    id: s.id,
    slug: s.slug,
    name: s.name,
    timezone: s.timezone,
    playoutTarget: s.playoutTarget,
    libretimeUrl: s.libretimeUrl,
    libretimeApiKeySet: s.libretimeApiKey !== null,
    azuracastUrl: s.azuracastUrl,
    azuracastStationId: s.azuracastStationId,
    azuracastApiKeySet: s.azuracastApiKey !== null,
    buildDaysAhead: s.buildDaysAhead,
    buildHour: s.buildHour,
    fillToleranceMs: s.fillToleranceMs,
    approvalLeadHours: s.approvalLeadHours,
    reconcileGraceMinutes: s.reconcileGraceMinutes,
    trafficMayPublish: s.trafficMayPublish,
    fillTypes: trackTypes(s.fillTypes),
    libretimeTrackTypes: s.settings.libretimeTrackTypes ?? {},
    version: s.version,
    createdAt: s.createdAt.toISOString(),
    updatedAt: s.updatedAt.toISOString(),
  };
}

function userView(u: UserRecord) {
  return {
    id: u.id,
    email: u.email,
    name: u.name,
    role: u.role,
    disabled: u.disabled,
    lastLoginAt: u.lastLoginAt ? u.lastLoginAt.toISOString() : null,
    createdAt: u.createdAt.toISOString(),
    updatedAt: u.updatedAt.toISOString(),
  };
}

function apiClientView(c: ApiClientRecord) {
  return {
    id: c.id,
    clientId: c.clientId,
    name: c.name,
    role: c.role,
    stationId: c.stationId,
    disabled: c.disabled,
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
  };
}

function assertTimezone(timezone: string | undefined): void {
  if (timezone !== undefined && !IANAZone.isValidZone(timezone)) {
    throw new Problem(400, 'Bad Request', `"${timezone}" is not an IANA timezone`, [
      { path: 'body.timezone', message: 'must be an IANA timezone such as America/Phoenix' },
    ]);
  }
}

export function createStationsRouter(deps: AppDeps): Router {
  const { db } = deps;
  const router = Router();

  /** The station's daily build schedule follows its timezone and build settings. */
  const keepBuildSchedule = async (s: StationRecord) => {
    if (!deps.broadcastDays) return;
    const { client, taskQueue } = deps.broadcastDays;
    await upsertBuildSchedule(client, taskQueue, { slug: s.slug, timezone: s.timezone, buildHour: s.buildHour, buildDaysAhead: s.buildDaysAhead });
    // And its nightly library sync, while its playout is LibreTime.
    await keepLibrarySyncSchedule(client, taskQueue, { slug: s.slug, timezone: s.timezone, syncsFromLibreTime: syncsFromLibreTime(s) });
    // And its daily pull from AzuraCast, while it has AzuraCast settings.
    await keepAzuraCastPullSchedule(client, taskQueue, { slug: s.slug, timezone: s.timezone, pullsFromAzuraCast: pullsFromAzuraCast(s) });
  };

  // ---- Stations ----

  router.get(
    '/stations',
    handle(async (req, res) => {
      const principal = principalOf(req);
      const query = db('stations').orderBy('name').orderBy('slug');
      if (principal.stationId) void query.where({ id: principal.stationId });
      const rows = (await query.select('*')) as StationRecord[];
      res.json(rows.map(stationView));
    }),
  );

  router.get(
    '/stations/:station',
    handle(async (req, res) => {
      const { id } = await stationOf(db, req);
      const row = (await db('stations').where({ id }).first()) as StationRecord;
      setVersionTag(res, row.version);
      res.json(stationView(row));
    }),
  );

  router.post(
    '/stations',
    handle(async (req, res) => {
      const principal = principalOf(req);
      const body = req.body as NewStationBody;
      assertTimezone(body.timezone);
      const created = await db.transaction(async (trx) => {
        const taken = (await trx('stations').where({ slug: body.slug }).first('id')) as { id: string } | undefined;
        if (taken) throw new Problem(409, 'Conflict', `The slug "${body.slug}" is taken by another station`, [{ path: 'body.slug', message: 'is taken' }]);
        let row: StationRecord;
        try {
          [row] = (await trx('stations').insert(stationColumns(trx, body, 'insert')).returning('*')) as [StationRecord];
        } catch (error) {
          if (isUniqueViolation(error)) throw new Problem(409, 'Conflict', `The slug "${body.slug}" is taken by another station`, [{ path: 'body.slug', message: 'is taken' }]);
          throw error;
        }
        await recordAudit(trx, principal, { action: 'station.create', entity: 'station', entityId: row.id, stationId: row.id, after: stationView(row) });
        // Inside the transaction: when Temporal refuses, the station is not half made.
        await keepBuildSchedule(row);
        return row;
      });
      setVersionTag(res, created.version);
      res.status(201).json(stationView(created));
    }),
  );

  router.patch(
    '/stations/:station',
    handle(async (req, res) => {
      const principal = principalOf(req);
      const { id } = await stationOf(db, req);
      const changes = req.body as StationSettings;
      assertTimezone(changes.timezone);
      const updated = await db.transaction(async (trx) => {
        const before = (await trx('stations').where({ id }).forUpdate().first()) as StationRecord | undefined;
        if (!before) throw new Problem(404, 'Not Found', `No station "${String(req.params.station)}"`);
        checkIfMatch(req, before.version);
        const [after] = (await trx('stations')
          .where({ id })
          .update({ ...stationColumns(trx, changes), version: before.version + 1, updatedAt: trx.fn.now() })
          .returning('*')) as [StationRecord];
        await recordAudit(trx, principal, { action: 'station.update', entity: 'station', entityId: id, stationId: id, before: stationView(before), after: stationView(after) });
        const scheduled: (keyof StationRecord)[] = ['timezone', 'buildHour', 'buildDaysAhead', 'playoutTarget', 'libretimeUrl', 'libretimeApiKey', 'azuracastUrl', 'azuracastStationId', 'azuracastApiKey'];
        if (scheduled.some((key) => after[key] !== before[key])) {
          await keepBuildSchedule(after);
        }
        return after;
      });
      setVersionTag(res, updated.version);
      res.json(stationView(updated));
    }),
  );

  // ---- Users ----

  router.get(
    '/users',
    handle(async (_req, res) => {
      const rows = (await db('users').orderByRaw('lower(email)').select('*')) as UserRecord[];
      res.json(rows.map(userView));
    }),
  );

  router.post(
    '/users',
    handle(async (req, res) => {
      const principal = principalOf(req);
      const body = req.body as { email: string; name: string; role: UserRole; password: string };
      const email = body.email.trim();
      const conflict = () => new Problem(409, 'Conflict', `A user with the email ${email} already exists`, [{ path: 'body.email', message: 'is taken' }]);
      const passwordHash = await hashPassword(body.password);
      const created = await db.transaction(async (trx) => {
        const taken = (await trx('users').whereRaw('lower(email) = lower(?)', [email]).first('id')) as { id: string } | undefined;
        if (taken) throw conflict();
        let row: UserRecord;
        try {
          [row] = (await trx('users').insert({ email, name: body.name, role: body.role, passwordHash }).returning('*')) as [UserRecord];
        } catch (error) {
          if (isUniqueViolation(error)) throw conflict();
          throw error;
        }
        await recordAudit(trx, principal, { action: 'user.create', entity: 'user', entityId: row.id, after: userView(row) });
        return row;
      });
      res.status(201).json(userView(created));
    }),
  );

  router.patch(
    '/users/:userId',
    handle(async (req, res) => {
      const principal = principalOf(req);
      const userId = String(req.params.userId);
      const { password, ...changes } = req.body as { name?: string; role?: UserRole; disabled?: boolean; password?: string };
      if (principal.kind === 'user' && principal.id === userId && (changes.disabled === true || (changes.role !== undefined && changes.role !== 'admin'))) {
        throw new Problem(409, 'Conflict', 'You may not disable yourself or give up your own admin role; ask another admin');
      }
      const passwordHash = password === undefined ? undefined : await hashPassword(password);
      const updated = await db.transaction(async (trx) => {
        const before = (await trx('users').where({ id: userId }).forUpdate().first()) as UserRecord | undefined;
        if (!before) throw new Problem(404, 'Not Found', `No user ${userId}`);
        const [after] = (await trx('users')
          .where({ id: userId })
          .update({ ...changes, ...(passwordHash && { passwordHash }), updatedAt: trx.fn.now() })
          .returning('*')) as [UserRecord];
        await recordAudit(trx, principal, {
          action: 'user.update',
          entity: 'user',
          entityId: userId,
          before: userView(before),
          after: { ...userView(after), ...(passwordHash && { passwordChanged: true }) },
        });
        return after;
      });
      res.json(userView(updated));
    }),
  );

  // ---- API clients ----

  /** `{clientId}` is the row's uuid or the client's `llc_…` id. */
  const whereClient = (param: string) => (UUID.test(param) ? { id: param } : { clientId: param });

  router.get(
    '/api-clients',
    handle(async (_req, res) => {
      const rows = (await db('api_clients').orderBy('name').orderBy('clientId').select('*')) as ApiClientRecord[];
      res.json(rows.map(apiClientView));
    }),
  );

  router.post(
    '/api-clients',
    handle(async (req, res) => {
      const principal = principalOf(req);
      const body = req.body as { name: string; role: UserRole; stationId?: string | null };
      const { created, clientSecret } = await db.transaction(async (trx) => {
        if (body.stationId) {
          const station = (await trx('stations').where({ id: body.stationId }).first('id')) as { id: string } | undefined;
          if (!station) throw new Problem(400, 'Bad Request', `No station ${body.stationId}`, [{ path: 'body.stationId', message: 'names no station' }]);
        }
        const made = await createApiClient(trx, { name: body.name, role: body.role, stationId: body.stationId ?? null });
        const row = (await trx('api_clients').where({ id: made.id }).first()) as ApiClientRecord;
        await recordAudit(trx, principal, { action: 'api_client.create', entity: 'api_client', entityId: row.id, stationId: row.stationId, after: apiClientView(row) });
        return { created: row, clientSecret: made.clientSecret };
      });
      res.status(201).json({ ...apiClientView(created), clientSecret });
    }),
  );

  router.patch(
    '/api-clients/:clientId',
    handle(async (req: Request, res) => {
      const principal = principalOf(req);
      const param = String(req.params.clientId);
      const changes = req.body as { name?: string; role?: UserRole; disabled?: boolean };
      const updated = await db.transaction(async (trx: Knex.Transaction) => {
        const before = (await trx('api_clients').where(whereClient(param)).forUpdate().first()) as ApiClientRecord | undefined;
        if (!before) throw new Problem(404, 'Not Found', `No API client ${param}`);
        const [after] = (await trx('api_clients')
          .where({ id: before.id })
          .update({ ...changes, updatedAt: trx.fn.now() })
          .returning('*')) as [ApiClientRecord];
        await recordAudit(trx, principal, {
          action: 'api_client.update',
          entity: 'api_client',
          entityId: before.id,
          stationId: before.stationId,
          before: apiClientView(before),
          after: apiClientView(after),
        });
        return after;
      });
      res.json(apiClientView(updated));
    }),
  );

  return router;
}
