// What the royalty and compliance files are written from (domain/royalty): the station's
// details for report headers, and every play of the as-run in a period with what the library
// knows of its track. What aired, not the plan: plays come from playback_history (LibreTime,
// AzuraCast, as-run files, an operator's confirmation), never from the log.
import type { Knex } from 'knex';
import { DateTime } from 'luxon';
import { addDays } from '../domain/calendar-date.js';
import { BANDS, TRANSMISSION_CATEGORIES, type AiredPlay, type Band, type MusicUsage, type ReportPeriod, type ReportStation, type StationContact, type TransmissionCategory } from '../domain/royalty/index.js';
import type { TrackType } from '../domain/vocabulary.js';

/** The station as the report headers need it, and which of its details are not filled in. */
export interface ReportStationReading {
  slug: string;
  /** Every detail, with a stand-in only where the station has not said (listed in `missing`). */
  station: ReportStation;
  /** ReportStation fields the station has not filled in ("callLetters", "contact.email"…). */
  missing: string[];
}

interface StationRow {
  slug: string;
  name: string;
  timezone: string;
  callLetters: string | null;
  frequency: string | null;
  band: string | null;
  communityOfLicense: string | null;
  country: string | null;
  serviceName: string | null;
  transmissionCategory: string | null;
  bmiStationId: string | null;
  musicFormat: string | null;
  contact: Partial<StationContact> | null;
}

export async function reportStation(db: Knex, stationId: string): Promise<ReportStationReading> {
  const s = (await db('stations')
    .where({ id: stationId })
    .first(
      'slug',
      'name',
      'timezone',
      'call_letters as callLetters',
      'frequency',
      'band',
      'community_of_license as communityOfLicense',
      'country',
      'service_name as serviceName',
      'transmission_category as transmissionCategory',
      'bmi_station_id as bmiStationId',
      'music_format as musicFormat',
      'contact',
    )) as StationRow | undefined;
  if (!s) throw new Error(`No station ${stationId}`);
  const missing: string[] = [];
  const said = (field: string, value: string | null | undefined): string => {
    if (value === null || value === undefined || value.trim() === '') {
      missing.push(field);
      return '';
    }
    return value.trim();
  };
  const contact = s.contact ?? {};
  const contactField = (key: keyof StationContact) => {
    const value = contact[key];
    if (typeof value === 'string' && value.trim() !== '') return value.trim();
    missing.push(`contact.${key}`);
    return null;
  };
  const band = said('band', s.band);
  const category = said('transmissionCategory', s.transmissionCategory);
  const station: ReportStation = {
    callLetters: said('callLetters', s.callLetters),
    name: s.name,
    soundExchangeServiceName: said('soundExchangeServiceName', s.serviceName),
    transmissionCategory: (TRANSMISSION_CATEGORIES as readonly string[]).includes(category) ? (category as TransmissionCategory) : 'A',
    band: (BANDS as readonly string[]).includes(band) ? (band as Band) : 'online',
    frequency: s.frequency?.trim() || null,
    country: said('country', s.country),
    communityOfLicense: said('communityOfLicense', s.communityOfLicense),
    timezone: s.timezone,
    bmiStationId: s.bmiStationId?.trim() || null,
    format: said('format', s.musicFormat),
    contact: {
      name: contactField('name'),
      street: contactField('street'),
      city: contactField('city'),
      region: contactField('region'),
      postalCode: contactField('postalCode'),
      phone: contactField('phone'),
      email: contactField('email'),
    },
  };
  // An AM or FM station has a frequency.
  if (station.band !== 'online' && !station.frequency) missing.push('frequency');
  return { slug: s.slug, station, missing };
}

/** The instants a period of station days covers: [first day's start, the day after the last's start). */
export function periodInstants(period: ReportPeriod, timezone: string): { from: Date; to: Date } {
  return {
    from: DateTime.fromISO(period.from, { zone: timezone }).startOf('day').toJSDate(),
    to: DateTime.fromISO(period.to, { zone: timezone }).plus({ days: 1 }).startOf('day').toJSDate(),
  };
}

interface PlayRow {
  id: string;
  source: string;
  startedAt: Date;
  endedAt: Date | null;
  playTitle: string | null;
  playArtist: string | null;
  playType: TrackType | null;
  listeners: number | null;
  entryLengthMs: number | null;
  trackId: string | null;
  type: TrackType | null;
  title: string | null;
  artist: string | null;
  album: string | null;
  label: string | null;
  isrc: string | null;
  iswc: string | null;
  upc: string | null;
  writers: string[] | null;
  publishers: string[] | null;
  language: string | null;
  maplMusic: boolean | null;
  maplArtist: boolean | null;
  maplPerformance: boolean | null;
  maplLyrics: boolean | null;
  usage: MusicUsage | null;
  instrumental: boolean | null;
  hit: boolean | null;
  contentCategory: string | null;
  lengthMs: number | null;
  cueInMs: number | null;
  cueOutMs: number | null;
  advertiser: string | null;
  campaign: string | null;
}

/** Two sources reporting one play (LibreTime's history and AzuraCast's stream): starts this close, same audio. */
const SAME_PLAY_MS = 15_000;

/**
 * Every play that started in the period, in air order, each once (a play two sources report is
 * kept once, with the listener count either gave), with its track's report data and the
 * audience at that moment: the count the stream reported for the play, else the listener
 * sessions connected when it started.
 */
export async function airedPlays(db: Knex, stationId: string, period: ReportPeriod, timezone: string): Promise<AiredPlay[]> {
  const { from, to } = periodInstants(period, timezone);
  const rows = (await db('playback_history as p')
    .leftJoin('log_entries as e', 'e.id', 'p.log_entry_id')
    .leftJoin('tracks as t', 't.id', db.raw('coalesce(p.track_id, e.track_id)'))
    .leftJoin('campaigns as c', 'c.id', 'e.campaign_id')
    .leftJoin('advertisers as a', 'a.id', 'c.advertiser_id')
    .where('p.station_id', stationId)
    .where('p.started_at', '>=', from)
    .where('p.started_at', '<', to)
    .orderBy('p.started_at')
    .orderBy('p.id')
    .select(
      db.raw('p.id::text as id'),
      'p.source',
      'p.started_at as startedAt',
      'p.ended_at as endedAt',
      'p.title as playTitle',
      'p.artist as playArtist',
      'p.type as playType',
      'p.listeners',
      'e.length_ms as entryLengthMs',
      't.id as trackId',
      't.type',
      't.title',
      't.artist',
      't.album',
      't.label',
      't.isrc',
      't.iswc',
      't.upc',
      't.writers',
      't.publishers',
      't.language',
      't.mapl_music as maplMusic',
      't.mapl_artist as maplArtist',
      't.mapl_performance as maplPerformance',
      't.mapl_lyrics as maplLyrics',
      't.usage',
      't.instrumental',
      't.hit',
      't.content_category as contentCategory',
      't.length_ms as lengthMs',
      't.cue_in_ms as cueInMs',
      't.cue_out_ms as cueOutMs',
      'a.name as advertiser',
      'c.name as campaign',
    )) as PlayRow[];

  const plays: AiredPlay[] = [];
  let previous: { play: AiredPlay; key: string; source: string } | null = null;
  for (const r of rows) {
    const startedAt = r.startedAt.getTime();
    const title = r.title ?? r.playTitle;
    const performer = r.artist ?? r.playArtist;
    const key = r.trackId ?? `${(performer ?? '').toLowerCase()}\u0000${(title ?? '').toLowerCase()}`;
    if (previous && previous.key === key && previous.source !== r.source && startedAt - previous.play.startedAt < SAME_PLAY_MS) {
      // The same play from a second source: keep one, with whichever audience figure exists.
      previous.play.listeners ??= r.listeners;
      continue;
    }
    // How long it aired: as the source said; else the log entry's length; else the track's playable part.
    const playable = r.lengthMs !== null ? (r.cueOutMs ?? r.lengthMs) - (r.cueInMs ?? 0) : null;
    const lengthMs = r.endedAt ? Math.max(0, r.endedAt.getTime() - startedAt) : (r.entryLengthMs ?? playable ?? 0);
    const mapl = [r.maplMusic, r.maplArtist, r.maplPerformance, r.maplLyrics].every((v) => v === null || v === undefined)
      ? null
      : { music: r.maplMusic, artist: r.maplArtist, performance: r.maplPerformance, lyrics: r.maplLyrics };
    const play: AiredPlay = {
      id: r.id,
      trackId: r.trackId,
      startedAt,
      lengthMs,
      // A play nobody's library knows, with only an artist and title, is taken for music (it is listed as lacking data).
      trackType: r.type ?? r.playType ?? 'MUS',
      title,
      performer,
      album: r.album,
      label: r.label,
      isrc: r.isrc,
      iswc: r.iswc,
      upc: r.upc,
      writers: r.writers ?? [],
      publishers: r.publishers ?? [],
      language: r.language,
      mapl,
      usage: r.usage,
      instrumental: r.instrumental,
      hit: r.hit,
      listeners: r.listeners,
      contentCategory: r.contentCategory,
      advertiser: r.advertiser,
      product: r.campaign,
      campaign: r.campaign,
    };
    plays.push(play);
    previous = { play, key, source: r.source };
  }
  await fillListeners(db, stationId, plays, from, to);
  return plays;
}

/**
 * Plays the stream gave no audience for take the listener sessions connected when they began
 * (a sweep over the sessions in start order). A period with no sessions at all leaves them
 * unknown (null), so a report says so instead of counting nobody.
 */
async function fillListeners(db: Knex, stationId: string, plays: AiredPlay[], from: Date, to: Date): Promise<void> {
  const unknown = plays.filter((p) => p.listeners === null);
  if (unknown.length === 0) return;
  // Sessions that could be connected during the period (the longest is a day; a little more is harmless).
  const sessions = (await db('listener_sessions')
    .where({ stationId })
    .where('connectedOn', '<', to)
    .where('connectedUntil', '>', from)
    .orderBy('connectedOn')
    .select(db.raw('extract(epoch from connected_on) * 1000 as "on"'), db.raw('extract(epoch from connected_until) * 1000 as "until"'))) as { on: string | number; until: string | number }[];
  if (sessions.length === 0) return;
  // Ends of the sessions begun so far, as a min-heap: those ended before a play started leave it.
  const ends: number[] = [];
  const push = (value: number) => {
    ends.push(value);
    for (let i = ends.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (ends[parent]! <= ends[i]!) break;
      [ends[parent], ends[i]] = [ends[i]!, ends[parent]!];
      i = parent;
    }
  };
  const pop = () => {
    const last = ends.pop()!;
    if (ends.length === 0) return;
    ends[0] = last;
    for (let i = 0; ; ) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < ends.length && ends[l]! < ends[m]!) m = l;
      if (r < ends.length && ends[r]! < ends[m]!) m = r;
      if (m === i) break;
      [ends[m], ends[i]] = [ends[i]!, ends[m]!];
      i = m;
    }
  };
  let next = 0;
  for (const play of unknown) {
    while (next < sessions.length && Number(sessions[next]!.on) <= play.startedAt) push(Number(sessions[next++]!.until));
    while (ends.length > 0 && ends[0]! <= play.startedAt) pop();
    play.listeners = ends.length;
  }
}
/** SoundExchange Aggregate Tuning Hours of a period, from the stored sessions (what AzuraCast no longer keeps included). */
export async function storedTuningHours(db: Knex, stationId: string, from: Date, to: Date): Promise<{ hours: number; sessions: number }> {
  const row = (await db('listener_sessions')
    .where({ stationId })
    .where('connectedOn', '>=', from)
    .where('connectedOn', '<', to)
    .first(db.raw('coalesce(sum(connected_seconds), 0)::bigint as seconds'), db.raw('count(*)::int as sessions'))) as { seconds: number; sessions: number };
  return { hours: Number(row.seconds) / 3600, sessions: row.sessions };
}

/** Music spins of the period by song and by artist, most played first (from the as-run, each play once). */
export async function spins(
  db: Knex,
  stationId: string,
  period: ReportPeriod,
  timezone: string,
  limit: number,
): Promise<{ plays: number; songs: { title: string; artist: string | null; trackId: string | null; spins: number }[]; artists: { artist: string; spins: number }[] }> {
  const music = (await airedPlaysLight(db, stationId, period, timezone)).filter((p) => p.type === 'MUS');
  const songs = new Map<string, { title: string; artist: string | null; trackId: string | null; spins: number }>();
  const artists = new Map<string, { artist: string; spins: number }>();
  for (const p of music) {
    const key = p.trackId ?? `${(p.artist ?? '').toLowerCase()}\u0000${(p.title ?? '').toLowerCase()}`;
    const song = songs.get(key) ?? { title: p.title ?? '(untitled)', artist: p.artist, trackId: p.trackId, spins: 0 };
    song.spins++;
    songs.set(key, song);
    if (p.artist) {
      const artistKey = p.artist.toLowerCase();
      const artist = artists.get(artistKey) ?? { artist: p.artist, spins: 0 };
      artist.spins++;
      artists.set(artistKey, artist);
    }
  }
  const top = <T extends { spins: number }>(list: T[], name: (t: T) => string) => list.sort((a, b) => b.spins - a.spins || name(a).localeCompare(name(b))).slice(0, limit);
  return { plays: music.length, songs: top([...songs.values()], (s) => s.title), artists: top([...artists.values()], (a) => a.artist) };
}

/** The period's plays with just what the charts need, each once (as airedPlays keeps them). */
async function airedPlaysLight(db: Knex, stationId: string, period: ReportPeriod, timezone: string) {
  const { from, to } = periodInstants(period, timezone);
  const rows = (await db('playback_history as p')
    .leftJoin('log_entries as e', 'e.id', 'p.log_entry_id')
    .leftJoin('tracks as t', 't.id', db.raw('coalesce(p.track_id, e.track_id)'))
    .where('p.station_id', stationId)
    .where('p.started_at', '>=', from)
    .where('p.started_at', '<', to)
    .orderBy('p.started_at')
    .orderBy('p.id')
    .select('p.source', 'p.started_at as startedAt', 't.id as trackId', db.raw('coalesce(t.type, p.type) as type'), db.raw('coalesce(t.title, p.title) as title'), db.raw('coalesce(t.artist, p.artist) as artist'))) as {
    source: string;
    startedAt: Date;
    trackId: string | null;
    type: TrackType | null;
    title: string | null;
    artist: string | null;
  }[];
  const out: { trackId: string | null; type: TrackType; title: string | null; artist: string | null }[] = [];
  let previous: { key: string; source: string; at: number } | null = null;
  for (const r of rows) {
    const key = r.trackId ?? `${(r.artist ?? '').toLowerCase()}\u0000${(r.title ?? '').toLowerCase()}`;
    const at = r.startedAt.getTime();
    if (previous && previous.key === key && previous.source !== r.source && at - previous.at < SAME_PLAY_MS) continue;
    out.push({ trackId: r.trackId, type: r.type ?? 'MUS', title: r.title, artist: r.artist });
    previous = { key, source: r.source, at };
  }
  return out;
}

/** Listener hours of each day of the period (sessions that began that day at the station); 0 where none did. */
export async function listenerHoursByDay(db: Knex, stationId: string, period: ReportPeriod, timezone: string): Promise<{ date: string; listenerHours: number; sessions: number }[]> {
  const { from, to } = periodInstants(period, timezone);
  const rows = (await db('listener_sessions')
    .where({ stationId })
    .where('connectedOn', '>=', from)
    .where('connectedOn', '<', to)
    .groupByRaw('1')
    .select(db.raw(`to_char(connected_on AT TIME ZONE ?, 'YYYY-MM-DD') as date`, [timezone]), db.raw('sum(connected_seconds)::bigint as seconds'), db.raw('count(*)::int as sessions'))) as {
    date: string;
    seconds: string | number;
    sessions: number;
  }[];
  const byDate = new Map(rows.map((r) => [r.date, r]));
  const days: { date: string; listenerHours: number; sessions: number }[] = [];
  for (let date = period.from; date <= period.to; date = addDays(date, 1)) {
    const r = byDate.get(date);
    days.push({ date, listenerHours: r ? Math.round((Number(r.seconds) / 3600) * 1000) / 1000 : 0, sessions: r?.sessions ?? 0 });
  }
  return days;
}
