// Who uses a piece of a station's programming or traffic: the rows that name a daypart, a
// category, a music rule set, a clock, an advertiser or a campaign (the foreign keys of
// migrations/ that point at them). Read before a delete; domain/deletion.ts decides which of
// these uses keep it from being deleted and says what to change first.
import type { Knex } from 'knex';
import type { AdvertiserUsage, CampaignUsage, CategoryUsage, ClockUsage, DaypartUsage, ElementUse, LogDayUse, RuleSetUsage } from '../domain/deletion.js';
import type { MakeGoodStatus } from '../domain/vocabulary.js';

const dateText = (column: string) => `to_char(${column}, 'YYYY-MM-DD')`;

async function elementsUsing(db: Knex, column: 'category_id' | 'rule_set_id', id: string): Promise<ElementUse[]> {
  return (await db('clock_elements as e')
    .join('clocks as c', 'c.id', 'e.clock_id')
    .where(`e.${column}`, id)
    .orderBy(['c.name', 'e.position'])
    .select('c.name as clock', 'e.position')) as ElementUse[];
}

async function logDaysUsing(db: Knex, column: 'clock_id' | 'campaign_id', id: string): Promise<LogDayUse[]> {
  return (await db('log_entries as e')
    .join('daily_logs as l', 'l.id', 'e.log_id')
    .where(`e.${column}`, id)
    .groupBy('l.broadcast_date', 'l.status')
    .orderBy('l.broadcast_date')
    .select(db.raw(`${dateText('l.broadcast_date')} as date`), 'l.status', db.raw('count(*)::int as entries'))) as LogDayUse[];
}

const names = async (query: Knex.QueryBuilder): Promise<string[]> => (await query) as string[];
const count = async (db: Knex, query: Knex.QueryBuilder): Promise<number> => ((await query.first(db.raw('count(*)::int as n'))) as { n: number }).n;

// One query after another throughout: `db` may be a transaction, which has one connection.

export async function daypartUsage(db: Knex, daypartId: string): Promise<DaypartUsage> {
  return {
    ruleSets: await names(db('music_rule_set_dayparts as u').join('music_rule_sets as r', 'r.id', 'u.rule_set_id').where('u.daypart_id', daypartId).orderBy('r.name').pluck('r.name')),
    clocks: await names(db('clocks').where({ daypartId }).orderBy('name').pluck('name')),
    campaigns: await names(db('campaign_dayparts as u').join('campaigns as c', 'c.id', 'u.campaign_id').where('u.daypart_id', daypartId).orderBy('c.name').pluck('c.name')),
    tracks: await count(db, db('track_dayparts').where({ daypartId })),
    makeGoods: await count(db, db('make_goods').where({ wantedDaypartId: daypartId }).whereIn('status', ['owed', 'scheduled'])),
  };
}

export async function categoryUsage(db: Knex, categoryId: string): Promise<CategoryUsage> {
  return {
    tracks: await count(db, db('track_categories').where({ categoryId })),
    clockElements: await elementsUsing(db, 'category_id', categoryId),
    advertisers: await names(db('advertisers').where({ categoryId }).orderBy('name').pluck('name')),
    campaigns: await names(db('campaigns').where({ categoryId }).orderBy('name').pluck('name')),
  };
}

export async function ruleSetUsage(db: Knex, ruleSetId: string): Promise<RuleSetUsage> {
  return { clockElements: await elementsUsing(db, 'rule_set_id', ruleSetId) };
}

export async function clockUsage(db: Knex, clockId: string): Promise<ClockUsage> {
  return {
    weekly: (await db('grid_slots').where({ clockId }).orderBy(['weekday', 'hour']).select('weekday', 'hour')) as ClockUsage['weekly'],
    overrides: (await db('grid_overrides').where({ clockId }).orderBy(['date', 'hour']).select(db.raw(`${dateText('date')} as date`), 'hour')) as ClockUsage['overrides'],
    logs: await logDaysUsing(db, 'clock_id', clockId),
    voiceTracks: (await db('voice_tracks as v')
      .join('clock_elements as e', 'e.id', 'v.clock_element_id')
      .where('e.clock_id', clockId)
      .groupBy('v.broadcast_date')
      .orderBy('v.broadcast_date')
      .select(db.raw(`${dateText('v.broadcast_date')} as date`), db.raw('count(*)::int as count'))) as ClockUsage['voiceTracks'],
  };
}

export async function advertiserUsage(db: Knex, advertiserId: string): Promise<AdvertiserUsage> {
  return { campaigns: await names(db('campaigns').where({ advertiserId }).orderBy('name').pluck('name')) };
}

export async function campaignUsage(db: Knex, campaignId: string): Promise<CampaignUsage> {
  const makeGoods = (await db('make_goods').where({ campaignId }).groupBy('status').select('status', db.raw('count(*)::int as n'))) as { status: MakeGoodStatus; n: number }[];
  return {
    logs: await logDaysUsing(db, 'campaign_id', campaignId),
    makeGoods: Object.fromEntries(makeGoods.map((m) => [m.status, m.n])),
  };
}
