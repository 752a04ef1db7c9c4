// Starts the real parts once per `vitest run`: an embedded PostgreSQL with a migrated
// template database (each test file gets its own copy) and a Temporal dev server from the
// same CLI binary `npm start` uses.
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres } from '../db/embedded-postgres.js';
import { createDb, ensureDatabase, migrateToLatest, withDatabase } from '../db/knex.js';
import { findTemporalCli, findTemporalTestServer } from '../temporal/cli.js';
import { startTemporalDevServer } from '../temporal/dev-server.js';
import { freePort } from './support/ports.js';

export const TEMPLATE_DATABASE = 'librelog_template';

declare module 'vitest' {
  export interface ProvidedContext {
    pgServerUrl: string;
    templateDatabase: string;
    temporalAddress: string;
    temporalCli: string;
    temporalTestServer: string;
  }
}

export default async function setup(project: TestProject) {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'librelog-test-'));
  // Embedded PostgreSQL runs as the `postgres` user when tests run as root: it must reach the folder.
  await chmod(dataDir, 0o755);
  const [pgPort, temporalPort, temporalCli, temporalTestServer] = await Promise.all([
    freePort(),
    freePort(),
    findTemporalCli({ explicit: process.env.TEMPORAL_CLI, log: (line) => console.log(line) }),
    findTemporalTestServer({ log: (line) => console.log(line) }),
  ]);
  const [postgres, temporal] = await Promise.all([
    startEmbeddedPostgres({ dataDir, port: pgPort, persistent: false }),
    startTemporalDevServer({ binary: temporalCli, port: temporalPort, uiPort: false }),
  ]);

  await ensureDatabase(postgres.serverUrl, TEMPLATE_DATABASE);
  const template = createDb(withDatabase(postgres.serverUrl, TEMPLATE_DATABASE));
  await migrateToLatest(template);
  await template.destroy();

  project.provide('pgServerUrl', postgres.serverUrl);
  project.provide('templateDatabase', TEMPLATE_DATABASE);
  project.provide('temporalAddress', temporal.address);
  project.provide('temporalCli', temporalCli);
  project.provide('temporalTestServer', temporalTestServer);

  return async () => {
    await temporal.stop();
    await postgres.stop();
    await rm(dataDir, { recursive: true, force: true });
  };
}
