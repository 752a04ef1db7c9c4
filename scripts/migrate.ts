// `npm run migrate`: brings DATABASE_URL's schema up to date and creates the first admin
// user on a new database (production and docker compose; `npm start` does this by itself).
import { loadConfig } from '../config/env.js';
import { createDb, migrateToLatest } from '../db/knex.js';
import { ensureFirstAdmin } from '../db/seed.js';

const config = loadConfig();
if (!config.databaseUrl) {
  console.error('npm run migrate needs DATABASE_URL (npm start migrates its embedded database by itself)');
  process.exit(2);
}
const db = createDb(config.databaseUrl);
try {
  const applied = await migrateToLatest(db);
  console.log(applied.length ? `Applied ${applied.length} migration(s): ${applied.join(', ')}` : 'The schema is up to date.');
  const admin = await ensureFirstAdmin(db, config.adminEmail, config.adminPassword);
  if (admin) console.log(`Created the first admin user ${admin.email}${admin.generatedPassword ? ` with password ${admin.generatedPassword} (shown once)` : ''}`);
} finally {
  await db.destroy();
}
