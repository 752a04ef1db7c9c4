// Every change through the API is written to the audit log: who, what, when, before and after.
import type { Knex } from 'knex';
import { auditActor, type Principal } from './auth/principal.js';

export interface AuditRecord {
  action: string;
  entity: string;
  entityId: string | null;
  stationId?: string | null;
  before?: unknown;
  after?: unknown;
}

/** Who an entry is about when no principal made it: `anonymous` for a failed sign-in, `system` for LibreLog itself. */
export interface AuditActor {
  actorType: Principal['kind'] | 'system' | 'anonymous';
  actorId: string | null;
}

/** Call inside the change's transaction (pass the trx) so the record and the change land together. */
export async function recordAudit(db: Knex, principal: Principal, record: AuditRecord): Promise<void> {
  await recordAuditAs(db, auditActor(principal), record);
}

/** recordAudit for an actor that is not a signed-in principal (sign-ins, failed sign-ins, revocations). */
export async function recordAuditAs(db: Knex, actor: AuditActor, record: AuditRecord): Promise<void> {
  await db('audit_log').insert({
    ...actor,
    action: record.action,
    entity: record.entity,
    entityId: record.entityId,
    stationId: record.stationId ?? null,
    before: record.before === undefined ? null : JSON.stringify(record.before),
    after: record.after === undefined ? null : JSON.stringify(record.after),
  });
}
