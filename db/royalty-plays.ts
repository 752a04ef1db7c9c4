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

/**
 * A play as playback_history has it (its start in epoch microseconds, its end in milliseconds),
 * with its log entry's and campaign's words: read as arrays in this order (a year is 120,000
 * rows; no object per row, no renaming of its keys).
 */
type PlayRow = [
  id: string,
  source: string,
  /** Epoch microseconds (exact in a double), for the air order. */
  startedAtUs: number,
  endedAt: number | null,
  playTitle: string | null,
  playArtist: string | null,
  playType: TrackType | null,
  listeners: number | null,
  entryLengthMs: number | null,
  /** The play's track, else its log entry's. */
  trackId: string | null,
  advertiser: string | null,
  campaign: string | null,
];

/** What the library knows of a track the period's plays name (read once per track, not once per play). */
interface TrackRow {
  id: string;
  type: TrackType;
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
}

/** Two sources reporting one play (LibreTime's history and AzuraCast's stream): starts this close, same audio. */
const SAME_PLAY_MS = 15_000;

/** What makes two plays the same recording: the library's track, else the artist and title as played. */
const recordingKey = (trackId: string | null, performer: string | null, title: string | null) => trackId ?? `${(performer ?? '').toLowerCase()}\u0000${(title ?? '').toLowerCase()}`;

/** An instant as epoch milliseconds (a float8 the driver parses cheaply, not a Date per row). */
const epochMs = (column: string) => `floor(extract(epoch from ${column}) * 1000)::float8`;
/** An instant as epoch microseconds, PostgreSQL's own precision (below 2^53: exact in a float8). */
const epochUs = (column: string) => `(extract(epoch from ${column}) * 1000000)::float8`;

/**
 * Every play that started in the period, in air order, each once (a play two sources report is
 * kept once, with the listener count either gave), with its track's report data and the
 * audience at that moment: the count the stream reported for the play, else the listener
 * sessions connected when it started.
 *
 * A year is about 120,000 plays: the plays are read narrow (no track columns repeated on each),
 * and the tracks they name once each, both at the same time; a play shares its track's lists.
 */
export async function airedPlays(db: Knex, stationId: string, period: ReportPeriod, timezone: string, options: { audience?: boolean } = {}): Promise<AiredPlay[]> {
  const { from, to } = periodInstants(period, timezone);
  const inPeriod = (q: Knex.QueryBuilder) => q.where('p.station_id', stationId).where('p.started_at', '>=', from).where('p.started_at', '<', to);
  const [rows, trackRows] = (await Promise.all([
    inPeriod(
      db('playback_history as p')
        .leftJoin('log_entries as e', 'e.id', 'p.log_entry_id')
        .leftJoin('campaigns as c', 'c.id', 'e.campaign_id')
        .leftJoin('advertisers as a', 'a.id', 'c.advertiser_id'),
    )
      .select(
        db.raw('p.id::text as id'),
        'p.source',
        db.raw(`${epochUs('p.started_at')} as "startedAtUs"`),
        db.raw(`${epochMs('p.ended_at')} as "endedAt"`),
        'p.title as playTitle',
        'p.artist as playArtist',
        'p.type as playType',
        'p.listeners',
        'e.length_ms as entryLengthMs',
        db.raw('coalesce(p.track_id, e.track_id)::text as "trackId"'),
        'a.name as advertiser',
        'c.name as campaign',
      )
      .options({ rowMode: 'array' }),
    db('tracks as t')
      .whereIn(
        't.id',
        inPeriod(db('playback_history as p').leftJoin('log_entries as e', 'e.id', 'p.log_entry_id')).distinct(db.raw('coalesce(p.track_id, e.track_id)')),
      )
      .select(
        db.raw('t.id::text as id'),
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
      ),
  ])) as [PlayRow[], TrackRow[]];

  // Each track's part of a play, worked out once.
  const tracks = new Map(
    trackRows.map((t) => [
      t.id,
      {
        t,
        playable: t.lengthMs !== null ? (t.cueOutMs ?? t.lengthMs) - (t.cueInMs ?? 0) : null,
        writers: t.writers ?? [],
        publishers: t.publishers ?? [],
        mapl: [t.maplMusic, t.maplArtist, t.maplPerformance, t.maplLyrics].every((v) => v === null || v === undefined)
          ? null
          : { music: t.maplMusic, artist: t.maplArtist, performance: t.maplPerformance, lyrics: t.maplLyrics },
      },
    ]),
  );
  const NO_NAMES: readonly string[] = [];

  const plays: AiredPlay[] = [];
  // The last play kept, its key and source: a second source's report of it follows it closely.
  let previous: AiredPlay | null = null;
  let previousKey = '';
  let previousSource = '';
  // Air order (started_at, then id) is put here rather than by the server: a year's rows are wider
  // than its sort memory (it would sort them on disk), and come nearly in order, which sorts fast.
  rows.sort((a, b) => a[2] - b[2] || Number(a[0]) - Number(b[0]));
  for (const [id, source, startedAtUs, endedAt, playTitle, playArtist, playType, listeners, entryLengthMs, playTrackId, advertiser, campaign] of rows) {
    const startedAt = Math.floor(startedAtUs / 1000);
    const track = playTrackId === null ? undefined : tracks.get(playTrackId);
    const t = track?.t;
    const trackId = t ? t.id : null;
    const title = t?.title ?? playTitle;
    const performer = t?.artist ?? playArtist;
    const key = recordingKey(trackId, performer, title);
    if (previous && previousKey === key && previousSource !== source && startedAt - previous.startedAt < SAME_PLAY_MS) {
      // The same play from a second source: keep one, with whichever audience figure exists.
      previous.listeners ??= listeners;
      continue;
    }
    // How long it aired: as the source said; else the log entry's length; else the track's playable part.
    const lengthMs = endedAt !== null ? Math.max(0, endedAt - startedAt) : (entryLengthMs ?? track?.playable ?? 0);
    const play: AiredPlay = {
      id,
      trackId,
      startedAt,
      lengthMs,
      // A play nobody's library knows, with only an artist and title, is taken for music (it is listed as lacking data).
      trackType: t?.type ?? playType ?? 'MUS',
      title,
      performer,
      album: t?.album ?? null,
      label: t?.label ?? null,
      isrc: t?.isrc ?? null,
      iswc: t?.iswc ?? null,
      upc: t?.upc ?? null,
      writers: track?.writers ?? NO_NAMES,
      publishers: track?.publishers ?? NO_NAMES,
      language: t?.language ?? null,
      mapl: track?.mapl ?? null,
      usage: t?.usage ?? null,
      instrumental: t?.instrumental ?? null,
      hit: t?.hit ?? null,
      listeners,
      contentCategory: t?.contentCategory ?? null,
      advertiser,
      product: campaign,
      campaign,
    };
    plays.push(play);
    previous = play;
    previousKey = key;
    previousSource = source;
  }
  // (The charts count plays only: no audience to look up for them.)
  if (options.audience ?? true) await fillListeners(db, stationId, plays, from, to);
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
    .select(db.raw(epochMs('connected_on')), db.raw(epochMs('connected_until')))
    .options({ rowMode: 'array' })) as [on: number, until: number][];
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
    while (next < sessions.length && sessions[next]![0] <= play.startedAt) push(sessions[next++]![1]);
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
  const music = (await airedPlays(db, stationId, period, timezone, { audience: false })).filter((p) => p.trackType === 'MUS');
  const songs = new Map<string, { title: string; artist: string | null; trackId: string | null; spins: number }>();
  const artists = new Map<string, { artist: string; spins: number }>();
  for (const p of music) {
    const key = recordingKey(p.trackId, p.performer, p.title);
    const song = songs.get(key) ?? { title: p.title ?? '(untitled)', artist: p.performer, trackId: p.trackId, spins: 0 };
    song.spins++;
    songs.set(key, song);
    if (p.performer) {
      const artistKey = p.performer.toLowerCase();
      const artist = artists.get(artistKey) ?? { artist: p.performer, spins: 0 };
      artist.spins++;
      artists.set(artistKey, artist);
    }
  }
  const top = <T extends { spins: number }>(list: T[], name: (t: T) => string) => list.sort((a, b) => b.spins - a.spins || name(a).localeCompare(name(b))).slice(0, limit);
  return { plays: music.length, songs: top([...songs.values()], (s) => s.title), artists: top([...artists.values()], (a) => a.artist) };
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
