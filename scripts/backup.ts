// `npm run backup -- <file.tar.gz>`: the whole install in one archive — the database (every
// table of LibreLog's schema) and the data folder's audio and published files. Works with
// DATABASE_URL or the embedded PostgreSQL (running under `npm start`, or started for this).
// docs/operations.md says what is in it and how to schedule it.
import { loadConfig, type Config } from '../config/env.js';
import { archiveTarget, createBackup } from '../db/backup/backup.js';
import { explainFailure } from '../db/backup/failure.js';
import { databaseForOperation, describeDatabase, type OperationDatabase } from '../db/operation-database.js';

const USAGE = 'Usage: npm run backup -- <file.tar.gz>';
const say = (line: string) => console.log(`[backup] ${line}`);

async function main(args: string[]): Promise<number> {
  if (args.length !== 1 || args[0]!.startsWith('-')) {
    console.error(USAGE);
    return 2;
  }
  let config: Config | undefined;
  let database: OperationDatabase | undefined;
  try {
    config = loadConfig();
    // Said before any server is started for it.
    await archiveTarget(args[0]!, config.dataDir);
    database = await databaseForOperation(config, { create: false, say });
    say(`backing up the database ${database.description} and the data folder ${config.dataDir}`);
    const { file, archiveBytes } = await createBackup({ databaseUrl: database.url, dataDir: config.dataDir, file: args[0]!, say });
    say(`wrote ${file} (${(archiveBytes / 1e6).toFixed(1)} MB)`);
    return 0;
  } catch (error) {
    console.error(explainFailure(error, 'backup', { database: config ? describeDatabase(config) : 'named by DATABASE_URL', dataDir: config?.dataDir ?? 'LIBRELOG_DATA_DIR' }));
    return 1;
  } finally {
    await database?.release().catch(() => undefined);
  }
}

process.exitCode = await main(process.argv.slice(2));
