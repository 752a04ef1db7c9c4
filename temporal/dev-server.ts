// The Temporal CLI dev server used when TEMPORAL_ADDRESS is unset: a real Temporal
// server with its state in a SQLite file under the data folder and the Web UI on.
import { Connection } from '@temporalio/client';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { SEARCH_ATTRIBUTES } from './search-attributes.js';

export interface TemporalDevServer {
  address: string;
  uiUrl: string | undefined;
  stop(): Promise<void>;
  /** SIGKILL, as a crash or an OOM kill would end it: what it had committed to its file stays. */
  kill(): Promise<void>;
}

const SEARCH_ATTRIBUTE_TYPE_NAMES: Record<string, string> = { KEYWORD: 'Keyword', TEXT: 'Text', INT: 'Int', DATETIME: 'Datetime', BOOL: 'Bool', DOUBLE: 'Double', KEYWORD_LIST: 'KeywordList' };

export async function startTemporalDevServer(options: {
  binary: string;
  port: number;
  /** Web UI port, or `false` for a headless server (tests). */
  uiPort: number | false;
  /** SQLite file for durable state; in memory when unset. */
  dataDir?: string;
  namespace?: string;
  log?: (line: string) => void;
  startTimeoutMs?: number;
}): Promise<TemporalDevServer> {
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(options.port), '--log-level', 'warn'];
  if (options.dataDir) {
    await mkdir(options.dataDir, { recursive: true });
    args.push('--db-filename', path.join(options.dataDir, 'temporal.sqlite'));
  }
  if (options.uiPort === false) args.push('--headless');
  else args.push('--ui-port', String(options.uiPort), '--ui-disable-news-fetch');
  if (options.namespace && options.namespace !== 'default') args.push('--namespace', options.namespace);
  for (const key of SEARCH_ATTRIBUTES) args.push('--search-attribute', `${key.name}=${SEARCH_ATTRIBUTE_TYPE_NAMES[key.type] ?? 'Keyword'}`);

  // Own process group: a Ctrl-C in the terminal reaches LibreLog, which stops the
  // worker before the server, not all of them at once.
  const child = spawn(options.binary, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const log = options.log ?? (() => undefined);
  const output: string[] = [];
  const collect = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (!line.trim()) continue;
      output.push(line);
      if (output.length > 50) output.shift();
      log(line);
    }
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const killOnExit = () => child.pid && tryKill(-child.pid, 'SIGKILL');
  process.once('exit', killOnExit);

  const address = `127.0.0.1:${options.port}`;
  const deadline = Date.now() + (options.startTimeoutMs ?? 60_000);
  let ready = false;
  while (!ready) {
    if (child.exitCode !== null) {
      throw new Error(`temporal server start-dev exited with code ${child.exitCode}: ${output.slice(-10).join('\n')}`);
    }
    if (Date.now() > deadline) {
      await stopChild(child, exited);
      throw new Error(`temporal server start-dev did not answer on ${address} in time: ${output.slice(-10).join('\n')}`);
    }
    ready = await isServing(address);
    if (!ready) await sleep(200);
  }

  return {
    address,
    uiUrl: options.uiPort === false ? undefined : `http://localhost:${options.uiPort}`,
    async stop() {
      process.removeListener('exit', killOnExit);
      await stopChild(child, exited);
    },
    async kill() {
      process.removeListener('exit', killOnExit);
      if (child.exitCode !== null || child.signalCode !== null || !child.pid) return;
      tryKill(-child.pid, 'SIGKILL');
      await exited;
    },
  };
}

async function isServing(address: string): Promise<boolean> {
  let connection: Connection | undefined;
  try {
    connection = await Connection.connect({ address, connectTimeout: 1_000 });
    await connection.healthService.check({});
    return true;
  } catch {
    return false;
  } finally {
    await connection?.close().catch(() => undefined);
  }
}

function tryKill(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

async function stopChild(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || !child.pid) return;
  tryKill(-child.pid, 'SIGTERM');
  const patience = new AbortController();
  const stopped = await Promise.race([
    exited.then(() => true),
    sleep(15_000, false, { signal: patience.signal }).catch(() => false),
  ]);
  patience.abort();
  if (!stopped) {
    tryKill(-child.pid, 'SIGKILL');
    await exited;
  }
}
