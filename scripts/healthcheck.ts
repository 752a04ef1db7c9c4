// Container healthcheck: `tsx scripts/healthcheck.ts api|web|worker` exits 0 when that part
// is healthy, 1 otherwise. The API and web app are asked over HTTP on the port they listen
// on; the worker has no port, so Temporal is asked whether this container's worker polls, and
// the database whether it answers (a worker that cannot reach it can build nothing).
import os from 'node:os';
import pg from 'pg';
import { loadConfig, type Config } from '../config/env.js';
import { connectTemporal } from '../temporal/client.js';
import { temporalConnectionOptions } from '../temporal/connection.js';

const TIMEOUT_MS = 5_000;
/**
 * A polling worker comes back at least once a minute (long-poll timeout), but Temporal keeps
 * a gone poller listed for minutes: older entries than this are a worker that stopped.
 */
const POLLER_MAX_AGE_MS = 2 * 60_000;

type Part = 'api' | 'web' | 'worker';

async function httpHealthy(url: string): Promise<boolean> {
  const response = await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS) });
  const body = await response.text();
  console.log(`${url}: ${response.status} ${body.slice(0, 500)}`);
  return response.ok;
}

function secondsOf(value: number | { toNumber(): number } | null | undefined): number {
  if (value === null || value === undefined) return 0;
  return typeof value === 'number' ? value : value.toNumber();
}

/** Is a worker in this container (SDK identity `pid@hostname`) polling the workflow task queue? */
async function workerPolling(config: Config): Promise<boolean> {
  // Without TEMPORAL_ADDRESS, `npm start` runs the dev server on TEMPORAL_PORT.
  const address = config.temporalAddress ?? `127.0.0.1:${config.temporalPort}`;
  const temporal = await connectTemporal(temporalConnectionOptions(config, address), config.temporalNamespace, { connectTimeout: TIMEOUT_MS });
  const { connection } = temporal;
  try {
    // An unspecified task queue type means the workflow task queue.
    const { pollers } = await connection.withDeadline(Date.now() + TIMEOUT_MS, () =>
      connection.workflowService.describeTaskQueue({ namespace: config.temporalNamespace, taskQueue: { name: config.taskQueue } }),
    );
    const suffix = `@${os.hostname()}`;
    const now = Date.now();
    const ours = (pollers ?? []).filter((poller) => poller.identity?.endsWith(suffix));
    const fresh = ours.filter((poller) => now - secondsOf(poller.lastAccessTime?.seconds) * 1000 <= POLLER_MAX_AGE_MS);
    console.log(`task queue "${config.taskQueue}" on ${address}: ${pollers?.length ?? 0} poller(s), ${fresh.length} recent from this container`);
    return fresh.length > 0;
  } finally {
    await temporal.close();
  }
}

/** Does the worker's database answer (a paused or restarting server does not)? */
async function databaseAnswers(config: Config): Promise<boolean> {
  if (!config.databaseUrl) return true; // npm start: the embedded server lives and dies with the process
  const client = new pg.Client({ connectionString: config.databaseUrl, connectionTimeoutMillis: TIMEOUT_MS, query_timeout: TIMEOUT_MS });
  try {
    await client.connect();
    await client.query('SELECT 1');
    console.log('database: answers');
    return true;
  } catch (error) {
    console.log(`database: ${error instanceof Error ? error.message : String(error)}`);
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function check(part: Part): Promise<boolean> {
  const config = loadConfig();
  switch (part) {
    case 'api':
      return httpHealthy(`http://127.0.0.1:${config.apiPort}/api/v1/health`);
    case 'web':
      return httpHealthy(`http://127.0.0.1:${config.webPort}/healthz`);
    case 'worker': {
      // A worker that polls but cannot reach the database builds nothing: both must hold.
      const [polling, database] = await Promise.all([workerPolling(config), databaseAnswers(config)]);
      return polling && database;
    }
  }
}

function isPart(value: string | undefined): value is Part {
  return value === 'api' || value === 'web' || value === 'worker';
}

async function main(): Promise<number> {
  const part = process.argv[2];
  if (!isPart(part)) {
    console.error('usage: tsx scripts/healthcheck.ts api|web|worker');
    return 1;
  }
  try {
    return (await check(part)) ? 0 : 1;
  } catch (error) {
    console.error(`${part} unhealthy:`, error instanceof Error ? error.message : error);
    return 1;
  }
}

// Exit explicitly: an idle keep-alive socket must not hold the healthcheck open.
main().then(
  (code) => process.exit(code),
  () => process.exit(1),
);
