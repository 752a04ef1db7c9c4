// Benchmark of the royalty files (issue 14): a month of a busy station's plays — 120,000,
// three-quarters music from a 6,000-song library with accents, missing ISRCs and labels, and
// listeners at each play — written as the SoundExchange census Report of Use (aggregated per
// recording) and the BMI EMR file (a record per music play). Pure: no database, no server
// (the plays are what db/royalty-plays.ts returns). Prints the time of each (target ≤ 2 s)
// and its rows; it is not a test.
// Run: node --import tsx bench/royalty.bench.ts
import { performance } from 'node:perf_hooks';
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

const data = plays();
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

const music = data.filter((p) => p.trackType === 'MUS' || p.trackType === 'BED').length;
console.log(`royalty files: ${PLAYS} plays (${music} music: MUS and BED), ${SONGS} songs, ${period.from} to ${period.to}, ${station.timezone}`);
const atp = time(() => soundExchangeReport(station, data, period, { form: { kind: 'ATP' }, headers: true, generatedOn: '2026-11-15' }));
const missing = soundExchangeMissing(station, data, period, 'ATP').length;
console.log(`SoundExchange ATP (with headers): median ${atp.median.toFixed(0)} ms, worst ${atp.worst.toFixed(0)} ms over ${RUNS} runs — ${atp.rows} recordings, ${missing} plays listed as lacking data, ${(atp.bytes / 1024).toFixed(0)} KiB`);
const emr = time(() => bmiEmr(station, data, period, { createdAt: Date.parse('2026-11-15T17:00:00Z') }));
console.log(`BMI EMR: median ${emr.median.toFixed(0)} ms, worst ${emr.worst.toFixed(0)} ms over ${RUNS} runs — ${emr.rows} FMDT records, ${(emr.bytes / 1024 / 1024).toFixed(1)} MiB`);
console.log(atp.worst <= TARGET_MS && emr.worst <= TARGET_MS ? `within target (≤ ${TARGET_MS} ms each)` : 'OVER TARGET');
