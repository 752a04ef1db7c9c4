// One affidavit from the database: whose (an advertiser's campaigns, or one campaign), for which
// period, assembled by domain/affidavit.ts. The API answers with it and the monthly Schedule
// files it: both ask here, so both say the same.
import type { Knex } from 'knex';
import { advertiserOrders, affidavitSpots, affidavitStation, campaignOrder } from '../db/affidavits.js';
import { affidavitPeriod, assembleAffidavit, type Affidavit, type AffidavitCampaignInput } from '../domain/affidavit.js';
import { overlap, type PeriodKind } from '../domain/broadcast-calendar.js';

export interface AffidavitRequest {
  advertiserId?: string | undefined;
  campaignId?: string | undefined;
  kind: PeriodKind;
  /** YYYY-MM for a calendar or broadcast month; null for the flight. */
  month: string | null;
  signer: { name: string; title: string | null } | null;
  now: Date;
}

export class AffidavitNotFound extends Error {}
/** The period is the flight, and the advertiser has no campaign to have one. */
export class NoFlight extends Error {}

export async function prepareAffidavit(db: Knex, stationId: string, request: AffidavitRequest): Promise<Affidavit> {
  let advertiser: string;
  let campaigns: AffidavitCampaignInput[];
  if (request.campaignId) {
    const c = await campaignOrder(db, stationId, request.campaignId);
    if (!c) throw new AffidavitNotFound(`No campaign ${request.campaignId}`);
    advertiser = c.advertiser;
    campaigns = [c];
  } else {
    const found = await advertiserOrders(db, stationId, request.advertiserId!);
    if (!found) throw new AffidavitNotFound(`No advertiser ${request.advertiserId}`);
    advertiser = found.advertiser;
    campaigns = found.campaigns;
  }
  const flight = campaigns.length
    ? { first: campaigns.reduce((d, c) => (c.startsOn < d ? c.startsOn : d), campaigns[0]!.startsOn), last: campaigns.reduce((d, c) => (c.endsOn > d ? c.endsOn : d), campaigns[0]!.endsOn) }
    : null;
  if (request.kind === 'flight' && !flight) throw new NoFlight('flight needs a campaign: the advertiser has none');
  const period = affidavitPeriod(request.kind, request.month, flight);
  const spots = await affidavitSpots(
    db,
    stationId,
    campaigns.map((c) => c.id),
    period,
  );
  // An advertiser's affidavit names the campaigns that ran or were ordered in the period.
  const withSpots = new Set(spots.map((sp) => sp.campaignId));
  const shown = request.campaignId ? campaigns : campaigns.filter((c) => withSpots.has(c.id) || overlap({ first: c.startsOn, last: c.endsOn }, period));
  const station = await affidavitStation(db, stationId);
  return assembleAffidavit({
    station,
    advertiser,
    campaign: request.campaignId ? campaigns[0]!.name : null,
    campaigns: shown,
    spots,
    period,
    // Signed by whom the request names, else by the station's signer (Station details), else blank lines.
    signer: request.signer ?? (station.signerName ? { name: station.signerName, title: station.signerTitle } : null),
    now: request.now,
  });
}
