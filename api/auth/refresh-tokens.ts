// Refresh tokens for people (RFC 6749 §6): opaque random strings, kept only as hashes, that
// live REFRESH_TTL_HOURS from sign-in. Each use rotates the token; a rotated token presented
// again revokes its whole family, so a stolen token stops working for thief and owner alike.
// Signing out ends the family of the sign-in; a new password or a disabled account ends every
// family of the person, and their web app sessions with them.
import type { Knex } from 'knex';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { recordAuditAs, type AuditActor } from '../audit.js';
import type { Principal } from './principal.js';

export const REFRESH_TTL_HOURS = 12;
/**
 * A browser often sends a few requests at once with the same token; a replaced token still
 * works this long after its replacement, so those do not look like theft.
 */
const REUSE_GRACE_MS = 30_000;

const hashOf = (token: string) => createHash('sha256').update(token).digest('hex');

interface RefreshTokenRow {
  id: string;
  userId: string;
  familyId: string;
  expiresAt: Date;
  replacedAt: Date | null;
  revokedAt: Date | null;
}

export async function issueRefreshToken(db: Knex, userId: string, family: { id: string; expiresAt: Date } = { id: randomUUID(), expiresAt: new Date(Date.now() + REFRESH_TTL_HOURS * 3_600_000) }): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await db('refresh_tokens').insert({ tokenHash: hashOf(token), userId, familyId: family.id, expiresAt: family.expiresAt });
  return token;
}

/** The sign-in (family) a refresh token belongs to, if it is one. */
export async function refreshTokenFamily(db: Knex, token: string): Promise<{ userId: string; familyId: string } | undefined> {
  const row = (await db('refresh_tokens').where({ tokenHash: hashOf(token) }).first('userId', 'familyId')) as { userId: string; familyId: string } | undefined;
  return row;
}

/**
 * Exchanges a refresh token for the user it belongs to and a new refresh token, or says why not.
 * `reused` is set when the refusal revoked the token's family (the token was used twice).
 */
export async function rotateRefreshToken(
  db: Knex,
  token: string,
): Promise<{ userId: string; familyId: string; refreshToken: string } | { refused: string; reused?: { userId: string; familyId: string } }> {
  return db.transaction(async (trx) => {
    const row = (await trx('refresh_tokens').where({ tokenHash: hashOf(token) }).forUpdate().first()) as RefreshTokenRow | undefined;
    if (!row) return { refused: 'The refresh token is not valid.' };
    if (row.revokedAt) return { refused: 'The refresh token was revoked; sign in again.' };
    if (row.replacedAt && Date.now() - row.replacedAt.getTime() > REUSE_GRACE_MS) {
      // Used twice: someone else has a copy. End the whole sign-in.
      await revokeFamily(trx, row.familyId);
      await recordAuditAs(trx, { actorType: 'system', actorId: null }, { action: 'auth.revoke', entity: 'user', entityId: row.userId, after: { reason: 'reused', family: row.familyId } });
      return { refused: 'The refresh token was already used; sign in again.', reused: { userId: row.userId, familyId: row.familyId } };
    }
    if (row.expiresAt.getTime() <= Date.now()) return { refused: 'The refresh token has expired; sign in again.' };
    if (!row.replacedAt) await trx('refresh_tokens').where({ id: row.id }).update({ replacedAt: trx.fn.now() });
    const refreshToken = await issueRefreshToken(trx, row.userId, { id: row.familyId, expiresAt: row.expiresAt });
    return { userId: row.userId, familyId: row.familyId, refreshToken };
  });
}

async function revokeFamily(db: Knex, familyId: string): Promise<number> {
  return db('refresh_tokens').where({ familyId }).whereNull('revokedAt').update({ revokedAt: db.fn.now() });
}

/**
 * Signing out: the sign-in `token` came from stops working (every token rotated from it), if it
 * is `userId`'s. Returns the family ended, or undefined when the token was none of theirs.
 */
export async function revokeRefreshToken(db: Knex, userId: string, token: string, by: AuditActor = { actorType: 'user', actorId: userId }): Promise<string | undefined> {
  return db.transaction(async (trx) => {
    const family = await refreshTokenFamily(trx, token);
    if (!family || family.userId !== userId) return undefined;
    const revoked = await revokeFamily(trx, family.familyId);
    await recordAuditAs(trx, by, { action: 'auth.revoke', entity: 'user', entityId: userId, after: { reason: 'signed_out', family: family.familyId, tokens: revoked } });
    return family.familyId;
  });
}

/**
 * Ends every sign-in of a person (sign-out everywhere, a new password, a disabled account): all
 * their refresh tokens and web app sessions stop working at once, and the audit log says so
 * (`by` is whoever did it; LibreLog itself when not given). Returns how many tokens were live.
 * Pass the transaction of the change that calls for it.
 */
export async function revokeUserSessions(db: Knex, userId: string, reason: 'signed_out' | 'password_changed' | 'disabled', by?: Principal): Promise<number> {
  const revoked = await db('refresh_tokens').where({ userId }).whereNull('revokedAt').update({ revokedAt: db.fn.now() });
  // The web app's sessions of this person (web/app/lib/session.server.ts) end with them.
  const sessions = await db('web_sessions').where({ userId }).delete();
  const actor: AuditActor = by ? { actorType: by.kind, actorId: by.id } : { actorType: 'system', actorId: null };
  await recordAuditAs(db, actor, { action: 'auth.revoke', entity: 'user', entityId: userId, after: { reason, everywhere: true, tokens: revoked, webSessions: sessions } });
  return revoked;
}
