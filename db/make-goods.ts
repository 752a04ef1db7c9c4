// Make-goods, the spots a station owes an advertiser: read with what they make good (the
// missed spot's day and time, its campaign and advertiser) and where they were placed; waived,
// wanted on a day, and expired past their campaign's flight plus the station's grace.
import type { Knex } from 'knex';
import type { EngineDaypart } from '../domain/log/types.js';
import { flightWeekEndingOn, shortfallChanges, weekShortfall, type FlightWeek, type WeeklyOrder } from '../domain/reconciliation/index.js';
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
  /** The daypart traffic asked for: the log places it only there. */
  wantedDaypart: { id: string; name: string } | null;
  /** For an order left short (reason `preempted`): the week of its flight it was short in. */
  shortWeek: { startsOn: string; endsOn: string } | null;
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
  wantedDaypartId: string | null;
  wantedDaypartName: string | null;
  shortWeekStartsOn: string | null;
  shortWeekEndsOn: string | null;
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
    .leftJoin('dayparts as wd', 'wd.id', 'mg.wanted_daypart_id')
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
      'wd.id as wantedDaypartId',
      'wd.name as wantedDaypartName',
      db.raw(`to_char(mg.short_week_starts_on, 'YYYY-MM-DD') as short_week_starts_on`),
      // Its Sunday, or the flight's last day.
      db.raw(`to_char(least(mg.short_week_starts_on + (7 - extract(isodow from mg.short_week_starts_on))::int, c.ends_on), 'YYYY-MM-DD') as short_week_ends_on`),
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
  wantedDaypart: r.wantedDaypartId ? { id: r.wantedDaypartId, name: r.wantedDaypartName ?? '' } : null,
  shortWeek: r.shortWeekStartsOn ? { startsOn: r.shortWeekStartsOn, endsOn: r.shortWeekEndsOn! } : null,
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

/** Asks for a make-good on a day and/or in a daypart (null: any); what is not given stays. */
export async function wantMakeGood(trx: Knex, id: string, wanted: { on?: string | null | undefined; daypartId?: string | null | undefined }): Promise<void> {
  await trx('make_goods')
    .where({ id })
    .update({
      ...(wanted.on !== undefined ? { wantedOn: wanted.on } : {}),
      ...(wanted.daypartId !== undefined ? { wantedDaypartId: wanted.daypartId } : {}),
      updatedAt: trx.fn.now(),
    });
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

export interface ShortWeek {
  campaignId: string;
  campaignName: string;
  advertiserName: string;
  week: FlightWeek;
  ordered: number;
  placed: number;
  short: number;
  added: number;
  withdrawn: number;
}

/**
 * Orders whose flight week ends on `date` are checked against the logs of that week (domain/
 * reconciliation/short-orders.ts): the spots never placed are owed as make-goods (reason
 * `preempted`); running it again records only the difference. Returns the weeks left short.
 */
export async function oweShortWeeks(trx: Knex, stationId: string, date: string): Promise<ShortWeek[]> {
  const orders = (await trx('campaigns as c')
    .join('advertisers as a', 'a.id', 'c.advertiser_id')
    .where('c.station_id', stationId)
    .where('c.starts_on', '<=', date)
    .where('c.ends_on', '>=', date)
    .where('c.status', 'active')
    .select(
      'c.id as campaignId',
      'c.name as campaignName',
      'a.name as advertiserName',
      'c.status',
      trx.raw(`to_char(c.starts_on, 'YYYY-MM-DD') as starts_on`),
      trx.raw(`to_char(c.ends_on, 'YYYY-MM-DD') as ends_on`),
      'c.spots_per_day as spotsPerDay',
      'c.spots_per_week as spotsPerWeek',
    )) as (Omit<WeeklyOrder, 'dayparts'> & { campaignName: string; advertiserName: string })[];
  const ending = orders.flatMap((o) => {
    const week = flightWeekEndingOn(o, date);
    return week ? [{ order: o, week }] : [];
  });
  if (ending.length === 0) return [];
  const ids = ending.map((e) => e.order.campaignId);
  const earliest = ending.reduce((min, e) => (e.week.startsOn < min ? e.week.startsOn : min), date);
  const [dayparts, logged, placedRows, recordedRows] = await Promise.all([
    trx('campaign_dayparts as cd')
      .join('dayparts as d', 'd.id', 'cd.daypart_id')
      .whereIn('cd.campaign_id', ids)
      .select('cd.campaign_id as campaignId', 'd.id', 'd.name', 'd.weekdays', 'd.start_minute as startMinute', 'd.end_minute as endMinute') as Promise<(EngineDaypart & { campaignId: string })[]>,
    // Days with a built log (a failed or unbuilt day asked nothing of LibreLog).
    trx('daily_logs')
      .where({ stationId })
      .whereBetween('broadcastDate', [earliest, date])
      .whereNotIn('status', ['building', 'failed'])
      .select(trx.raw(`to_char(broadcast_date, 'YYYY-MM-DD') as date`)) as Promise<{ date: string }[]>,
    // Regular spots placed, per order and day (an entry that is a make-good's placement is not one).
    trx('log_entries as e')
      .join('daily_logs as l', 'l.id', 'e.log_id')
      .whereIn('e.campaign_id', ids)
      .where('l.station_id', stationId)
      .whereBetween('l.broadcast_date', [earliest, date])
      .whereNotExists((q) => void q.select(trx.raw('1')).from('make_goods as mg').whereRaw('mg.scheduled_entry_id = e.id'))
      .groupBy('e.campaign_id', 'l.broadcast_date')
      .select('e.campaign_id as campaignId', trx.raw(`to_char(l.broadcast_date, 'YYYY-MM-DD') as date`), trx.raw('count(*)::int as n')) as Promise<{ campaignId: string; date: string; n: number }[]>,
    trx('make_goods')
      .whereIn('campaignId', ids)
      .where({ reason: 'preempted' })
      .whereNotNull('shortWeekStartsOn')
      .groupBy('campaignId', 'shortWeekStartsOn', 'status')
      .select('campaignId', trx.raw(`to_char(short_week_starts_on, 'YYYY-MM-DD') as week`), 'status', trx.raw('count(*)::int as n')) as Promise<{ campaignId: string; week: string; status: MakeGoodStatus; n: number }[]>,
  ]);
  const loggedDays = new Set(logged.map((l) => l.date));
  const weeks: ShortWeek[] = [];
  for (const { order, week } of ending) {
    const placed = placedRows.filter((p) => p.campaignId === order.campaignId && p.date >= week.startsOn && p.date <= week.endsOn).reduce((n, p) => n + p.n, 0);
    const shortfall = weekShortfall({ ...order, dayparts: dayparts.filter((d) => d.campaignId === order.campaignId) }, date, loggedDays, placed)!;
    const recorded = recordedRows.filter((r) => r.campaignId === order.campaignId && r.week === week.startsOn);
    const { add, withdraw } = shortfallChanges(shortfall, {
      owed: recorded.filter((r) => r.status === 'owed').reduce((n, r) => n + r.n, 0),
      total: recorded.reduce((n, r) => n + r.n, 0),
    });
    if (add > 0) {
      await trx('make_goods').insert(
        Array.from({ length: add }, () => ({ stationId, campaignId: order.campaignId, reason: 'preempted', status: 'owed', shortWeekStartsOn: week.startsOn })),
      );
    }
    if (withdraw > 0) {
      // The newest first: the oldest keep their place in the queue.
      const gone = trx('make_goods')
        .where({ campaignId: order.campaignId, reason: 'preempted', status: 'owed', shortWeekStartsOn: week.startsOn })
        .orderBy('createdAt', 'desc')
        .orderBy('id', 'desc')
        .limit(withdraw)
        .select('id');
      await trx('make_goods').whereIn('id', gone).delete();
    }
    if (shortfall.short > 0 || withdraw > 0) {
      weeks.push({ campaignId: order.campaignId, campaignName: order.campaignName, advertiserName: order.advertiserName, week, ordered: shortfall.ordered, placed, short: shortfall.short, added: add, withdrawn: withdraw });
    }
  }
  return weeks;
}
