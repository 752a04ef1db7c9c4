// What an affidavit reads: the station's header, an advertiser's (or one campaign's) orders,
// and every spot of theirs in the period's logs with the first play the as-run matched to it,
// the make-good owed for it, and — for a make-good — the spot it makes good.
// The assembly (lines, totals, CSV) is domain/affidavit.ts.
import type { Knex } from 'knex';
import type { AffidavitCampaignInput, AffidavitSpotInput, AffidavitStationInput } from '../domain/affidavit.js';
import type { DateSpan } from '../domain/broadcast-calendar.js';

/**
 * The station's header: its call letters and market are part of its identity (null when not
 * set); and who signs its affidavits when a request names nobody.
 */
export async function affidavitStation(db: Knex, stationId: string): Promise<AffidavitStationInput & { signerName: string | null; signerTitle: string | null }> {
  return (await db('stations').where({ id: stationId }).first('slug', 'name', 'timezone', 'callLetters', 'market', 'signerName', 'signerTitle')) as AffidavitStationInput & {
    signerName: string | null;
    signerTitle: string | null;
  };
}

const campaignColumns = [
  'c.id',
  'c.name',
  'a.name as advertiser',
  'c.order_number as orderNumber',
  'c.agency',
  'c.agency_commission_percent as agencyCommissionPercent',
  'c.rate_cents as rateCents',
  'c.currency',
  'c.starts_on as startsOn',
  'c.ends_on as endsOn',
  'c.spots_per_day as spotsPerDay',
  'c.spots_per_week as spotsPerWeek',
] as const;

/** The advertiser's name and its campaigns at the station (by name); null when it has no advertiser by that id. */
export async function advertiserOrders(db: Knex, stationId: string, advertiserId: string): Promise<{ advertiser: string; campaigns: AffidavitCampaignInput[] } | null> {
  const advertiser = (await db('advertisers').where({ id: advertiserId, stationId }).first('name')) as { name: string } | undefined;
  if (!advertiser) return null;
  const campaigns = (await db('campaigns as c')
    .join('advertisers as a', 'a.id', 'c.advertiser_id')
    .where({ 'c.advertiser_id': advertiserId, 'c.station_id': stationId })
    .orderBy([{ column: 'c.starts_on' }, { column: 'c.name' }])
    .select(...campaignColumns)) as AffidavitCampaignInput[];
  return { advertiser: advertiser.name, campaigns };
}

/** One campaign at the station, or null. */
export async function campaignOrder(db: Knex, stationId: string, campaignId: string): Promise<AffidavitCampaignInput | null> {
  const row = (await db('campaigns as c')
    .join('advertisers as a', 'a.id', 'c.advertiser_id')
    .where({ 'c.id': campaignId, 'c.station_id': stationId })
    .first(...campaignColumns)) as AffidavitCampaignInput | undefined;
  return row ?? null;
}

interface SpotRow {
  entryId: string;
  campaignId: string;
  broadcastDate: string;
  scheduledAt: Date;
  lengthMs: number;
  copyTitle: string;
  isci: string | null;
  airedAt: Date | null;
  airedUntil: Date | null;
  reconciled: boolean;
  owedReason: 'missed' | 'preempted' | null;
  owedStatus: string | null;
  makeGoodReason: 'missed' | 'preempted' | null;
  originalEntryId: string | null;
  originalScheduledAt: Date | null;
  originalDate: string | null;
}

/**
 * The campaigns' spots in the logs of the period's broadcast days. A play counts for a spot
 * when the as-run matched it to the entry and it is the spot's audio (or the as-run does not
 * say which audio): another track in its place is a substitution, not the spot.
 */
export async function affidavitSpots(db: Knex, stationId: string, campaignIds: readonly string[], period: DateSpan): Promise<AffidavitSpotInput[]> {
  if (!campaignIds.length) return [];
  const { rows } = (await db.raw(
    `
    SELECT
      e.id AS "entryId",
      e.campaign_id AS "campaignId",
      to_char(l.broadcast_date, 'YYYY-MM-DD') AS "broadcastDate",
      e.starts_at AS "scheduledAt",
      e.length_ms AS "lengthMs",
      coalesce(t.title, e.title) AS "copyTitle",
      (SELECT cc.isci FROM campaign_copy cc
        WHERE cc.campaign_id = e.campaign_id AND cc.track_id = e.track_id AND cc.isci IS NOT NULL
        ORDER BY cc.position LIMIT 1) AS "isci",
      p.started_at AS "airedAt",
      p.ended_at AS "airedUntil",
      (l.status = 'reconciled' OR l.reconciled_at IS NOT NULL) AS "reconciled",
      owed.reason AS "owedReason",
      owed.status AS "owedStatus",
      mg.reason AS "makeGoodReason",
      oe.id AS "originalEntryId",
      oe.starts_at AS "originalScheduledAt",
      to_char(ol.broadcast_date, 'YYYY-MM-DD') AS "originalDate"
    FROM log_entries e
    JOIN daily_logs l ON l.id = e.log_id
    LEFT JOIN tracks t ON t.id = e.track_id
    LEFT JOIN LATERAL (
      SELECT ph.started_at, ph.ended_at FROM playback_history ph
      WHERE ph.log_entry_id = e.id AND (ph.track_id IS NULL OR e.track_id IS NULL OR ph.track_id = e.track_id)
      ORDER BY ph.started_at LIMIT 1
    ) p ON true
    LEFT JOIN make_goods owed ON owed.missed_entry_id = e.id
    LEFT JOIN LATERAL (
      SELECT m.reason, m.missed_entry_id FROM make_goods m WHERE m.scheduled_entry_id = e.id ORDER BY m.created_at LIMIT 1
    ) mg ON true
    LEFT JOIN log_entries oe ON oe.id = mg.missed_entry_id
    LEFT JOIN daily_logs ol ON ol.id = oe.log_id
    WHERE l.station_id = ?
      AND l.broadcast_date BETWEEN ? AND ?
      AND e.campaign_id = ANY(?::uuid[])
    ORDER BY e.starts_at, e.position
    `,
    [stationId, period.first, period.last, [...campaignIds]],
  )) as { rows: SpotRow[] };
  return rows.map(
    (r): AffidavitSpotInput => ({
      entryId: r.entryId,
      campaignId: r.campaignId,
      broadcastDate: r.broadcastDate,
      scheduledAt: r.scheduledAt,
      lengthMs: r.lengthMs,
      copyTitle: r.copyTitle,
      isci: r.isci,
      airedAt: r.airedAt,
      airedUntil: r.airedUntil,
      reconciled: r.reconciled,
      owedFor: r.owedReason ? { reason: r.owedReason, status: r.owedStatus! } : null,
      makeGoodOf: r.makeGoodReason
        ? { reason: r.makeGoodReason, original: r.originalEntryId ? { entryId: r.originalEntryId, scheduledAt: r.originalScheduledAt!, broadcastDate: r.originalDate! } : null }
        : null,
    }),
  );
}
