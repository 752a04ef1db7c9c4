// Benchmark of reconciliation (issue 13): a day of 600 entries against its as-run, with noise —
// spots missed, substituted, moved, cut short, played late, plays matched by entry id, track,
// media id or only artist and title, and plays no entry asked for. Pure: no database, no Temporal.
// Prints the time (target ≤ 200 ms a day) and the outcome counts; it is not a test.
// Run: npm run bench:reconcile
import { performance } from 'node:perf_hooks';
import type { AsRunPlay, ReconciledDay, ScheduledEntry } from '../domain/reconciliation/index.js';
import { broadcastDayPeriod, campaignTotals, makeGoodsOwed, reconcileDay } from '../domain/reconciliation/index.js';
import type { TrackType } from '../domain/vocabulary.js';

const ENTRIES = 600;
const RUNS = 50;
const TARGET_MS = 200;

/** The same day every run: a seeded generator. */
function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1_664_525 + 1_013_904_223) >>> 0;
    return s / 2 ** 32;
  };
}

function benchDay() {
  const rand = random(13);
  const day = broadcastDayPeriod('2026-11-01', 'America/New_York'); // the 25-hour day
  const entries: ScheduledEntry[] = [];
  const plays: AsRunPlay[] = [];
  const step = Math.floor((day.endsAt - day.startsAt) / ENTRIES);
  const types: TrackType[] = ['MUS', 'MUS', 'MUS', 'ADV', 'ADV', 'PSA', 'LIN', 'PRO', 'VT', 'BED'];
  for (let i = 0; i < ENTRIES; i++) {
    const type = types[i % types.length]!;
    const isSpot = type === 'ADV';
    const track = isSpot ? `copy-${Math.floor(rand() * 40)}` : `track-${Math.floor(rand() * 400)}`;
    const entry: ScheduledEntry = {
      id: `entry-${i}`,
      position: i + 1,
      type,
      startsAt: day.startsAt + i * step,
      lengthMs: isSpot ? 30_000 : type === 'MUS' ? 180_000 + Math.floor(rand() * 60_000) : 20_000,
      trackId: track,
      campaignId: isSpot ? `campaign-${Math.floor(rand() * 25)}` : null,
      title: `Title ${track}`,
      artist: type === 'MUS' ? `Artist ${track}` : null,
      mediaIds: [`media-${track}`],
      makeGoodOf: isSpot && rand() < 0.05 ? `missed-${i}` : null,
      hardStart: type === 'LIN',
      period: rand() < 0.02 ? 'live_show' : null,
    };
    entries.push(entry);
    const fate = rand();
    const jitter = Math.round((rand() - 0.4) * 180_000); // mostly within ±90 s, some late beyond the tolerance
    const by = rand();
    const key: Partial<AsRunPlay> =
      by < 0.3 ? { entryId: entry.id, trackId: track } : by < 0.7 ? { trackId: track } : by < 0.9 ? { mediaId: `media-${track}` } : { title: entry.title.toUpperCase(), artist: entry.artist };
    const source = (['libretime', 'azuracast', 'file'] as const)[i % 3]!;
    const base: AsRunPlay = { id: `play-${i}`, source, startedAt: entry.startsAt + jitter, durationMs: entry.lengthMs, type, ...key };
    if (fate < 0.03 || entry.period) continue; // missed, or in a live show playout does not air
    if (fate < 0.06) plays.push({ id: `play-${i}`, source, startedAt: entry.startsAt + 5_000, durationMs: entry.lengthMs, trackId: `other-${i}`, type });
    else if (fate < 0.08) plays.push({ ...base, startedAt: day.startsAt + Math.floor(rand() * (day.endsAt - day.startsAt)) });
    else if (fate < 0.11) plays.push({ ...base, durationMs: Math.floor(entry.lengthMs / 2) });
    else plays.push(base);
  }
  for (let i = 0; i < 40; i++) plays.push({ id: `extra-${i}`, source: 'azuracast', startedAt: day.startsAt + Math.floor(rand() * (day.endsAt - day.startsAt)), title: `Unscheduled ${i}`, artist: 'Someone' });
  return { day, entries, plays, interruptions: [{ kind: 'live_takeover' as const, startsAt: day.startsAt + 20 * 3_600_000, endsAt: day.startsAt + 20.5 * 3_600_000 }] };
}

const input = benchDay();
const times: number[] = [];
let result: ReconciledDay | undefined;
for (let run = 0; run < RUNS + 5; run++) {
  const started = performance.now();
  const day = reconcileDay(input);
  const owed = makeGoodsOwed(day.state === 'reconciled' ? day.outcomes : []);
  const totals = campaignTotals(day.state === 'reconciled' ? day.outcomes : []);
  const ms = performance.now() - started;
  if (run >= 5) times.push(ms); // the first runs warm the JIT up
  if (day.state !== 'reconciled' || owed.owed.length < 0 || totals.length < 0) throw new Error('the bench day should reconcile');
  result = day;
}
times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)]!;
const worst = times[times.length - 1]!;
const day = result!;
const owed = makeGoodsOwed(day.outcomes);
const totals = campaignTotals(day.outcomes);
const sum = (k: keyof (typeof totals)[number]) => totals.reduce((n, t) => n + (t[k] as number), 0);

console.log(`Reconciliation of a day of ${input.entries.length} entries against ${input.plays.length} plays (${RUNS} runs, the 25-hour day):`);
console.log(`  time           median ${median.toFixed(1)} ms, slowest ${worst.toFixed(1)} ms   target ≤ ${TARGET_MS} ms   ${median <= TARGET_MS ? 'met' : 'NOT MET'}`);
console.log(`  outcomes       ${Object.entries(day.counts).map(([k, n]) => `${k} ${n}`).join(', ')}`);
console.log(`  on time        ${day.outcomes.filter((o) => 'timing' in o && o.timing === 'on_time').length}, early ${day.outcomes.filter((o) => 'timing' in o && o.timing === 'early').length}, late ${day.outcomes.filter((o) => 'timing' in o && o.timing === 'late').length}`);
console.log(`  campaigns      ${totals.length}: placed ${sum('placed')}, aired ${sum('aired')}, moved ${sum('moved')}, partially ${sum('partiallyAired')}, missed ${sum('missed')} (substituted ${sum('substituted')}), not due ${sum('notDue')}, make-goods placed ${sum('makeGoodsPlaced')}, made good ${sum('madeGood')}`);
console.log(`  make-goods     owed ${owed.owed.length}`);
