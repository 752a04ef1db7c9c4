import { WorkflowFailedError } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { importStationBundle } from '../../db/bundle-import.js';
import { ensureSearchAttributes } from '../../temporal/client.js';
import { SEARCH_ATTRIBUTES } from '../../temporal/search-attributes.js';
import { stationSummary, stationSummaryWorkflowId } from '../../workflows/station-summary.js';
import { smallStationBundle } from '../fixtures/bundles.js';
import { useTestDatabase } from '../support/db.js';
import { activitiesFor, useTemporal } from '../support/temporal.js';

const db = useTestDatabase();
const temporal = useTemporal();

describe('a workflow round trip through the worker and PostgreSQL', () => {
  it('summarises what a station has to build logs from', async () => {
    await importStationBundle(db, smallStationBundle());
    const summary = await temporal.withWorker(activitiesFor(db), () =>
      temporal.env.client.workflow.execute(stationSummary, {
        taskQueue: temporal.taskQueue,
        workflowId: `${stationSummaryWorkflowId('kqtr')}:${temporal.taskQueue}`,
        args: ['kqtr', '2026-11-25'],
      }),
    );
    expect(summary).toEqual({
      slug: 'kqtr',
      name: 'KQTR Community Radio',
      timezone: 'America/Phoenix',
      tracksByType: { MUS: 2, PSA: 1, LIN: 1, ADV: 1 },
      clocks: 2,
      gridHours: 168,
      advertisers: 1,
      activeCampaigns: 1,
    });
  });

  it('fails at once, without retrying, for a station that does not exist', async () => {
    const run = temporal.withWorker(activitiesFor(db), () =>
      temporal.env.client.workflow.execute(stationSummary, {
        taskQueue: temporal.taskQueue,
        workflowId: `${stationSummaryWorkflowId('nope')}:${temporal.taskQueue}`,
        args: ['nope', '2026-11-25'],
      }),
    );
    const error = await run.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkflowFailedError);
    const activityFailure = (error as WorkflowFailedError).cause;
    expect((activityFailure?.cause as Error | undefined)?.message).toContain('No station with slug "nope"');
  });

  it('finds the custom search attributes registered, and registering again changes nothing', async () => {
    await ensureSearchAttributes(temporal.env.connection, 'default');
    const listed = await temporal.env.connection.operatorService.listSearchAttributes({ namespace: 'default' });
    expect(Object.keys(listed.customAttributes ?? {})).toEqual(expect.arrayContaining(SEARCH_ATTRIBUTES.map((k) => k.name)));
  });
});
