// Temporal behind TLS that wants a client certificate (a self-hosted cluster with mTLS, or
// Temporal Cloud): the client, the worker and the healthcheck connect with TEMPORAL_TLS_* set,
// through a proxy that terminates TLS in front of the plain dev server.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadConfig } from '../../config/env.js';
import { importStationBundle } from '../../db/bundle-import.js';
import { connectTemporal, type TemporalClient } from '../../temporal/client.js';
import { temporalConnectionOptions } from '../../temporal/connection.js';
import { startWorker } from '../../temporal/worker.js';
import { stationSummary, stationSummaryWorkflowId } from '../../workflows/station-summary.js';
import { smallStationBundle } from '../fixtures/bundles.js';
import { createCertificateAuthority } from '../support/certificates.js';
import { useTestDatabase } from '../support/db.js';
import { startTlsProxy, type TlsProxy } from '../support/tls-proxy.js';

// Worker state changes at INFO drown the test report; warnings and errors still show.
try {
  Runtime.install({ logger: new DefaultLogger('WARN') });
} catch {
  // already installed in this test process
}

const db = useTestDatabase();
const taskQueue = `tls-${randomBytes(4).toString('hex')}`;
const dir = await mkdtemp(path.join(os.tmpdir(), 'librelog-tls-'));
const ca = createCertificateAuthority();
const files = {
  ca: path.join(dir, 'ca.pem'),
  cert: path.join(dir, 'worker.pem'),
  key: path.join(dir, 'worker.key'),
  strangerCert: path.join(dir, 'stranger.pem'),
  strangerKey: path.join(dir, 'stranger.key'),
};
let proxy: TlsProxy;
let env: Record<string, string>;
const opened: TemporalClient[] = [];

beforeAll(async () => {
  const worker = ca.issue('librelog-worker', 'client');
  const stranger = createCertificateAuthority('Some other CA').issue('librelog-worker', 'client');
  await Promise.all([
    writeFile(files.ca, ca.cert),
    writeFile(files.cert, worker.cert),
    writeFile(files.key, worker.key),
    writeFile(files.strangerCert, stranger.cert),
    writeFile(files.strangerKey, stranger.key),
  ]);
  proxy = await startTlsProxy({ server: ca.issue('localhost', 'server'), clientCa: ca.cert, target: inject('temporalAddress') });
  // The server name the proxy's certificate is for (without it, the address's 127.0.0.1 is checked, which it also holds).
  env = { TEMPORAL_ADDRESS: proxy.address, TEMPORAL_TLS_CA: files.ca, TEMPORAL_TLS_CERT: files.cert, TEMPORAL_TLS_KEY: files.key, TEMPORAL_TLS_SERVER_NAME: 'localhost' };
});

afterAll(async () => {
  await Promise.all(opened.map((client) => client.close()));
  await proxy?.close();
  await rm(dir, { recursive: true, force: true });
});

async function connect(settings: Record<string, string>, wait: { connectTimeout?: number } = {}): Promise<TemporalClient> {
  const client = await connectTemporal(temporalConnectionOptions(loadConfig(settings)), 'default', wait);
  opened.push(client);
  return client;
}

describe('Temporal over TLS with a client certificate', () => {
  const workflowId = `${stationSummaryWorkflowId('kqtr')}:${taskQueue}`;

  it('a client with the CA, certificate and key connects, starts a workflow and describes it', async () => {
    const { client } = await connect(env);
    const handle = await client.workflow.start(stationSummary, { taskQueue, workflowId, args: ['kqtr', '2026-12-30'] });
    const description = await handle.describe();
    expect(description).toMatchObject({ workflowId, taskQueue, status: { name: 'RUNNING' } });
    expect(proxy.clients).toContain('librelog-worker');
  });

  it('a worker with the same settings runs that workflow to completion, and its healthcheck sees it polling', async () => {
    await importStationBundle(db, smallStationBundle());
    const worker = await startWorker({ connection: temporalConnectionOptions(loadConfig(env)), namespace: 'default', taskQueue, db, dataDir: dir });
    try {
      const { client } = await connect(env);
      const summary = (await client.workflow.getHandle(workflowId).result()) as Awaited<ReturnType<typeof stationSummary>>;
      expect(summary).toMatchObject({ slug: 'kqtr', clocks: 2, gridHours: 168 });

      const root = fileURLToPath(new URL('../..', import.meta.url));
      const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/healthcheck.ts', 'worker'], {
        cwd: root,
        env: { ...process.env, ...env, LIBRELOG_TASK_QUEUE: taskQueue, DATABASE_URL: '' },
      });
      expect(stdout).toMatch(new RegExp(`task queue "${taskQueue}" on ${proxy.address}: \\d+ poller\\(s\\), [1-9]\\d* recent from this container`));
    } finally {
      await worker.shutdown();
    }
  });

  it('refuses a client or worker without a certificate, or with one another CA signed, and says which setting to look at', async () => {
    const { TEMPORAL_TLS_CERT: _cert, TEMPORAL_TLS_KEY: _key, ...withoutCertificate } = env;
    const noCertificate = /^cannot connect to Temporal at 127\.0\.0\.1:\d+ over TLS: the server wants a client certificate: set TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY \(.*certificate required/;
    await expect(connect(withoutCertificate, { connectTimeout: 1_000 })).rejects.toThrow(noCertificate);
    await expect(startWorker({ connection: temporalConnectionOptions(loadConfig(withoutCertificate)), namespace: 'default', taskQueue, db, dataDir: dir })).rejects.toThrow(noCertificate);
    await expect(connect({ ...env, TEMPORAL_TLS_CERT: files.strangerCert, TEMPORAL_TLS_KEY: files.strangerKey }, { connectTimeout: 1_000 })).rejects.toThrow(
      /over TLS: the server does not accept the client certificate in TEMPORAL_TLS_CERT \(/,
    );
    const { TEMPORAL_TLS_CA: _ca, ...withoutCa } = env;
    await expect(connect(withoutCa, { connectTimeout: 1_000 })).rejects.toThrow(/over TLS: the server's certificate is not signed by a trusted CA: set TEMPORAL_TLS_CA/);
  });

  it('refuses a key that does not belong to the certificate before connecting', () => {
    expect(() => temporalConnectionOptions(loadConfig({ ...env, TEMPORAL_TLS_KEY: files.strangerKey }))).toThrow(/^TEMPORAL_TLS_KEY \(.*stranger\.key\) is not the key of the certificate in TEMPORAL_TLS_CERT/);
  });

  it('connects with an API key over TLS too (the dev server behind the proxy ignores the key)', async () => {
    const options = temporalConnectionOptions(loadConfig({ ...env, TEMPORAL_API_KEY: 'librelog-test-key' }));
    expect(options).toMatchObject({ address: proxy.address, apiKey: 'librelog-test-key' });
    expect(options.tls && options.tls.clientCertPair).toBeDefined();
    const { connection } = await connect({ ...env, TEMPORAL_API_KEY: 'librelog-test-key' });
    await expect(connection.workflowService.getSystemInfo({})).resolves.toBeDefined();
    const native = await NativeConnection.connect(options);
    await native.close();
  });
});
