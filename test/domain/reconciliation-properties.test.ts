// Reconciliation over many made-up days (fast-check): every entry gets exactly one outcome, no
// play is matched twice, every play of the day is some entry's or unscheduled, totals add up,
// make-goods are owed once, and the order the as-run comes in changes nothing.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AsRunPlay, ReconciledDay, ScheduledEntry } from '../../domain/reconciliation/index.js';
import { broadcastDayPeriod, campaignTotals, makeGoodsOwed, reconcileDay } from '../../domain/reconciliation/index.js';
import { TRACK_TYPES } from '../../domain/vocabulary.js';

const ZONES = ['America/Phoenix', 'America/New_York', 'Europe/Berlin', 'Australia/Lord_Howe'];
const DATES = ['2026-03-08', '2026-03-29', '2026-04-05', '2026-06-15', '2026-10-04', '2026-10-25', '2026-11-01'];

const plan = fc.record({
  zone: fc.constantFrom(...ZONES),
  date: fc.constantFrom(...DATES),
  entries: fc.array(
    fc.record({
      type: fc.constantFrom(...TRACK_TYPES),
      lengthS: fc.integer({ min: 5, max: 300 }),
      track: fc.integer({ min: 0, max: 12 }),
      campaign: fc.option(fc.integer({ min: 0, max: 3 })),
      makeGood: fc.boolean(),
      hardStart: fc.boolean(),
      period: fc.option(fc.constantFrom('live_show' as const, 'outside_programme' as const), { freq: 8 }),
      fate: fc.constantFrom('aired', 'aired', 'aired', 'missed', 'substituted', 'moved', 'short', 'twice'),
      offsetS: fc.integer({ min: -400, max: 400 }),
      carriesId: fc.boolean(),
      by: fc.constantFrom('track', 'media', 'title'),
    }),
    { minLength: 1, maxLength: 60 },
  ),
  noise: fc.array(fc.record({ atS: fc.integer({ min: -600, max: 90_000 }), track: fc.integer({ min: 0, max: 20 }), type: fc.option(fc.constantFrom(...TRACK_TYPES)), open: fc.boolean() }), { maxLength: 20 }),
  startHour: fc.integer({ min: 0, max: 20 }),
  seed: fc.integer(),
});

type Plan = typeof plan extends fc.Arbitrary<infer T> ? T : never;

function dayOf(p: Plan) {
  const day = broadcastDayPeriod(p.date, p.zone);
  const entries: ScheduledEntry[] = [];
  const plays: AsRunPlay[] = [];
  let t = day.startsAt + p.startHour * 3_600_000;
  p.entries.forEach((e, i) => {
    const entry: ScheduledEntry = {
      id: `e${i}`,
      position: i + 1,
      type: e.type,
      startsAt: t,
      lengthMs: e.lengthS * 1000,
      trackId: `t${e.track}`,
      campaignId: e.campaign === null ? null : `c${e.campaign}`,
      title: `Title ${e.track}`,
      artist: e.track % 2 ? `Artist ${e.track}` : null,
      mediaIds: [`m${e.track}`],
      makeGoodOf: e.makeGood && e.campaign !== null ? `old${i}` : null,
      hardStart: e.hardStart,
      period: e.period,
    };
    entries.push(entry);
    t += entry.lengthMs;
    const id = `p${i}`;
    const key = e.by === 'track' ? { trackId: entry.trackId } : e.by === 'media' ? { mediaId: `m${e.track}` } : { title: entry.title.toUpperCase(), artist: entry.artist };
    const base: AsRunPlay = { id, source: 'libretime', startedAt: entry.startsAt + e.offsetS * 1000, durationMs: entry.lengthMs, ...key, entryId: e.carriesId ? entry.id : null, type: entry.type === 'LIVE' ? null : entry.type };
    if (e.fate === 'aired') plays.push(base);
    if (e.fate === 'short') plays.push({ ...base, durationMs: Math.floor(entry.lengthMs / 3) });
    if (e.fate === 'twice') plays.push(base, { ...base, id: `${id}b`, startedAt: base.startedAt + 60_000 });
    if (e.fate === 'moved') plays.push({ ...base, startedAt: day.startsAt + Math.abs(p.seed % (day.endsAt - day.startsAt)) });
    if (e.fate === 'substituted') plays.push({ id, source: 'file', startedAt: entry.startsAt + (e.offsetS % 60) * 1000, trackId: `other${e.track}`, type: entry.type === 'LIVE' ? null : entry.type, title: 'Something else' });
  });
  p.noise.forEach((n, i) =>
    plays.push({ id: `n${i}`, source: 'azuracast', startedAt: day.startsAt + n.atS * 1000, durationMs: n.open ? null : 60_000, trackId: `t${n.track}`, type: n.type, title: `Title ${n.track}` }),
  );
  // At least one play of the day, so the day is reconciled rather than awaiting its as-run.
  plays.push({ id: 'z', source: 'manual', startedAt: day.startsAt + 1, durationMs: 1000, title: 'Sign-on' });
  return { day, entries, plays };
}

function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let s = seed >>> 0 || 1;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1_103_515_245 + 12_345) >>> 0;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

describe('reconciliation over many random days', () => {
  it('every entry gets exactly one outcome, no play is matched twice, every play of the day is accounted for once, totals add up', () => {
    fc.assert(
      fc.property(plan, (p) => {
        const { day, entries, plays } = dayOf(p);
        const result = reconcileDay({ day, entries, plays });
        expect(result.state).toBe('reconciled');
        const r = result as ReconciledDay;

        expect(r.outcomes.map((o) => o.entryId)).toEqual(entries.map((e) => e.id));
        const matched = r.outcomes.flatMap((o) => ('play' in o ? [o.play.playId] : []));
        expect(new Set(matched).size).toBe(matched.length);
        const unscheduled = r.unscheduled.map((u) => u.play.playId);
        expect(unscheduled.filter((id) => matched.includes(id))).toEqual([]);
        const inDay = plays.filter((x) => x.startedAt >= day.startsAt && x.startedAt < day.endsAt).map((x) => x.id);
        for (const id of inDay) expect(matched.includes(id) !== unscheduled.includes(id)).toBe(true);

        const counted = Object.entries(r.counts).filter(([k]) => k !== 'unscheduled').reduce((sum, [, n]) => sum + n, 0);
        expect(counted).toBe(entries.length);
        expect(r.counts.unscheduled).toBe(r.unscheduled.length);

        for (const t of campaignTotals(r.outcomes)) {
          expect(t.placed).toBe(t.aired + t.moved + t.partiallyAired + t.missed + t.notDue);
          expect(t.substituted).toBeLessThanOrEqual(t.missed);
          expect(t.madeGood).toBeLessThanOrEqual(t.makeGoodsPlaced);
          expect(t.placed + t.makeGoodsPlaced).toBe(entries.filter((e) => e.campaignId === t.campaignId).length);
        }

        for (const o of r.outcomes) {
          if (o.outcome === 'not_due') expect(entries.find((e) => e.id === o.entryId)!.period).toBeTruthy();
          if (o.outcome === 'aired' || o.outcome === 'aired_partially') expect(Math.abs(o.play.startedAt - o.scheduledAt)).toBeLessThanOrEqual(600_000);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('make-goods are owed once: a second run over the same day owes nothing new and takes nothing back', () => {
    fc.assert(
      fc.property(plan, (p) => {
        const { day, entries, plays } = dayOf(p);
        const r = reconcileDay({ day, entries, plays }) as ReconciledDay;
        const first = makeGoodsOwed(r.outcomes);
        expect(new Set(first.owed.map((m) => m.missedEntryId)).size).toBe(first.owed.length);
        for (const m of first.owed) expect(r.outcomes.find((o) => o.entryId === m.missedEntryId)!.outcome).not.toBe('not_due');
        const again = makeGoodsOwed(r.outcomes, first.newlyOwed.map((m) => ({ missedEntryId: m.missedEntryId, status: 'owed' })));
        expect(again.newlyOwed).toEqual([]);
        expect(again.noLongerOwed).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  it('the order entries and plays arrive in changes nothing', () => {
    fc.assert(
      fc.property(plan, (p) => {
        const { day, entries, plays } = dayOf(p);
        const a = reconcileDay({ day, entries, plays });
        const b = reconcileDay({ day, entries: shuffled(entries, p.seed), plays: shuffled(plays, p.seed + 1) });
        expect(b).toEqual(a);
      }),
      { numRuns: 200 },
    );
  });
});
