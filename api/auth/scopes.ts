// Roles are the scopes of the `librelog` OAuth2 scheme in api/openapi.yaml. An operation lists
// the roles that may call it: `security: [{ librelog: [traffic, programming] }]`.
import { USER_ROLES, type UserRole } from '../../domain/vocabulary.js';

const ROLES: ReadonlySet<string> = new Set(USER_ROLES);

export function isUserRole(value: unknown): value is UserRole {
  return typeof value === 'string' && ROLES.has(value);
}

/**
 * Whether `role` may call an operation whose security requirement lists `scopes`.
 * Unlike plain OAuth2 (where every listed scope is needed), any one listed role is enough;
 * no listed role means any signed-in role; admin may do everything.
 */
export function roleSatisfies(role: UserRole, scopes: readonly string[]): boolean {
  return scopes.length === 0 || role === 'admin' || scopes.includes(role);
}
