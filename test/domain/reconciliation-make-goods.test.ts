// After reconciliation: campaign totals, make-goods owed (idempotent over re-runs), manual
// confirmation as an as-run, and the day's as-run state (docs/reconciliation.md).
import { describe, expect, it } from 'vitest';
import type { DayReconciliation, EntryOutcome, ReconciledDay, ScheduledEntry } from '../../domain/reconciliation/index.js';
import { asRunDayState, campaignTotals, confirmationToAsRun, makeGoodsOwed, reconcileDay } from '../../domain/reconciliation/index.js';
import { at, DAY, entry, play } from '../fixtures/as-run/day.js';

function reconciled(result: DayReconciliation): ReconciledDay {
  if (result.state !== 'reconciled') throw new Error(`expected a reconciled day, got ${result.state}`);
  return result;
}

/** A morning with four spots of the car dealer (c1) and one make-good of theirs, and one spot of the bakery (c2). */
function morning() {
  const spots = {
    aired: entry({ startsAt: at('06:10:00'), campaignId: 'c1' }),
    missed: entry({ startsAt: at('07:10:00'), campaignId: 'c1' }),
    cutShort: entry({ startsAt: at('08:10:00'), campaignId: 'c1' }),
    liveShow: entry({ startsAt: at('09:10:00'), campaignId: 'c1', period: 'live_show' }),
    makeGood: entry({ startsAt: at('10:10:00'), campaignId: 'c1', makeGoodOf: 'yesterdays-spot' }),
    bakery: entry({ startsAt: at('10:10:30'), campaignId: 'c2' }),
    song: entry({ startsAt: at('10:11:00'), type: 'MUS', lengthMs: 200_000 }),
  };
  const plays = [
    play({ startedAt: at('06:10:00'), durationMs: 30_000, trackId: spots.aired.trackId }),
    play({ startedAt: at('07:09:00'), durationMs: 180_000, trackId: 'song-over-the-spot', type: 'MUS' }),
    play({ startedAt: at('08:10:00'), durationMs: 12_000, trackId: spots.cutShort.trackId }),
    play({ startedAt: at('10:10:00'), durationMs: 30_000, trackId: spots.makeGood.trackId }),
    play({ startedAt: at('10:10:30'), durationMs: 30_000, trackId: 'another-bakery-copy', type: 'ADV' }),
    play({ startedAt: at('10:11:00'), durationMs: 200_000, trackId: spots.song.trackId }),
  ];
  return { spots, plays, entries: Object.values(spots) as ScheduledEntry[] };
}

describe('campaign totals', () => {
  it('ordered / placed / aired / missed / made good / partially aired add up', () => {
    const { entries, plays } = morning();
    const day = reconciled(reconcileDay({ day: DAY, entries, plays }));
    expect(campaignTotals(day.outcomes, { c1: 5 })).toEqual([
      { campaignId: 'c1', ordered: 5, placed: 4, aired: 1, moved: 0, partiallyAired: 1, missed: 1, substituted: 0, notDue: 1, makeGoodsPlaced: 1, madeGood: 1 },
      { campaignId: 'c2', ordered: 1, placed: 1, aired: 0, moved: 0, partiallyAired: 0, missed: 1, substituted: 1, notDue: 0, makeGoodsPlaced: 0, madeGood: 0 },
    ]);
  });

  it('a campaign ordered but never placed still has its line', () => {
    expect(campaignTotals([], { c9: 3 })).toEqual([expect.objectContaining({ campaignId: 'c9', ordered: 3, placed: 0 })]);
  });
});

describe('make-goods owed', () => {
  it('one for each spot missed, substituted or cut short — none for a spot in a live show, none for music', () => {
    const { spots, entries, plays } = morning();
    const day = reconciled(reconcileDay({ day: DAY, entries, plays }));
    const { owed, newlyOwed, noLongerOwed } = makeGoodsOwed(day.outcomes);
    expect(owed.map((m) => [m.missedEntryId, m.campaignId, m.outcome])).toEqual([
      [spots.missed.id, 'c1', 'missed'],
      [spots.cutShort.id, 'c1', 'aired_partially'],
      [spots.bakery.id, 'c2', 'substituted'],
    ]);
    expect(owed.every((m) => m.reason === 'missed')).toBe(true);
    expect(newlyOwed).toEqual(owed);
    expect(noLongerOwed).toEqual([]);
  });

  it('running again over the same day owes nothing new', () => {
    const { entries, plays } = morning();
    const outcomes = reconciled(reconcileDay({ day: DAY, entries, plays })).outcomes;
    const first = makeGoodsOwed(outcomes);
    const again = makeGoodsOwed(outcomes, first.newlyOwed.map((m) => ({ missedEntryId: m.missedEntryId, status: 'owed' as const })));
    expect(again.newlyOwed).toEqual([]);
    expect(again.noLongerOwed).toEqual([]);
    expect(again.owed).toEqual(first.owed);
  });

  it('a late as-run that shows the spot aired after all: its make-good is no longer owed (a scheduled one too, an aired or waived one is left alone)', () => {
    const { spots, entries, plays } = morning();
    const late = [...plays, play({ startedAt: at('07:10:00'), durationMs: 30_000, entryId: spots.missed.id, source: 'file' })];
    const outcomes = reconciled(reconcileDay({ day: DAY, entries, plays: late })).outcomes;
    const existing = [
      { missedEntryId: spots.missed.id, status: 'scheduled' as const },
      { missedEntryId: spots.aired.id, status: 'waived' as const },
      { missedEntryId: spots.cutShort.id, status: 'owed' as const },
      { missedEntryId: 'another-days-spot', status: 'owed' as const },
    ];
    const changes = makeGoodsOwed(outcomes, existing);
    expect(changes.noLongerOwed).toEqual([{ missedEntryId: spots.missed.id, status: 'scheduled' }]);
    expect(changes.newlyOwed.map((m) => m.missedEntryId)).toEqual([spots.bakery.id]);
  });

  it('never twice for one spot, even if an outcome is listed twice', () => {
    const o: EntryOutcome = { entryId: 'x', position: 1, type: 'ADV', campaignId: 'c', makeGoodOf: null, scheduledAt: 0, lengthMs: 30_000, outcome: 'missed', reason: 'playout_gap', note: null };
    expect(makeGoodsOwed([o, o]).owed).toHaveLength(1);
  });
});

describe('manual confirmation', () => {
  it('"aired as logged" for the day, with one spot missed, one substituted and one moved, reconciles like any as-run', () => {
    const a = entry({ startsAt: at('06:10:00'), campaignId: 'c1' });
    const b = entry({ startsAt: at('06:10:30'), campaignId: 'c1' });
    const c = entry({ startsAt: at('06:11:00'), campaignId: 'c2' });
    const d = entry({ startsAt: at('06:11:30'), campaignId: 'c2' });
    const { plays, reportedMissed, problems } = confirmationToAsRun(
      {
        id: 'sig-1',
        covers: 'day',
        exceptions: [
          { entryId: b.id, kind: 'missed', note: 'cart jammed' },
          { entryId: c.id, kind: 'substituted', by: { title: 'Bakery — spring', trackId: 'bakery-2' } },
          { entryId: d.id, kind: 'moved', to: at('15:45:00') },
        ],
      },
      [a, b, c, d],
    );
    expect(problems).toEqual([]);
    expect(plays.map((p) => [p.id, p.source])).toEqual([
      [`manual:sig-1:${a.id}`, 'manual'],
      [`manual:sig-1:${c.id}`, 'manual'],
      [`manual:sig-1:${d.id}`, 'manual'],
    ]);
    const day = reconciled(reconcileDay({ day: DAY, entries: [a, b, c, d], plays, reportedMissed }));
    expect(day.outcomes.map((o) => o.outcome)).toEqual(['aired', 'missed', 'substituted', 'moved']);
    expect(day.outcomes[1]).toMatchObject({ reason: 'reported_missed', note: 'cart jammed' });
    expect(day.outcomes[2]).toMatchObject({ play: { title: 'Bakery — spring', trackId: 'bakery-2' } });
    expect(day.sources).toEqual(['manual']);
  });

  it('confirming some hours covers only their entries; an exception for another hour is a problem', () => {
    const early = entry({ startsAt: at('06:10:00') });
    const late = entry({ startsAt: at('20:10:00') });
    const { plays, problems } = confirmationToAsRun({ id: 's', covers: [{ startsAt: at('06:00:00'), endsAt: at('07:00:00') }], exceptions: [{ entryId: late.id, kind: 'missed' }] }, [early, late]);
    expect(plays.map((p) => p.entryId)).toEqual([early.id]);
    expect(problems).toEqual([`exception for entry ${late.id}: no such entry in the confirmed hours`]);
    const day = reconciled(reconcileDay({ day: DAY, entries: [early, late], plays }));
    expect(day.outcomes.map((o) => o.outcome)).toEqual(['aired', 'missed']);
  });

  it('a file-only station’s confirmed day owes nothing', () => {
    const spots = [entry({ startsAt: at('06:10:00'), campaignId: 'c1' }), entry({ startsAt: at('18:10:00'), campaignId: 'c1' })];
    const { plays, reportedMissed } = confirmationToAsRun({ id: 's', covers: 'day', exceptions: [] }, spots);
    const day = reconciled(reconcileDay({ day: DAY, entries: spots, plays, reportedMissed }));
    expect(makeGoodsOwed(day.outcomes).owed).toEqual([]);
  });

  it('a confirmation that says everything was missed is still an as-run: the day is reconciled', () => {
    const spot = entry({ startsAt: at('06:10:00'), campaignId: 'c1' });
    const { plays, reportedMissed } = confirmationToAsRun({ id: 's', covers: 'day', exceptions: [{ entryId: spot.id, kind: 'missed' }] }, [spot]);
    const day = reconcileDay({ day: DAY, entries: [spot], plays, reportedMissed });
    expect(day).toMatchObject({ state: 'reconciled', outcomes: [{ outcome: 'missed', reason: 'reported_missed' }] });
  });
});

describe('the day’s as-run state', () => {
  it('awaiting as-run until a source delivers a play of the day; overdue after the day’s end + grace', () => {
    const base = { day: DAY, now: DAY.endsAt + 1_000 };
    expect(asRunDayState({ ...base, plays: [] })).toEqual({ state: 'awaiting_as_run', deadline: DAY.endsAt + 86_400_000, overdue: false });
    expect(asRunDayState({ ...base, plays: [], now: DAY.endsAt + 86_400_001 }).overdue).toBe(true);
    expect(asRunDayState({ ...base, plays: [], graceMs: 0 }).overdue).toBe(true);
    expect(asRunDayState({ ...base, plays: [{ startedAt: DAY.endsAt }] }).state).toBe('awaiting_as_run');
    expect(asRunDayState({ ...base, plays: [{ startedAt: DAY.endsAt - 1 }] }).state).toBe('reconciled');
  });
});
