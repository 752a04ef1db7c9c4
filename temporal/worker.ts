// The Temporal worker: runs LibreLog's workflows and activities on the task queue.
// `npm run worker` starts it alone against DATABASE_URL and TEMPORAL_ADDRESS.
import { NativeConnection, Worker } from '@temporalio/worker';
import type { Knex } from 'knex';
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { activityDeps, createActivities } from '../activities/index.js';
import { WORKER_DEFAULTS, loadConfig, type WorkerTuning } from '../config/env.js';
import { createDb } from '../db/knex.js';
import { connectTemporal, ensureSearchAttributes } from './client.js';
import { keepStationSchedules } from './station-schedules.js';
import { connectFailure, temporalConnectionOptions, type TemporalConnectionOptions } from './connection.js';

export const WORKFLOWS_PATH = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));
/**
 * The workflow code bundled ahead of time (`npm run build:workflows`, done in the Docker image):
 * a production worker starts from it instead of bundling the sources at every start.
 */
export const WORKFLOW_BUNDLE_PATH = fileURLToPath(new URL('../build/workflow-bundle.js', import.meta.url));

export interface RunningWorker {
  /** Stops polling, lets running activities finish, and resolves when the worker has stopped. */
  shutdown(): Promise<void>;
  /** Settles when the worker stops (rejects if it crashed). */
  finished: Promise<void>;
}

export async function startWorker(options: {
  /** Address, TLS and API key: `temporalConnectionOptions(config)`. */
  connection: TemporalConnectionOptions;
  namespace: string;
  taskQueue: string;
  db: Knex;
  dataDir: string;
  /** A pre-built workflow bundle; without one the worker bundles the sources as it starts. */
  workflowBundlePath?: string;
  /** Concurrency and shutdown grace (config `worker`); unset fields keep LibreLog's defaults. */
  tuning?: Partial<WorkerTuning>;
}): Promise<RunningWorker> {
  const tuning = { ...WORKER_DEFAULTS, ...options.tuning };
  const connection = await NativeConnection.connect(options.connection).catch(async (error: unknown) => {
    throw await connectFailure(options.connection, error);
  });
  let worker: Worker;
  try {
    worker = await Worker.create({
      connection,
      namespace: options.namespace,
      taskQueue: options.taskQueue,
      ...(options.workflowBundlePath ? { workflowBundle: { codePath: options.workflowBundlePath } } : { workflowsPath: WORKFLOWS_PATH }),
      activities: createActivities(activityDeps(options.db, options.dataDir)),
      maxConcurrentActivityTaskExecutions: tuning.maxActivities,
      maxConcurrentLocalActivityExecutions: tuning.maxLocalActivities,
      maxConcurrentWorkflowTaskExecutions: tuning.maxWorkflowTasks,
      // On shutdown, running activities get this long to finish; then they are cancelled (the
      // long ones heartbeat, so they notice) and Temporal retries them on another worker.
      shutdownGraceTime: tuning.shutdownGraceSeconds * 1000,
      // An activity that ignores its cancellation must not keep the worker from stopping.
      shutdownForceTime: (tuning.shutdownGraceSeconds + SHUTDOWN_FORCE_AFTER_GRACE_SECONDS) * 1000,
    });
  } catch (error) {
    await connection.close();
    throw error;
  }
  const finished = worker.run().finally(() => connection.close());
  return {
    finished,
    async shutdown() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await finished;
    },
  };
}

/** How long after the grace time a worker whose activities ignore cancellation is given up on. */
const SHUTDOWN_FORCE_AFTER_GRACE_SECONDS = 5;

async function main() {
  const config = loadConfig();
  if (!config.databaseUrl || !config.temporalAddress) {
    throw new Error('npm run worker needs DATABASE_URL and TEMPORAL_ADDRESS (npm start runs everything on embedded defaults)');
  }
  const connection = temporalConnectionOptions(config);
  const { maxActivities, maxLocalActivities, shutdownGraceSeconds } = config.worker;
  if (config.databasePoolMax < maxActivities + maxLocalActivities) {
    console.warn(`DATABASE_POOL_MAX (${config.databasePoolMax}) is below the activities this worker runs at once (${maxActivities} + ${maxLocalActivities} local): they will wait for connections`);
  }
  const db = createDb(config.databaseUrl, { pool: { min: 0, max: config.databasePoolMax } });
  const temporal = await connectTemporal(connection, config.temporalNamespace);
  await ensureSearchAttributes(temporal.connection, config.temporalNamespace);
  // A new or restored cluster gets every station's schedules from the first worker that starts.
  await keepStationSchedules(db, temporal.client, config.taskQueue);
  await temporal.close();
  if (config.workflowBundle && !existsSync(config.workflowBundle)) throw new Error(`LIBRELOG_WORKFLOW_BUNDLE names ${config.workflowBundle}, which does not exist: run npm run build:workflows, or unset it`);
  const workflowBundlePath = config.workflowBundle ?? (existsSync(WORKFLOW_BUNDLE_PATH) ? WORKFLOW_BUNDLE_PATH : undefined);
  const worker = await startWorker({ connection, namespace: config.temporalNamespace, taskQueue: config.taskQueue, db, dataDir: config.dataDir, workflowBundlePath, tuning: config.worker });
  console.log(
    `LibreLog worker polling task queue "${config.taskQueue}" on ${config.temporalAddress}${connection.tls ? ' (TLS)' : ''}` +
      (workflowBundlePath ? ' (pre-built workflow bundle)' : ' (workflows bundled at start: run `npm run build:workflows` to skip this)'),
  );
  // The SDK shuts the worker down on SIGINT/SIGTERM by itself: it stops polling and lets running
  // activities finish for the grace time. `once`, so a second signal still ends the process.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => console.log(`${signal}: stopping; running activities get up to ${shutdownGraceSeconds} s to finish`));
  }
  await worker.finished;
  await db.destroy();
  console.log('LibreLog worker stopped');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
