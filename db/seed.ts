// First-start data: the first admin user and the demo station.
import type { Knex } from 'knex';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { generateSecret, hashPassword } from '../api/auth/passwords.js';
import { importStationBundle, type BundleImportSummary } from './bundle-import.js';

export const DEMO_BUNDLE_PATH = fileURLToPath(new URL('./seed/demo-station.bundle.json', import.meta.url));

export async function readDemoBundle(): Promise<unknown> {
  return JSON.parse(await readFile(DEMO_BUNDLE_PATH, 'utf8')) as unknown;
}

/** Imports the demo station (GayPHX Radio) unless the database already has a station. */
export async function seedDemoStation(db: Knex): Promise<BundleImportSummary | undefined> {
  const anyStation = (await db('stations').first('id')) as { id: string } | undefined;
  if (anyStation) return undefined;
  return importStationBundle(db, await readDemoBundle(), { type: 'system', id: 'seed' });
}

export interface AdminSeedResult {
  email: string;
  /** Set only when LibreLog generated the password: it is shown once, on the first start. */
  generatedPassword?: string;
}

/** Creates the first admin user unless any user exists. */
export async function ensureFirstAdmin(db: Knex, email: string, password: string | undefined): Promise<AdminSeedResult | undefined> {
  const anyUser = (await db('users').first('id')) as { id: string } | undefined;
  if (anyUser) return undefined;
  const chosen = password ?? generateSecret(12);
  const [user] = (await db('users')
    .insert({ email, name: 'Administrator', passwordHash: await hashPassword(chosen), owner: true })
    .returning('id')) as { id: string }[];
  await db('audit_log').insert({ actorType: 'system', actorId: 'seed', action: 'user.create', entity: 'user', entityId: user!.id, after: JSON.stringify({ email, owner: true }) });
  return password ? { email } : { email, generatedPassword: chosen };
}
