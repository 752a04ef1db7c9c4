// Refresh tokens for people (RFC 6749 §6): opaque random strings, kept only as hashes, that
// live REFRESH_TTL_HOURS from sign-in. Each use rotates the token; a rotated token presented
// again revokes its whole family, so a stolen token stops working for thief and owner alike.
import type { Knex } from 'knex';
import { createHash, randomBytes, randomUUID } from 'node:crypto';

export const REFRESH_TTL_HOURS = 12;
/**
 * A browser often sends a few requests at once with the same token; a replaced token still
 * works this long after its replacement, so those do not look like theft.
 */
const REUSE_GRACE_MS = 30_000;

const hashOf = (token: string) => createHash('sha256').update(token).digest('hex');

export async function issueRefreshToken(db: Knex, userId: string, family: { id: string; expiresAt: Date } = { id: randomUUID(), expiresAt: new Date(Date.now() + REFRESH_TTL_HOURS * 3_600_000) }): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await db('refresh_tokens').insert({ tokenHash: hashOf(token), userId, familyId: family.id, expiresAt: family.expiresAt });
  return token;
}

/** Exchanges a refresh token for the user it belongs to and a new refresh token, or says why not. */
export async function rotateRefreshToken(db: Knex, token: string): Promise<{ userId: string; refreshToken: string } | { refused: string }> {
  return db.transaction(async (trx) => {
    const row = (await trx('refresh_tokens').where({ tokenHash: hashOf(token) }).forUpdate().first()) as
      | { id: string; userId: string; familyId: string; expiresAt: Date; replacedAt: Date | null; revokedAt: Date | null }
      | undefined;
    if (!row) return { refused: 'The refresh token is not valid.' };
    if (row.replacedAt && Date.now() - row.replacedAt.getTime() > REUSE_GRACE_MS) {
      // Used twice: someone else has a copy. End the whole sign-in.
      await trx('refresh_tokens').where({ familyId: row.familyId }).whereNull('revokedAt').update({ revokedAt: trx.fn.now() });
      return { refused: 'The refresh token was already used; sign in again.' };
    }
    if (row.revokedAt) return { refused: 'The refresh token was revoked; sign in again.' };
    if (row.expiresAt.getTime() <= Date.now()) return { refused: 'The refresh token has expired; sign in again.' };
    if (!row.replacedAt) await trx('refresh_tokens').where({ id: row.id }).update({ replacedAt: trx.fn.now() });
    const refreshToken = await issueRefreshToken(trx, row.userId, { id: row.familyId, expiresAt: row.expiresAt });
    return { userId: row.userId, refreshToken };
  });
}
