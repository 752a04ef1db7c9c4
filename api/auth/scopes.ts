// What a principal may do. Roles are the scopes of the `librelog` OAuth2 scheme in
// api/openapi.yaml: an operation lists the station roles that may call it
// (`security: [{ librelog: [traffic, programming] }]`), or `owner` for the install's own
// business (stations, people, API clients). A station role counts only at its station.
import { USER_ROLES, type UserRole } from '../../domain/vocabulary.js';
import type { Principal } from './principal.js';

/** The scope of operations only the install's owners may call. */
export const OWNER_SCOPE = 'owner';

const ROLES: ReadonlySet<string> = new Set(USER_ROLES);

export function isUserRole(value: unknown): value is UserRole {
  return typeof value === 'string' && ROLES.has(value);
}

/** A scope an operation may list: a station role or `owner`. */
export function isScope(value: unknown): boolean {
  return value === OWNER_SCOPE || isUserRole(value);
}

/**
 * Whether `role` satisfies an operation whose security requirement lists `scopes`.
 * Unlike plain OAuth2 (where every listed scope is needed), any one listed role is enough;
 * no listed role means any role; a station's admin may do everything at that station — but
 * never the owner's business.
 */
export function roleSatisfies(role: UserRole, scopes: readonly string[]): boolean {
  if (scopes.includes(OWNER_SCOPE)) return false;
  return scopes.length === 0 || role === 'admin' || scopes.includes(role);
}

/** The roles a principal holds at one station (owners hold every role everywhere). */
export function rolesAt(principal: Pick<Principal, 'owner' | 'stations'>, stationId: string): UserRole[] {
  if (principal.owner) return [...USER_ROLES];
  return [...(principal.stations.get(stationId) ?? [])];
}

/** Whether the principal works for the station at all: without that, it does not see it. */
export function worksFor(principal: Pick<Principal, 'owner' | 'stations'>, stationId: string): boolean {
  return principal.owner || (principal.stations.get(stationId)?.size ?? 0) > 0;
}

/** May the principal call an operation listing `scopes` at this station (null: not about one station)? */
export function mayCall(principal: Pick<Principal, 'owner' | 'stations'>, scopes: readonly string[], stationId: string | null): boolean {
  if (principal.owner) return true;
  if (scopes.includes(OWNER_SCOPE)) return false;
  const held = stationId === null ? [...principal.stations.values()].flatMap((roles) => [...roles]) : rolesAt(principal, stationId);
  // Not about one station: any station where a listed role is held (what it then shows is limited to those stations).
  return held.some((role) => roleSatisfies(role, scopes)) || (stationId === null && scopes.length === 0);
}

/** The stations where the principal holds one of `scopes` (every listed role counts; admin always). */
export function stationsWhere(principal: Pick<Principal, 'stations'>, scopes: readonly string[]): string[] {
  return [...principal.stations].filter(([, roles]) => [...roles].some((role) => roleSatisfies(role, scopes))).map(([id]) => id);
}

/** The role a decision (approve, publish) is taken in at a station: the strongest one held there. */
export function decidingRole(principal: Pick<Principal, 'owner' | 'stations'>, stationId: string): UserRole {
  const held = rolesAt(principal, stationId);
  return USER_ROLES.find((role) => held.includes(role)) ?? 'viewer';
}
