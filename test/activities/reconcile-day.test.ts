// The reconciliation step against a real database, by the rules of docs/reconciliation.md:
// a day with no as-run waits and owes nothing; when the as-run comes late, reconciling again
// owes a make-good for each spot that did not air; a later as-run that shows one of them aired
// withdraws it; a make-good placed in the log that aired is settled; nothing is owed twice.
import { describe, expect, it } from 'vitest';
import type { BuildStep } from '../../activities/broadcast-day.js';
import { importStationBundle } from '../../db/bundle-import.js';
import { listMakeGoods } from '../../db/make-goods.js';
import { smallStationBundle } from '../fixtures/bundles.js';
import { useTestDatabase } from '../support/db.js';
import { activitiesFor } from '../support/temporal.js';

const db = useTestDatabase();

describe('reconciling a day', () => {
  it('waits for an as-run, then owes exactly the spots that did not air, and withdraws one shown to have aired later', async () => {
    await importStationBundle(db, smallStationBundle());
    const date = '2026-12-08';
    const steps = activitiesFor(db);
    const opened = await steps.openBroadcastDay({ stationId: 'kqtr', date, workflowId: `broadcast-day:kqtr:${date}`, runId: 'r1' });
    const step: BuildStep = { stationId: opened.stationId, date, seed: 7, logId: opened.logId, version: 1, stages: 'memory' };
    await steps.expandClocks(step);
    await steps.placeTraffic({ ...step, after: 'expanded' });
    await steps.overlayVoiceTracks({ ...step, after: 'traffic' });
    await steps.scheduleMusic({ ...step, after: 'voiced' });
    await steps.saveDraft({ ...step, after: 'music' });
    const entries = (await db('log_entries').where({ logId: opened.logId }).orderBy('position').select('id', 'campaignId', 'trackId', 'startsAt', 'lengthMs')) as {
      id: string;
      campaignId: string | null;
      trackId: string | null;
      startsAt: Date;
      lengthMs: number;
    }[];
    const spots = entries.filter((e) => e.campaignId);
    expect(spots.length).toBeGreaterThan(2);

    // Nothing came back: the day waits, nothing is missed, nothing owed.
    const waiting = await steps.reconcileDay({ logId: opened.logId, now: Date.parse('2026-12-09T12:00:00Z') });
    expect(waiting).toMatchObject({ state: 'awaiting_as_run', makeGoods: 0, overdue: false });
    expect(await db('make_goods')).toEqual([]);
    const overdue = await steps.reconcileDay({ logId: opened.logId, now: Date.parse('2026-12-12T12:00:00Z') });
    expect(overdue).toMatchObject({ state: 'awaiting_as_run', overdue: true });
    expect(((await db('log_exceptions').where({ logId: opened.logId, kind: 'reconciliation' }).first('message')) as { message: string }).message).toMatch(/^No as-run has come/);

    // The as-run comes (by track, as AzuraCast's history or a file gives it): all but two spots aired on time.
    const [late, lost] = [spots[0]!, spots[1]!];
    const played = entries.filter((e) => e.id !== late.id && e.id !== lost.id && e.trackId);
    await db('playback_history').insert(
      played.map((e, i) => ({ stationId: opened.stationId, source: 'azuracast', externalId: `az-${i}`, trackId: e.trackId, startedAt: e.startsAt, endedAt: new Date(e.startsAt.getTime() + e.lengthMs) })),
    );
    const reconciled = await steps.reconcileDay({ logId: opened.logId });
    expect(reconciled).toMatchObject({ state: 'reconciled', makeGoods: 2 });
    const owedFor = async () => ((await db('make_goods').select('missedEntryId')) as { missedEntryId: string }[]).map((m) => m.missedEntryId).sort();
    expect(await owedFor()).toEqual([late.id, lost.id].sort());
    // The matches now point at their entries (what the report reads).
    expect(Number(((await db('playback_history').whereNotNull('logEntryId').count({ n: '*' }).first()) as { n: string }).n)).toBe(played.length);

    // Again, with the same as-run: nothing changes, nothing owed twice.
    expect(await steps.reconcileDay({ logId: opened.logId })).toMatchObject({ state: 'reconciled', makeGoods: 2 });
    expect(await db('make_goods')).toHaveLength(2);

    // A later import shows one of them aired three minutes late: what was owed for it is withdrawn.
    await db('playback_history').insert({ stationId: opened.stationId, source: 'azuracast', externalId: 'az-late', trackId: late.trackId, startedAt: new Date(late.startsAt.getTime() + 180_000) });
    expect(await steps.reconcileDay({ logId: opened.logId })).toMatchObject({ state: 'reconciled', makeGoods: 1 });
    expect(await owedFor()).toEqual([lost.id]);
  });

  it('owes make-goods at the end of a flight week for the spots an order never got (bumped), and only the difference when run again', async () => {
    const bundle = smallStationBundle();
    // 6 a day in morning drive, which has 4 breaks on a weekday (one spot of an advertiser a break): 2 bumped on the Friday.
    bundle.campaigns![0]!.spotsPerDay = 6;
    await importStationBundle(db, bundle);
    const steps = activitiesFor(db);
    const build = async (date: string) => {
      const opened = await steps.openBroadcastDay({ stationId: 'kqtr', date, workflowId: `broadcast-day:kqtr:${date}`, runId: `r-${date}` });
      const step: BuildStep = { stationId: opened.stationId, date, seed: 11, logId: opened.logId, version: 1, stages: 'memory' };
      await steps.expandClocks(step);
      await steps.placeTraffic({ ...step, after: 'expanded' });
      await steps.overlayVoiceTracks({ ...step, after: 'traffic' });
      await steps.scheduleMusic({ ...step, after: 'voiced' });
      await steps.saveDraft({ ...step, after: 'music' });
      return opened.logId;
    };
    const friday = await build('2026-12-04');
    const placedFriday = Number(((await db('log_entries').where({ logId: friday }).whereNotNull('campaignId').count({ n: '*' }).first()) as { n: string }).n);
    expect(placedFriday).toBe(4);
    // A weekday inside the week: no week ends, nothing owed.
    await steps.reconcileDay({ logId: friday, now: Date.parse('2026-12-05T12:00:00Z') });
    expect(await db('make_goods')).toEqual([]);

    // The Sunday ends the week (only Friday has a log, so only Friday was ordered): 2 owed, even before its as-run.
    const sunday = await build('2026-12-06');
    const waiting = await steps.reconcileDay({ logId: sunday, now: Date.parse('2026-12-07T12:00:00Z') });
    expect(waiting.state).toBe('awaiting_as_run');
    const owed = async () => (await db('make_goods').select('reason', 'status', db.raw(`to_char(short_week_starts_on, 'YYYY-MM-DD') as week`))) as { reason: string; status: string; week: string }[];
    expect(await owed()).toEqual(Array.from({ length: 2 }, () => ({ reason: 'preempted', status: 'owed', week: '2026-11-30' })));
    const note = (await db('log_exceptions').where({ logId: sunday, kind: 'reconciliation' }).select('message')) as { message: string }[];
    expect(note.map((n) => n.message)).toContain('Rainbow Motors — Fall Sale: 4 of the 6 spots ordered for the week of 30 Nov were placed; 2 bumped or preempted spot(s) are owed as make-goods');
    const station = (await db('stations').where({ slug: 'kqtr' }).first('id')) as { id: string };
    const [listed] = await listMakeGoods(db, station.id);
    expect(listed).toMatchObject({ reason: 'preempted', original: null, shortWeek: { startsOn: '2026-11-30', endsOn: '2026-12-06' } });

    // Again: nothing owed twice.
    await steps.reconcileDay({ logId: sunday, now: Date.parse('2026-12-07T12:00:00Z') });
    expect(await owed()).toHaveLength(2);
    // The order was cut to 5 a day (or the logs placed more): 1 of those still only owed is withdrawn.
    await db('campaigns').update({ spotsPerDay: 5 });
    await steps.reconcileDay({ logId: sunday, now: Date.parse('2026-12-07T12:00:00Z') });
    expect(await owed()).toHaveLength(1);
  });
});

