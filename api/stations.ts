// `{station}` in a path is a station id or slug. The access gate has already found which station
// and checked that the caller works for it; a route reads that station, as it is now, here.
import type { Request } from 'express';
import type { Knex } from 'knex';
import { findStation, StationNotFoundError, type StationRow } from '../db/log-inputs.js';
import { gateStation, noStation } from './auth/gate.js';
import { principalOf } from './auth/principal.js';
import { worksFor } from './auth/scopes.js';

export async function stationOf(db: Knex, req: Request): Promise<StationRow> {
  // Read fresh (its settings decide what the request may do); the gate knows only which station.
  const wanted = gateStation(req)?.id ?? String(req.params.station);
  try {
    const station = await findStation(db, wanted);
    if (!worksFor(principalOf(req), station.id)) throw noStation(wanted);
    return station;
  } catch (error) {
    if (error instanceof StationNotFoundError) throw noStation(wanted);
    throw error;
  }
}
