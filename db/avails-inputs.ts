// Reads what the avails report (domain/avails.ts) needs for a station and a range of days: its
// programming and orders as the log builder reads them (db/log-inputs.ts), the date overrides
// of the range, the make-goods owed, and the ADV avails of every log already built from the
// Monday of the range's first week on (those days count for spots per week).
import type { Knex } from 'knex';
import { isoWeekStart, type AvailsInputs, type BuiltAvail, type BuiltDay } from '../domain/avails.js';
import { readOrders, readProgramming, type StationRow } from './log-inputs.js';

export async function loadAvailsInputs(db: Knex, station: StationRow, from: string, to: string): Promise<AvailsInputs> {
  const weekStart = isoWeekStart(from);
  const [programming, overrides, orders, makeGoods, built] = await Promise.all([
    readProgramming(db, station.id),
    db('grid_overrides')
      .where({ stationId: station.id })
      .whereBetween('date', [from, to])
      .select(db.raw(`to_char(date, 'YYYY-MM-DD') as date`), 'hour', 'clockId') as Promise<{ date: string; hour: number; clockId: string }[]>,
    readOrders(db, station.id, weekStart, to),
    // Owed, oldest first: the order the log builder takes them in.
    db('make_goods')
      .where({ stationId: station.id, status: 'owed' })
      .orderBy('createdAt')
      .orderBy('id')
      .select('id', 'campaignId', db.raw(`to_char(wanted_on, 'YYYY-MM-DD') as wanted_on`), 'wantedDaypartId as daypartId') as Promise<
      { id: string; campaignId: string; wantedOn: string | null; daypartId: string | null }[]
    >,
    readBuiltAvails(db, station.id, weekStart, to),
  ]);
  const byDate: Record<string, Record<string, string>> = {};
  for (const o of overrides) (byDate[o.date] ??= {})[String(o.hour)] = o.clockId;
  return {
    station: { timezone: station.timezone, makeGoodSharePercent: station.makeGoodSharePercent },
    from,
    to,
    dayparts: programming.dayparts,
    clocks: programming.clocks,
    grid: programming.grid,
    overrides: byDate,
    campaigns: orders,
    makeGoods,
    built,
  };
}

/**
 * The ADV avails of the logs built from `first` to `last`: each entry of an ADV slot — a spot
 * (with its campaign; a make-good when a make-good was scheduled in it), or what stands in for
 * an unsold one (a PSA fallback).
 */
async function readBuiltAvails(db: Knex, stationId: string, first: string, last: string): Promise<BuiltDay[]> {
  const built = (db('daily_logs')
    .where({ stationId })
    .whereBetween('broadcastDate', [first, last])
    .whereNotNull('builtAt')
    .whereNot('status', 'failed')) as Knex.QueryBuilder;
  const [logs, rows] = await Promise.all([
    built.clone().orderBy('broadcastDate').select(db.raw(`to_char(broadcast_date, 'YYYY-MM-DD') as date`)) as Promise<{ date: string }[]>,
    db('log_entries as e')
      .join(built.clone().select('id', 'broadcastDate').as('l'), 'l.id', 'e.log_id')
      .leftJoin('clock_elements as ce', 'ce.id', 'e.clock_element_id')
      .where((q) => void q.whereNotNull('e.campaign_id').orWhere('e.is_fallback', true).orWhere('ce.type', 'ADV'))
      .orderBy('e.position')
      .select(
        db.raw(`to_char(l.broadcast_date, 'YYYY-MM-DD') as date`),
        'e.hour',
        'e.utc_offset_minutes as utcOffsetMinutes',
        'e.campaign_id as campaignId',
        db.raw('EXISTS (SELECT 1 FROM make_goods mg WHERE mg.scheduled_entry_id = e.id) as make_good'),
      ) as Promise<({ date: string } & BuiltAvail)[]>,
  ]);
  const days = new Map<string, BuiltAvail[]>(logs.map((l) => [l.date, []]));
  for (const { date, ...avail } of rows) days.get(date)?.push(avail);
  return [...days].map(([date, avails]) => ({ date, avails }));
}
