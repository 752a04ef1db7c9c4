// `npm run restore -- <file.tar.gz> [--force]`: a backup made by `npm run backup` into this
// install's database (DATABASE_URL, or the embedded PostgreSQL of the data folder) and data
// folder. Refuses a database with data (or a data folder with files) unless --force; leaves
// everything as it was when anything fails. docs/operations.md has the steps.
import { loadConfig, type Config } from '../config/env.js';
import { explainFailure } from '../db/backup/failure.js';
import { restoreBackup } from '../db/backup/restore.js';
import { databaseForOperation, describeDatabase } from '../db/operation-database.js';

const USAGE = 'Usage: npm run restore -- <file.tar.gz> [--force]';
const say = (line: string) => console.log(`[restore] ${line}`);

async function main(args: string[]): Promise<number> {
  const force = args.includes('--force');
  const rest = args.filter((a) => a !== '--force');
  if (rest.length !== 1 || rest[0]!.startsWith('-')) {
    console.error(USAGE);
    return 2;
  }
  let config: Config | undefined;
  try {
    config = loadConfig();
    const target = config;
    say(`restoring ${rest[0]} into the database ${describeDatabase(target)} and the data folder ${target.dataDir}`);
    await restoreBackup({ file: rest[0]!, dataDir: target.dataDir, force, say, database: () => databaseForOperation(target, { create: true, say }) });
    say('restored. Start LibreLog again (npm start, or restart its services) so every part reads the restored data.');
    say('Temporal runs are not in a backup: the next daily build starts runs for the coming days again (docs/operations.md).');
    return 0;
  } catch (error) {
    console.error(explainFailure(error, 'restore', { database: config ? describeDatabase(config) : 'named by DATABASE_URL', dataDir: config?.dataDir ?? 'LIBRELOG_DATA_DIR' }));
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
