// The API alone, as `npm run api` runs it in production but without Temporal (reading a log
// does not need it), for bench/api-log.bench.ts: the server gets its own process, so the load
// generator does not share its event loop. Reads DATABASE_URL, API_PORT, LIBRELOG_JWT_SECRET
// and LIBRELOG_DATA_DIR; prints "listening" when ready.
import { loadConfig } from '../config/env.js';
import { createDb } from '../db/knex.js';
import { startApi } from '../api/server.js';

const config = loadConfig();
if (!config.databaseUrl || !config.jwtSecret) throw new Error('bench/api-server.ts needs DATABASE_URL and LIBRELOG_JWT_SECRET');
const db = createDb(config.databaseUrl, { pool: { min: 2, max: 10 } });
const api = await startApi({ port: config.apiPort, db, temporal: { namespace: 'default', check: () => Promise.resolve() }, jwtSecret: config.jwtSecret, dataDir: config.dataDir });
console.log('listening');
process.once('SIGTERM', () => {
  void api.close().then(() => db.destroy()).then(() => process.exit(0));
});
