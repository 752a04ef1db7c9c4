// Stations with their playout and build settings. Integration API keys are write-only:
// responses and the audit log only say whether a key is set. Every change is audited in its transaction.
import { Router } from 'express';
import type { Knex } from 'knex';
import { IANAZone } from 'luxon';
import { upsertBuildSchedule } from '../../temporal/broadcast-days.js';
import { keepAffidavitSchedule } from '../../temporal/affidavits.js';
import { keepRoyaltyReportSchedule } from '../../temporal/royalty-reports.js';
import { keepAzuraCastPullSchedule, pullsFromAzuraCast } from '../../temporal/azuracast.js';
import { keepLibrarySyncSchedule, syncsFromLibreTime } from '../../temporal/library-sync.js';
import { testAzuraCastConnection } from '../../integrations/azuracast/connection-test.js';
import type { ConnectionTestResult } from '../../integrations/connection-test.js';
import { testLibreTimeConnection } from '../../integrations/libretime/connection-test.js';
import { identityColumns, identityOf, type StationIdentityChange, type StationIdentityColumns } from '../../domain/station-identity.js';
import type { PlayoutTarget, TrackType } from '../../domain/vocabulary.js';
import type { AppDeps } from '../deps.js';
import { recordAudit } from '../audit.js';
import { principalOf } from '../auth/principal.js';
import { handle } from '../handle.js';
import { Problem } from '../problem.js';
import { stationOf } from '../stations.js';
import { checkIfMatch, setVersionTag } from '../versioning.js';

interface StationRecord extends StationIdentityColumns {
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
  makeGoodGraceDays: number;
  makeGoodSharePercent: number;
  /** The station's fill material, in order of preference; pg gives a `track_type[]` as its text "{PRO,PSA,BED}". */
  fillTypes: TrackType[] | string;
  settings: { libretimeTrackTypes?: Record<string, TrackType> };
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

/** The settings a request may set; the API keys among them are never read back. */
type StationSettings = Partial<Omit<StationRecord, 'id' | 'slug' | 'version' | 'createdAt' | 'updatedAt' | 'settings' | 'fillTypes' | keyof StationIdentityColumns>> & {
  libretimeTrackTypes?: Record<string, TrackType>;
  fillTypes?: TrackType[];
  /** Any of the identity's keys; `contact` and `signer` replace theirs whole. */
  identity?: StationIdentityChange;
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
function stationColumns(db: Knex, { libretimeTrackTypes, identity, ...columns }: StationSettings, write: 'insert' | 'update' = 'update') {
  const settings =
    write === 'insert'
      ? JSON.stringify({ libretimeTrackTypes })
      : db.raw(`coalesce(settings, '{}'::jsonb) || jsonb_build_object('libretimeTrackTypes', ?::jsonb)`, [JSON.stringify(libretimeTrackTypes)]);
  const { contact, ...identityRest } = identityColumns(identity ?? {});
  return {
    ...columns,
    ...identityRest,
    // A jsonb document: pg would write a JS array as a PostgreSQL array, so it goes as text.
    ...(contact !== undefined && { contact: JSON.stringify(contact ?? {}) }),
    ...(libretimeTrackTypes !== undefined && { settings }),
  };
}
type NewStationBody = StationSettings & { slug: string; name: string; timezone: string };

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
    makeGoodGraceDays: s.makeGoodGraceDays,
    makeGoodSharePercent: s.makeGoodSharePercent,
    fillTypes: trackTypes(s.fillTypes),
    libretimeTrackTypes: s.settings.libretimeTrackTypes ?? {},
    identity: identityOf(s),
    version: s.version,
    createdAt: s.createdAt.toISOString(),
    updatedAt: s.updatedAt.toISOString(),
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
    // And its monthly affidavits.
    await keepAffidavitSchedule(client, taskQueue, s);
    // And its monthly royalty and compliance files.
    await keepRoyaltyReportSchedule(client, taskQueue, s);
  };

  // ---- Stations ----

  router.get(
    '/stations',
    handle(async (req, res) => {
      const principal = principalOf(req);
      const query = db('stations').orderBy('name').orderBy('slug');
      // Only the stations the caller works for: the others are not there for them.
      if (!principal.owner) void query.whereIn('id', [...principal.stations.keys()]);
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

  // ---- Test connection ----

  /** Who tested what, and what came of it — never the key, only where it came from. */
  const auditTest = async (req: Parameters<typeof principalOf>[0], stationId: string, service: 'libretime' | 'azuracast', tested: TestedValues, result: ConnectionTestResult) => {
    await recordAudit(db, principalOf(req), {
      action: 'station.connection.test',
      entity: 'station',
      entityId: stationId,
      stationId,
      after: { service, ...tested, ok: result.ok, checks: result.checks },
    });
  };

  router.post(
    '/stations/:station/connections/libretime/test',
    handle(async (req, res) => {
      const { id } = await stationOf(db, req);
      const saved = (await db('stations').where({ id }).first('libretimeUrl', 'libretimeApiKey')) as Pick<StationRecord, 'libretimeUrl' | 'libretimeApiKey'>;
      const body = (req.body ?? {}) as { url?: string; apiKey?: string };
      const url = body.url ?? saved.libretimeUrl;
      if (!url) throw new Problem(400, 'Bad Request', 'There is no LibreTime URL to test: none is saved and none was given', [{ path: 'body.url', message: 'is required: no LibreTime URL is saved' }]);
      const { apiKey, key, noKey } = keyToSend(body.apiKey, saved.libretimeApiKey, saved.libretimeUrl, url);
      const result = await testLibreTimeConnection({ baseUrl: url, apiKey, noKey }, { timeoutMs: deps.connectionTestTimeoutMs });
      const tested: TestedValues = { url, key };
      await auditTest(req, id, 'libretime', tested, result);
      res.json({ ok: result.ok, tested, checks: result.checks });
    }),
  );

  router.post(
    '/stations/:station/connections/azuracast/test',
    handle(async (req, res) => {
      const { id } = await stationOf(db, req);
      const saved = (await db('stations').where({ id }).first('azuracastUrl', 'azuracastStationId', 'azuracastApiKey')) as Pick<
        StationRecord,
        'azuracastUrl' | 'azuracastStationId' | 'azuracastApiKey'
      >;
      const body = (req.body ?? {}) as { url?: string; stationId?: number; apiKey?: string };
      const url = body.url ?? saved.azuracastUrl;
      const stationId = body.stationId ?? saved.azuracastStationId;
      const missing = [
        ...(url ? [] : [{ path: 'body.url', message: 'is required: no AzuraCast URL is saved' }]),
        ...(stationId ? [] : [{ path: 'body.stationId', message: 'is required: no AzuraCast station id is saved' }]),
      ];
      if (!url || !stationId) throw new Problem(400, 'Bad Request', 'There is no AzuraCast connection to test: give what is not saved', missing);
      const { apiKey, key, noKey } = keyToSend(body.apiKey, saved.azuracastApiKey, saved.azuracastUrl, url);
      const result = await testAzuraCastConnection({ baseUrl: url, stationId, apiKey, noKey }, { timeoutMs: deps.connectionTestTimeoutMs });
      const tested: TestedValues = { url, stationId, key };
      await auditTest(req, id, 'azuracast', tested, result);
      res.json({ ok: result.ok, tested, checks: result.checks });
    }),
  );

  return router;
}

interface TestedValues {
  url: string;
  stationId?: number;
  key: 'given' | 'saved' | 'none';
}

/**
 * The key a test sends: the one given, else the saved one — but the saved key only to the saved
 * address's origin. It is write-only; sending it to any address an admin types would show it to
 * whoever answers there.
 */
function keyToSend(
  given: string | undefined,
  savedKey: string | null,
  savedUrl: string | null,
  url: string,
): { apiKey: string | null; key: TestedValues['key']; noKey?: string } {
  if (given !== undefined) return { apiKey: given, key: 'given' };
  if (savedKey === null) return { apiKey: null, key: 'none', noKey: 'there is no API key (none is saved and none was given).' };
  if (savedUrl !== null && originOf(savedUrl) === originOf(url)) return { apiKey: savedKey, key: 'saved' };
  return { apiKey: null, key: 'none', noKey: 'the saved key is sent only to the saved address; give the key to test it at this one.' };
}

function originOf(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}
