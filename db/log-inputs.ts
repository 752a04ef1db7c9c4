// Reads what the engine needs to build one station's broadcast day, as a plain snapshot.
// The library (up to tens of thousands of tracks) is cached per station and re-read only
// when it changed, so the steps of a build and a backfill of many days stay fast.
import type { Knex } from 'knex';
import { DateTime } from 'luxon';
import { activeEdits } from './log-edits.js';
import type {
  BuildInputs,
  EngineCampaign,
  EngineMakeGood,
  EngineClock,
  EngineDaypart,
  EnginePlay,
  EngineRuleSet,
  EngineTrack,
  EngineVoiceTrack,
  LogEdit,
} from '../domain/log/types.js';
import type { CopyRotation, StartKind, TrackType } from '../domain/vocabulary.js';

export interface StationRow {
  id: string;
  slug: string;
  name: string;
  timezone: string;
  fillToleranceMs: number;
  approvalLeadHours: number;
  reconcileGraceMinutes: number;
  trafficMayPublish: boolean;
  playoutTarget: 'file' | 'libretime';
  buildDaysAhead: number;
  buildHour: number;
  /** Fill material, in order of preference. */
  fillTypes: TrackType[];
  /** The largest share of a day's ADV avails make-goods may take, in percent. */
  makeGoodSharePercent: number;
  /** Changes with every change to any station's programming (null before migration 12 ran). */
  programmingToken: string | null;
}

export class StationNotFoundError extends Error {
  override name = 'StationNotFound';
}

export async function findStation(db: Knex, idOrSlug: string): Promise<StationRow> {
  const isUuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(idOrSlug);
  const row = (await db('stations')
    .where(isUuid ? { id: idOrSlug } : { slug: idOrSlug })
    .first(
      'id',
      'slug',
      'name',
      'timezone',
      'fillToleranceMs',
      'approvalLeadHours',
      'reconcileGraceMinutes',
      'trafficMayPublish',
      'playoutTarget',
      'buildDaysAhead',
      'buildHour',
      'makeGoodSharePercent',
      db.raw('array_to_json(fill_types) as fill_types'),
      db.raw('(SELECT token::text FROM programming_changes) AS programming_token'),
    )) as StationRow | undefined;
  if (!row) throw new StationNotFoundError(`No station "${idOrSlug}"`);
  return row;
}

interface LibraryCacheEntry {
  fingerprint: string;
  tracks: EngineTrack[];
}

/** The parts of the inputs only some steps need; the others get them empty. */
export interface InputParts {
  campaigns?: boolean;
  /** The play history; a list of types reads only plays of those (music reads songs, traffic PSAs). */
  history?: boolean | readonly TrackType[];
  voiceTracks?: boolean;
  /** The day's hand edits still active (db/log-edits.ts). */
  edits?: boolean;
}

/** The types of plays a history part asks for (null: all). */
const historyTypes = (part: InputParts['history']): readonly TrackType[] | null => (Array.isArray(part) ? part : null);

/** Days of play history rotation reads, at least. */
export const HISTORY_DAYS = 7;

const ALL_PARTS: Required<InputParts> = { campaigns: true, history: true, voiceTracks: true, edits: true };

export interface LogInputsLoader {
  load(stationIdOrSlug: string, date: string, seed: number, parts?: InputParts): Promise<BuildInputs>;
}

export function createLogInputsLoader(db: Knex): LogInputsLoader {
  const libraries = new Map<string, LibraryCacheEntry>();
  const pending = new Map<string, Promise<EngineTrack[]>>();

  // The steps of one build load inputs within a second or two: one fingerprint check serves them all.
  const FINGERPRINT_TTL_MS = 2_000;
  const checkedAt = new Map<string, number>();

  async function library(stationId: string): Promise<EngineTrack[]> {
    const recent = libraries.get(stationId);
    if (recent && Date.now() - (checkedAt.get(stationId) ?? 0) < FINGERPRINT_TTL_MS) return recent.tracks;
    const stamp = (await db('tracks')
      .where({ stationId })
      .first(db.raw('count(*)::int as n'), db.raw("coalesce(max(updated_at), 'epoch')::text as at"))) as { n: number; at: string };
    const links = (await db('track_categories')
      .join('tracks', 'tracks.id', 'track_categories.track_id')
      .where('tracks.station_id', stationId)
      .first(db.raw('count(*)::int as n'))) as { n: number };
    const fingerprint = `${stamp.n}:${stamp.at}:${links.n}`;
    checkedAt.set(stationId, Date.now());
    const cached = libraries.get(stationId);
    if (cached?.fingerprint === fingerprint) return cached.tracks;
    const key = `${stationId}:${fingerprint}`;
    let loading = pending.get(key);
    if (!loading) {
      loading = readLibrary(db, stationId)
        .then((tracks) => {
          libraries.set(stationId, { fingerprint, tracks });
          return tracks;
        })
        // A failed read is not kept: the next step reads again (after a database restart, say).
        .finally(() => pending.delete(key));
      pending.set(key, loading);
    }
    return loading;
  }

  // Programming (dayparts, rule sets, clocks, the grid) is kept per station until its token
  // changes: the database changes it on every write to those tables (migration 12).
  const programmings = new Map<string, { token: string; read: Promise<Programming> }>();
  function programming(station: StationRow): Promise<Programming> {
    const kept = programmings.get(station.id);
    if (station.programmingToken && kept?.token === station.programmingToken) return kept.read;
    const read = readProgramming(db, station.id);
    if (station.programmingToken) programmings.set(station.id, { token: station.programmingToken, read });
    read.catch(() => programmings.delete(station.id));
    return read;
  }

  return {
    async load(stationIdOrSlug, date, seed, parts = ALL_PARTS) {
      const station = await findStation(db, stationIdOrSlug);
      const day = DateTime.fromISO(date, { zone: station.timezone });
      if (!day.isValid) throw new RangeError(`"${date}" is not a date`);
      const weekStart = day.startOf('week').toISODate()!;
      const weekEnd = day.endOf('week').toISODate()!;
      const none = <T>(): Promise<T[]> => Promise.resolve([]);

      const [tracks, { dayparts, ruleSets, clocks, grid }, overrides, campaigns, makeGoods, history, voiceTracks, edits] = await Promise.all([
        library(station.id),
        programming(station),
        db('grid_overrides').where({ stationId: station.id, date }).select('hour', 'clockId') as Promise<{ hour: number; clockId: string }[]>,
        parts.campaigns ? readCampaigns(db, station.id, date, weekStart, weekEnd) : none<EngineCampaign>(),
        parts.campaigns
          ? // Owed, and not wanted on a later day: those wanted today first, then the oldest.
            (db('make_goods')
              .where({ stationId: station.id, status: 'owed' })
              .where((q) => void q.whereNull('wantedOn').orWhere('wantedOn', '<=', date))
              .orderByRaw('(wanted_on IS NOT DISTINCT FROM ?::date) DESC', [date])
              .orderBy('createdAt')
              .orderBy('id')
              .select('id', 'campaignId', 'wantedDaypartId as daypartId') as Promise<EngineMakeGood[]>)
          : none<EngineMakeGood>(),
        parts.history ? programming(station).then((p) => readHistory(db, station.id, day, historyTypes(parts.history), p.ruleSets)) : none<EnginePlay>(),
        parts.voiceTracks ? readVoiceTracks(db, station.id, date) : none<EngineVoiceTrack>(),
        parts.edits ? activeEdits(db, station.id, date) : none<LogEdit>(),
      ]);

      return {
        station: { id: station.id, slug: station.slug, timezone: station.timezone, fillToleranceMs: station.fillToleranceMs, fillTypes: station.fillTypes, makeGoodSharePercent: station.makeGoodSharePercent },
        date,
        seed,
        dayparts,
        clocks,
        grid,
        overrides: Object.fromEntries(overrides.map((o) => [String(o.hour), o.clockId])),
        ruleSets,
        library: tracks,
        campaigns,
        makeGoods,
        history,
        voiceTracks,
        edits,
      };
    },
  };
}

async function readLibrary(db: Knex, stationId: string): Promise<EngineTrack[]> {
  const rows = (await db('tracks')
    .where({ stationId, removed: false })
    // A stable order: the seeded rotation depends on it, so a rebuild picks the same music.
    .orderBy('id')
    .select('id', 'type', 'title', 'artist', 'genre', 'mood', 'bpm', 'energy', 'lengthMs', 'cueInMs', 'cueOutMs', 'introMs', 'outroMs')) as {
    id: string;
    type: TrackType;
    title: string;
    artist: string | null;
    genre: string | null;
    mood: string | null;
    bpm: number | null;
    energy: number | null;
    lengthMs: number;
    cueInMs: number;
    cueOutMs: number | null;
    introMs: number | null;
    outroMs: number | null;
  }[];
  const categories = (await db('track_categories')
    .join('categories', 'categories.id', 'track_categories.category_id')
    .where('categories.station_id', stationId)
    .select('track_categories.track_id as trackId', 'categories.code as code')) as { trackId: string; code: string }[];
  const dayparts = (await db('track_dayparts')
    .join('dayparts', 'dayparts.id', 'track_dayparts.daypart_id')
    .where('dayparts.station_id', stationId)
    .select('track_dayparts.track_id as trackId', 'track_dayparts.daypart_id as daypartId')) as { trackId: string; daypartId: string }[];
  const codesByTrack = groupBy(categories, (c) => c.trackId, (c) => c.code);
  const daypartsByTrack = groupBy(dayparts, (d) => d.trackId, (d) => d.daypartId);
  return rows.map((r) => ({
    id: r.id,
    type: r.type,
    title: r.title,
    artist: r.artist,
    genre: r.genre,
    mood: r.mood,
    bpm: r.bpm,
    energy: r.energy,
    lengthMs: (r.cueOutMs ?? r.lengthMs) - r.cueInMs,
    introMs: r.introMs,
    outroMs: r.outroMs,
    categoryCodes: codesByTrack.get(r.id) ?? [],
    daypartIds: daypartsByTrack.get(r.id) ?? [],
  }));
}

function groupBy<T, V>(items: T[], key: (item: T) => string, value: (item: T) => V): Map<string, V[]> {
  const map = new Map<string, V[]>();
  for (const item of items) {
    const k = key(item);
    const list = map.get(k);
    if (list) list.push(value(item));
    else map.set(k, [value(item)]);
  }
  return map;
}

export interface Programming {
  dayparts: EngineDaypart[];
  ruleSets: EngineRuleSet[];
  clocks: EngineClock[];
  /** Clock id by `${isoWeekday}:${hour}`. */
  grid: Record<string, string>;
}

/** A station's dayparts, music rule sets, clocks and weekly grid. */
export async function readProgramming(db: Knex, stationId: string): Promise<Programming> {
  const [dayparts, ruleSets, clocks, grid] = await Promise.all([
    readDayparts(db, stationId),
    readRuleSets(db, stationId),
    readClocks(db, stationId),
    db('grid_slots').where({ stationId }).select('weekday', 'hour', 'clockId') as Promise<{ weekday: number; hour: number; clockId: string }[]>,
  ]);
  return { dayparts, ruleSets, clocks, grid: Object.fromEntries(grid.map((g) => [`${g.weekday}:${g.hour}`, g.clockId])) };
}

async function readDayparts(db: Knex, stationId: string): Promise<EngineDaypart[]> {
  return (await db('dayparts').where({ stationId }).select('id', 'name', 'weekdays', 'startMinute', 'endMinute')) as EngineDaypart[];
}

async function readRuleSets(db: Knex, stationId: string): Promise<EngineRuleSet[]> {
  const rows = (await db('music_rule_sets')
    .where({ stationId })
    .select('id', 'name', 'genres', 'moods', 'minBpm', 'maxBpm', 'minEnergy', 'maxEnergy', 'artistSeparationMinutes', 'titleSeparationHours')) as Omit<
    EngineRuleSet,
    'daypartIds'
  >[];
  const links = (await db('music_rule_set_dayparts')
    .whereIn('ruleSetId', rows.map((r) => r.id))
    .select('ruleSetId', 'daypartId')) as { ruleSetId: string; daypartId: string }[];
  const byRuleSet = groupBy(links, (l) => l.ruleSetId, (l) => l.daypartId);
  return rows.map((r) => ({ ...r, daypartIds: byRuleSet.get(r.id) ?? [] }));
}

async function readClocks(db: Knex, stationId: string): Promise<EngineClock[]> {
  const clocks = (await db('clocks').where({ stationId }).select('id', 'name', 'targetLengthMs')) as Omit<EngineClock, 'elements'>[];
  const elements = (await db('clock_elements')
    .leftJoin('categories', 'categories.id', 'clock_elements.category_id')
    .whereIn('clockId', clocks.map((c) => c.id))
    .orderBy(['clockId', 'position'])
    .select(
      'clock_elements.id',
      'clock_elements.clock_id as clockId',
      'position',
      'type',
      'title',
      'count',
      'fallback',
      'categories.code as categoryCode',
      'ruleSetId',
      'trackId',
      'targetLengthMs',
      'startOffsetMs',
      'startKind',
      'liveSource',
    )) as (EngineClock['elements'][number] & { clockId: string; startKind: StartKind | null })[];
  const byClock = groupBy(elements, (e) => e.clockId, ({ clockId: _clockId, ...element }) => element);
  return clocks.map((c) => ({ ...c, elements: byClock.get(c.id) ?? [] }));
}

/** How long after its flight a campaign still counts as the reason an avail went to a PSA. */
const RECENTLY_ENDED_DAYS = 30;

async function readCampaigns(db: Knex, stationId: string, date: string, weekStart: string, weekEnd: string): Promise<EngineCampaign[]> {
  // Everything that could matter for today's avails: in flight, or ended/starting near it (fallback reasons).
  // Campaigns that ended long ago no longer explain an unsold avail ("campaign expired").
  const orders = await readOrders(db, stationId, DateTime.fromISO(date).minus({ days: RECENTLY_ENDED_DAYS }).toISODate()!, date);
  const ids = orders.map((r) => r.id);
  if (ids.length === 0) return [];
  const [placedWeek, lastCopy] = await Promise.all([
    countSpots(db, ids, (q) => q.whereBetween('daily_logs.broadcast_date', [weekStart, weekEnd]).whereNot('daily_logs.broadcast_date', date)),
    lastAiredCopy(db, ids, date),
  ]);
  return orders.map((r) => ({
    ...r,
    placedThisWeek: placedWeek.get(r.id) ?? 0,
    // Sequential rotation picks up one past the copy that aired last.
    placedBefore: r.copy.findIndex((c) => c.trackId === lastCopy.get(r.id)) + 1,
  }));
}

/** A station's orders whose flight shares a day with `first` … `last`, with their dayparts and copy (the engine's shape, less what the logs placed). */
export async function readOrders(db: Knex, stationId: string, first: string, last: string): Promise<Omit<EngineCampaign, 'placedThisWeek' | 'placedBefore'>[]> {
  const rows = (await db('campaigns')
    .join('advertisers', 'advertisers.id', 'campaigns.advertiser_id')
    .leftJoin('categories', 'categories.id', 'campaigns.category_id')
    .where('campaigns.station_id', stationId)
    .where('campaigns.starts_on', '<=', last)
    .where('campaigns.ends_on', '>=', first)
    .select(
      'campaigns.id',
      'campaigns.advertiser_id as advertiserId',
      'advertisers.name as advertiserName',
      'campaigns.name',
      'startsOn',
      'endsOn',
      'priority',
      'spotsPerDay',
      'spotsPerWeek',
      'spotLengthMs',
      'categories.code as categoryCode',
      'rotation',
      'status',
    )) as (Omit<EngineCampaign, 'daypartIds' | 'copy' | 'placedThisWeek' | 'placedBefore'> & { rotation: CopyRotation })[];
  const ids = rows.map((r) => r.id);
  if (ids.length === 0) return [];
  const [dayparts, copy] = await Promise.all([
    db('campaign_dayparts').whereIn('campaignId', ids).select('campaignId', 'daypartId') as Promise<{ campaignId: string; daypartId: string }[]>,
    db('campaign_copy').whereIn('campaignId', ids).orderBy(['campaignId', 'position']).select('campaignId', 'trackId', 'weight', 'startsOn', 'endsOn') as Promise<
      { campaignId: string; trackId: string; weight: number; startsOn: string | null; endsOn: string | null }[]
    >,
  ]);
  const daypartsBy = groupBy(dayparts, (d) => d.campaignId, (d) => d.daypartId);
  const copyBy = groupBy(copy, (c) => c.campaignId, ({ campaignId: _c, ...rest }) => rest);
  return rows.map((r) => ({ ...r, daypartIds: daypartsBy.get(r.id) ?? [], copy: copyBy.get(r.id) ?? [] }));
}

async function countSpots(db: Knex, campaignIds: string[], scope: (q: Knex.QueryBuilder) => Knex.QueryBuilder): Promise<Map<string, number>> {
  const rows = (await scope(
    db('log_entries').join('daily_logs', 'daily_logs.id', 'log_entries.log_id').whereIn('log_entries.campaign_id', campaignIds),
  )
    .groupBy('log_entries.campaign_id')
    .select('log_entries.campaign_id as campaignId', db.raw('count(*)::int as n'))) as { campaignId: string; n: number }[];
  return new Map(rows.map((r) => [r.campaignId, r.n]));
}

/** Earlier days' plays, as far back as the longest title separation (at least the previous day). */
/** The copy each campaign placed last in the month before `date` (bounded, so it stays cheap as logs pile up). */
async function lastAiredCopy(db: Knex, campaignIds: string[], date: string): Promise<Map<string, string>> {
  const from = DateTime.fromISO(date).minus({ days: 31 }).toISODate()!;
  const rows = (await db('log_entries')
    .join('daily_logs', 'daily_logs.id', 'log_entries.log_id')
    .whereIn('log_entries.campaign_id', campaignIds)
    .where('daily_logs.broadcast_date', '<', date)
    .where('daily_logs.broadcast_date', '>=', from)
    .distinctOn('log_entries.campaign_id')
    .orderBy([{ column: 'log_entries.campaign_id' }, { column: 'log_entries.starts_at', order: 'desc' }])
    .select('log_entries.campaign_id as campaignId', 'log_entries.track_id as trackId')) as { campaignId: string; trackId: string }[];
  return new Map(rows.map((r) => [r.campaignId, r.trackId]));
}

/**
 * Plays that count for rotation and separation: the logs built for the days before, and what
 * aired that no log entry accounts for, over a week at least (an even rotation needs to see one)
 * and as far back as the longest title separation.
 */
async function readHistory(db: Knex, stationId: string, day: DateTime, types: readonly TrackType[] | null, ruleSets: EngineRuleSet[]): Promise<EnginePlay[]> {
  const longest = Math.max(0, ...ruleSets.map((rs) => rs.titleSeparationHours));
  const from = day.minus({ days: Math.max(HISTORY_DAYS, Math.ceil(longest / 24)) });
  const date = day.toISODate()!;
  const [logged, aired] = await Promise.all([
    db('log_entries')
      .join('daily_logs', 'daily_logs.id', 'log_entries.log_id')
      .leftJoin('tracks', 'tracks.id', 'log_entries.track_id')
      .where({ 'daily_logs.station_id': stationId })
      .where('daily_logs.broadcast_date', '>=', from.toISODate()!)
      .where('daily_logs.broadcast_date', '<', date)
      .whereNotNull('log_entries.track_id')
      .modify((q) => {
        if (types) void q.whereIn('log_entries.type', types);
      })
      .select('log_entries.track_id as trackId', 'tracks.title as title', 'tracks.artist as artist', 'log_entries.starts_at as startsAt') as Promise<
      { trackId: string; title: string; artist: string | null; startsAt: Date }[]
    >,
    db('playback_history')
      .join('tracks', 'tracks.id', 'playback_history.track_id')
      .where({ 'playback_history.station_id': stationId })
      .whereNull('playback_history.log_entry_id')
      .modify((q) => {
        if (types) void q.whereIn('tracks.type', types);
      })
      .where('playback_history.started_at', '>=', from.startOf('day').toJSDate())
      .where('playback_history.started_at', '<', day.startOf('day').toJSDate())
      .select('playback_history.track_id as trackId', 'tracks.title as title', 'tracks.artist as artist', 'playback_history.started_at as startsAt') as Promise<
      { trackId: string; title: string; artist: string | null; startsAt: Date }[]
    >,
  ]);
  return [...logged, ...aired].map((r) => ({ trackId: r.trackId, title: r.title, artist: r.artist, startsAt: r.startsAt.getTime() }));
}

async function readVoiceTracks(db: Knex, stationId: string, date: string): Promise<EngineVoiceTrack[]> {
  return (await db('voice_tracks')
    .join('tracks', 'tracks.id', 'voice_tracks.track_id')
    .where({ 'voice_tracks.station_id': stationId, 'voice_tracks.broadcast_date': date })
    .select(
      'voice_tracks.id',
      'voice_tracks.hour',
      'voice_tracks.clock_element_id as clockElementId',
      'voice_tracks.slot_index as slotIndex',
      'voice_tracks.track_id as trackId',
      'tracks.title as title',
      'voice_tracks.length_ms as lengthMs',
    )) as EngineVoiceTrack[];
}
