// `npm run worker` told to stop (SIGTERM from Docker, Ctrl-C): it stops taking work, lets the
// activity it is running finish within the grace time, closes its database pool and exits 0;
// what the workflow does next is picked up by another worker. The signal goes to npm, as tini
// sends it in the container: npm passes it on only because the script `exec`s node.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import proto from '@temporalio/proto';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { importStationBundle } from '../../db/bundle-import.js';
import { withDatabase } from '../../db/knex.js';
import { connectTemporal } from '../../temporal/client.js';
import { startWorker } from '../../temporal/worker.js';
import { stationSummary, stationSummaryWorkflowId } from '../../workflows/station-summary.js';
import { smallStationBundle } from '../fixtures/bundles.js';
import { useTestDatabase } from '../support/db.js';
import { until } from '../support/until.js';

const db = useTestDatabase();
const taskQueue = `shutdown-${randomBytes(4).toString('hex')}`;
const root = fileURLToPath(new URL('../..', import.meta.url));
const dir = await mkdtemp(path.join(os.tmpdir(), 'librelog-shutdown-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

/** A worker has the activity and runs it. */
const ACTIVITY_STARTED = proto.temporal.api.enums.v1.PendingActivityState.PENDING_ACTIVITY_STATE_STARTED;

describe('the worker on SIGTERM', () => {
  it('lets the running activity finish, closes its pool and exits 0; another worker completes the workflow', { timeout: 120_000 }, async () => {
    await importStationBundle(db, smallStationBundle());
    const connection = { address: inject('temporalAddress'), tls: false } as const;
    const worker = spawn('npm', ['run', '--silent', 'worker'], {
      cwd: root,
      env: {
        ...process.env,
        DATABASE_URL: withDatabase(inject('pgServerUrl'), ((await db.raw('SELECT current_database() AS name')) as { rows: { name: string }[] }).rows[0]!.name),
        TEMPORAL_ADDRESS: connection.address,
        LIBRELOG_TASK_QUEUE: taskQueue,
        LIBRELOG_DATA_DIR: dir,
        LIBRELOG_SHUTDOWN_GRACE_SECONDS: '30',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, so a failed test can end npm and the worker under it alike.
      detached: true,
    });
    let output = '';
    for (const stream of [worker.stdout, worker.stderr]) stream.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = once(worker, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
    /** Waits for the worker to say `line`; fails at once if it exits before. */
    const says = (line: string) =>
      Promise.race([
        until(() => Promise.resolve(output), (text) => text.includes(line), `the worker to say "${line}"`),
        exited.then(() => {
          if (!output.includes(line)) throw new Error(`the worker exited without saying "${line}":\n${output}`);
        }),
      ]);
    const temporal = await connectTemporal(connection, 'default');
    // Holding the stations table makes the summary activity wait mid-query: it is "running".
    const hold = await db.transaction();
    try {
      await says('polling task queue');
      await hold.raw('LOCK TABLE stations IN ACCESS EXCLUSIVE MODE');
      const handle = await temporal.client.workflow.start(stationSummary, { taskQueue, workflowId: `${stationSummaryWorkflowId('kqtr')}:${taskQueue}`, args: ['kqtr', '2026-12-31'] });
      await until(() => handle.describe(), (run) => run.raw.pendingActivities?.[0]?.state === ACTIVITY_STARTED, 'the activity to start on the worker');

      worker.kill('SIGTERM');
      await says('SIGTERM: stopping; running activities get up to 30 s to finish');
      await new Promise((r) => setTimeout(r, 1_000));
      expect(worker.exitCode, 'the worker waits for its running activity').toBeNull();
      await hold.commit();
      const [code] = await exited;
      expect(output).toMatch(/LibreLog worker stopped/);
      expect(code, output).toBe(0);

      const events = (await handle.fetchHistory()).events ?? [];
      expect(events.some((event) => event.activityTaskCompletedEventAttributes), 'the activity finished on the stopping worker').toBe(true);

      const other = await startWorker({ connection, namespace: 'default', taskQueue, db, dataDir: dir });
      try {
        expect(await handle.result()).toMatchObject({ slug: 'kqtr', clocks: 2 });
      } finally {
        await other.shutdown();
      }
    } finally {
      if (!hold.isCompleted()) await hold.rollback();
      if (worker.exitCode === null && worker.pid) process.kill(-worker.pid, 'SIGKILL');
      await temporal.close();
    }
  });
});
