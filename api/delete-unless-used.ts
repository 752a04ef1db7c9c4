// DELETE for the pieces of a station's programming and traffic: the thing is locked, its users
// read (db/usage.ts) and judged (domain/deletion.ts); one still in use answers 409 with one
// `errors[]` line per user, one nobody uses is deleted and audited — all in one transaction.
// The row lock keeps a new user from slipping in between (a foreign key insert waits for it).
import type { Request } from 'express';
import type { Knex } from 'knex';
import { refusalDetail, type Blocker, type DeletableKind } from '../domain/deletion.js';
import { recordAudit } from './audit.js';
import { principalOf } from './auth/principal.js';
import { Problem } from './problem.js';

/** The problem type of a refusal because something still uses the thing. */
export const IN_USE_TYPE = 'https://librelog.org/problems/in-use';

export interface Deletion<U> {
  table: 'dayparts' | 'categories' | 'music_rule_sets' | 'clocks' | 'advertisers' | 'campaigns';
  id: string;
  stationId: string;
  kind: DeletableKind;
  /** The audit's entity and action, e.g. `clock` and `clock.delete`. */
  entity: string;
  action: string;
  /** The thing as the API shows it (kept in the audit), and its name for the refusal. */
  read: (trx: Knex) => Promise<{ name: string; before: unknown }>;
  usage: (trx: Knex, id: string) => Promise<U>;
  blockers: (usage: U) => Blocker[];
  /** What to do instead, when there is something ("cancel the campaign"). */
  instead?: string;
}

export async function deleteUnlessUsed<U>(db: Knex, req: Request, d: Deletion<U>): Promise<void> {
  await db.transaction(async (trx) => {
    const locked = (await trx(d.table).where({ id: d.id, stationId: d.stationId }).forUpdate().first('id')) as { id: string } | undefined;
    if (!locked) throw new Problem(404, 'Not Found', `No ${d.kind} ${d.id} at this station`);
    const { name, before } = await d.read(trx);
    const blockers = d.blockers(await d.usage(trx, d.id));
    if (blockers.length) throw new Problem(409, 'Conflict', refusalDetail(d.kind, name, blockers, d.instead), blockers, IN_USE_TYPE);
    await trx(d.table).where({ id: d.id }).delete();
    await recordAudit(trx, principalOf(req), { action: d.action, entity: d.entity, entityId: d.id, stationId: d.stationId, before });
  });
}
