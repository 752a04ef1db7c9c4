// The embedded PostgreSQL starts from any folder and as any user: as root from a folder only
// root may enter it keeps its cluster where the postgres user can reach it, and a start that
// cannot work says what PostgreSQL said.
import { chmod, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { CLUSTER_NOTE, EmbeddedPostgresError, startEmbeddedPostgres } from '../../db/embedded-postgres.js';
import { freePort } from '../support/ports.js';

const asRoot = os.userInfo().uid === 0;

async function ask<T>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}

describe('embedded PostgreSQL', async () => {
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'librelog-embedded-pg-'));
  // Open like /var/lib, where the runtime folder normally lives.
  await chmod(scratch, 0o755);
  afterAll(() => rm(scratch, { recursive: true, force: true }));

  it.runIf(asRoot)('runs as root from a data folder inside a folder only root may enter, and keeps its data across restarts', async () => {
    const privateHome = path.join(scratch, 'root-only');
    const dataDir = path.join(privateHome, 'librelog', '.data');
    await mkdir(dataDir, { recursive: true });
    await chmod(privateHome, 0o700);
    // Its own runtime folder, so the test does not depend on what earlier runs left in /var/lib.
    const runtimeDir = path.join(scratch, 'runtime');
    const port = await freePort();

    const first = await startEmbeddedPostgres({ dataDir, port, runtimeDir });
    try {
      expect(first.databaseDir.startsWith(path.join(runtimeDir, 'clusters'))).toBe(true);
      expect(await readFile(path.join(dataDir, CLUSTER_NOTE), 'utf8')).toContain(first.databaseDir);
      const [settings] = await ask<{ encoding: string; user: string }>(first.serverUrl, "select current_setting('server_encoding') as encoding, current_user as user");
      expect(settings).toEqual({ encoding: 'UTF8', user: 'postgres' });
      await ask(first.serverUrl, 'create table kept (note text)');
      await ask(first.serverUrl, "insert into kept values ('still here')");
    } finally {
      await first.stop();
    }

    const second = await startEmbeddedPostgres({ dataDir, port, runtimeDir });
    try {
      expect(second.databaseDir).toBe(first.databaseDir);
      expect(await ask(second.serverUrl, 'select note from kept')).toEqual([{ note: 'still here' }]);
    } finally {
      await second.stop();
    }
  }, 120_000);

  it('keeps the cluster in the data folder when its user can reach it, and sorts text the same on every machine', async () => {
    const dataDir = path.join(scratch, 'open', '.data');
    await mkdir(dataDir, { recursive: true });
    const server = await startEmbeddedPostgres({ dataDir, port: await freePort(), persistent: false, runtimeDir: path.join(scratch, 'runtime') });
    try {
      expect(server.databaseDir).toBe(path.join(dataDir, 'postgres'));
      const sorted = await ask<{ word: string }>(server.serverUrl, "select word from unnest(array['banana', 'Zebra', 'apple', 'Éclair']) as word order by word");
      expect(sorted.map((row) => row.word)).toEqual(['Zebra', 'apple', 'banana', 'Éclair']);
      expect(await ask(server.serverUrl, "select upper('éclair') as word")).toEqual([{ word: 'ÉCLAIR' }]);
    } finally {
      await server.stop();
    }
  }, 120_000);

  it('says what PostgreSQL said when its port is taken', async () => {
    const taken = net.createServer().listen(0, '127.0.0.1');
    await new Promise((resolve) => taken.once('listening', resolve));
    const port = (taken.address() as net.AddressInfo).port;
    try {
      const dataDir = path.join(scratch, 'busy', '.data');
      const failure = await startEmbeddedPostgres({ dataDir, port, persistent: false, runtimeDir: path.join(scratch, 'runtime') }).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(EmbeddedPostgresError);
      expect((failure as EmbeddedPostgresError).serverSaid).toMatch(/FATAL: +could not create any TCP\/IP sockets/);
    } finally {
      taken.close();
    }
  }, 120_000);
});
