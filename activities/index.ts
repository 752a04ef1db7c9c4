// Activities are built by a factory: the worker injects the real dependencies, tests inject their own.
import type { Knex } from 'knex';
import { createStationSummaryActivities } from './station-summary.js';

export interface ActivityDeps {
  db: Knex;
}

export function createActivities(deps: ActivityDeps) {
  return {
    ...createStationSummaryActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
