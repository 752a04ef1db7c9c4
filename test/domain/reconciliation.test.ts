// Reconciliation's matching and outcomes (docs/reconciliation.md), in station words.
import { describe, expect, it } from 'vitest';
import type { AsRunPlay, DayReconciliation, EntryOutcome, ReconcileDayInput, ReconciledDay, ScheduledEntry } from '../../domain/reconciliation/index.js';
import { broadcastDayPeriod, normaliseName, reconcileDay, reconciliationRules, sameRecording } from '../../domain/reconciliation/index.js';
import { at, DAY, entry, play } from '../fixtures/as-run/day.js';

function reconciled(result: DayReconciliation): ReconciledDay {
  if (result.state !== 'reconciled') throw new Error(`expected a reconciled day, got ${result.state}`);
  return result;
}

function run(entries: ScheduledEntry[], plays: AsRunPlay[], more: Partial<ReconcileDayInput> = {}): ReconciledDay {
  return reconciled(reconcileDay({ day: DAY, entries, plays, ...more }));
}

const outcomeOf = (day: ReconciledDay, e: ScheduledEntry): EntryOutcome => day.outcomes.find((o) => o.entryId === e.id)!;

describe('matching a play to its entry', () => {
  it('a spot that played 40 s late is aired, late by 40 s', () => {
    const spot = entry({ startsAt: at('06:10:00') });
    const day = run([spot], [play({ startedAt: at('06:10:40'), durationMs: 30_000, entryId: spot.id })]);
    expect(outcomeOf(day, spot)).toMatchObject({ outcome: 'aired', offsetSeconds: 40, timing: 'on_time', matchedBy: 'entry_id' });
  });

  it('a spot that played 3 minutes late is aired, late by 180 s (beyond the ±2 min tolerance)', () => {
    const spot = entry({ startsAt: at('06:10:00') });
    const day = run([spot], [play({ startedAt: at('06:13:00'), durationMs: 30_000, trackId: spot.trackId })]);
    expect(outcomeOf(day, spot)).toMatchObject({ outcome: 'aired', offsetSeconds: 180, timing: 'late', matchedBy: 'track_id' });
  });

  it('a spot that played 150 s early is aired, early by 150 s', () => {
    const spot = entry({ startsAt: at('06:10:00') });
    const day = run([spot], [play({ startedAt: at('06:07:30'), durationMs: 30_000, trackId: spot.trackId })]);
    expect(outcomeOf(day, spot)).toMatchObject({ outcome: 'aired', offsetSeconds: -150, timing: 'early' });
  });

  it('the legal ID at a hard start 15 s late is late (hard starts allow 10 s)', () => {
    const id = entry({ type: 'LIN', startsAt: at('07:00:00'), hardStart: true, lengthMs: 8_000 });
    const day = run([id], [play({ startedAt: at('07:00:15'), durationMs: 8_000, trackId: id.trackId })]);
    expect(outcomeOf(day, id)).toMatchObject({ outcome: 'aired', timing: 'late', offsetSeconds: 15 });
  });

  it('playout carrying the entry id wins over a closer play of the same track', () => {
    const spot = entry({ startsAt: at('06:10:00') });
    const named = play({ startedAt: at('06:11:30'), durationMs: 30_000, entryId: spot.id, trackId: spot.trackId });
    const closer = play({ startedAt: at('06:10:00'), durationMs: 30_000, trackId: spot.trackId });
    const day = run([spot], [closer, named]);
    expect(outcomeOf(day, spot)).toMatchObject({ outcome: 'aired', matchedBy: 'entry_id', play: { playId: named.id } });
    expect(day.unscheduled.map((u) => u.play.playId)).toEqual([closer.id]);
  });

  it('a song from AzuraCast with only its media id is matched by the media id', () => {
    const song = entry({ type: 'MUS', startsAt: at('08:03:00'), lengthMs: 200_000, mediaIds: ['az:812'], title: 'Midnight City', artist: 'M83' });
    const day = run([song], [play({ source: 'azuracast', startedAt: at('08:03:05'), durationMs: 200_000, mediaId: 'az:812' })]);
    expect(outcomeOf(day, song)).toMatchObject({ outcome: 'aired', matchedBy: 'media_id' });
  });

  it('a play known only by artist and title matches whatever the case, accents, "feat." or "The"', () => {
    const song = entry({ type: 'MUS', startsAt: at('08:03:00'), lengthMs: 200_000, trackId: 't-song', title: "Don't Stop Me Now", artist: 'The Beyoncé Band feat. JAY-Z' });
    const day = run([song], [play({ source: 'azuracast', startedAt: at('08:04:00'), durationMs: 200_000, title: 'DONT STOP ME NOW (feat. Someone)', artist: 'Beyonce Band' })]);
    expect(outcomeOf(day, song)).toMatchObject({ outcome: 'aired', matchedBy: 'artist_title' });
  });

  it('the same title by another artist is not the same song', () => {
    const song = entry({ type: 'MUS', startsAt: at('08:03:00'), lengthMs: 200_000, title: 'Hello', artist: 'Adele' });
    const day = run([song], [play({ startedAt: at('08:03:00'), durationMs: 200_000, title: 'Hello', artist: 'Lionel Richie' })]);
    expect(outcomeOf(day, song).outcome).toBe('missed');
    expect(day.unscheduled).toHaveLength(1);
  });

  it('a play outside the spot’s ±5 min window does not match it in the window pass (it is moved instead)', () => {
    const spot = entry({ startsAt: at('06:10:00') });
    const day = run([spot], [play({ startedAt: at('06:16:00'), durationMs: 30_000, trackId: spot.trackId })]);
    expect(outcomeOf(day, spot)).toMatchObject({ outcome: 'moved', offsetSeconds: 360 });
  });

  it('two plays of one spot: the closer start is the spot, the other unscheduled', () => {
    const spot = entry({ startsAt: at('06:10:00') });
    const far = play({ startedAt: at('06:12:00'), durationMs: 30_000, trackId: spot.trackId });
    const near = play({ startedAt: at('06:10:20'), durationMs: 30_000, trackId: spot.trackId });
    const day = run([spot], [far, near]);
    expect(outcomeOf(day, spot)).toMatchObject({ play: { playId: near.id } });
    expect(day.unscheduled.map((u) => [u.reason, u.play.playId])).toEqual([['not_in_log', far.id]]);
  });

  it('a play naming an entry another play already took is "played again"', () => {
    const spot = entry({ startsAt: at('06:10:00') });
    const first = play({ startedAt: at('06:10:00'), durationMs: 30_000, entryId: spot.id });
    const again = play({ startedAt: at('06:40:00'), durationMs: 30_000, entryId: spot.id });
    const day = run([spot], [again, first]);
    expect(outcomeOf(day, spot)).toMatchObject({ outcome: 'aired', play: { playId: first.id } });
    expect(day.unscheduled).toEqual([expect.objectContaining({ reason: 'played_again' })]);
  });

  it('ties are broken the same way whatever order the as-run comes in: equal distance → the earlier entry, then the earlier play', () => {
    const a = entry({ startsAt: at('06:10:00'), trackId: 'copy-1' });
    const b = entry({ startsAt: at('06:11:00'), trackId: 'copy-1' });
    const mid = play({ id: 'p-mid', startedAt: at('06:10:30'), durationMs: 30_000, trackId: 'copy-1' });
    const late = play({ id: 'p-late', startedAt: at('06:11:00'), durationMs: 30_000, trackId: 'copy-1' });
    const one = run([a, b], [mid, late]);
    const two = run([b, a], [late, mid]);
    expect(one.outcomes).toEqual(two.outcomes);
    // b–late is 0 s apart: first. Then a takes mid (30 s).
    expect(outcomeOf(one, a)).toMatchObject({ play: { playId: 'p-mid' } });
    expect(outcomeOf(one, b)).toMatchObject({ play: { playId: 'p-late' } });
  });

  it('two plays equally near one entry: the earlier-starting play (then the smaller id) takes it', () => {
    const spot = entry({ startsAt: at('06:10:00') });
    const before = play({ id: 'p-b', startedAt: at('06:09:30'), durationMs: 30_000, trackId: spot.trackId });
    const after = play({ id: 'p-a', startedAt: at('06:10:30'), durationMs: 30_000, trackId: spot.trackId });
    expect(outcomeOf(run([spot], [after, before]), spot)).toMatchObject({ play: { playId: 'p-b' } });
    const sameTime = [play({ id: 'z', startedAt: at('06:10:00'), trackId: spot.trackId }), play({ id: 'y', startedAt: at('06:10:00'), trackId: spot.trackId })];
    expect(outcomeOf(run([spot], sameTime), spot)).toMatchObject({ play: { playId: 'y' } });
  });
});

describe('outcomes', () => {
  it('a 30 s spot that played 20 s is aired partially (less than 80 %)', () => {
    const spot = entry({ startsAt: at('06:10:00') });
    const day = run([spot], [play({ startedAt: at('06:10:00'), endedAt: at('06:10:20'), trackId: spot.trackId })]);
    expect(outcomeOf(day, spot)).toMatchObject({ outcome: 'aired_partially' });
    expect((outcomeOf(day, spot) as { playedShare: number }).playedShare).toBeCloseTo(2 / 3);
  });

  it('a spot that played 25 of its 30 s is aired (≥ 80 %), and a station may ask for 90 %', () => {
    const spot = entry({ startsAt: at('06:10:00') });
    const plays = [play({ startedAt: at('06:10:00'), durationMs: 25_000, trackId: spot.trackId })];
    expect(outcomeOf(run([spot], plays), spot).outcome).toBe('aired');
    expect(outcomeOf(run([spot], plays, { rules: { minPlayedShare: 0.9 } }), spot).outcome).toBe('aired_partially');
  });

  it('a play whose length the as-run does not give counts as played in full', () => {
    const spot = entry({ startsAt: at('06:10:00') });
    const day = run([spot], [play({ startedAt: at('06:10:00'), trackId: spot.trackId }), play({ startedAt: at('06:10:05'), trackId: 'other' })]);
    expect(outcomeOf(day, spot)).toMatchObject({ outcome: 'aired', playedShare: 1, play: { playedMs: null } });
  });

  it('another spot that ran in a spot’s place is a substitution, and says which', () => {
    const spot = entry({ startsAt: at('06:10:00'), campaignId: 'c1' });
    const other = play({ startedAt: at('06:10:05'), durationMs: 30_000, trackId: 'copy-of-someone-else', type: 'ADV', title: 'Car Dealer' });
    const day = run([spot], [other]);
    expect(outcomeOf(day, spot)).toMatchObject({ outcome: 'substituted', play: { playId: other.id, title: 'Car Dealer', trackId: 'copy-of-someone-else' }, offsetSeconds: 5 });
    expect(day.unscheduled).toEqual([]);
  });

  it('a PSA in a spot’s place is not a substitution (another type): the spot is missed, the PSA unscheduled', () => {
    const spot = entry({ startsAt: at('06:10:00') });
    const day = run([spot], [play({ startedAt: at('06:10:00'), durationMs: 30_000, trackId: 'psa', type: 'PSA' })]);
    expect(outcomeOf(day, spot)).toMatchObject({ outcome: 'missed', reason: 'nothing_in_window' });
    expect(day.unscheduled).toHaveLength(1);
  });

  it('playout that names the entry but played other audio substituted it', () => {
    const spot = entry({ startsAt: at('06:10:00') });
    const day = run([spot], [play({ startedAt: at('06:10:00'), durationMs: 30_000, entryId: spot.id, trackId: 'other-copy' })]);
    expect(outcomeOf(day, spot)).toMatchObject({ outcome: 'substituted', play: { trackId: 'other-copy' } });
  });

  it('a spot that aired at 14:00 instead of 06:10 is moved (same day)', () => {
    const spot = entry({ startsAt: at('06:10:00') });
    const day = run([spot], [play({ startedAt: at('14:00:00'), durationMs: 30_000, trackId: spot.trackId })]);
    expect(outcomeOf(day, spot)).toMatchObject({ outcome: 'moved', offsetSeconds: 28_200 });
  });

  it('moved wins over substituted: the spot itself aired later, the item in its slot is unscheduled', () => {
    const spot = entry({ startsAt: at('06:10:00') });
    const day = run([spot], [play({ startedAt: at('06:10:00'), durationMs: 30_000, trackId: 'x', type: 'ADV' }), play({ startedAt: at('09:00:00'), durationMs: 30_000, trackId: spot.trackId })]);
    expect(outcomeOf(day, spot).outcome).toBe('moved');
    expect(day.unscheduled).toHaveLength(1);
  });

  it('a spot that aired the next day is not moved: it is missed here', () => {
    const spot = entry({ startsAt: at('22:10:00') });
    const nextDay = at('09:00:00', '2026-03-11');
    const day = run([spot], [play({ startedAt: at('22:00:00'), durationMs: 20 * 60_000, trackId: 'show' }), play({ startedAt: nextDay, entryId: spot.id, trackId: spot.trackId })]);
    expect(outcomeOf(day, spot)).toMatchObject({ outcome: 'missed', reason: 'nothing_in_window' });
  });

  it('a spot with music playing right through its slot is missed, nothing played in its window', () => {
    const spot = entry({ startsAt: at('06:10:00') });
    const day = run([spot], [play({ startedAt: at('06:08:00'), durationMs: 240_000, trackId: 'song', type: 'MUS' })]);
    expect(outcomeOf(day, spot)).toMatchObject({ outcome: 'missed', reason: 'nothing_in_window' });
  });

  it('a song logged twice in a row aired twice on AzuraCast’s one history row (AzuraCast keeps no row for the repeat)', () => {
    const first = entry({ startsAt: at('06:00:00'), type: 'MUS', lengthMs: 200_000, trackId: 'desert-bloom' });
    const again = entry({ startsAt: at('06:03:20'), type: 'MUS', lengthMs: 200_000, trackId: 'desert-bloom' });
    const next = entry({ startsAt: at('06:06:40'), type: 'MUS', lengthMs: 180_000, trackId: 'monsoon-heart' });
    const plays = [play({ source: 'azuracast', startedAt: at('06:00:02'), durationMs: 200_000, trackId: 'desert-bloom' }), play({ source: 'azuracast', startedAt: at('06:06:45'), durationMs: 180_000, trackId: 'monsoon-heart' })];
    const day = run([first, again, next], plays);
    expect(outcomeOf(day, first)).toMatchObject({ outcome: 'aired', matchedBy: 'track_id' });
    // It began when the first play ended: 06:03:22, 2 s late.
    expect(outcomeOf(day, again)).toMatchObject({ outcome: 'aired', matchedBy: 'repeat', offsetSeconds: 2, timing: 'on_time' });
    expect(outcomeOf(day, next)).toMatchObject({ outcome: 'aired', matchedBy: 'track_id' });
    expect(day.unscheduled).toEqual([]);
  });

  it('a repeat is not assumed when something else was recorded in its slot, nor from LibreTime (which records every play)', () => {
    const first = entry({ startsAt: at('06:00:00'), type: 'MUS', lengthMs: 200_000, trackId: 'desert-bloom' });
    const again = entry({ startsAt: at('06:03:20'), type: 'MUS', lengthMs: 200_000, trackId: 'desert-bloom' });
    const other = [play({ source: 'azuracast', startedAt: at('06:00:00'), durationMs: 200_000, trackId: 'desert-bloom' }), play({ source: 'azuracast', startedAt: at('06:03:25'), durationMs: 200_000, trackId: 'a-request' })];
    expect(outcomeOf(run([first, again], other), again)).toMatchObject({ outcome: 'missed' });
    const libretime = [play({ source: 'libretime', startedAt: at('06:00:00'), durationMs: 200_000, trackId: 'desert-bloom' })];
    expect(outcomeOf(run([first, again], libretime), again)).toMatchObject({ outcome: 'missed' });
  });

  it('a spot while playout recorded nothing at all is missed in a playout gap', () => {
    const spot = entry({ startsAt: at('06:10:00') });
    const day = run([spot], [play({ startedAt: at('05:00:00'), durationMs: 240_000, trackId: 'song' }), play({ startedAt: at('07:00:00'), durationMs: 240_000, trackId: 'song2' })]);
    expect(outcomeOf(day, spot)).toMatchObject({ outcome: 'missed', reason: 'playout_gap' });
  });

  it('a play with no end runs until the next play: the spot under it is not in a gap', () => {
    const spot = entry({ startsAt: at('06:10:00') });
    const day = run([spot], [play({ startedAt: at('06:05:00'), trackId: 'song' }), play({ startedAt: at('06:20:00'), trackId: 'song2' })]);
    expect(outcomeOf(day, spot)).toMatchObject({ outcome: 'missed', reason: 'nothing_in_window' });
  });

  it('a spot while a DJ went live (playout reports it) is missed: live takeover', () => {
    const spot = entry({ startsAt: at('19:10:00') });
    const day = run([spot], [play({ startedAt: at('18:00:00'), durationMs: 200_000, trackId: 's' })], { interruptions: [{ kind: 'live_takeover', startsAt: at('19:00:00'), endsAt: at('20:00:00') }] });
    expect(outcomeOf(day, spot)).toMatchObject({ outcome: 'missed', reason: 'live_takeover' });
  });

  it('a spot in a planned live show is not due from playout — unless the as-run shows it aired', () => {
    const flagged = entry({ startsAt: at('19:10:00'), period: 'live_show' });
    const inPeriod = entry({ startsAt: at('19:20:00') });
    const aired = entry({ startsAt: at('19:30:00'), period: 'live_show' });
    const day = run([flagged, inPeriod, aired], [play({ startedAt: at('19:30:00'), durationMs: 30_000, trackId: aired.trackId })], {
      plannedPeriods: [{ kind: 'outside_programme', startsAt: at('19:15:00'), endsAt: at('19:25:00') }],
    });
    expect(outcomeOf(day, flagged)).toMatchObject({ outcome: 'not_due', reason: 'live_show' });
    expect(outcomeOf(day, inPeriod)).toMatchObject({ outcome: 'not_due', reason: 'outside_programme' });
    expect(outcomeOf(day, aired).outcome).toBe('aired');
  });

  it('plays of the neighbouring days are not unscheduled here, but a play just before midnight may be the first entry’s', () => {
    const first = entry({ startsAt: DAY.startsAt + 5_000 });
    const second = entry({ startsAt: DAY.startsAt + 35_000 });
    const plays = [
      play({ startedAt: DAY.startsAt - 20_000, durationMs: 30_000, trackId: first.trackId }),
      play({ startedAt: DAY.startsAt - 600_000, trackId: 'yesterday' }),
      play({ startedAt: DAY.startsAt + 35_000, durationMs: 30_000, trackId: second.trackId }),
    ];
    const day = run([first, second], plays);
    expect(outcomeOf(day, first)).toMatchObject({ outcome: 'aired', offsetSeconds: -25 });
    expect(day.unscheduled).toEqual([]);
  });

  it('counts add up and the sources are named', () => {
    const a = entry({ startsAt: at('06:10:00') });
    const b = entry({ startsAt: at('06:10:30') });
    const day = run([a, b], [play({ startedAt: at('06:10:00'), durationMs: 30_000, trackId: a.trackId, source: 'file' }), play({ startedAt: at('12:00:00'), trackId: 'nobody', source: 'manual' })]);
    expect(day.counts).toMatchObject({ aired: 1, missed: 1, unscheduled: 1 });
    expect(day.sources).toEqual(['file', 'manual']);
  });
});

describe('a day with no as-run', () => {
  it('waits as "awaiting as-run" instead of calling every spot missed, with a deadline 24 h after the day', () => {
    const result = reconcileDay({ day: DAY, entries: [entry({ startsAt: at('06:10:00') })], plays: [], now: DAY.endsAt + 3_600_000 });
    expect(result).toEqual({ state: 'awaiting_as_run', deadline: DAY.endsAt + 24 * 3_600_000, overdue: false });
  });

  it('is overdue after the grace the station set', () => {
    const result = reconcileDay({ day: DAY, entries: [], plays: [play({ startedAt: DAY.startsAt - 60_000 })], asRunGraceMs: 3_600_000, now: DAY.endsAt + 3_600_001 });
    expect(result).toMatchObject({ state: 'awaiting_as_run', overdue: true });
  });
});

describe('DST days', () => {
  const NY = 'America/New_York';
  it('the 25-hour day: a spot at 01:30 EST (the second 01:30) matches the play at 01:30 EST, not the one an hour earlier', () => {
    const day = broadcastDayPeriod('2026-11-01', NY);
    expect(day.endsAt - day.startsAt).toBe(25 * 3_600_000);
    const firstHalfPast = Date.parse('2026-11-01T05:30:00Z'); // 01:30 EDT
    const secondHalfPast = Date.parse('2026-11-01T06:30:00Z'); // 01:30 EST
    const edt = entry({ startsAt: firstHalfPast, trackId: 'copy' });
    const est = entry({ startsAt: secondHalfPast, trackId: 'copy' });
    const result = reconciled(reconcileDay({ day, entries: [est, edt], plays: [play({ startedAt: secondHalfPast + 20_000, durationMs: 30_000, trackId: 'copy' }), play({ startedAt: firstHalfPast, durationMs: 30_000, trackId: 'copy' })] }));
    expect(result.outcomes.map((o) => [o.entryId, o.outcome, (o as { offsetSeconds: number }).offsetSeconds])).toEqual([
      [edt.id, 'aired', 0],
      [est.id, 'aired', 20],
    ]);
  });

  it('the 23-hour day: the last hour’s spot and the day’s end are right', () => {
    const day = broadcastDayPeriod('2026-03-08', NY);
    expect(day.endsAt - day.startsAt).toBe(23 * 3_600_000);
    const spot = entry({ startsAt: day.endsAt - 120_000 });
    const result = reconciled(reconcileDay({ day, entries: [spot], plays: [play({ startedAt: day.endsAt - 100_000, durationMs: 30_000, trackId: spot.trackId }), play({ startedAt: day.endsAt + 10_000, trackId: 'tomorrow' })] }));
    expect(result.outcomes[0]).toMatchObject({ outcome: 'aired', offsetSeconds: 20 });
    expect(result.unscheduled).toEqual([]);
  });
});

describe('parameters', () => {
  it('the defaults: ±5 min for a spot, ±10 for a song, ±2 min on time, 10 s at a hard start, 80 %', () => {
    const rules = reconciliationRules();
    expect(rules.matchWindowMs.ADV).toBe(300_000);
    expect(rules.matchWindowMs.MUS).toBe(600_000);
    expect(rules).toMatchObject({ onTimeToleranceMs: 120_000, hardStartToleranceMs: 10_000, minPlayedShare: 0.8, substitutionWindowMs: 120_000 });
  });

  it('a station can widen the spot window; nonsense settings are refused', () => {
    const spot = entry({ startsAt: at('06:10:00') });
    const plays = [play({ startedAt: at('06:16:00'), durationMs: 30_000, trackId: spot.trackId })];
    expect(outcomeOf(run([spot], plays, { rules: { matchWindowMs: { ADV: 420_000 } as never } }), spot).outcome).toBe('aired');
    expect(() => reconciliationRules({ minPlayedShare: 1.5 })).toThrow(/minPlayedShare/);
  });
});

describe('names as stations spell them', () => {
  it.each([
    ['Beyoncé', 'beyonce'],
    ['The Weeknd', 'weeknd'],
    ['Simon & Garfunkel', 'simon and garfunkel'],
    ['Don’t Stop (feat. Someone)', 'dont stop'],
    ['Song ft. X', 'song'],
    ['Feat of Clay', 'feat of clay'],
    ['Stay With Me', 'stay with me'],
    ['  AC/DC!!  ', 'ac dc'],
    ['The', 'the'],
  ])('%s → %s', (name, expected) => expect(normaliseName(name)).toBe(expected));

  it('a play without an artist matches on the title', () => expect(sameRecording({ title: 'Spring Sale', artist: null }, { title: 'spring sale!', artist: 'Acme' })).toBe(true));
});
