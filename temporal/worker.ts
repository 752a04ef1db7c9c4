// The Temporal worker: runs LibreLog's workflows and activities on the task queue.
// `npm run worker` starts it alone against DATABASE_URL and TEMPORAL_ADDRESS.
import { NativeConnection, Worker } from '@temporalio/worker';
import type { Knex } from 'knex';
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { activityDeps, createActivities } from '../activities/index.js';
import { loadConfig } from '../config/env.js';
import { createDb } from '../db/knex.js';
import { connectTemporal, ensureSearchAttributes } from './client.js';

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
  address: string;
  namespace: string;
  taskQueue: string;
  db: Knex;
  dataDir: string;
  /** A pre-built workflow bundle; without one the worker bundles the sources as it starts. */
  workflowBundlePath?: string;
}): Promise<RunningWorker> {
  const connection = await NativeConnection.connect({ address: options.address });
  const worker = await Worker.create({
    connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    ...(options.workflowBundlePath ? { workflowBundle: { codePath: options.workflowBundlePath } } : { workflowsPath: WORKFLOWS_PATH }),
    activities: createActivities(activityDeps(options.db, options.dataDir)),
    shutdownGraceTime: '10 seconds',
  });
  const finished = worker.run().finally(() => connection.close());
  return {
    finished,
    async shutdown() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await finished;
    },
  };
}

async function main() {
  const config = loadConfig();
  if (!config.databaseUrl || !config.temporalAddress) {
    throw new Error('npm run worker needs DATABASE_URL and TEMPORAL_ADDRESS (npm start runs everything on embedded defaults)');
  }
  const temporal = await connectTemporal(config.temporalAddress, config.temporalNamespace);
  await ensureSearchAttributes(temporal.connection, config.temporalNamespace);
  await temporal.close();
  const db = createDb(config.databaseUrl);
  const workflowBundlePath = existsSync(WORKFLOW_BUNDLE_PATH) ? WORKFLOW_BUNDLE_PATH : undefined;
  const worker = await startWorker({ address: config.temporalAddress, namespace: config.temporalNamespace, taskQueue: config.taskQueue, db, dataDir: config.dataDir, workflowBundlePath });
  console.log(
    `LibreLog worker polling task queue "${config.taskQueue}" on ${config.temporalAddress}` +
      (workflowBundlePath ? ' (pre-built workflow bundle)' : ' (workflows bundled at start: run `npm run build:workflows` to skip this)'),
  );
  // The SDK shuts the worker down on SIGINT/SIGTERM by itself; wait for it, then close the pool.
  await worker.finished;
  await db.destroy();
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
