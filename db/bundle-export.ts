// Exporting a station as a station bundle: the inverse of ./bundle-import.ts. The result
// validates against the bundle schema and re-imports onto the same station, matched by the
// same natural keys (slug, code, name, ref). Lengths leave as seconds, times of day as HH:MM,
// start offsets in the hour as MM:SS.
import type { Knex } from 'knex';
import type { EngineRuleSet } from '../domain/log/types.js';
import type { Track } from './models.js';
import type { BundleCampaign, BundleClock, BundleClockElement, BundleStationIdentity, BundleTrack, StationBundle } from '../domain/bundle/types.js';
import { minutesToTimeOfDay } from '../domain/durations.js';
import { DEFAULT_CURRENCY } from '../domain/orders.js';
import { identityOf, IDENTITY_COLUMNS, type StationIdentityColumns } from '../domain/station-identity.js';
import { WEEKDAYS, type CampaignStatus, type CopyRotation, type ElementType, type LiveSource, type StartKind, type TrackType, type WeekdayName } from '../domain/vocabulary.js';

const DAY_NAMES = Object.fromEntries(Object.entries(WEEKDAYS).map(([name, n]) => [n, name])) as Record<number, WeekdayName>;

const seconds = (ms: number) => ms / 1000;
const pad = (n: number) => String(n).padStart(2, '0');
/** Milliseconds into the hour → "MM:SS" (a bundle's clock element start). */
const offsetInHour = (ms: number) => `${pad(Math.floor(ms / 60_000))}:${pad(Math.floor((ms % 60_000) / 1000))}`;

/** Drops null and undefined fields: a bundle leaves out what is not set. */
function compact<T extends Record<string, unknown>>(value: T): { [K in keyof T]: Exclude<T[K], null> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null && v !== undefined)) as { [K in keyof T]: Exclude<T[K], null> };
}

/** A track's key in the bundle: its ref, or `id:<uuid>` for tracks that came without one. */
export const trackRefOf = (track: { id: string; ref: string | null }) => track.ref ?? `id:${track.id}`;

function byId<T extends { id: string }, V>(rows: T[], value: (row: T) => V): Map<string, V> {
  return new Map(rows.map((row) => [row.id, value(row)]));
}

/** Groups values under keys, keeping first-seen order. */
function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

interface StationRecord extends StationIdentityColumns {
  slug: string;
  name: string;
  timezone: string;
  buildDaysAhead: number;
  buildHour: number;
  fillToleranceMs: number;
  approvalLeadHours: number;
  trafficMayPublish: boolean;
  fillTypes: TrackType[];
}
/** The columns of a track a bundle carries: the model's own fields, not a copy of them. */
type TrackRecord = Pick<
  Track,
  | 'id' | 'ref' | 'type' | 'title' | 'artist' | 'album' | 'label' | 'writers' | 'publishers' | 'isrc' | 'iswc' | 'upc' | 'language'
  | 'maplMusic' | 'maplArtist' | 'maplPerformance' | 'maplLyrics' | 'usage' | 'instrumental' | 'hit' | 'contentCategory'
  | 'genre' | 'mood' | 'bpm' | 'energy' | 'lengthMs' | 'cueInMs' | 'cueOutMs' | 'introMs' | 'outroMs' | 'libretimeFileId' | 'azuracastMediaId'
>;
interface ElementRecord {
  clockId: string;
  type: ElementType;
  liveSource: LiveSource | null;
  title: string | null;
  count: number;
  fallback: TrackType | null;
  categoryId: string | null;
  ruleSetId: string | null;
  trackId: string | null;
  targetLengthMs: number | null;
  startOffsetMs: number | null;
  startKind: StartKind | null;
}
interface CampaignRecord {
  id: string;
  advertiserId: string;
  name: string;
  startsOn: string;
  endsOn: string;
  priority: number;
  spotsPerDay: number | null;
  spotsPerWeek: number | null;
  spotLengthMs: number;
  categoryId: string | null;
  rotation: CopyRotation;
  status: CampaignStatus;
  orderNumber: string | null;
  agency: string | null;
  /** numeric(5,2): "15.00" */
  agencyCommissionPercent: string;
  rateCents: number | null;
  currency: string;
}

/** The MAPL flags that are known; none known: left out. */
function maplOf(t: Pick<Track, 'maplMusic' | 'maplArtist' | 'maplPerformance' | 'maplLyrics'>) {
  const mapl = compact({ music: t.maplMusic, artist: t.maplArtist, performance: t.maplPerformance, lyrics: t.maplLyrics });
  return Object.keys(mapl).length ? mapl : null;
}

/** The station's identity as a bundle carries it: what is set, or nothing at all. */
function bundleIdentity(station: StationIdentityColumns): { identity?: BundleStationIdentity } {
  const { contact, signer, ...rest } = identityOf(station);
  const compactContact = compact({ ...contact });
  const compactSigner = compact({ ...signer });
  const identity: BundleStationIdentity = compact({
    ...rest,
    contact: Object.keys(compactContact).length ? compactContact : null,
    signer: Object.keys(compactSigner).length ? compactSigner : null,
  });
  return Object.keys(identity).length ? { identity } : {};
}

/** The station `stationId` as a bundle. Removed tracks are left out, and so are references to them. */
export async function exportStationBundle(db: Knex, stationId: string): Promise<StationBundle> {
  const station = (await db('stations')
    .where({ id: stationId })
    .first('slug', 'name', 'timezone', 'buildDaysAhead', 'buildHour', 'fillToleranceMs', 'approvalLeadHours', 'trafficMayPublish', db.raw('array_to_json(fill_types) as fill_types'), ...IDENTITY_COLUMNS)) as
    | StationRecord
    | undefined;
  if (!station) throw new Error(`no station ${stationId}`);

  const at = { stationId };
  const [categories, dayparts, ruleSets, ruleSetDayparts, clocks, elements, gridSlots, overrides, tracks, trackCategories, trackDayparts, advertisers, campaigns, campaignDayparts, copy] =
    await Promise.all([
      db('categories').where(at).orderBy('code').select('id', 'code', 'name') as Promise<{ id: string; code: string; name: string }[]>,
      db('dayparts').where(at).orderBy('name').select('id', 'name', 'weekdays', 'startMinute', 'endMinute') as Promise<
        { id: string; name: string; weekdays: number[]; startMinute: number; endMinute: number }[]
      >,
      db('music_rule_sets').where(at).orderBy('name').select('id', 'name', 'genres', 'moods', 'minBpm', 'maxBpm', 'minEnergy', 'maxEnergy', 'artistSeparationMinutes', 'titleSeparationHours') as Promise<
        Omit<EngineRuleSet, 'daypartIds'>[]
      >,
      db('music_rule_set_dayparts').join('music_rule_sets', 'music_rule_sets.id', 'music_rule_set_dayparts.rule_set_id').where('music_rule_sets.station_id', stationId).select('ruleSetId', 'daypartId') as Promise<
        { ruleSetId: string; daypartId: string }[]
      >,
      db('clocks').where(at).orderBy('name').select('id', 'name', 'hour', 'daypartId', 'targetLengthMs') as Promise<
        { id: string; name: string; hour: number | null; daypartId: string | null; targetLengthMs: number }[]
      >,
      db('clock_elements')
        .join('clocks', 'clocks.id', 'clock_elements.clock_id')
        .where('clocks.station_id', stationId)
        .orderBy(['clock_elements.clock_id', 'clock_elements.position'])
        .select('clock_elements.*') as Promise<ElementRecord[]>,
      db('grid_slots').where(at).orderBy(['hour', 'weekday']).select('weekday', 'hour', 'clockId') as Promise<{ weekday: number; hour: number; clockId: string }[]>,
      db('grid_overrides').where(at).orderBy(['date', 'hour']).select('date', 'hour', 'clockId', 'note') as Promise<{ date: string; hour: number; clockId: string; note: string | null }[]>,
      db('tracks').where({ ...at, removed: false }).orderBy(['type', 'title', 'id']).select('*') as Promise<TrackRecord[]>,
      db('track_categories').join('tracks', 'tracks.id', 'track_categories.track_id').where('tracks.station_id', stationId).select('trackId', 'categoryId') as Promise<
        { trackId: string; categoryId: string }[]
      >,
      db('track_dayparts').join('tracks', 'tracks.id', 'track_dayparts.track_id').where('tracks.station_id', stationId).select('trackId', 'daypartId') as Promise<
        { trackId: string; daypartId: string }[]
      >,
      db('advertisers').where(at).orderBy('name').select('id', 'name', 'categoryId', 'contactName', 'email', 'phone', 'notes') as Promise<
        { id: string; name: string; categoryId: string | null; contactName: string | null; email: string | null; phone: string | null; notes: string | null }[]
      >,
      db('campaigns').where(at).orderBy(['startsOn', 'name']).select('*') as Promise<CampaignRecord[]>,
      db('campaign_dayparts').join('campaigns', 'campaigns.id', 'campaign_dayparts.campaign_id').where('campaigns.station_id', stationId).select('campaignId', 'daypartId') as Promise<
        { campaignId: string; daypartId: string }[]
      >,
      db('campaign_copy')
        .join('campaigns', 'campaigns.id', 'campaign_copy.campaign_id')
        .where('campaigns.station_id', stationId)
        .orderBy(['campaign_copy.campaign_id', 'campaign_copy.position'])
        .select('campaign_copy.campaign_id', 'campaign_copy.track_id', 'campaign_copy.weight', 'campaign_copy.starts_on', 'campaign_copy.ends_on', 'campaign_copy.isci') as Promise<
        { campaignId: string; trackId: string; weight: number; startsOn: string | null; endsOn: string | null; isci: string | null }[]
      >,
    ]);

  const categoryCode = byId(categories, (c) => c.code);
  const daypartName = byId(dayparts, (d) => d.name);
  const ruleSetName = byId(ruleSets, (r) => r.name);
  const clockName = byId(clocks, (c) => c.name);
  const trackRef = byId(tracks, trackRefOf);
  const advertiserName = byId(advertisers, (a) => a.name);
  const names = (links: { daypartId: string }[] | undefined) => (links ?? []).map((l) => daypartName.get(l.daypartId)!).sort();
  const nonEmpty = <T>(list: T[]) => (list.length ? list : undefined);
  const range = (min: number | null, max: number | null) => (min === null && max === null ? undefined : compact({ min, max }));

  const ruleSetLinks = groupBy(ruleSetDayparts, (l) => l.ruleSetId);
  const elementsOf = groupBy(elements, (e) => e.clockId);
  const trackCategoryLinks = groupBy(trackCategories, (l) => l.trackId);
  const trackDaypartLinks = groupBy(trackDayparts, (l) => l.trackId);
  const campaignDaypartLinks = groupBy(campaignDayparts, (l) => l.campaignId);
  const copyOf = groupBy(copy, (c) => c.campaignId);

  const bundleClocks: BundleClock[] = clocks.map((c) =>
    compact({
      name: c.name,
      hour: c.hour === null ? null : `${pad(c.hour)}:00`,
      daypart: c.daypartId ? daypartName.get(c.daypartId) : null,
      targetLength: seconds(c.targetLengthMs),
      elements: (elementsOf.get(c.id) ?? []).map(
        (e): BundleClockElement =>
          compact({
            type: e.type,
            title: e.title,
            source: e.liveSource,
            count: e.type === 'LIVE' ? null : e.count,
            fallback: e.fallback,
            category: e.categoryId ? categoryCode.get(e.categoryId) : null,
            ruleSet: e.ruleSetId ? ruleSetName.get(e.ruleSetId) : null,
            track: e.trackId ? trackRef.get(e.trackId) : null,
            length: e.targetLengthMs === null ? null : seconds(e.targetLengthMs),
            start: e.startOffsetMs === null ? null : { at: offsetInHour(e.startOffsetMs), kind: e.startKind ?? 'soft' },
          }),
      ),
    }),
  );

  // The weekly grid as rules: the days each clock plays an hour, then the hours with the same days.
  const daysOf = groupBy(gridSlots, (s) => `${s.clockId}|${s.hour}`);
  const weekly = [
    ...groupBy([...daysOf.values()], (slots) => `${slots[0]!.clockId}|${slots.map((s) => s.weekday).join(',')}`).values(),
  ].map((sameDays) => ({
    days: sameDays[0]!.map((s) => DAY_NAMES[s.weekday]!),
    hours: sameDays.map((slots) => slots[0]!.hour),
    clock: clockName.get(sameDays[0]![0]!.clockId)!,
  }));
  const bundleOverrides = [...groupBy(overrides, (o) => `${o.date}|${o.clockId}|${o.note ?? ''}`).values()].map((group) =>
    compact({ date: group[0]!.date, hours: group.map((o) => o.hour), clock: clockName.get(group[0]!.clockId)!, note: group[0]!.note }),
  );

  const library: BundleTrack[] = tracks.map((t) =>
    compact({
      ref: trackRefOf(t),
      type: t.type,
      title: t.title,
      artist: t.artist,
      album: t.album,
      label: t.label,
      writers: nonEmpty(t.writers),
      publishers: nonEmpty(t.publishers),
      isrc: t.isrc,
      iswc: t.iswc,
      upc: t.upc,
      language: t.language,
      mapl: maplOf(t),
      usage: t.usage,
      instrumental: t.instrumental,
      hit: t.hit,
      contentCategory: t.contentCategory,
      genre: t.genre,
      mood: t.mood,
      bpm: t.bpm,
      energy: t.energy,
      length: seconds(t.lengthMs),
      cueIn: t.cueInMs ? seconds(t.cueInMs) : null,
      cueOut: t.cueOutMs === null ? null : seconds(t.cueOutMs),
      intro: t.introMs === null ? null : seconds(t.introMs),
      outro: t.outroMs === null ? null : seconds(t.outroMs),
      categories: nonEmpty((trackCategoryLinks.get(t.id) ?? []).map((l) => categoryCode.get(l.categoryId)!).sort()),
      dayparts: nonEmpty(names(trackDaypartLinks.get(t.id))),
      libretimeFileId: t.libretimeFileId,
      azuracastMediaId: t.azuracastMediaId,
    }),
  );

  const bundleCampaigns: BundleCampaign[] = campaigns.map((c) =>
    compact({
      advertiser: advertiserName.get(c.advertiserId)!,
      name: c.name,
      start: c.startsOn,
      end: c.endsOn,
      priority: c.priority,
      spotsPerDay: c.spotsPerDay,
      spotsPerWeek: c.spotsPerWeek,
      spotLength: seconds(c.spotLengthMs),
      category: c.categoryId ? categoryCode.get(c.categoryId) : null,
      dayparts: nonEmpty(names(campaignDaypartLinks.get(c.id))),
      rotation: c.rotation,
      status: c.status,
      orderNumber: c.orderNumber,
      agency: c.agency,
      // The commission only with an agency; the currency where it says something.
      agencyCommission: c.agency ? Number(c.agencyCommissionPercent) : null,
      ratePerSpotCents: c.rateCents,
      currency: c.rateCents !== null || c.currency !== DEFAULT_CURRENCY ? c.currency : null,
      // Copy of a removed track has no place in the library the bundle carries.
      copy: (copyOf.get(c.id) ?? [])
        .filter((k) => trackRef.has(k.trackId))
        .map((k) => compact({ track: trackRef.get(k.trackId)!, weight: k.weight, start: k.startsOn, end: k.endsOn, isci: k.isci })),
    }),
  );

  return {
    bundleVersion: 1,
    station: {
      slug: station.slug,
      name: station.name,
      timezone: station.timezone,
      buildDaysAhead: station.buildDaysAhead,
      buildHour: station.buildHour,
      fillTolerance: seconds(station.fillToleranceMs),
      approvalLeadHours: station.approvalLeadHours,
      trafficMayPublish: station.trafficMayPublish,
      fillTypes: station.fillTypes,
      ...bundleIdentity(station),
    },
    categories: categories.map((c) => ({ code: c.code, name: c.name })),
    dayparts: dayparts.map((d) => ({
      name: d.name,
      days: [...d.weekdays].sort((a, b) => a - b).map((n) => DAY_NAMES[n]!),
      start: minutesToTimeOfDay(d.startMinute),
      end: minutesToTimeOfDay(d.endMinute),
    })),
    ruleSets: ruleSets.map((r) =>
      compact({
        name: r.name,
        genres: r.genres,
        moods: r.moods,
        bpm: range(r.minBpm, r.maxBpm),
        energy: range(r.minEnergy, r.maxEnergy),
        dayparts: nonEmpty(names(ruleSetLinks.get(r.id))),
        artistSeparationMinutes: r.artistSeparationMinutes,
        titleSeparationHours: r.titleSeparationHours,
      }),
    ),
    clocks: bundleClocks,
    grid: { weekly, overrides: bundleOverrides },
    library,
    advertisers: advertisers.map((a) =>
      compact({ name: a.name, category: a.categoryId ? categoryCode.get(a.categoryId) : null, contactName: a.contactName, email: a.email, phone: a.phone, notes: a.notes }),
    ),
    campaigns: bundleCampaigns,
  };
}
