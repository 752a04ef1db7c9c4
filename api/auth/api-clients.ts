// API clients are trusted apps (LibreTime, scripts) that get tokens with OAuth2 client
// credentials. The secret is shown once, when the client is created, and stored hashed.
import type { Knex } from 'knex';
import { randomBytes } from 'node:crypto';
import { ApiClient } from '../../db/models.js';
import { generateSecret, hashPassword } from './passwords.js';

export interface NewApiClient {
  name: string;
  /** An owner client manages the install; others get roles per station (db/memberships.ts). */
  owner?: boolean;
}

export interface CreatedApiClient {
  id: string;
  clientId: string;
  /** Shown once: only its hash is kept. */
  clientSecret: string;
}

export async function createApiClient(db: Knex, client: NewApiClient): Promise<CreatedApiClient> {
  // Only URL-safe characters, so both work unchanged in a form body and in HTTP Basic.
  const clientId = `llc_${randomBytes(12).toString('hex')}`;
  const clientSecret = generateSecret(32);
  const created = await ApiClient.query(db).insertAndFetch({
    clientId,
    name: client.name,
    owner: client.owner ?? false,
    secretHash: await hashPassword(clientSecret),
  });
  return { id: created.id, clientId, clientSecret };
}
