// Who may call what, as api/openapi.yaml says it: read once at start-up to refuse a spec whose
// security declarations would not mean what they look like, and by the authorization tests.
import { USER_ROLES, type UserRole } from '../../domain/vocabulary.js';
import { isScope, OWNER_SCOPE, roleSatisfies } from './scopes.js';

export const SECURITY_SCHEMES = ['bearerAuth', 'librelog'] as const;

type Requirement = Record<string, string[] | undefined>;
interface Spec {
  security?: Requirement[];
  paths?: Record<string, Record<string, { security?: Requirement[]; operationId?: string } | undefined>>;
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];

export interface OperationAccess {
  method: string;
  /** The path as in the spec, e.g. `/stations/{station}/logs/{date}`. */
  path: string;
  operationId: string | undefined;
  /** Callable without a token. */
  public: boolean;
  /** The station roles that may call it (admin always among them unless owner-only); every role when it lists none. */
  roles: UserRole[];
  /** Only the install's owners may call it. */
  ownerOnly: boolean;
  /** About one station (`{station}` in its path): roles count only at that station. */
  stationScoped: boolean;
  requirements: Requirement[];
}

export function operationAccess(spec: Spec): OperationAccess[] {
  const operations: OperationAccess[] = [];
  for (const [path, item] of Object.entries(spec.paths ?? {})) {
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation) continue;
      const requirements = operation.security ?? spec.security ?? [];
      const isPublic = requirements.length === 0 || requirements.some((r) => Object.keys(r).length === 0);
      const roles = USER_ROLES.filter((role) =>
        requirements.some((requirement) => Object.values(requirement).every((scopes) => roleSatisfies(role, scopes ?? []))),
      );
      const ownerOnly = !isPublic && requirements.every((r) => (r.librelog ?? []).includes(OWNER_SCOPE));
      operations.push({
        method,
        path,
        operationId: operation.operationId,
        public: isPublic,
        roles: isPublic ? [...USER_ROLES] : roles,
        ownerOnly,
        stationScoped: path.includes('{station}'),
        requirements,
      });
    }
  }
  return operations;
}

/** What is wrong with the spec's security declarations; empty when nothing is. */
export function securityDeclarationErrors(spec: Spec): string[] {
  const errors: string[] = [];
  for (const op of operationAccess(spec)) {
    const where = `${op.method.toUpperCase()} ${op.path}`;
    for (const requirement of op.requirements) {
      for (const [scheme, scopes] of Object.entries(requirement)) {
        if (!(SECURITY_SCHEMES as readonly string[]).includes(scheme)) errors.push(`${where}: unknown security scheme ${scheme}`);
        if (scheme === 'bearerAuth' && scopes?.length) errors.push(`${where}: bearerAuth takes no scopes; list roles under librelog`);
        for (const scope of scopes ?? []) if (!isScope(scope)) errors.push(`${where}: ${scope} is not a role`);
        if (scopes?.includes(OWNER_SCOPE) && scopes.length > 1) errors.push(`${where}: owner is listed alone (owners may do everything anyway)`);
      }
    }
    // Alternatives are OR'd: one without roles would let every role in past the roles of another.
    const scoped = op.requirements.map((r) => (r.librelog?.length ?? 0) > 0);
    if (scoped.includes(true) && scoped.includes(false)) errors.push(`${where}: a role-restricted operation must list only librelog requirements with roles`);
  }
  return errors;
}
