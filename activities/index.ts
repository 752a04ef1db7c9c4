// Activities are built by a factory: the worker injects the real dependencies, tests inject their own.
import type { ActivityDeps } from './deps.js';

export type { ActivityDeps } from './deps.js';
import type { Knex } from 'knex';
import { createLogInputsLoader } from '../db/log-inputs.js';
import { createAzuraCastClient } from '../integrations/azuracast/client.js';
import type { AzuraCastConnection } from '../integrations/azuracast/types.js';
import { createLibreTimeClient } from '../integrations/libretime/client.js';
import type { LibreTimeConnection } from '../integrations/libretime/types.js';
import { createAffidavitActivities } from './affidavits.js';
import { createRoyaltyReportActivities } from './royalty-reports.js';
import { createAsRunActivities } from './as-run.js';
import { createAzuraCastActivities } from './azuracast.js';
import { createBroadcastDayActivities } from './broadcast-day.js';
import { heartbeating } from './heartbeat.js';
import { createLibrarySyncActivities } from './library-sync.js';
import { createLogEditActivities } from './log-edits.js';
import { createFilePublisher } from './publishing/file-publisher.js';
import { createLibreTimePublisher } from './publishing/libretime-publisher.js';
import { createStationPublisher } from './publishing/station-publisher.js';
import { createStationSummaryActivities } from './station-summary.js';


export function createActivities(deps: ActivityDeps) {
  const broadcastDay = createBroadcastDayActivities(deps);
  const asRun = createAsRunActivities(deps);
  const librarySync = createLibrarySyncActivities(deps);
  const azuracast = createAzuraCastActivities(deps);
  const affidavits = createAffidavitActivities(deps);
  const royaltyReports = createRoyaltyReportActivities(deps);
  return {
    ...createStationSummaryActivities(deps),
    ...broadcastDay,
    ...createLogEditActivities(deps),
    ...librarySync,
    ...asRun,
    ...azuracast,
    // The steps that wait on LibreTime or AzuraCast can run for minutes: they heartbeat (workflows
    // give them a heartbeat timeout of 30 s), so a dead worker's attempt is retried within seconds.
    publishLog: heartbeating((input: Parameters<typeof broadcastDay.publishLog>[0]) => broadcastDay.publishLog(input)),
    importAsRun: heartbeating((input: Parameters<typeof asRun.importAsRun>[0]) => asRun.importAsRun(input)),
    reconcileDay: heartbeating((input: Parameters<typeof broadcastDay.reconcileDay>[0]) => broadcastDay.reconcileDay(input)),
    importLibreTimeLibrary: heartbeating((input: Parameters<typeof librarySync.importLibreTimeLibrary>[0]) => librarySync.importLibreTimeLibrary(input)),
    pullAzuraCastDay: heartbeating((input: Parameters<typeof azuracast.pullAzuraCastDay>[0]) => azuracast.pullAzuraCastDay(input)),
    prepareMonthlyAffidavits: heartbeating((input: Parameters<typeof affidavits.prepareMonthlyAffidavits>[0]) => affidavits.prepareMonthlyAffidavits(input)),
    prepareMonthlyRoyaltyReports: heartbeating((input: Parameters<typeof royaltyReports.prepareMonthlyRoyaltyReports>[0]) => royaltyReports.prepareMonthlyRoyaltyReports(input)),
  };
}

export type Activities = ReturnType<typeof createActivities>;

/**
 * The real dependencies for a worker: the database, its input loader, LibreTime clients, and a
 * publisher that sends each station's logs where its playout target says (LibreTime, or files
 * under the data folder).
 */
export function activityDeps(db: Knex, dataDir: string, overrides: Partial<Pick<ActivityDeps, 'publisher' | 'libretimeFor' | 'azuracastFor'>> = {}): ActivityDeps {
  const azuracastFor = overrides.azuracastFor ?? ((connection: AzuraCastConnection) => createAzuraCastClient(connection));
  const libretimeFor = overrides.libretimeFor ?? ((connection: LibreTimeConnection) => createLibreTimeClient(connection));
  const publisher =
    overrides.publisher ??
    createStationPublisher(db, {
      file: createFilePublisher(dataDir),
      libretime: createLibreTimePublisher({ db, dataDir, libretimeFor }),
    });
  return { db, loader: createLogInputsLoader(db), publisher, libretimeFor, azuracastFor, dataDir };
}
