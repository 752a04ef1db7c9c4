// Who works for which station, in which roles: station_memberships, for people and API clients
// alike. Reads for the people pages and writes that replace a holder's roles in one go.
import type { Knex } from 'knex';
import type { UserRole } from '../domain/vocabulary.js';

export type Holder = { userId: string } | { apiClientId: string };

export interface StationRoles {
  stationId: string;
  /** The station's slug. */
  station: string;
  roles: UserRole[];
}

const holderColumn = (holder: Holder) => ('userId' in holder ? { column: 'user_id', id: holder.userId } : { column: 'api_client_id', id: holder.apiClientId });

/** Each holder's roles, station by station (by slug), for a page of users or API clients. */
export async function stationRolesOf(db: Knex, kind: 'user' | 'api_client', ids: readonly string[]): Promise<Map<string, StationRoles[]>> {
  const column = kind === 'user' ? 'user_id' : 'api_client_id';
  const rows = (await db('station_memberships as m')
    .join('stations as s', 's.id', 'm.station_id')
    .whereIn(`m.${column}`, ids)
    .groupBy(`m.${column}`, 's.id', 's.slug')
    .orderBy('s.slug')
    .select(`m.${column} as holder`, 's.id as stationId', 's.slug as station', db.raw('array_agg(m.role::text ORDER BY m.role) AS roles'))) as {
    holder: string;
    stationId: string;
    station: string;
    roles: UserRole[];
  }[];
  const byHolder = new Map<string, StationRoles[]>(ids.map((id) => [id, []]));
  for (const { holder, ...roles } of rows) byHolder.get(holder)?.push(roles);
  return byHolder;
}

export class UnknownStationError extends Error {
  constructor(
    readonly index: number,
    readonly wanted: string,
  ) {
    super(`No station "${wanted}"`);
  }
}

/** The stations a request names (slug or id), each once; throws UnknownStationError for one that does not exist. */
export async function resolveStationRoles(db: Knex, wanted: readonly { station: string; roles: readonly UserRole[] }[]): Promise<StationRoles[]> {
  const rows = (await db('stations')
    .whereIn('slug', wanted.map((w) => w.station))
    .orWhereIn(
      'id',
      wanted.map((w) => w.station).filter((s) => UUID.test(s)),
    )
    .select('id', 'slug')) as { id: string; slug: string }[];
  return wanted.map((w, index) => {
    const found = rows.find((r) => r.slug === w.station || r.id === w.station.toLowerCase());
    if (!found) throw new UnknownStationError(index, w.station);
    return { stationId: found.id, station: found.slug, roles: [...new Set(w.roles)] };
  });
}

/** Replaces every role a holder has; call inside the change's transaction. */
export async function replaceStationRoles(trx: Knex, holder: Holder, stations: readonly StationRoles[]): Promise<void> {
  const { column, id } = holderColumn(holder);
  await trx('station_memberships').where(column, id).delete();
  const rows = stations.flatMap((s) => s.roles.map((role) => ({ stationId: s.stationId, role, [column === 'user_id' ? 'userId' : 'apiClientId']: id })));
  if (rows.length) await trx('station_memberships').insert(rows);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
