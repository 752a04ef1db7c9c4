// The migrations, in order. Knex reads them from this list instead of scanning the folder,
// so they load the same way under tsx, vitest and a bundled build.
import type { Knex } from 'knex';
import * as stationsAndPeople from './20261124000001_stations_and_people.js';
import * as library from './20261124000002_library.js';
import * as programming from './20261124000003_programming.js';
import * as traffic from './20261124000004_traffic.js';
import * as logsAndAsRun from './20261124000005_logs_and_as_run.js';
import * as logBuildStages from './20261124000006_log_build_stages.js';
import * as voiceTrackFiles from './20261125000007_voice_track_files.js';
import * as logStatusNotify from './20261125000008_log_status_notify.js';
import * as playoutIntegrations from './20261125000009_playout_integrations.js';
import * as refreshTokens from './20261125000010_refresh_tokens.js';
import * as logThatAddsUp from './20261204000011_log_that_adds_up.js';
import * as programmingChanges from './20261204000012_programming_changes.js';
import * as stationMemberships from './20261204000013_station_memberships.js';
import * as signInGuards from './20261204000014_sign_in_guards.js';
import * as accessChanges from './20261204000016_access_changes.js';
import * as orderFields from './20261204000017_order_fields.js';
import * as makeGoodLifecycle from './20261204000018_make_good_lifecycle.js';
import * as asRunImports from './20261204000019_as_run_imports.js';
import * as shortOrders from './20261204000020_short_orders.js';
import * as reportData from './20261204000021_report_data.js';
import * as liveElements from './20261204000022_live_elements.js';
import * as librelogEdits from './20261204000023_librelog_edits.js';
import * as trackAudio from './20261204000024_track_audio.js';
import * as logEdits from './20261204000025_log_edits.js';

type Migration = Knex.Migration;

export const MIGRATIONS: ReadonlyArray<readonly [name: string, migration: Migration]> = [
  ['20261124000001_stations_and_people', stationsAndPeople],
  ['20261124000002_library', library],
  ['20261124000003_programming', programming],
  ['20261124000004_traffic', traffic],
  ['20261124000005_logs_and_as_run', logsAndAsRun],
  ['20261124000006_log_build_stages', logBuildStages],
  ['20261125000007_voice_track_files', voiceTrackFiles],
  ['20261125000008_log_status_notify', logStatusNotify],
  ['20261125000009_playout_integrations', playoutIntegrations],
  ['20261125000010_refresh_tokens', refreshTokens],
  ['20261204000011_log_that_adds_up', logThatAddsUp],
  ['20261204000012_programming_changes', programmingChanges],
  ['20261204000013_station_memberships', stationMemberships],
  ['20261204000014_sign_in_guards', signInGuards],
  ['20261204000016_access_changes', accessChanges],
  ['20261204000017_order_fields', orderFields],
  ['20261204000018_make_good_lifecycle', makeGoodLifecycle],
  ['20261204000019_as_run_imports', asRunImports],
  ['20261204000020_short_orders', shortOrders],
  ['20261204000021_report_data', reportData],
  ['20261204000022_live_elements', liveElements],
  ['20261204000023_librelog_edits', librelogEdits],
  ['20261204000024_track_audio', trackAudio],
  ['20261204000025_log_edits', logEdits],
];

export const migrationSource: Knex.MigrationSource<readonly [string, Migration]> = {
  getMigrations: () => Promise.resolve([...MIGRATIONS]),
  getMigrationName: ([name]) => name,
  getMigration: ([, migration]) => Promise.resolve(migration),
};
