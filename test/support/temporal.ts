// Temporal for one test file: the dev server started by the global setup, a client, and
// a task queue of the file's own so workers of different files never share work.
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, inject } from 'vitest';
import { activityDeps, createActivities } from '../../activities/index.js';
import type { Knex } from 'knex';
import { ensureSearchAttributes } from '../../temporal/client.js';
import { WORKFLOWS_PATH } from '../../temporal/worker.js';

// Worker state changes at INFO drown the test report; warnings and errors still show.
try {
  Runtime.install({ logger: new DefaultLogger('WARN') });
} catch {
  // already installed in this test process
}

export interface TemporalTestContext {
  env: TestWorkflowEnvironment;
  taskQueue: string;
  /** Runs `fn` while a worker with LibreLog's workflows and the given activities polls the task queue. */
  withWorker<T>(activities: ReturnType<typeof createActivities>, fn: () => Promise<T>): Promise<T>;
}

export function useTemporal(): TemporalTestContext {
  const taskQueue = `test-${randomBytes(4).toString('hex')}`;
  const context = { taskQueue } as TemporalTestContext;

  beforeAll(async () => {
    context.env = await TestWorkflowEnvironment.createFromExistingServer({ address: inject('temporalAddress') });
  });
  afterAll(async () => {
    await context.env?.teardown();
  });

  context.withWorker = async (activities, fn) => {
    const worker = await Worker.create({
      connection: context.env.nativeConnection,
      namespace: context.env.namespace ?? 'default',
      taskQueue,
      workflowsPath: WORKFLOWS_PATH,
      activities,
    });
    return worker.runUntil(fn);
  };
  return context;
}

/** The real activities on the test's database, publishing files under `dataDir`. */
export function activitiesFor(db: Knex, dataDir = path.join(os.tmpdir(), 'librelog-test-published')) {
  return createActivities(activityDeps(db, dataDir));
}

/**
 * Temporal's time-skipping test server for one test file (long timers pass in seconds), with
 * LibreLog's search attributes; `env` is ready inside tests and hooks.
 */
export function useTimeSkipping(): { env: TestWorkflowEnvironment } {
  const context = {} as { env: TestWorkflowEnvironment };
  beforeAll(async () => {
    context.env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path: inject('temporalTestServer') } } });
    await ensureSearchAttributes(context.env.connection, context.env.namespace ?? 'default');
  });
  afterAll(async () => {
    await context.env?.teardown();
  });
  return context;
}
