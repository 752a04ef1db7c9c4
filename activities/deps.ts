// What every activity is made with: the worker passes the real ones, tests their own. Apart from
// activities/index.ts, so the activities need not import the file that assembles them.
import type { Knex } from 'knex';
import type { LogInputsLoader } from '../db/log-inputs.js';
import type { AzuraCastApi, AzuraCastConnection } from '../integrations/azuracast/types.js';
import type { LibreTimeApi, LibreTimeConnection } from '../integrations/libretime/types.js';
import type { Publisher } from './publishing/publisher.js';

export interface ActivityDeps {
  db: Knex;
  loader: LogInputsLoader;
  publisher: Publisher;
  /** A LibreTime client for a station's connection (tests can slow or speed its retries). */
  libretimeFor: (connection: LibreTimeConnection) => LibreTimeApi;
  azuracastFor: (connection: AzuraCastConnection) => AzuraCastApi;
  /** The data folder: prepared reports (the month's affidavits) are filed under it. */
  dataDir?: string | undefined;
}
