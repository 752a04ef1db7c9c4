// The reconciliation report in station words (docs/reconciliation.md §The reconciliation report):
// each outcome said as a person says it, in station time; a day on air or without its as-run
// awaits it; campaign totals per day and over a period; the CSVs.
import { describe, expect, it } from 'vitest';
import { dayReport, dayReportCsv, periodCampaignsCsv, periodDaysCsv, periodReport, spanInWords, type DayReport } from '../../domain/reconciliation/index.js';
import { at, DATE, DAY, entry, play, TZ } from '../fixtures/as-run/day.js';

const station = { slug: 'kqtr', name: 'KQTR Community Radio', timezone: TZ };
const campaigns = { c1: { name: 'Fall Sale', advertiser: 'Rainbow Motors' }, c2: { name: 'Winter Loaves', advertiser: 'Desert Bakery' } };
const afterTheDay = DAY.endsAt + 3_600_000;

function morning() {
  const e = {
    early: entry({ startsAt: at('06:10:00'), campaignId: 'c1', title: 'Rainbow Motors — Fall Sale' }),
    liveShow: entry({ startsAt: at('09:10:00'), campaignId: 'c1', period: 'live_show' }),
    takenOver: entry({ startsAt: at('11:10:00'), campaignId: 'c2' }),
    makeGood: entry({ startsAt: at('12:10:00'), campaignId: 'c1', makeGoodOf: 'yesterdays-spot' }),
    song: entry({ startsAt: at('12:10:30'), type: 'MUS', lengthMs: 200_000, title: 'Desert Bloom', artist: 'The Saguaros' }),
  };
  const plays = [
    play({ startedAt: at('06:07:00'), durationMs: 30_000, trackId: e.early.trackId, title: 'Rainbow Motors — Fall Sale' }),
    play({ startedAt: at('12:10:00'), durationMs: 30_000, trackId: e.makeGood.trackId }),
    play({ startedAt: at('12:10:30'), durationMs: 200_000, trackId: e.song.trackId, title: 'Desert Bloom', artist: 'The Saguaros' }),
    play({ startedAt: at('13:00:00'), durationMs: 60_000, title: 'Station jingle' }),
  ];
  return { e, plays };
}

const report = (now = afterTheDay, ordered?: Record<string, number>): DayReport => {
  const { e, plays } = morning();
  return dayReport({
    station,
    date: DATE,
    day: DAY,
    entries: Object.values(e),
    plays,
    interruptions: [{ kind: 'live_takeover', startsAt: at('11:00:00'), endsAt: at('12:00:00') }],
    campaigns,
    ...(ordered && { ordered }),
    now,
  });
};

describe('the reconciliation report of a day', () => {
  it('says each outcome in words, in station time with the offset', () => {
    const r = report();
    expect(r).toMatchObject({ state: 'reconciled', stateText: 'Reconciled from libretime', sources: ['libretime'] });
    expect(r.deadline).toBeUndefined();
    expect(r.entries.map((l) => [l.scheduledTime, l.outcome, l.description])).toEqual([
      ['06:10:00', 'aired', 'Aired 3 min early'],
      ['09:10:00', 'not_due', 'Not due: in a planned live show'],
      ['11:10:00', 'missed', 'Missed: a live show took over'],
      ['12:10:00', 'aired', 'Aired on time'],
      ['12:10:30', 'aired', 'Aired on time'],
    ]);
    expect(r.entries[0]).toMatchObject({
      scheduledAt: `${DATE}T06:10:00-07:00`,
      timing: 'early',
      offsetSeconds: -180,
      campaign: { id: 'c1', name: 'Fall Sale', advertiser: 'Rainbow Motors' },
      played: { at: `${DATE}T06:07:00-07:00`, time: '06:07:00', playedSeconds: 30, source: 'libretime', matchedBy: 'track_id' },
    });
    expect(r.entries[2]).toMatchObject({ reason: 'live_takeover', played: null, offsetSeconds: null });
    expect(r.entries[3]).toMatchObject({ makeGoodOf: 'yesterdays-spot' });
    expect(r.unscheduled).toEqual([expect.objectContaining({ time: '13:00:00', title: 'Station jingle', reason: 'not_in_log', description: 'Played, not in the log' })]);
    expect(r.counts).toEqual({ entries: 5, awaiting_as_run: 0, aired: 3, aired_partially: 0, substituted: 0, moved: 0, missed: 1, not_due: 1, unscheduled: 1 });
  });

  it('totals each campaign by advertiser, with what its order asks for', () => {
    expect(report(afterTheDay, { c1: 6 }).campaigns).toEqual([
      expect.objectContaining({ campaignId: 'c2', advertiser: 'Desert Bakery', name: 'Winter Loaves', ordered: 1, placed: 1, missed: 1, awaitingAsRun: 0 }),
      expect.objectContaining({ campaignId: 'c1', advertiser: 'Rainbow Motors', ordered: 6, placed: 2, aired: 1, notDue: 1, makeGoodsPlaced: 1, madeGood: 1 }),
    ]);
  });

  it('awaits the as-run while the day is on air: no entry is called missed', () => {
    const r = report(at('12:30:00'));
    expect(r).toMatchObject({ state: 'awaiting_as_run', airing: true, overdue: false, deadline: '2026-03-12T00:00:00-07:00' });
    expect(r.stateText).toBe('On air: awaiting the as-run when the day is over (due by Thu 12 Mar 00:00 MST)');
    expect(r.entries.every((l) => l.outcome === null && l.description === 'Awaiting the as-run')).toBe(true);
    expect(r.counts).toMatchObject({ entries: 5, awaiting_as_run: 5, missed: 0, unscheduled: 0 });
    expect(r.campaigns.find((c) => c.campaignId === 'c1')).toMatchObject({ placed: 2, awaitingAsRun: 2, makeGoodsPlaced: 1, aired: 0 });
  });

  it('awaits an as-run that never came, overdue past the deadline', () => {
    const r = dayReport({ station, date: DATE, day: DAY, entries: [entry({ startsAt: at('06:00:00') })], plays: [], campaigns, now: DAY.endsAt + 2 * 86_400_000 });
    expect(r).toMatchObject({ state: 'awaiting_as_run', overdue: true, stateText: 'The as-run is overdue: it was due by Thu 12 Mar 00:00 MST' });
    expect(r.airing).toBeUndefined();
  });

  it('says cut-short, substituted and moved entries in words', () => {
    const cut = entry({ startsAt: at('07:00:00') });
    const replaced = entry({ startsAt: at('07:30:00') });
    const moved = entry({ startsAt: at('08:00:00') });
    const r = dayReport({
      station,
      date: DATE,
      day: DAY,
      entries: [cut, replaced, moved],
      plays: [
        play({ startedAt: at('07:00:00'), durationMs: 9_000, trackId: cut.trackId }),
        play({ startedAt: at('07:30:20'), durationMs: 30_000, trackId: 'other-copy', type: 'ADV', title: 'Desert Bakery, Winter' }),
        play({ startedAt: at('09:45:00'), durationMs: 30_000, trackId: moved.trackId }),
      ],
      campaigns,
      now: afterTheDay,
    });
    expect(r.entries.map((l) => l.description)).toEqual(['Cut short: played 9 s of 30 s (30 %)', 'Substituted: “Desert Bakery, Winter” played in its place at 07:30:20', 'Moved: aired at 09:45:00, 1 h 45 min late']);
  });

  it('writes one CSV row per entry: a header row, RFC 4180 quoting, CRLF', () => {
    const lines = dayReportCsv(report()).split('\r\n');
    expect(lines[0]).toBe(
      'station,date,position,scheduled_at,length_seconds,type,title,artist,advertiser,campaign,make_good_of,outcome,timing,offset_seconds,aired_at,aired_seconds,aired_title,aired_artist,source,matched_by,reason,description,entry_id',
    );
    expect(lines).toHaveLength(7);
    expect(lines.at(-1)).toBe('');
    expect(lines[1]).toMatch(/^kqtr,2026-03-10,\d+,2026-03-10T06:10:00-07:00,30,ADV,Rainbow Motors — Fall Sale,,Rainbow Motors,Fall Sale,,aired,early,-180,2026-03-10T06:07:00-07:00,30,Rainbow Motors — Fall Sale,,libretime,track_id,,Aired 3 min early,e\d+$/);
    expect(dayReportCsv(report(at('12:00:00'))).split('\r\n')[1]).toContain(',awaiting_as_run,');
  });
});

describe('the reconciliation report of a period', () => {
  it('gives each day’s state and counts, and each campaign’s totals over the period', () => {
    const first = report(afterTheDay);
    const p = periodReport({
      station,
      from: '2026-03-10',
      to: '2026-03-12',
      days: [
        { date: '2026-03-10', report: first },
        { date: '2026-03-11', report: { ...first, date: '2026-03-11' } },
        { date: '2026-03-12', report: null },
      ],
      ordered: { c1: 18, c3: 4 },
      names: { ...campaigns, c3: { name: 'Spring Menu', advertiser: 'Cactus Café' } },
    });
    expect(p.days.map((d) => [d.date, d.state, d.counts.entries])).toEqual([
      ['2026-03-10', 'reconciled', 5],
      ['2026-03-11', 'reconciled', 5],
      ['2026-03-12', 'not_built', 0],
    ]);
    expect(p.counts).toMatchObject({ entries: 10, aired: 6, missed: 2, not_due: 2, unscheduled: 2 });
    expect(p.campaigns.map((c) => [c.advertiser, c.ordered, c.placed, c.aired, c.missed, c.madeGood])).toEqual([
      ['Cactus Café', 4, 0, 0, 0, 0],
      ['Desert Bakery', 2, 2, 0, 2, 0],
      ['Rainbow Motors', 18, 4, 2, 0, 2],
    ]);
    expect(periodDaysCsv(p).split('\r\n').slice(0, 2)).toEqual([
      'station,date,state,deadline,entries,awaiting_as_run,aired,aired_partially,substituted,moved,missed,not_due,unscheduled',
      'kqtr,2026-03-10,reconciled,,5,0,3,0,0,0,1,1,1',
    ]);
    expect(periodCampaignsCsv(p).split('\r\n')[3]).toBe('kqtr,2026-03-10,2026-03-12,Rainbow Motors,Fall Sale,c1,18,4,2,0,0,0,0,2,0,2,2');
  });

  it('says spans in words', () => {
    expect([0, 40, 60, 125, 3600, 3780, -170].map(spanInWords)).toEqual(['0 s', '40 s', '1 min', '2 min 5 s', '1 h', '1 h 3 min', '2 min 50 s']);
  });
});
