// `npm start`: the whole of LibreLog on one machine, on embedded defaults.
// PostgreSQL (embedded unless DATABASE_URL), the Temporal dev server (unless TEMPORAL_ADDRESS),
// then the worker, the API and the web app, all in this process. Ctrl-C stops them in
// reverse order; the data folder keeps everything for the next start.
import { createWriteStream } from 'node:fs';
import { appendFile, chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { inspect } from 'node:util';
import path from 'node:path';
import { startApi, temporalHealth } from '../api/server.js';
import { checkSecrets, loadConfig, type Config } from '../config/env.js';
import { startEmbeddedPostgres } from '../db/embedded-postgres.js';
import { redactedUrl } from '../db/operation-database.js';
import { createDb, ensureDatabase, migrateToLatest, withDatabase } from '../db/knex.js';
import { ensureFirstAdmin, seedDemoStation } from '../db/seed.js';
import { generateSecret } from '../api/auth/passwords.js';
import { connectTemporal, ensureSearchAttributes } from '../temporal/client.js';
import { temporalConnectionOptions } from '../temporal/connection.js';
import { findTemporalCli } from '../temporal/cli.js';
import { startTemporalDevServer } from '../temporal/dev-server.js';
import { startWorker } from '../temporal/worker.js';
import { buildScheduleId } from '../temporal/broadcast-days.js';
import { keepStationSchedules } from '../temporal/station-schedules.js';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { stationSummary, stationSummaryWorkflowId } from '../workflows/station-summary.js';
import { startWeb } from '../web/server.js';
import { explainStartFailure, starting, type StartPart } from './start-failure.js';
import { broadcastDatesFrom } from '../domain/broadcast-day.js';

type Stop = { name: string; stop: () => Promise<unknown> };
const running: Stop[] = [];
const say = (line: string) => console.log(`[librelog] ${line}`);

/** A log file under the data folder for a part's own chatter (PostgreSQL, Temporal). */
function logFile(config: Config, name: string): (line: string) => void {
  const stream = createWriteStream(path.join(config.dataDir, 'logs', `${name}.log`), { flags: 'a' });
  running.push({ name: `${name} log`, stop: () => new Promise((resolve) => stream.end(resolve)) });
  return (line) => stream.write(`${line}\n`);
}

/** A secret from the environment, else one generated once and kept in the data folder. */
async function keptSecret(config: Config, given: string | undefined, name: string): Promise<string> {
  if (given) return given;
  const file = path.join(config.dataDir, name);
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch {
    const secret = generateSecret(32);
    await writeFile(file, `${secret}\n`, { mode: 0o600 });
    return secret;
  }
}

async function start(config: Config) {
  // Secrets given in the environment must be long enough before anything starts; those made here are.
  checkSecrets(config, (['jwtSecret', 'sessionSecret'] as const).filter((key) => config[key] !== undefined));
  // The worker's own INFO lines (bundling, state changes) would bury the addresses below.
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const dataFolder: StartPart = { name: 'the data folder', folder: { path: config.dataDir, setting: 'LIBRELOG_DATA_DIR' } };
  await starting(dataFolder, async () => {
    await mkdir(path.join(config.dataDir, 'logs'), { recursive: true });
    // Embedded PostgreSQL runs as the `postgres` user when started as root: open, it can keep its cluster here.
    await chmod(config.dataDir, 0o755);
  });
  say(`data folder: ${config.dataDir}`);

  let databaseUrl = config.databaseUrl;
  if (!databaseUrl) {
    say(`starting embedded PostgreSQL on port ${config.pgPort} …`);
    const embedded: StartPart = {
      name: 'the embedded PostgreSQL',
      port: { value: config.pgPort, setting: 'PG_PORT' },
      folder: { path: config.dataDir, setting: 'LIBRELOG_DATA_DIR' },
      instead: 'DATABASE_URL',
    };
    const postgres = await starting(embedded, () => startEmbeddedPostgres({ dataDir: config.dataDir, port: config.pgPort, log: logFile(config, 'postgres') }));
    running.push({ name: 'PostgreSQL', stop: () => postgres.stop() });
    await starting(embedded, () => ensureDatabase(postgres.serverUrl, 'librelog'));
    databaseUrl = withDatabase(postgres.serverUrl, 'librelog');
  }
  const database: StartPart = { name: 'the database', address: { value: config.databaseUrl ? redactedUrl(config.databaseUrl) : 'the embedded PostgreSQL', setting: 'DATABASE_URL' } };
  // The web app reads its configuration from the environment, like every part does in production.
  process.env.DATABASE_URL = databaseUrl;
  const secret = await keptSecret(config, config.jwtSecret, 'jwt-secret');
  process.env.LIBRELOG_JWT_SECRET = secret;
  // The web app signs its session cookies with its own secret.
  process.env.LIBRELOG_SESSION_SECRET = await keptSecret(config, config.sessionSecret, 'session-secret');
  // Made here they are long enough; given (or kept from an edit by hand) they must be too.
  checkSecrets({ jwtSecret: secret, sessionSecret: process.env.LIBRELOG_SESSION_SECRET }, ['jwtSecret', 'sessionSecret']);
  // The web app runs beside the API on this machine and passes the browser's address on to it:
  // unless told otherwise, the API believes what comes from loopback.
  process.env.LIBRELOG_TRUSTED_PROXIES ??= 'loopback';

  const db = createDb(databaseUrl, { pool: { min: 0, max: config.databasePoolMax } });
  running.push({ name: 'database pool', stop: () => db.destroy() });
  const applied = await starting(database, () => migrateToLatest(db));
  if (applied.length) say(`database migrated (${applied.length} migration(s))`);
  const admin = await ensureFirstAdmin(db, config.adminEmail, config.adminPassword);
  if (admin) say(`created the first admin user ${admin.email}${admin.generatedPassword ? ` — password: ${admin.generatedPassword} (shown once; set LIBRELOG_ADMIN_PASSWORD to choose it)` : ''}`);
  const demo = await seedDemoStation(db);
  if (demo) say(`imported the demo station "${demo.slug}" (${demo.counts.tracks} tracks, ${demo.counts.clocks} clocks, ${demo.counts.campaigns} campaigns)`);

  let temporalAddress: string | undefined = config.temporalAddress;
  let temporalUiUrl = config.temporalUiUrl;
  if (!temporalAddress) {
    const binary = await starting({ name: 'the Temporal CLI', instead: 'TEMPORAL_CLI' }, () => findTemporalCli({ explicit: config.temporalCli, log: say }));
    say(`starting the Temporal dev server on port ${config.temporalPort} …`);
    const devServer: StartPart = {
      name: 'the Temporal dev server',
      port: { value: config.temporalPort, setting: 'TEMPORAL_PORT (and TEMPORAL_UI_PORT)' },
      folder: { path: config.dataDir, setting: 'LIBRELOG_DATA_DIR' },
      instead: 'TEMPORAL_ADDRESS',
    };
    const dev = await starting(devServer, () => startTemporalDevServer({
      binary,
      port: config.temporalPort,
      uiPort: config.temporalUiPort,
      dataDir: config.dataDir,
      namespace: config.temporalNamespace,
      log: logFile(config, 'temporal'),
    }));
    running.push({ name: 'Temporal dev server', stop: () => dev.stop() });
    temporalAddress = dev.address;
    temporalUiUrl = dev.uiUrl ?? temporalUiUrl;
  }
  process.env.TEMPORAL_ADDRESS = temporalAddress;
  const temporalServer: StartPart = { name: 'Temporal', address: { value: temporalAddress, setting: 'TEMPORAL_ADDRESS' } };

  const temporal = await starting(temporalServer, () => connectTemporal(temporalConnectionOptions(config, temporalAddress), config.temporalNamespace));
  running.push({ name: 'Temporal client', stop: () => temporal.close() });
  if (config.temporalAddress) await starting(temporalServer, () => ensureSearchAttributes(temporal.connection, config.temporalNamespace));

  const worker = await starting({ name: 'the worker', address: temporalServer.address }, () => startWorker({ connection: temporalConnectionOptions(config, temporalAddress), namespace: config.temporalNamespace, taskQueue: config.taskQueue, db, dataDir: config.dataDir, tuning: config.worker }));
  running.push({ name: 'worker', stop: () => worker.shutdown() });
  worker.finished.catch((error: unknown) => {
    console.error('[librelog] the worker stopped with an error:', error);
    void shutdown(1);
  });

  const api = await starting({ name: 'the API', port: { value: config.apiPort, setting: 'API_PORT' } }, () => startApi({
    port: config.apiPort,
    db,
    temporal: temporalHealth(temporal.connection, config.temporalNamespace),
    temporalUiUrl,
    jwtSecret: secret,
    dataDir: config.dataDir,
    maxUploadBytes: config.maxUploadBytes,
    broadcastDays: { client: temporal.client, taskQueue: config.taskQueue, namespace: config.temporalNamespace, temporalUiUrl },
  }));
  running.push({ name: 'API', stop: () => api.close() });
  const web = await starting({ name: 'the web app', port: { value: config.webPort, setting: 'WEB_PORT' } }, () => startWeb({ port: config.webPort, db }));
  running.push({ name: 'web app', stop: () => web.close() });

  // One round trip through Temporal, the worker and PostgreSQL per station before saying "ready".
  // Each station's schedules: the daily build, and the LibreTime sync and AzuraCast pull where they apply.
  const stations = await keepStationSchedules(db, temporal.client, config.taskQueue);
  for (const station of stations) {
    const [today] = broadcastDatesFrom(new Date(), station.timezone, 1);
    const summary = await temporal.client.workflow.execute(stationSummary, {
      taskQueue: config.taskQueue,
      workflowId: stationSummaryWorkflowId(station.slug),
      workflowIdConflictPolicy: 'USE_EXISTING',
      args: [station.slug, today!],
    });
    const tracks = Object.entries(summary.tracksByType).map(([type, n]) => `${n} ${type}`).join(', ');
    say(`station ${summary.name} (${summary.slug}, ${summary.timezone}): ${tracks}; ${summary.clocks} clocks, ${summary.gridHours}/168 grid hours, ${summary.activeCampaigns} active campaigns`);
    // The build schedule runs once now, so today and the next days have logs.
    await temporal.client.schedule.getHandle(buildScheduleId(station.slug)).trigger();
    say(`station ${station.slug}: logs are built daily at ${String(station.buildHour).padStart(2, '0')}:00 ${station.timezone}, ${station.buildDaysAhead} day(s) ahead; building today's and the next days' logs now`);
  }

  console.log(`
  LibreLog is running.
    Web app       ${web.url}
    API           ${api.url}/api/v1   (health: ${api.url}/api/v1/health)
    API docs      ${api.url}/api/docs
    Temporal UI   ${temporalUiUrl}
    Temporal      ${temporalAddress} (namespace ${config.temporalNamespace}, task queue ${config.taskQueue})
    PostgreSQL    ${config.databaseUrl ? 'DATABASE_URL' : `embedded, port ${config.pgPort}`}
  Press Ctrl-C to stop; your data stays in ${config.dataDir}.
`);
}

/** The whole failure, stack and causes, for whoever wants more than the paragraph. */
async function keepFailure(config: Config, error: unknown): Promise<string | undefined> {
  const file = path.join(config.dataDir, 'logs', 'start-failure.log');
  try {
    await appendFile(file, `${new Date().toISOString()}\n${inspect(error, { depth: 6 })}\n\n`);
    return file;
  } catch {
    return undefined;
  }
}

let stopping: Promise<void> | undefined;
function shutdown(code: number): Promise<void> {
  stopping ??= (async () => {
    say('stopping …');
    for (const part of running.reverse()) {
      try {
        await part.stop();
        say(`stopped: ${part.name}`);
      } catch (error) {
        console.error(`[librelog] stopping the ${part.name} failed:`, error);
        code = code || 1;
      }
    }
    say('stopped.');
    process.exit(code);
  })();
  return stopping;
}

// A Ctrl-C reaches this process more than once (from the terminal and relayed by npm):
// repeats within a few seconds are the same request; a later one means "leave now".
let firstSignalAt = 0;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    if (!stopping) {
      firstSignalAt = Date.now();
      void shutdown(0);
    } else if (Date.now() - firstSignalAt > 3_000) {
      say('leaving without waiting for the rest to stop');
      process.exit(130);
    }
  });
}

let config: Config;
try {
  config = loadConfig();
} catch (error) {
  console.error(`[librelog] could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
start(config).catch(async (error: unknown) => {
  const logged = await keepFailure(config, error);
  console.error(`[librelog] ${explainStartFailure(error, logged)}`);
  void shutdown(1);
});
