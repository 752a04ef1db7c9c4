// Who is calling: the one typed place later routes and the audit log read it from.
// The access gate (./gate.ts) puts it on `req.user`; nothing else does.
import type { Request } from 'express';
import type { UserRole } from '../../domain/vocabulary.js';
import { Problem } from '../problem.js';

export type PrincipalKind = 'user' | 'api_client';

/** The roles a principal holds at each station it works for, by station id. */
export type StationRoles = ReadonlyMap<string, ReadonlySet<UserRole>>;

declare global {
  // Passport types `req.user` as `Express.User`; LibreLog's principal is that type.
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface User {
      /** users.id or api_clients.id. */
      id: string;
      kind: PrincipalKind;
      /** The user's or the API client's display name. */
      name: string;
      /** The install's owner: manages stations, people and API clients, and may do everything. */
      owner: boolean;
      /** Roles per station as the database says now (not as when the token was issued). */
      stations: StationRoles;
    }
  }
}

export type Principal = Express.User;

/** The authenticated principal of a request behind the access gate. */
export function principalOf(req: Request): Principal {
  // Reaching a protected route without one means the route was not declared as protected in the spec.
  if (!req.user) throw new Problem(401, 'Unauthorized', 'This operation needs a signed-in user or API client.');
  return req.user;
}

/** The audit log's actor for a principal (audit_log.actor_type / actor_id). */
export function auditActor(principal: Principal): { actorType: PrincipalKind; actorId: string } {
  return { actorType: principal.kind, actorId: principal.id };
}
