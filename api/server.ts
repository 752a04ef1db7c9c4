// The API server. `npm run api` starts it alone against DATABASE_URL and TEMPORAL_ADDRESS;
// `npm start` starts it next to everything else.
import type { Connection } from '@temporalio/client';
import type { Knex } from 'knex';
import type { Server } from 'node:http';
import { pathToFileURL } from 'node:url';
import { checkSecrets, ConfigError, loadConfig } from '../config/env.js';
import { createDb } from '../db/knex.js';
import { watchAccessChanges } from '../db/access-changes.js';
import { createLogStatusFeed } from '../db/log-status-feed.js';
import { connectTemporal } from '../temporal/client.js';
import { temporalConnectionOptions } from '../temporal/connection.js';
import { createApp } from './app.js';
import { createLibreTalkSocket } from './libretalk-socket.js';
import { createLiveSocket } from './live-socket.js';
import { attachSockets } from './sockets.js';
import type { TemporalHealthCheck } from './routes/health.js';
import type { BroadcastDaysDeps } from './routes/logs.js';

export interface RunningApi {
  url: string;
  close(): Promise<void>;
}

/** A health check on a Temporal connection: the frontend's own gRPC health service. */
export function temporalHealth(connection: Connection, namespace: string): TemporalHealthCheck {
  return {
    namespace,
    async check() {
      await connection.withDeadline(Date.now() + 2_000, () => connection.healthService.check({}));
    },
  };
}

export async function startApi(options: {
  port: number;
  db: Knex;
  temporal: TemporalHealthCheck;
  temporalUiUrl?: string;
  jwtSecret: string;
  broadcastDays?: BroadcastDaysDeps;
  dataDir: string;
  maxUploadBytes?: number;
}): Promise<RunningApi> {
  const { trustedProxies, cookieSecure } = loadConfig();
  const accessChanges = watchAccessChanges(options.db, { log: (message) => console.warn(message) });
  const app = createApp({
    accessChanges,
    trustedProxies,
    https: cookieSecure,
    db: options.db,
    temporal: options.temporal,
    temporalUiUrl: options.temporalUiUrl,
    jwtSecret: options.jwtSecret,
    broadcastDays: options.broadcastDays,
    dataDir: options.dataDir,
    ...(options.maxUploadBytes !== undefined && { maxUploadBytes: options.maxUploadBytes }),
  });
  const server = await new Promise<Server>((resolve, reject) => {
    const listening = app.listen(options.port, () => resolve(listening)).once('error', reject);
  });
  const feed = createLogStatusFeed(options.db, { log: (message) => console.warn(message) });
  const live = attachSockets(server, { db: options.db, jwtSecret: options.jwtSecret, log: console.error }, [
    createLiveSocket({ db: options.db, feed, temporal: options.broadcastDays, log: console.error }),
    createLibreTalkSocket({ db: options.db, feed, dataDir: options.dataDir, maxUploadBytes: options.maxUploadBytes ?? 50 * 1024 * 1024, broadcastDays: options.broadcastDays, log: console.error }),
  ]);
  return {
    url: `http://localhost:${options.port}`,
    close: async () => {
      await live.close();
      await feed.close();
      await accessChanges.close();
      await new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeIdleConnections();
      });
    },
  };
}

async function main() {
  const config = loadConfig();
  if (!config.databaseUrl || !config.temporalAddress || !config.jwtSecret) {
    throw new Error('npm run api needs DATABASE_URL, TEMPORAL_ADDRESS and LIBRELOG_JWT_SECRET (npm start runs everything on embedded defaults)');
  }
  checkSecrets(config, ['jwtSecret']);
  const db = createDb(config.databaseUrl, { pool: { min: 0, max: config.databasePoolMax } });
  const temporal = await connectTemporal(temporalConnectionOptions(config), config.temporalNamespace);
  const api = await startApi({
    port: config.apiPort,
    db,
    temporal: temporalHealth(temporal.connection, config.temporalNamespace),
    temporalUiUrl: config.temporalUiUrl,
    jwtSecret: config.jwtSecret,
    dataDir: config.dataDir,
    maxUploadBytes: config.maxUploadBytes,
    broadcastDays: { client: temporal.client, taskQueue: config.taskQueue, namespace: config.temporalNamespace, temporalUiUrl: config.temporalUiUrl },
  });
  console.log(`LibreLog API on ${api.url}/api/v1 (docs: ${api.url}/api/docs)`);
  const stop = async () => {
    await api.close();
    await temporal.close();
    await db.destroy();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    // A setting that is wrong is said in a paragraph; anything else in full.
    console.error(error instanceof ConfigError ? `LibreLog could not start: ${error.message}` : error);
    process.exit(1);
  });
}
