// Make-goods, the spots a station owes an advertiser: read with what they make good (the
// missed spot's day and time, its campaign and advertiser) and where they were placed; waived,
// wanted on a day, and expired past their campaign's flight plus the station's grace.
import type { Knex } from 'knex';
import type { MakeGoodStatus } from '../domain/vocabulary.js';

export interface MakeGoodView {
  id: string;
  status: MakeGoodStatus;
  reason: string;
  campaign: { id: string; name: string };
  advertiser: { id: string; name: string };
  /** The spot it makes good: when it was due, and its copy. */
  original: { entryId: string; date: string; startsAt: string; title: string } | null;
  /** Where it was placed, once scheduled or aired. */
  scheduled: { entryId: string; date: string; startsAt: string } | null;
  wantedOn: string | null;
  waivedReason: string | null;
  /** The last day it may still air: the campaign's end plus the station's grace. */
  expiresOn: string;
  createdAt: string;
  updatedAt: string;
}

interface Row {
  id: string;
  status: MakeGoodStatus;
  reason: string;
  campaignId: string;
  campaignName: string;
  advertiserId: string;
  advertiserName: string;
  originalEntryId: string | null;
  originalDate: string | null;
  originalStartsAt: Date | null;
  originalTitle: string | null;
  scheduledEntryId: string | null;
  scheduledDate: string | null;
  scheduledStartsAt: Date | null;
  wantedOn: string | null;
  waivedReason: string | null;
  expiresOn: string;
  createdAt: Date;
  updatedAt: Date;
}

function query(db: Knex, stationId: string) {
  return db('make_goods as mg')
    .join('campaigns as c', 'c.id', 'mg.campaign_id')
    .join('advertisers as a', 'a.id', 'c.advertiser_id')
    .join('stations as s', 's.id', 'mg.station_id')
    .leftJoin('log_entries as oe', 'oe.id', 'mg.missed_entry_id')
    .leftJoin('daily_logs as ol', 'ol.id', 'oe.log_id')
    .leftJoin('log_entries as se', 'se.id', 'mg.scheduled_entry_id')
    .leftJoin('daily_logs as sl', 'sl.id', 'se.log_id')
    .where('mg.station_id', stationId)
    .select(
      'mg.id',
      'mg.status',
      'mg.reason',
      'c.id as campaignId',
      'c.name as campaignName',
      'a.id as advertiserId',
      'a.name as advertiserName',
      'oe.id as originalEntryId',
      db.raw(`to_char(ol.broadcast_date, 'YYYY-MM-DD') as original_date`),
      'oe.starts_at as originalStartsAt',
      'oe.title as originalTitle',
      'se.id as scheduledEntryId',
      db.raw(`to_char(sl.broadcast_date, 'YYYY-MM-DD') as scheduled_date`),
      'se.starts_at as scheduledStartsAt',
      db.raw(`to_char(mg.wanted_on, 'YYYY-MM-DD') as wanted_on`),
      'mg.waived_reason as waivedReason',
      db.raw(`to_char(c.ends_on + s.make_good_grace_days, 'YYYY-MM-DD') as expires_on`),
      'mg.created_at as createdAt',
      'mg.updated_at as updatedAt',
    );
}

const view = (r: Row): MakeGoodView => ({
  id: r.id,
  status: r.status,
  reason: r.reason,
  campaign: { id: r.campaignId, name: r.campaignName },
  advertiser: { id: r.advertiserId, name: r.advertiserName },
  original: r.originalEntryId ? { entryId: r.originalEntryId, date: r.originalDate!, startsAt: r.originalStartsAt!.toISOString(), title: r.originalTitle ?? '' } : null,
  scheduled: r.scheduledEntryId ? { entryId: r.scheduledEntryId, date: r.scheduledDate!, startsAt: r.scheduledStartsAt!.toISOString() } : null,
  wantedOn: r.wantedOn,
  waivedReason: r.waivedReason,
  expiresOn: r.expiresOn,
  createdAt: r.createdAt.toISOString(),
  updatedAt: r.updatedAt.toISOString(),
});

export async function listMakeGoods(
  db: Knex,
  stationId: string,
  filter: { status?: MakeGoodStatus | undefined; campaignId?: string | undefined; advertiserId?: string | undefined } = {},
): Promise<MakeGoodView[]> {
  const rows = (await query(db, stationId)
    .modify((q) => {
      if (filter.status) void q.where('mg.status', filter.status);
      if (filter.campaignId) void q.where('c.id', filter.campaignId);
      if (filter.advertiserId) void q.where('a.id', filter.advertiserId);
    })
    .orderBy('a.name')
    .orderBy('c.name')
    .orderBy('mg.created_at')
    .orderBy('mg.id')) as Row[];
  return rows.map(view);
}

export async function findMakeGood(db: Knex, stationId: string, id: string): Promise<MakeGoodView | undefined> {
  const row = (await query(db, stationId).where('mg.id', id).first()) as Row | undefined;
  return row ? view(row) : undefined;
}

/** Locks a make-good for a change (inside the change's transaction). */
export async function lockMakeGood(trx: Knex, stationId: string, id: string): Promise<{ id: string; status: MakeGoodStatus } | undefined> {
  return (await trx('make_goods').where({ id, stationId }).forUpdate().first('id', 'status')) as { id: string; status: MakeGoodStatus } | undefined;
}

export async function waiveMakeGood(trx: Knex, id: string, reason: string, by: string | null): Promise<void> {
  await trx('make_goods').where({ id }).update({ status: 'waived', waivedReason: reason, resolvedBy: by, resolvedAt: trx.fn.now(), updatedAt: trx.fn.now() });
}

export async function wantMakeGoodOn(trx: Knex, id: string, date: string | null): Promise<void> {
  await trx('make_goods').where({ id }).update({ wantedOn: date, updatedAt: trx.fn.now() });
}

/**
 * Make-goods still owed whose campaign ended more than the station's grace before `today`
 * (a date at the station) are expired: nobody will air them now. Returns how many.
 */
export async function expireMakeGoods(db: Knex, stationId: string, today: string): Promise<number> {
  return db('make_goods as mg')
    .where('mg.station_id', stationId)
    .where('mg.status', 'owed')
    .whereExists((q) => {
      void q
        .select(db.raw('1'))
        .from('campaigns as c')
        .join('stations as s', 's.id', 'c.station_id')
        .whereRaw('c.id = mg.campaign_id')
        .whereRaw('c.ends_on + s.make_good_grace_days < ?::date', [today]);
    })
    .update({ status: 'expired', resolvedAt: db.fn.now(), updatedAt: db.fn.now() });
}
