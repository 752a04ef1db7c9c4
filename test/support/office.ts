// The whole office for a browser test file: the real API and web app on free ports, over the
// file's database (and its Temporal test server, where the file has one), and Debian's chromium.
// Started once before the file's tests, closed after them; each file names itself, so the
// secrets and data folder are its own.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { startApi, type RunningApi } from '../../api/server.js';
import { startWeb, type RunningWeb } from '../../web/server.js';
import { launchBrowser, useBrowserSignIn, type Credentials } from './browser.js';
import { freePort } from './ports.js';
import type { TemporalTestContext } from './temporal.js';

export interface Office {
  api: RunningApi;
  web: RunningWeb;
  browser: Browser;
  /** Where the API files what it prepares (reports, uploads); the activities publish there too. */
  dataDir: string;
  signIn: (page: Page, who: Credentials) => Promise<void>;
}

/**
 * Starts the office before the file's tests (after the `beforeAll`s registered before this
 * call, so data set up there is in place) and closes it after them. `temporal` gives the API
 * the file's Temporal test server, for the actions that start or signal a day's run.
 */
export function useOffice(db: Knex, name: string, options: { temporal?: TemporalTestContext; beforeClose?: () => Promise<void> } = {}): Office {
  const office = {} as Office;
  office.signIn = useBrowserSignIn(() => office.web);
  beforeAll(async () => {
    office.dataDir = await mkdtemp(path.join(os.tmpdir(), `librelog-${name}-browser-`));
    const temporal = options.temporal;
    office.api = await startApi({
      port: await freePort(),
      db,
      temporal: { namespace: 'default', check: () => Promise.resolve() },
      jwtSecret: `${name}-browser-jwt-secret`,
      dataDir: office.dataDir,
      ...(temporal && { broadcastDays: { client: temporal.env.client, taskQueue: temporal.taskQueue, namespace: 'default', temporalUiUrl: 'http://localhost:8233' } }),
    });
    process.env.API_URL = office.api.url;
    process.env.LIBRELOG_SESSION_SECRET = `${name}-browser-session-secret`;
    office.web = await startWeb({ port: await freePort(), db });
    office.browser = await launchBrowser();
  });
  afterAll(async () => {
    await office.browser?.close();
    await office.web?.close();
    await office.api?.close();
    await options.beforeClose?.();
    if (office.dataDir) await rm(office.dataDir, { recursive: true, force: true });
  });
  return office;
}
