// The access gate: every protected operation is authenticated and authorized here, before its
// body is read, inflated or stored (a JSON document, a gzip bundle, a multipart upload) — so an
// anonymous caller or a member of another station costs a token check and one query, never a
// parse. It knows the operations from the same OpenAPI document as the validator.
import { Router, type NextFunction, type Request, type Response } from 'express';
import type { Knex } from 'knex';
import { AccessCache, type AccessChanges } from '../../db/access-changes.js';
import { Problem } from '../problem.js';
import type { Authenticate } from './authenticate.js';
import { operationAccess, type OperationAccess } from './operations.js';
import type { Principal } from './principal.js';
import { bearerError, rememberRefusal } from './problems.js';
import { mayCall, OWNER_SCOPE, worksFor } from './scopes.js';

type Spec = Parameters<typeof operationAccess>[0];

// What a `{station}` can be: a station's uuid or its slug (the slug rule of the stations table).
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const STATION_PARAM = /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[a-z0-9][a-z0-9-]{0,62})$/i;

/** Whether a value can name a station at all (anything else is looked up nowhere). */
export function isStationParam(value: string): boolean {
  return STATION_PARAM.test(value);
}

/** Which station a `{station}` names: what the gate checks membership against. */
export interface StationIdentity {
  id: string;
  slug: string;
}

const stations = new WeakMap<Request, StationIdentity>();

/** The station the gate found for this request's `{station}`, if it looked one up. */
export function gateStation(req: Request): StationIdentity | undefined {
  return stations.get(req);
}

/** Not there, or not one of the caller's: the same answer, so a member of A cannot tell B exists. */
export function noStation(wanted: string): Problem {
  return new Problem(404, 'Not Found', `No station "${wanted}"`, [{ path: 'path.station', message: 'is not a station you work for' }]);
}

export function accessGate(db: Knex, spec: Spec, authenticate: Authenticate, changes?: AccessChanges): Router {
  const gate = Router();
  // Only which station a slug or id names is cached (never its settings): forgotten on any change.
  const identities = new AccessCache<StationIdentity | null>(changes);
  const identityOf = (wanted: string) =>
    identities.get(wanted.toLowerCase(), async () => {
      const row = (await db('stations')
        .where(UUID.test(wanted) ? { id: wanted } : { slug: wanted })
        .first('id', 'slug')) as StationIdentity | undefined;
      return row ?? null;
    });
  for (const op of operationAccess(spec)) {
    if (op.public) continue;
    const expressPath = op.path.replace(/\{(\w+)\}/g, ':$1');
    (gate as unknown as Record<string, (path: string, handler: (req: Request, res: Response, next: NextFunction) => void) => void>)[op.method]!(
      expressPath,
      (req, _res, next) => {
        check(op, req).then(
          () => next('router'),
          (error: unknown) => {
            rememberRefusal(req, error);
            next(error);
          },
        );
      },
    );
  }
  return gate;

  async function check(op: OperationAccess, req: Request): Promise<void> {
    const principal = await authenticate(req);
    let stationId: string | null = null;
    if (op.stationScoped) {
      const wanted = String(req.params.station);
      if (!isStationParam(wanted)) throw noStation(wanted);
      const station = await identityOf(wanted);
      // An owner goes on to the route, which may make the station (PUT bundle) or say 404 itself.
      if (!station && !principal.owner) throw noStation(wanted);
      if (station) {
        if (!worksFor(principal, station.id)) throw noStation(wanted);
        stations.set(req, station);
        stationId = station.id;
      }
    }
    if (!allowed(op, principal, stationId)) throw refusal(op, principal);
    req.user = principal;
  }
}

function allowed(op: OperationAccess, principal: Principal, stationId: string | null): boolean {
  // Alternatives are OR'd; within one, every scheme's scopes must be met.
  return op.requirements.some((requirement) => Object.values(requirement).every((scopes) => mayCall(principal, scopes ?? [], stationId)));
}

function refusal(op: OperationAccess, principal: Principal) {
  if (op.ownerOnly) return bearerError('insufficient_scope', 'Only the install\'s owners may do this (stations, people and API clients).', [OWNER_SCOPE]);
  const scopes = [...new Set(op.requirements.flatMap((r) => r.librelog ?? []))];
  const allowedRoles = ['admin', ...scopes.filter((scope) => scope !== 'admin')];
  const where = op.stationScoped ? ' at this station' : '';
  const held = principal.owner ? 'owner' : 'roles you hold';
  return bearerError('insufficient_scope', `The ${held}${where} may not do this; it needs one of: ${allowedRoles.join(', ')}.`, scopes);
}
