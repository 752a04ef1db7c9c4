// Benchmark of the royalty files (issue 14: a station-year of as-run, about 120,000 plays → a
// SoundExchange report in ≤ 2 s and a BMI file in ≤ 2 s). Two stages, each printed; it is not a test.
//
// 1. Pure (the writers only, no database): a month of a busy station's plays — 120,000,
//    three-quarters music from a 6,000-song library with accents, missing ISRCs and labels, and
//    listeners at each play — written as the SoundExchange census Report of Use (aggregated per
//    recording) and the BMI EMR file (a record per music play).
// 2. End to end (what a station waits for): a station-year — 2025-12-01 … 2026-11-30 in
//    America/Denver, both DST changes — of 120,000 AzuraCast plays stored in PostgreSQL with
//    their listeners (some without, so the listener-session sweep runs), a 6,000-track library
//    with its report data (some lacking ISRC or label), then prepareRoyaltyFile for the census
//    and for BMI: the load (station and plays from the database), the write (what the plays lack,
//    and the file) and the total, each against the 2 s target.
//
// The database: the embedded PostgreSQL in a temporary directory, or, with DATABASE_URL, a
// database `librelog_bench_royalty` made on that server for the run and dropped after it.
// Run: npm run bench:royalty   (STAGE=pure or STAGE=e2e runs one stage)
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Knex } from 'knex';
import { DateTime } from 'luxon';
import { importStationBundle } from '../db/bundle-import.js';
import { startEmbeddedPostgres, type EmbeddedPostgresServer } from '../db/embedded-postgres.js';
import { createDb, ensureDatabase, migrateToLatest, withDatabase } from '../db/knex.js';
import { airedPlays, reportStation } from '../db/royalty-plays.js';
import { prepareRoyaltyFile, royaltyReport, type RoyaltyFileInputs } from '../reports/royalty-files.js';
import { smallStationBundle } from '../test/fixtures/bundles.js';
import { freePort } from '../test/support/ports.js';
import { bmiEmr, soundExchangeMissing, soundExchangeReport, type AiredPlay, type ReportStation } from '../domain/royalty/index.js';
import type { TrackType } from '../domain/vocabulary.js';

const PLAYS = 120_000;
const SONGS = 6_000;
const RUNS = 5;
const TARGET_MS = 2_000;

function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1_664_525 + 1_013_904_223) >>> 0;
    return s / 2 ** 32;
  };
}

const station: ReportStation = {
  callLetters: 'KXYZ-FM',
  name: 'KXYZ Community Radio',
  soundExchangeServiceName: 'KXYZ-FM',
  transmissionCategory: 'B',
  band: 'FM',
  frequency: '91.5 MHz',
  country: 'US',
  communityOfLicense: 'Durango, Colorado',
  timezone: 'America/Denver',
  bmiStationId: null,
  format: 'Variety',
  contact: { name: 'Pat Lee', street: '100 Main Ave', city: 'Durango', region: 'CO', postalCode: '81301', phone: '970-555-0100', email: 'music@kxyz.org' },
};
// October: the month the clocks fall back (31 days, one of 25 hours).
const period = { from: '2026-10-01', to: '2026-10-31' };

function plays(): AiredPlay[] {
  const rand = random(14);
  const songs = Array.from({ length: SONGS }, (_, i) => ({
    title: i % 17 === 0 ? `Canción número ${i}` : `Song ${i}`,
    performer: i % 23 === 0 ? `Beyoncé & Røyksopp ${i % 50}` : `Artist ${i % 900}`,
    album: `Album ${i % 1500}`,
    label: i % 41 === 0 ? null : `Label ${i % 120}`,
    isrc: i % 9 === 0 ? null : `US-ABC-26-${String(i).padStart(5, '0')}`,
    writers: i % 31 === 0 ? [] : [`Writer ${i % 700}`, `Writer ${(i * 7) % 700}`],
  }));
  const start = Date.parse('2026-10-01T06:00:00Z'); // midnight MDT
  const step = Math.floor((31 * 86_400_000) / PLAYS);
  const types: TrackType[] = ['ADV', 'LIN', 'PSA', 'PRO', 'BED', 'VT', 'INT'];
  const out: AiredPlay[] = [];
  for (let i = 0; i < PLAYS; i++) {
    const music = rand() < 0.75;
    const song = songs[Math.floor(rand() * SONGS)]!;
    out.push({
      id: `play-${i}`,
      trackId: `track-${i % SONGS}`,
      startedAt: start + i * step,
      lengthMs: music ? 150_000 + Math.floor(rand() * 120_000) : 30_000,
      trackType: music ? 'MUS' : types[i % types.length]!,
      title: music ? song.title : `Spot ${i % 300}`,
      performer: music ? song.performer : null,
      album: music ? song.album : null,
      label: music ? song.label : null,
      isrc: music ? song.isrc : null,
      iswc: null,
      upc: null,
      writers: music ? song.writers : [],
      publishers: [],
      language: 'en',
      mapl: null,
      usage: null,
      listeners: rand() < 0.01 ? null : Math.floor(rand() * 400),
      contentCategory: music ? '21' : null,
    });
  }
  return out;
}

const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
function time(make: () => { rows: number; body: string | Buffer }) {
  make(); // warm up
  const times: number[] = [];
  let last = make();
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    last = make();
    times.push(performance.now() - t0);
  }
  return { median: median(times), worst: Math.max(...times), rows: last.rows, bytes: Buffer.byteLength(last.body) };
}

/** Stage 1: the writers alone, on a month of plays made in memory. */
function pureStage() {
  const data = plays();
  const music = data.filter((p) => p.trackType === 'MUS' || p.trackType === 'BED').length;
  console.log(`royalty files: ${PLAYS} plays (${music} music: MUS and BED), ${SONGS} songs, ${period.from} to ${period.to}, ${station.timezone}`);
  const atp = time(() => soundExchangeReport(station, data, period, { form: { kind: 'ATP' }, headers: true, generatedOn: '2026-11-15' }));
  const missing = soundExchangeMissing(station, data, period, 'ATP').length;
  console.log(`SoundExchange ATP (with headers): median ${atp.median.toFixed(0)} ms, worst ${atp.worst.toFixed(0)} ms over ${RUNS} runs — ${atp.rows} recordings, ${missing} plays listed as lacking data, ${(atp.bytes / 1024).toFixed(0)} KiB`);
  const emr = time(() => bmiEmr(station, data, period, { createdAt: Date.parse('2026-11-15T17:00:00Z') }));
  console.log(`BMI EMR: median ${emr.median.toFixed(0)} ms, worst ${emr.worst.toFixed(0)} ms over ${RUNS} runs — ${emr.rows} FMDT records, ${(emr.bytes / 1024 / 1024).toFixed(1)} MiB`);
  console.log(atp.worst <= TARGET_MS && emr.worst <= TARGET_MS ? `within target (≤ ${TARGET_MS} ms each)` : 'OVER TARGET');
}

// ---------------------------------------------------------------------------------------------
// Stage 2: end to end, from PostgreSQL.

const YEAR = { from: '2025-12-01', to: '2026-11-30' };
const ZONE = 'America/Denver';
const E2E_RUNS = 3;
/** Listener sessions a day (a small community stream: about 150 connections, most under an hour). */
const SESSIONS_PER_DAY = 150;
/** Days the stream reported no listener counts at all (its statistics were down): their plays take the sessions. */
const OUTAGE_DAYS = ['2026-03-08', '2026-07-04'];
const BATCH = 4_000;

async function insertBatches(db: Knex, table: string, rows: Record<string, unknown>[]) {
  for (let i = 0; i < rows.length; i += BATCH) await db(table).insert(rows.slice(i, i + BATCH));
}

/** The station (a bundle import, then its identity), its 6,000-track library and a year of as-run and sessions. */
async function seedStationYear(db: Knex): Promise<{ stationId: string; sessions: number; unknownListeners: number }> {
  const bundle = smallStationBundle();
  const { stationId } = await importStationBundle(db, { ...bundle, station: { ...bundle.station, slug: 'kxyz', name: 'KXYZ Community Radio', timezone: ZONE } });
  await db('stations')
    .where({ id: stationId })
    .update({
      callLetters: 'KXYZ-FM',
      serviceName: 'KXYZ-FM',
      transmissionCategory: 'B',
      band: 'FM',
      frequency: '91.5 MHz',
      country: 'US',
      communityOfLicense: 'Durango, Colorado',
      musicFormat: 'Variety',
      contact: JSON.stringify({ name: 'Pat Lee', street: '100 Main Ave', city: 'Durango', region: 'CO', postalCode: '81301', phone: '+1 970 555 0100', email: 'music@kxyz.example' }),
    });

  // The library: 5,400 songs and 100 beds with their report data, 500 spots, IDs, promos and the like.
  const rand = random(2026);
  const others: TrackType[] = ['ADV', 'ADV', 'PSA', 'LIN', 'PRO', 'VT', 'INT'];
  const tracks = Array.from({ length: SONGS }, (_, i) => {
    const type: TrackType = i < 5_400 ? 'MUS' : i < 5_500 ? 'BED' : others[i % others.length]!;
    const music = type === 'MUS' || type === 'BED';
    const lengthMs = music ? 150_000 + Math.floor(rand() * 150_000) : type === 'LIN' ? 10_000 : 30_000;
    return {
      stationId,
      ref: `bench-${i}`,
      type,
      title: !music ? `Spot ${i}` : i % 17 === 0 ? `Canción número ${i}` : `Song ${i}`,
      artist: !music ? null : i % 23 === 0 ? `Beyoncé & Røyksopp ${i % 50}` : `Artist ${i % 900}`,
      album: music && i % 13 !== 0 ? `Album ${i % 1500}` : null,
      label: music && i % 41 !== 0 ? `Label ${i % 120}` : null,
      isrc: music && i % 9 !== 0 ? `US${'ABCDEFGHJK'[i % 10]}${'XYZ'[i % 3]}Q${String(20 + (i % 7))}${String(i).padStart(5, '0')}` : null,
      writers: music && i % 31 !== 0 ? [`Writer ${i % 700}`, `Writer ${(i * 7) % 700}`] : [],
      publishers: music && i % 37 !== 0 ? [`Publisher ${i % 200}`] : [],
      language: music ? (i % 17 === 0 ? 'es' : 'en') : null,
      usage: type === 'BED' ? 'background' : music ? 'feature' : null,
      lengthMs,
      cueInMs: music ? 250 : 0,
      cueOutMs: music ? lengthMs - 1_000 : null,
    };
  });
  const trackIds: { id: string; type: TrackType; lengthMs: number }[] = [];
  for (let i = 0; i < tracks.length; i += BATCH) {
    trackIds.push(...((await db('tracks').insert(tracks.slice(i, i + BATCH)).returning(['id', 'type', 'lengthMs'])) as typeof trackIds));
  }
  const music = trackIds.filter((t) => t.type === 'MUS');
  const beds = trackIds.filter((t) => t.type === 'BED');
  const spots = trackIds.filter((t) => t.type !== 'MUS' && t.type !== 'BED');

  // The as-run: 120,000 plays spread evenly over the year's instants (the 23- and 25-hour days too).
  const from = DateTime.fromISO(YEAR.from, { zone: ZONE }).startOf('day').toMillis();
  const to = DateTime.fromISO(YEAR.to, { zone: ZONE }).plus({ days: 1 }).startOf('day').toMillis();
  const step = Math.floor((to - from) / PLAYS);
  const outages = OUTAGE_DAYS.map((d) => [DateTime.fromISO(d, { zone: ZONE }).toMillis(), DateTime.fromISO(d, { zone: ZONE }).plus({ days: 1 }).toMillis()] as const);
  let unknownListeners = 0;
  const plays: Record<string, unknown>[] = [];
  for (let i = 0; i < PLAYS; i++) {
    const startedAt = from + i * step + Math.floor(rand() * 5_000);
    const pick = rand();
    const track = pick < 0.74 ? music[Math.floor(rand() * music.length)]! : pick < 0.76 ? beds[Math.floor(rand() * beds.length)]! : spots[Math.floor(rand() * spots.length)]!;
    const down = outages.some(([a, b]) => startedAt >= a && startedAt < b) || rand() < 0.01;
    if (down) unknownListeners++;
    plays.push({
      stationId,
      source: 'azuracast',
      externalId: `sh-${i}`,
      trackId: track.id,
      startedAt: new Date(startedAt),
      endedAt: new Date(startedAt + Math.min(track.lengthMs, step)),
      listeners: down ? null : 5 + Math.floor(rand() * 120),
    });
  }
  await insertBatches(db, 'playback_history', plays);

  // Listener sessions over the whole year, as AzuraCast's listener report gives them.
  const sessions: Record<string, unknown>[] = [];
  const days = Math.round((to - from) / 86_400_000);
  for (let n = 0; n < days * SESSIONS_PER_DAY; n++) {
    const connectedOn = from + Math.floor(rand() * (to - from));
    const seconds = 60 + Math.floor(rand() * rand() * 4 * 3600);
    sessions.push({
      stationId,
      sessionKey: `s-${n}`,
      connectedOn: new Date(connectedOn),
      connectedUntil: new Date(connectedOn + seconds * 1000),
      connectedSeconds: seconds,
      mountName: '/radio.mp3',
    });
  }
  await insertBatches(db, 'listener_sessions', sessions);
  await db.raw('ANALYZE tracks, playback_history, listener_sessions');
  return { stationId, sessions: sessions.length, unknownListeners };
}

interface E2eFigures {
  load: number[];
  write: number[];
  total: number[];
  rows: number;
  lacking: number;
  plays: number;
  bytes: number;
  fileName: string;
}

/** Times `id` for the year: prepareRoyaltyFile whole (the total), and its two halves on their own. */
async function timeReport(db: Knex, stationId: string, id: 'soundexchange-census' | 'bmi'): Promise<E2eFigures> {
  const report = royaltyReport(id)!;
  const figures: E2eFigures = { load: [], write: [], total: [], rows: 0, lacking: 0, plays: 0, bytes: 0, fileName: '' };
  for (let run = 0; run <= E2E_RUNS; run++) {
    // The load: the station and its plays of the year (with the listener-session sweep).
    let t0 = performance.now();
    const station = await reportStation(db, stationId);
    const plays = await airedPlays(db, stationId, YEAR, station.station.timezone);
    const load = performance.now() - t0;
    // The write: what the plays lack, and the file.
    t0 = performance.now();
    const inputs: RoyaltyFileInputs = { station: station.station, plays, period: YEAR, now: new Date('2026-12-02T17:00:00Z'), headers: true };
    const lacking = report.missing(inputs);
    const file = await report.write(inputs);
    const write = performance.now() - t0;
    // What the API and the Schedule call: both together.
    t0 = performance.now();
    const prepared = await prepareRoyaltyFile(db, stationId, report, YEAR, { now: new Date('2026-12-02T17:00:00Z') });
    const total = performance.now() - t0;
    if (!prepared.file) throw new Error(`${id}: the station lacks ${prepared.lacking.join(', ')}`);
    if (prepared.file.rows !== file.rows || prepared.missing.length !== lacking.length) throw new Error(`${id}: the two ways disagree`);
    if (run === 0) continue; // warm-up
    figures.load.push(load);
    figures.write.push(write);
    figures.total.push(total);
    Object.assign(figures, { rows: file.rows, lacking: lacking.length, plays: plays.length, bytes: Buffer.byteLength(file.body), fileName: file.fileName });
  }
  return figures;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/** Stage 2: a station-year in PostgreSQL → prepareRoyaltyFile for the census and BMI. */
async function endToEndStage(): Promise<void> {
  const external = process.env.DATABASE_URL;
  let postgres: EmbeddedPostgresServer | null = null;
  let dataDir: string | null = null;
  let serverUrl: string;
  if (external) {
    serverUrl = external;
  } else {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'librelog-bench-royalty-'));
    await chmod(dataDir, 0o755);
    postgres = await startEmbeddedPostgres({ dataDir, port: await freePort(), persistent: false });
    serverUrl = postgres.serverUrl;
  }
  const database = 'librelog_bench_royalty';
  await ensureDatabase(serverUrl, database);
  const db = createDb(withDatabase(serverUrl, database), { pool: { min: 1, max: 4 } });
  try {
    await migrateToLatest(db);
    const t0 = performance.now();
    const seeded = await seedStationYear(db);
    console.log(
      `\nend to end: ${PLAYS.toLocaleString('en')} AzuraCast plays in PostgreSQL, ${YEAR.from} to ${YEAR.to} (${ZONE}, both DST changes), a ${SONGS.toLocaleString('en')}-track library; ` +
        `${seeded.unknownListeners.toLocaleString('en')} plays without a listener count take the ${seeded.sessions.toLocaleString('en')} listener sessions — stored in ${seconds(performance.now() - t0)}`,
    );
    for (const [id, name] of [['soundexchange-census', 'SoundExchange census (ATP, with headers)'], ['bmi', 'BMI EMR']] as const) {
      const f = await timeReport(db, seeded.stationId, id);
      const ok = Math.max(...f.total) <= TARGET_MS;
      const size = f.bytes >= 1024 * 1024 ? `${(f.bytes / 1024 / 1024).toFixed(1)} MiB` : `${(f.bytes / 1024).toFixed(0)} KiB`;
      console.log(
        `${name}: load ${seconds(median(f.load))}, write ${seconds(median(f.write))}, total ${seconds(median(f.total))} (median of ${E2E_RUNS}; worst total ${seconds(Math.max(...f.total))}) — ` +
          `${f.plays.toLocaleString('en')} plays, ${f.rows.toLocaleString('en')} rows, ${f.lacking.toLocaleString('en')} plays lacking data, ${f.fileName} ${size} — ${ok ? `within target (≤ ${TARGET_MS / 1000} s)` : 'OVER TARGET'}`,
      );
    }
  } finally {
    await db.destroy();
    if (external) {
      const { default: pg } = await import('pg');
      const url = new URL(serverUrl);
      url.pathname = '/postgres';
      const client = new pg.Client({ connectionString: url.toString() });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      await client.end();
    }
    await postgres?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  }
}

const stage = process.env.STAGE;
if (stage !== 'e2e') pureStage();
if (stage !== 'pure') await endToEndStage();
