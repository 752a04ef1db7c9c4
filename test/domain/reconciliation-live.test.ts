// A day with a live programme in its log (issue 15, item 5): the live entry is not due from
// playout, and nothing about it is owed — reconciled as the reconciliation step does it, with
// the log's live programmes as planned periods.
import { describe, expect, it } from 'vitest';
import { livePlannedPeriods, makeGoodsOwed, notDueReasonOf, reconcileDay, type ScheduledEntry } from '../../domain/reconciliation/index.js';
import { at, DAY, entry, play } from '../fixtures/as-run/day.js';

describe('reconciling a day with a live programme', () => {
  const before = entry({ startsAt: at('18:59:30'), campaignId: 'c1', lengthMs: 30_000 });
  const live: ScheduledEntry = { ...entry({ startsAt: at('19:00:00'), lengthMs: 3_600_000, title: 'Queer Talk Live' }), type: 'LIVE', trackId: null, campaignId: null, hardStart: true, period: notDueReasonOf('live') };
  const after = entry({ startsAt: at('20:00:00'), campaignId: 'c2', lengthMs: 30_000 });
  const entries = [before, live, after];

  it('owes nothing for the live show: it is not due, and the spots around it aired', () => {
    const result = reconcileDay({
      day: DAY,
      entries,
      plays: [play({ startedAt: before.startsAt, durationMs: 30_000, entryId: before.id }), play({ startedAt: after.startsAt, durationMs: 30_000, entryId: after.id })],
      plannedPeriods: livePlannedPeriods(entries),
    });
    if (result.state !== 'reconciled') throw new Error('expected a reconciled day');
    expect(result.outcomes.find((o) => o.entryId === live.id)).toMatchObject({ outcome: 'not_due', reason: 'live_show', type: 'LIVE' });
    expect(result.outcomes.filter((o) => o.outcome === 'missed')).toEqual([]);
    expect(makeGoodsOwed(result.outcomes, []).owed).toEqual([]);
  });

  it('a network feed or outside broadcast is an outside programme; anything logged inside it is not due either', () => {
    expect([notDueReasonOf('network'), notDueReasonOf('outside'), notDueReasonOf('live'), notDueReasonOf(null)]).toEqual(['outside_programme', 'outside_programme', 'live_show', 'live_show']);
    const feed: ScheduledEntry = { ...live, period: 'outside_programme' };
    const inside = entry({ startsAt: at('19:30:00'), campaignId: 'c3', lengthMs: 30_000 });
    expect(livePlannedPeriods([before, feed, inside])).toEqual([{ kind: 'outside_programme', startsAt: at('19:00:00'), endsAt: at('20:00:00') }]);
    const result = reconcileDay({ day: DAY, entries: [before, feed, inside], plays: [play({ startedAt: before.startsAt, durationMs: 30_000, entryId: before.id })], plannedPeriods: livePlannedPeriods([before, feed, inside]) });
    if (result.state !== 'reconciled') throw new Error('expected a reconciled day');
    expect(result.outcomes.map((o) => [o.entryId, o.outcome])).toEqual([
      [before.id, 'aired'],
      [feed.id, 'not_due'],
      [inside.id, 'not_due'],
    ]);
  });
});
