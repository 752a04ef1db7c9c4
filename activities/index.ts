// Activities are built by a factory: the worker injects the real dependencies, tests inject their own.
import type { Knex } from 'knex';
import { createLogInputsLoader, type LogInputsLoader } from '../db/log-inputs.js';
import { createBroadcastDayActivities } from './broadcast-day.js';
import { createFilePublisher } from './publishing/file-publisher.js';
import type { Publisher } from './publishing/publisher.js';
import { createStationSummaryActivities } from './station-summary.js';

export interface ActivityDeps {
  db: Knex;
  loader: LogInputsLoader;
  publisher: Publisher;
}

export function createActivities(deps: ActivityDeps) {
  return {
    ...createStationSummaryActivities(deps),
    ...createBroadcastDayActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;

/** The real dependencies for a worker: the database, its input loader and the file publisher under the data folder. */
export function activityDeps(db: Knex, dataDir: string, publisher?: Publisher): ActivityDeps {
  return { db, loader: createLogInputsLoader(db), publisher: publisher ?? createFilePublisher(dataDir) };
}
