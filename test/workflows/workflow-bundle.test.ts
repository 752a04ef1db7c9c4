// Production workers start from workflow code bundled ahead of time (npm run build:workflows,
// done in the Docker image): a worker started from that bundle runs a station's workflow.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { importStationBundle } from '../../db/bundle-import.js';
import { bundleWorkflows } from '../../scripts/bundle-workflows.js';
import { startWorker } from '../../temporal/worker.js';
import { stationSummary, stationSummaryWorkflowId } from '../../workflows/station-summary.js';
import { smallStationBundle } from '../fixtures/bundles.js';
import { useTestDatabase } from '../support/db.js';
import { useTemporal } from '../support/temporal.js';

const db = useTestDatabase();
const temporal = useTemporal();
const dir = await mkdtemp(path.join(os.tmpdir(), 'librelog-bundle-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('the pre-built workflow bundle', () => {
  it('is written by build:workflows and a worker started from it runs a workflow', async () => {
    await importStationBundle(db, smallStationBundle());
    const bundle = await bundleWorkflows(path.join(dir, 'workflow-bundle.js'));
    const worker = await startWorker({ connection: { address: inject('temporalAddress'), tls: false }, namespace: 'default', taskQueue: temporal.taskQueue, db, dataDir: dir, workflowBundlePath: bundle });
    try {
      const summary = await temporal.env.client.workflow.execute(stationSummary, {
        taskQueue: temporal.taskQueue,
        workflowId: `${stationSummaryWorkflowId('kqtr')}:${temporal.taskQueue}`,
        args: ['kqtr', '2026-11-25'],
      });
      expect(summary).toMatchObject({ slug: 'kqtr', clocks: 2, gridHours: 168 });
    } finally {
      await worker.shutdown();
    }
  });
});
