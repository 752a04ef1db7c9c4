import { describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig } from '../../config/env.js';
import { temporalConnectionOptions } from '../../temporal/connection.js';

describe('configuration from the environment', () => {
  it('has the documented defaults', () => {
    expect(loadConfig({})).toMatchObject({
      dataDir: path.resolve('.data'),
      databaseUrl: undefined,
      temporalAddress: undefined,
      webPort: 3000,
      apiPort: 3001,
      temporalPort: 7233,
      temporalUiPort: 8233,
      pgPort: 5433,
      temporalUiUrl: 'http://localhost:8233',
      apiUrl: 'http://localhost:3001',
    });
  });

  it('points at external PostgreSQL and Temporal when given', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://u:p@db:5432/librelog', TEMPORAL_ADDRESS: 'temporal:7233', TEMPORAL_UI_PORT: '9000' });
    expect(config).toMatchObject({ databaseUrl: 'postgres://u:p@db:5432/librelog', temporalAddress: 'temporal:7233', temporalUiUrl: 'http://localhost:9000' });
  });

  it('says which variable is wrong', () => {
    expect(() => loadConfig({ API_PORT: 'http' })).toThrow(new ConfigError('API_PORT must be a TCP port (1-65535), got "http"'));
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL must be a postgres/);
  });

  it('speaks plain gRPC to Temporal unless TLS is asked for or implied', () => {
    const temporal = { TEMPORAL_ADDRESS: 'temporal.example.org:7233' };
    expect(loadConfig(temporal)).toMatchObject({ temporalTls: undefined, temporalApiKey: undefined });
    expect(temporalConnectionOptions(loadConfig(temporal))).toEqual({ address: 'temporal.example.org:7233', tls: false });
    expect(loadConfig({ ...temporal, TEMPORAL_TLS: 'true' }).temporalTls).toEqual({});
    expect(loadConfig({ ...temporal, TEMPORAL_TLS_SERVER_NAME: 'temporal.internal' }).temporalTls).toEqual({ serverName: 'temporal.internal' });
    expect(loadConfig({ ...temporal, TEMPORAL_TLS_CA: 'certs/ca.pem' }).temporalTls).toEqual({ caFile: path.resolve('certs/ca.pem') });
    // An API key implies TLS (Temporal Cloud); TEMPORAL_TLS=false sends it in the clear on purpose.
    expect(temporalConnectionOptions(loadConfig({ ...temporal, TEMPORAL_API_KEY: 'key-1' }))).toEqual({ address: 'temporal.example.org:7233', tls: {}, apiKey: 'key-1' });
    expect(temporalConnectionOptions(loadConfig({ ...temporal, TEMPORAL_API_KEY: 'key-1', TEMPORAL_TLS: 'false' }))).toEqual({ address: 'temporal.example.org:7233', tls: false, apiKey: 'key-1' });
  });

  it('refuses TLS settings that cannot work, naming the variable', () => {
    const temporal = { TEMPORAL_ADDRESS: 'temporal.example.org:7233' };
    expect(() => loadConfig({ ...temporal, TEMPORAL_TLS_CERT: 'client.pem' })).toThrow(new ConfigError('TEMPORAL_TLS_CERT is set without TEMPORAL_TLS_KEY: a client certificate needs both'));
    expect(() => loadConfig({ ...temporal, TEMPORAL_TLS_KEY: 'client.key' })).toThrow(new ConfigError('TEMPORAL_TLS_KEY is set without TEMPORAL_TLS_CERT: a client certificate needs both'));
    expect(() => loadConfig({ ...temporal, TEMPORAL_TLS: 'false', TEMPORAL_TLS_CA: 'ca.pem' })).toThrow(new ConfigError('TEMPORAL_TLS is false but TEMPORAL_TLS_CA is set'));
    expect(() => loadConfig({ ...temporal, TEMPORAL_TLS: 'sometimes' })).toThrow(new ConfigError('TEMPORAL_TLS must be true or false, got "sometimes"'));
    expect(() => loadConfig({ TEMPORAL_TLS_CA: 'ca.pem' })).toThrow(/^TEMPORAL_TLS_CA needs TEMPORAL_ADDRESS/);
    expect(() => loadConfig({ TEMPORAL_API_KEY: 'key-1' })).toThrow(/^TEMPORAL_API_KEY needs TEMPORAL_ADDRESS/);
  });

  it('refuses a certificate file that is missing or not PEM when connecting, naming the variable', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'librelog-config-'));
    try {
      await writeFile(path.join(dir, 'ca.pem'), 'not a certificate\n');
      const config = (env: Record<string, string>) => loadConfig({ TEMPORAL_ADDRESS: 'temporal.example.org:7233', ...env });
      expect(() => temporalConnectionOptions(config({ TEMPORAL_TLS_CA: path.join(dir, 'missing.pem') }))).toThrow(new ConfigError(`TEMPORAL_TLS_CA: cannot read ${path.join(dir, 'missing.pem')} (ENOENT)`));
      expect(() => temporalConnectionOptions(config({ TEMPORAL_TLS_CA: path.join(dir, 'ca.pem') }))).toThrow(/^TEMPORAL_TLS_CA: .*ca\.pem is not a PEM certificate/);
      expect(() => temporalConnectionOptions(config({ TEMPORAL_TLS_CERT: path.join(dir, 'ca.pem'), TEMPORAL_TLS_KEY: path.join(dir, 'ca.pem') }))).toThrow(/^TEMPORAL_TLS_CERT: .* is not a PEM certificate/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('sizes the worker and the database pool, the pool following the worker unless set', () => {
    expect(loadConfig({})).toMatchObject({ worker: { maxActivities: 10, maxLocalActivities: 10, maxWorkflowTasks: 40, shutdownGraceSeconds: 20 }, databasePoolMax: 25 });
    const tuned = loadConfig({ LIBRELOG_WORKER_ACTIVITIES: '30', LIBRELOG_WORKER_LOCAL_ACTIVITIES: '5', LIBRELOG_WORKER_WORKFLOW_TASKS: '8', LIBRELOG_SHUTDOWN_GRACE_SECONDS: '60' });
    expect(tuned).toMatchObject({ worker: { maxActivities: 30, maxLocalActivities: 5, maxWorkflowTasks: 8, shutdownGraceSeconds: 60 }, databasePoolMax: 40 });
    expect(loadConfig({ DATABASE_POOL_MAX: '12' }).databasePoolMax).toBe(12);
    expect(() => loadConfig({ LIBRELOG_WORKER_ACTIVITIES: '0' })).toThrow(new ConfigError('LIBRELOG_WORKER_ACTIVITIES must be a whole number of activities (1-1000), got "0"'));
    expect(() => loadConfig({ LIBRELOG_WORKER_WORKFLOW_TASKS: '1' })).toThrow(/LIBRELOG_WORKER_WORKFLOW_TASKS must be a whole number of workflow tasks \(2-1000\)/);
    expect(() => loadConfig({ LIBRELOG_SHUTDOWN_GRACE_SECONDS: '2.5' })).toThrow(/LIBRELOG_SHUTDOWN_GRACE_SECONDS must be a whole number of seconds/);
    expect(() => loadConfig({ DATABASE_POOL_MAX: 'lots' })).toThrow(/DATABASE_POOL_MAX must be a whole number of connections/);
  });
});
