// Traffic: advertisers, campaigns (orders) with delivery figures, and the station bundle.
// Everyone signed in reads; traffic manages advertisers; changing campaigns needs admin, or
// traffic where the station lets traffic publish. Every change is audited with the change.
import { Router, type Request } from 'express';
import type { Knex } from 'knex';
import { DateTime } from 'luxon';
import { exportStationBundle } from '../../db/bundle-export.js';
import { importStationBundle } from '../../db/bundle-import.js';
import type { StationRow } from '../../db/log-inputs.js';
import { advertiserUsage, campaignUsage } from '../../db/usage.js';
import { advertiserBlockers, campaignBlockers } from '../../domain/deletion.js';
import { BundleValidationError } from '../../domain/bundle/validate.js';
import { agencyCommission, checkSpotCode, DEFAULT_CURRENCY, deliveryOverFlight, flightState, orderMoney } from '../../domain/orders.js';
import type { CampaignStatus, CopyRotation } from '../../domain/vocabulary.js';
import type { AppDeps } from '../deps.js';
import { recordAudit } from '../audit.js';
import { deleteUnlessUsed } from '../delete-unless-used.js';
import { principalOf, type Principal } from '../auth/principal.js';
import { rolesAt } from '../auth/scopes.js';
import { handle } from '../handle.js';
import { Problem, type ProblemField } from '../problem.js';
import { stationOf } from '../stations.js';
import { checkIfMatch, setVersionTag } from '../versioning.js';
import { jsonBody } from '../body-parsers.js';

/** How large a station bundle PUT may be (a full library runs to megabytes). */
export const BUNDLE_BODY_LIMIT = '50mb';
/**
 * The bundle import's own JSON parser. The app's 1 MB parser for /api/v1 runs first and this one
 * then has nothing left to do; mount this before it (for the bundle path) to take large bundles.
 */
export const bundleBodyParser = jsonBody(BUNDLE_BODY_LIMIT);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SLUG = /^[a-z0-9][a-z0-9-]{0,62}$/;

const isUniqueViolation = (error: unknown) => typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23505';
const badRequest = (detail: string, errors: ProblemField[]) => new Problem(400, 'Bad Request', detail, errors);

// ---- advertisers -------------------------------------------------------------------------

interface AdvertiserInput {
  name?: string;
  category?: string | null;
  contactName?: string | null;
  email?: string | null;
  phone?: string | null;
  notes?: string | null;
}

interface AdvertiserOut {
  id: string;
  name: string;
  category: string | null;
  contactName: string | null;
  email: string | null;
  phone: string | null;
  notes: string | null;
}

const advertiserQuery = (db: Knex, stationId: string) =>
  db('advertisers')
    .leftJoin('categories', 'categories.id', 'advertisers.category_id')
    .where('advertisers.station_id', stationId)
    .select(
      'advertisers.id',
      'advertisers.name',
      'categories.code as category',
      'advertisers.contact_name as contactName',
      'advertisers.email',
      'advertisers.phone',
      'advertisers.notes',
    );

async function categoryIdOf(db: Knex, stationId: string, code: string | null | undefined, path: string): Promise<string | null | undefined> {
  if (code === undefined || code === null) return code;
  const row = (await db('categories').where({ stationId, code }).first('id')) as { id: string } | undefined;
  if (!row) throw badRequest(`The station has no category "${code}"`, [{ path, message: `no category "${code}" at this station` }]);
  return row.id;
}

// ---- campaigns ---------------------------------------------------------------------------

interface CopyInput {
  track: string;
  weight?: number;
  start?: string;
  end?: string;
  isci?: string | null;
}

interface CampaignInput {
  advertiserId?: string;
  name?: string;
  start?: string;
  end?: string;
  priority?: number;
  spotsPerDay?: number | null;
  spotsPerWeek?: number | null;
  spotLength?: number;
  category?: string | null;
  dayparts?: string[];
  rotation?: CopyRotation;
  status?: CampaignStatus;
  orderNumber?: string | null;
  agency?: string | null;
  agencyCommission?: number;
  ratePerSpotCents?: number | null;
  currency?: string;
  copy?: CopyInput[];
}

interface CampaignRow {
  id: string;
  advertiserId: string;
  advertiser: string;
  name: string;
  startsOn: string;
  endsOn: string;
  priority: number;
  spotsPerDay: number | null;
  spotsPerWeek: number | null;
  spotLengthMs: number;
  category: string | null;
  rotation: CopyRotation;
  status: CampaignStatus;
  version: number;
  orderNumber: string | null;
  agency: string | null;
  /** numeric(5,2), as PostgreSQL sends it: "15.00" */
  agencyCommissionPercent: string;
  rateCents: number | null;
  currency: string;
}

/** Spots ordered over the whole flight: per day × days, or per week × days ÷ 7 rounded up. */
export function orderedSpots(c: { startsOn: string; endsOn: string; spotsPerDay: number | null; spotsPerWeek: number | null }): number {
  const days = Math.round(DateTime.fromISO(c.endsOn).diff(DateTime.fromISO(c.startsOn), 'days').days) + 1;
  if (days < 1) return 0;
  if (c.spotsPerDay) return c.spotsPerDay * days;
  return Math.ceil(((c.spotsPerWeek ?? 0) * days) / 7);
}

const campaignQuery = (db: Knex, stationId: string) =>
  db('campaigns')
    .join('advertisers', 'advertisers.id', 'campaigns.advertiser_id')
    .leftJoin('categories', 'categories.id', 'campaigns.category_id')
    .where('campaigns.station_id', stationId)
    .select(
      'campaigns.id',
      'campaigns.advertiser_id as advertiserId',
      'advertisers.name as advertiser',
      'campaigns.name',
      'campaigns.starts_on as startsOn',
      'campaigns.ends_on as endsOn',
      'campaigns.priority',
      'campaigns.spots_per_day as spotsPerDay',
      'campaigns.spots_per_week as spotsPerWeek',
      'campaigns.spot_length_ms as spotLengthMs',
      'categories.code as category',
      'campaigns.rotation',
      'campaigns.status',
      'campaigns.version',
      'campaigns.order_number as orderNumber',
      'campaigns.agency',
      'campaigns.agency_commission_percent as agencyCommissionPercent',
      'campaigns.rate_cents as rateCents',
      'campaigns.currency',
    );

/** Placed (log entries carrying the campaign) and aired (reconciled as aired) per campaign. */
async function deliveryOf(db: Knex, rows: CampaignRow[]) {
  const ids = rows.map((r) => r.id);
  // One after the other: `db` may be a transaction, which has one connection.
  const placed = ids.length
    ? ((await db('log_entries').whereIn('campaign_id', ids).groupBy('campaign_id').select('campaign_id as campaignId', db.raw('count(*)::int as n'))) as { campaignId: string; n: number }[])
    : [];
  const aired = ids.length
    ? ((await db('reconciliation_report')
        .whereIn('campaign_id', ids)
        .where('outcome', 'aired')
        .groupBy('campaign_id')
        .select('campaign_id as campaignId', db.raw('count(*)::int as n'))) as { campaignId: string; n: number }[])
    : [];
  const placedBy = new Map(placed.map((p) => [p.campaignId, p.n]));
  const airedBy = new Map(aired.map((a) => [a.campaignId, a.n]));
  return (row: CampaignRow) => ({ ordered: orderedSpots(row), placed: placedBy.get(row.id) ?? 0, aired: airedBy.get(row.id) ?? 0 });
}

/** What the ordered spots are worth (gross, agency commission, net); null without a rate. */
const moneyOf = (row: CampaignRow, ordered: number) =>
  row.rateCents === null ? null : orderMoney({ spots: ordered, rateCents: row.rateCents, commissionPercent: Number(row.agencyCommissionPercent), currency: row.currency });

const summaryOf = (row: CampaignRow, delivery: { ordered: number; placed: number; aired: number }, today: string) => ({
  id: row.id,
  advertiserId: row.advertiserId,
  advertiser: row.advertiser,
  name: row.name,
  start: row.startsOn,
  end: row.endsOn,
  priority: row.priority,
  spotsPerDay: row.spotsPerDay,
  spotsPerWeek: row.spotsPerWeek,
  spotLength: row.spotLengthMs / 1000,
  category: row.category,
  rotation: row.rotation,
  status: row.status,
  state: flightState(row, today),
  version: row.version,
  delivery,
  orderNumber: row.orderNumber,
  agency: row.agency,
  agencyCommission: Number(row.agencyCommissionPercent),
  ratePerSpotCents: row.rateCents,
  currency: row.currency,
  money: moneyOf(row, delivery.ordered),
});

async function loadCampaign(db: Knex, stationId: string, campaignId: string, today: string) {
  const row = (await campaignQuery(db, stationId).where('campaigns.id', campaignId).first()) as CampaignRow | undefined;
  if (!row) throw new Problem(404, 'Not Found', `No campaign ${campaignId} at this station`);
  const delivery = await deliveryOf(db, [row]);
  const dayparts = (await db('campaign_dayparts').join('dayparts', 'dayparts.id', 'campaign_dayparts.daypart_id').where('campaign_dayparts.campaign_id', row.id).orderBy('dayparts.name').pluck('dayparts.name')) as string[];
  const copy = (await db('campaign_copy')
      .join('tracks', 'tracks.id', 'campaign_copy.track_id')
      .where('campaign_copy.campaign_id', row.id)
      .orderBy('campaign_copy.position')
      .select('tracks.id as trackId', 'tracks.ref', 'tracks.title', 'campaign_copy.weight', 'campaign_copy.starts_on as start', 'campaign_copy.ends_on as end', 'campaign_copy.isci')) as unknown[];
  return { ...summaryOf(row, delivery(row), today), dayparts, copy };
}

/** The campaign as it would be after the change, checked; the ids its names and tracks resolve to. */
async function checkCampaign(db: Knex, stationId: string, next: Required<Pick<CampaignInput, 'start' | 'end'>> & CampaignInput) {
  const errors: ProblemField[] = [];
  if (next.end < next.start) errors.push({ path: 'body.end', message: `the flight ends (${next.end}) before it starts (${next.start})` });
  if (!next.spotsPerDay && !next.spotsPerWeek) errors.push({ path: 'body.spotsPerDay', message: 'give spotsPerDay or spotsPerWeek' });
  // Each copy's ISCI code or Ad-ID, upper case; the problem says which rule a bad one breaks.
  const copyCodes = next.copy?.map((c, i) => {
    if (c.start && c.end && c.end < c.start) errors.push({ path: `body.copy[${i}].end`, message: `ends (${c.end}) before it starts (${c.start})` });
    if (c.isci === undefined || c.isci === null) return null;
    const check = checkSpotCode(c.isci);
    if (!check.ok) errors.push({ path: `body.copy[${i}].isci`, message: check.problem });
    return check.ok ? check.code : null;
  });
  if (next.agencyCommission !== undefined) {
    const hundredths = next.agencyCommission * 100;
    if (Math.abs(hundredths - Math.round(hundredths)) > 1e-6) errors.push({ path: 'body.agencyCommission', message: `a commission is a percent to the hundredth (15, 12.5, 17.65), not ${next.agencyCommission}` });
    else if (next.agencyCommission > 0 && !next.agency) errors.push({ path: 'body.agencyCommission', message: 'a commission is paid to an agency: name the agency, or leave the commission out' });
  }

  let copyTrackIds: string[] | undefined;
  if (next.copy) {
    const wanted = next.copy.map((c) => c.track);
    const tracks = (await db('tracks')
      .where({ stationId, removed: false })
      .where((q) => {
        void q.whereIn('ref', wanted).orWhereIn('id', wanted.filter((t) => UUID.test(t)));
      })
      .select('id', 'ref', 'type', 'title')) as { id: string; ref: string | null; type: string; title: string }[];
    copyTrackIds = next.copy.map((c, i) => {
      const track = tracks.find((t) => t.id === c.track) ?? tracks.find((t) => t.ref === c.track);
      if (!track) errors.push({ path: `body.copy[${i}].track`, message: `no track "${c.track}" in the station's library` });
      else if (track.type !== 'ADV') errors.push({ path: `body.copy[${i}].track`, message: `copy must be an ADV track; "${track.title}" is ${track.type}` });
      return track?.id ?? '';
    });
  }

  let daypartIds: string[] | undefined;
  if (next.dayparts) {
    const found = (await db('dayparts').where({ stationId }).whereIn('name', next.dayparts).select('id', 'name')) as { id: string; name: string }[];
    daypartIds = next.dayparts.map((name, i) => {
      const daypart = found.find((d) => d.name === name);
      if (!daypart) errors.push({ path: `body.dayparts[${i}]`, message: `no daypart "${name}" at this station` });
      return daypart?.id ?? '';
    });
  }

  let categoryId: string | null | undefined;
  if (next.category !== undefined && next.category !== null) {
    const row = (await db('categories').where({ stationId, code: next.category }).first('id')) as { id: string } | undefined;
    if (!row) errors.push({ path: 'body.category', message: `no category "${next.category}" at this station` });
    categoryId = row?.id;
  } else categoryId = next.category;

  if (errors.length) throw badRequest('The campaign is not valid', errors);
  return { copyTrackIds, copyCodes, daypartIds, categoryId };
}

/**
 * The agency's commission after a change: what was asked for; none without an agency; the
 * usual 15% for an agency newly named without a percent; else what it was.
 */
function commissionAfter(body: CampaignInput, before?: { agency: string | null; agencyCommission: number }): number {
  const agency = body.agency !== undefined ? body.agency : (before?.agency ?? null);
  if (!agency) return 0;
  if (body.agencyCommission !== undefined) return body.agencyCommission;
  if (!before?.agency) return agencyCommission(agency, undefined);
  return before.agencyCommission;
}

async function replaceCampaignLinks(
  trx: Knex.Transaction,
  campaignId: string,
  copy: CopyInput[] | undefined,
  checked: { copyTrackIds: string[] | undefined; copyCodes: (string | null)[] | undefined; daypartIds: string[] | undefined },
) {
  const { copyTrackIds, copyCodes, daypartIds } = checked;
  if (copy && copyTrackIds) {
    await trx('campaign_copy').where({ campaignId }).delete();
    if (copy.length) {
      await trx('campaign_copy').insert(
        copy.map((c, position) => ({
          campaignId,
          trackId: copyTrackIds[position],
          position,
          weight: c.weight ?? 1,
          startsOn: c.start ?? null,
          endsOn: c.end ?? null,
          isci: copyCodes?.[position] ?? null,
        })),
      );
    }
  }
  if (daypartIds) {
    await trx('campaign_dayparts').where({ campaignId }).delete();
    if (daypartIds.length) await trx('campaign_dayparts').insert(daypartIds.map((daypartId) => ({ campaignId, daypartId })));
  }
}

/** Changing campaigns needs admin, or traffic where the station lets traffic publish. */
function mayChangeCampaigns(principal: Principal, station: StationRow): void {
  const roles = rolesAt(principal, station.id);
  if (roles.includes('admin')) return;
  if (roles.includes('traffic') && station.trafficMayPublish) return;
  throw new Problem(403, 'Forbidden', `Traffic may not change campaigns at ${station.slug}: it needs an admin, or the station setting that lets traffic publish`);
}

export function createTrafficRouter(deps: AppDeps): Router {
  const { db } = deps;
  const router = Router();
  const station = (req: Request) => stationOf(db, req);

  // ---- advertisers ----

  router.get(
    '/stations/:station/advertisers',
    handle(async (req, res) => {
      const s = await station(req);
      res.json(await advertiserQuery(db, s.id).orderBy('advertisers.name'));
    }),
  );

  router.post(
    '/stations/:station/advertisers',
    handle(async (req, res) => {
      const s = await station(req);
      const principal = principalOf(req);
      const body = req.body as AdvertiserInput & { name: string };
      const categoryId = await categoryIdOf(db, s.id, body.category, 'body.category');
      const created = await db
        .transaction(async (trx) => {
          const [row] = (await trx('advertisers')
            .insert({ stationId: s.id, name: body.name, categoryId: categoryId ?? null, contactName: body.contactName ?? null, email: body.email ?? null, phone: body.phone ?? null, notes: body.notes ?? null })
            .returning('id')) as { id: string }[];
          const advertiser = (await advertiserQuery(trx, s.id).where('advertisers.id', row!.id).first()) as AdvertiserOut;
          await recordAudit(trx, principal, { action: 'advertiser.create', entity: 'advertiser', entityId: advertiser.id, stationId: s.id, after: advertiser });
          return advertiser;
        })
        .catch((error: unknown) => {
          if (isUniqueViolation(error)) throw new Problem(409, 'Conflict', `${s.slug} already has an advertiser named "${body.name}"`);
          throw error;
        });
      res.status(201).json(created);
    }),
  );

  router.patch(
    '/stations/:station/advertisers/:advertiserId',
    handle(async (req, res) => {
      const s = await station(req);
      const principal = principalOf(req);
      const id = String(req.params.advertiserId);
      const body = req.body as AdvertiserInput;
      const categoryId = await categoryIdOf(db, s.id, body.category, 'body.category');
      const changed = await db
        .transaction(async (trx) => {
          const before = (await advertiserQuery(trx, s.id).where('advertisers.id', id).first()) as AdvertiserOut | undefined;
          if (!before) throw new Problem(404, 'Not Found', `No advertiser ${id} at this station`);
          const { category: _category, ...fields } = body;
          await trx('advertisers')
            .where({ id })
            .update({ ...fields, ...(categoryId !== undefined && { categoryId }), updatedAt: trx.fn.now() });
          const after = (await advertiserQuery(trx, s.id).where('advertisers.id', id).first()) as AdvertiserOut;
          await recordAudit(trx, principal, { action: 'advertiser.update', entity: 'advertiser', entityId: id, stationId: s.id, before, after });
          return after;
        })
        .catch((error: unknown) => {
          if (isUniqueViolation(error)) throw new Problem(409, 'Conflict', `${s.slug} already has an advertiser named "${body.name}"`);
          throw error;
        });
      res.json(changed);
    }),
  );

  router.delete(
    '/stations/:station/advertisers/:advertiserId',
    handle(async (req, res) => {
      const s = await station(req);
      const id = String(req.params.advertiserId);
      await deleteUnlessUsed(db, req, {
        table: 'advertisers',
        id,
        stationId: s.id,
        kind: 'advertiser',
        entity: 'advertiser',
        action: 'advertiser.delete',
        read: async (trx) => {
          const before = (await advertiserQuery(trx, s.id).where('advertisers.id', id).first()) as AdvertiserOut;
          return { name: before.name, before };
        },
        usage: advertiserUsage,
        blockers: advertiserBlockers,
      });
      res.status(204).end();
    }),
  );

  // ---- campaigns ----

  router.get(
    '/stations/:station/campaigns',
    handle(async (req, res) => {
      const s = await station(req);
      const { status, activeOn } = req.query as { status?: CampaignStatus; activeOn?: string };
      const query = campaignQuery(db, s.id).orderBy([{ column: 'campaigns.starts_on' }, { column: 'campaigns.name' }]);
      if (status) void query.where('campaigns.status', status);
      if (activeOn) void query.where('campaigns.starts_on', '<=', activeOn).where('campaigns.ends_on', '>=', activeOn);
      const rows = (await query) as CampaignRow[];
      const delivery = await deliveryOf(db, rows);
      const today = DateTime.now().setZone(s.timezone).toISODate()!;
      res.json(rows.map((row) => summaryOf(row, delivery(row), today)));
    }),
  );

  router.get(
    '/stations/:station/campaigns/:campaignId',
    handle(async (req, res) => {
      const s = await station(req);
      const campaign = await loadCampaign(db, s.id, String(req.params.campaignId), DateTime.now().setZone(s.timezone).toISODate()!);
      setVersionTag(res, campaign.version);
      res.json(campaign);
    }),
  );

  router.get(
    '/stations/:station/campaigns/:campaignId/delivery',
    handle(async (req, res) => {
      const s = await station(req);
      const row = (await campaignQuery(db, s.id).where('campaigns.id', String(req.params.campaignId)).first()) as CampaignRow | undefined;
      if (!row) throw new Problem(404, 'Not Found', `No campaign ${String(req.params.campaignId)} at this station`);
      // Per broadcast day: entries of the order in its logs, and those the as-run shows aired.
      const [placed, aired] = [
        (await db('log_entries as e')
          .join('daily_logs as l', 'l.id', 'e.log_id')
          .where('e.campaign_id', row.id)
          .groupBy('l.broadcast_date')
          .select(db.raw(`to_char(l.broadcast_date, 'YYYY-MM-DD') as date`), db.raw('count(*)::int as n'))) as { date: string; n: number }[],
        (await db('reconciliation_report')
          .where({ campaign_id: row.id, outcome: 'aired' })
          .groupBy('broadcast_date')
          .select(db.raw(`to_char(broadcast_date, 'YYYY-MM-DD') as date`), db.raw('count(*)::int as n'))) as { date: string; n: number }[],
      ];
      const today = DateTime.now().setZone(s.timezone).toISODate()!;
      res.json({
        campaignId: row.id,
        state: flightState(row, today),
        today,
        days: deliveryOverFlight(row, new Map(placed.map((p) => [p.date, p.n])), new Map(aired.map((a) => [a.date, a.n]))),
      });
    }),
  );

  router.post(
    '/stations/:station/campaigns',
    handle(async (req, res) => {
      const s = await station(req);
      const principal = principalOf(req);
      mayChangeCampaigns(principal, s);
      const body = req.body as CampaignInput & { advertiserId: string; name: string; start: string; end: string; copy: CopyInput[] };
      const advertiser = (await db('advertisers').where({ id: body.advertiserId, stationId: s.id }).first('id', 'categoryId')) as { id: string; categoryId: string | null } | undefined;
      if (!advertiser) throw badRequest('No such advertiser', [{ path: 'body.advertiserId', message: `no advertiser ${body.advertiserId} at this station` }]);
      const checked = await checkCampaign(db, s.id, { ...body, dayparts: body.dayparts ?? [] });
      const commission = commissionAfter(body);
      const created = await db
        .transaction(async (trx) => {
          const [row] = (await trx('campaigns')
            .insert({
              stationId: s.id,
              advertiserId: advertiser.id,
              name: body.name,
              startsOn: body.start,
              endsOn: body.end,
              priority: body.priority ?? 5,
              spotsPerDay: body.spotsPerDay ?? null,
              spotsPerWeek: body.spotsPerWeek ?? null,
              spotLengthMs: Math.round((body.spotLength ?? 30) * 1000),
              // The product category defaults to the advertiser's.
              categoryId: checked.categoryId === undefined ? advertiser.categoryId : checked.categoryId,
              rotation: body.rotation ?? 'sequential',
              status: body.status ?? 'active',
              orderNumber: body.orderNumber ?? null,
              agency: body.agency ?? null,
              agencyCommissionPercent: commission,
              rateCents: body.ratePerSpotCents ?? null,
              currency: body.currency ?? DEFAULT_CURRENCY,
            })
            .returning('id')) as { id: string }[];
          await replaceCampaignLinks(trx, row!.id, body.copy, checked);
          const campaign = await loadCampaign(trx, s.id, row!.id, DateTime.now().setZone(s.timezone).toISODate()!);
          await recordAudit(trx, principal, { action: 'campaign.create', entity: 'campaign', entityId: campaign.id, stationId: s.id, after: campaign });
          return campaign;
        })
        .catch((error: unknown) => {
          if (isUniqueViolation(error)) throw new Problem(409, 'Conflict', `The advertiser already has a campaign named "${body.name}"`);
          throw error;
        });
      setVersionTag(res, created.version);
      res.status(201).json(created);
    }),
  );

  router.patch(
    '/stations/:station/campaigns/:campaignId',
    handle(async (req, res) => {
      const s = await station(req);
      const principal = principalOf(req);
      mayChangeCampaigns(principal, s);
      const id = String(req.params.campaignId);
      const body = req.body as CampaignInput;
      const changed = await db
        .transaction(async (trx) => {
          const locked = (await trx('campaigns').where({ id, stationId: s.id }).forUpdate().first('id')) as { id: string } | undefined;
          if (!locked) throw new Problem(404, 'Not Found', `No campaign ${id} at this station`);
          const before = await loadCampaign(trx, s.id, id, DateTime.now().setZone(s.timezone).toISODate()!);
          checkIfMatch(req, before.version);
          const spotsPerDay = body.spotsPerDay !== undefined ? body.spotsPerDay : before.spotsPerDay;
          const spotsPerWeek = body.spotsPerWeek !== undefined ? body.spotsPerWeek : before.spotsPerWeek;
          const agency = body.agency !== undefined ? body.agency : before.agency;
          const checked = await checkCampaign(trx, s.id, { ...body, start: body.start ?? before.start, end: body.end ?? before.end, spotsPerDay, spotsPerWeek, agency });
          const commission = commissionAfter(body, before);
          await trx('campaigns')
            .where({ id })
            .update({
              ...(body.name !== undefined && { name: body.name }),
              ...(body.start !== undefined && { startsOn: body.start }),
              ...(body.end !== undefined && { endsOn: body.end }),
              ...(body.priority !== undefined && { priority: body.priority }),
              ...(body.spotsPerDay !== undefined && { spotsPerDay: body.spotsPerDay }),
              ...(body.spotsPerWeek !== undefined && { spotsPerWeek: body.spotsPerWeek }),
              ...(body.spotLength !== undefined && { spotLengthMs: Math.round(body.spotLength * 1000) }),
              ...(checked.categoryId !== undefined && { categoryId: checked.categoryId }),
              ...(body.rotation !== undefined && { rotation: body.rotation }),
              ...(body.status !== undefined && { status: body.status }),
              ...(body.orderNumber !== undefined && { orderNumber: body.orderNumber }),
              ...(body.agency !== undefined && { agency: body.agency }),
              ...(commission !== before.agencyCommission && { agencyCommissionPercent: commission }),
              ...(body.ratePerSpotCents !== undefined && { rateCents: body.ratePerSpotCents }),
              ...(body.currency !== undefined && { currency: body.currency }),
              version: trx.raw('version + 1'),
              updatedAt: trx.fn.now(),
            });
          await replaceCampaignLinks(trx, id, body.copy, checked);
          const after = await loadCampaign(trx, s.id, id, DateTime.now().setZone(s.timezone).toISODate()!);
          await recordAudit(trx, principal, { action: 'campaign.update', entity: 'campaign', entityId: id, stationId: s.id, before, after });
          return after;
        })
        .catch((error: unknown) => {
          if (isUniqueViolation(error)) throw new Problem(409, 'Conflict', `The advertiser already has a campaign named "${body.name ?? ''}"`);
          throw error;
        });
      setVersionTag(res, changed.version);
      res.json(changed);
    }),
  );

  router.delete(
    '/stations/:station/campaigns/:campaignId',
    handle(async (req, res) => {
      const s = await station(req);
      const id = String(req.params.campaignId);
      // Which campaign first (everyone at the station reads them), then who may change it.
      if (!(await db('campaigns').where({ id, stationId: s.id }).first('id'))) throw new Problem(404, 'Not Found', `No campaign ${id} at this station`);
      mayChangeCampaigns(principalOf(req), s);
      const today = DateTime.now().setZone(s.timezone).toISODate()!;
      await deleteUnlessUsed(db, req, {
        table: 'campaigns',
        id,
        stationId: s.id,
        kind: 'campaign',
        entity: 'campaign',
        action: 'campaign.delete',
        read: async (trx) => {
          const before = await loadCampaign(trx, s.id, id, today);
          return { name: before.name, before };
        },
        usage: campaignUsage,
        blockers: (usage) => campaignBlockers(usage, today),
        instead: 'cancel the campaign (status cancelled)',
      });
      res.status(204).end();
    }),
  );

  // ---- the station bundle ----

  router.get(
    '/stations/:station/bundle',
    handle(async (req, res) => {
      const s = await station(req);
      res.json(await exportStationBundle(db, s.id));
    }),
  );

  router.put(
    '/stations/:station/bundle',
    bundleBodyParser,
    handle(async (req, res) => {
      const principal = principalOf(req);
      const wanted = String(req.params.station);
      // A slug no station has yet: the import creates the station (only an owner makes stations).
      const existing = await station(req).catch((error: unknown) => {
        if (error instanceof Problem && error.status === 404 && SLUG.test(wanted) && principal.owner) return undefined;
        throw error;
      });
      const slug = existing?.slug ?? wanted;
      const given = (req.body as { station?: { slug?: unknown } }).station?.slug;
      if (given !== slug) {
        throw badRequest(`The bundle is for station "${String(given)}", not for ${slug}`, [{ path: '$.station.slug', message: `must be "${slug}", the station this bundle is put to` }]);
      }
      try {
        // The import audits itself, in its own transaction.
        res.json(await importStationBundle(db, req.body, { type: principal.kind, id: principal.id }));
      } catch (error) {
        if (error instanceof BundleValidationError) {
          throw badRequest(`The station bundle is not valid (${error.problems.length} problem${error.problems.length === 1 ? '' : 's'})`, error.problems);
        }
        throw error;
      }
    }),
  );

  return router;
}
