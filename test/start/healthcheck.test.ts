// The worker's container healthcheck: green while this host's worker polls Temporal and the
// database answers; red while the database does not (a worker that cannot reach it builds nothing).
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, inject, it } from 'vitest';
import { useTestDatabase } from '../support/db.js';
import { activitiesFor, useTemporal } from '../support/temporal.js';
import { freePort } from '../support/ports.js';

const db = useTestDatabase();
const temporal = useTemporal();
const root = fileURLToPath(new URL('../..', import.meta.url));

async function healthcheck(env: Record<string, string>): Promise<{ code: number; output: string }> {
  try {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/healthcheck.ts', 'worker'], { cwd: root, env: { ...process.env, ...env } });
    return { code: 0, output: stdout };
  } catch (error) {
    const failed = error as { code: number; stdout: string };
    return { code: failed.code, output: failed.stdout };
  }
}

describe('the worker healthcheck', () => {
  it('is green while the worker polls and the database answers, red while the database does not', async () => {
    const env = { TEMPORAL_ADDRESS: inject('temporalAddress'), LIBRELOG_TASK_QUEUE: temporal.taskQueue };
    await temporal.withWorker(activitiesFor(db), async () => {
      // Give the worker a moment to poll.
      await new Promise((r) => setTimeout(r, 1_000));
      const green = await healthcheck({ ...env, DATABASE_URL: inject('pgServerUrl') });
      expect(green.output).toMatch(/recent from this container/);
      expect(green.output).toMatch(/database: answers/);
      expect(green.code).toBe(0);
      const red = await healthcheck({ ...env, DATABASE_URL: `postgres://nobody:x@127.0.0.1:${await freePort()}/librelog` });
      expect(red.output).toMatch(/database: .*(ECONNREFUSED|connect)/);
      expect(red.code).toBe(1);
    });
  });
});
