// The build steps as the worker runs them (local activities, stages in memory): a step that
// lands on another worker, or after a restart, makes the stages it lacks again from the inputs
// and the day comes out the same.
import { describe, expect, it } from 'vitest';
import { importStationBundle } from '../../db/bundle-import.js';
import type { BuildStep } from '../../activities/broadcast-day.js';
import { useTestDatabase } from '../support/db.js';
import { activitiesFor } from '../support/temporal.js';
import { smallStationBundle } from '../fixtures/bundles.js';

const db = useTestDatabase();

async function entriesOf(logId: string) {
  return (await db('log_entries').where({ logId }).orderBy('position').select('id', 'startsAt', 'lengthMs', 'trackId', 'fadedEarlyMs')) as unknown[];
}

describe('build steps with their stages in memory', () => {
  it('a step on a worker that holds no stage makes it again, and the day is the same', async () => {
    await importStationBundle(db, smallStationBundle());
    const date = '2026-12-08';
    const one = activitiesFor(db);
    const opened = await one.openBroadcastDay({ stationId: 'kqtr', date, workflowId: `broadcast-day:kqtr:${date}`, runId: 'r1' });
    const step: BuildStep = { stationId: opened.stationId, date, seed: 7, logId: opened.logId, version: 1, stages: 'memory' };

    // All on one worker.
    await one.expandClocks(step);
    await one.placeTraffic({ ...step, after: 'expanded' });
    await one.overlayVoiceTracks({ ...step, after: 'traffic' });
    await one.scheduleMusic({ ...step, after: 'voiced' });
    const whole = await one.saveDraft({ ...step, after: 'music' });
    const first = await entriesOf(opened.logId);
    expect(first.length).toBe(whole.entries);
    expect(await db('log_build_stages').where({ logId: opened.logId })).toEqual([]);

    // Each step on a fresh worker (nothing in memory): the same draft.
    const again = { ...step, version: 2 };
    await activitiesFor(db).expandClocks(again);
    await activitiesFor(db).placeTraffic({ ...again, after: 'expanded' });
    await activitiesFor(db).overlayVoiceTracks({ ...again, after: 'traffic' });
    await activitiesFor(db).scheduleMusic({ ...again, after: 'voiced' });
    const scattered = await activitiesFor(db).saveDraft({ ...again, after: 'music' });
    expect(scattered).toMatchObject({ entries: whole.entries, errors: whole.errors, warnings: whole.warnings, bumpedSpots: whole.bumpedSpots });
    expect(await entriesOf(opened.logId)).toEqual(first);
  });
});
