// `{station}` in a path is a station id or slug; an API client bound to one station sees only it.
import type { Request } from 'express';
import type { Knex } from 'knex';
import { findStation, StationNotFoundError, type StationRow } from '../db/log-inputs.js';
import { principalOf } from './auth/principal.js';
import { Problem } from './problem.js';

export async function stationOf(db: Knex, req: Request): Promise<StationRow> {
  const wanted = String(req.params.station);
  try {
    const station = await findStation(db, wanted);
    const principal = principalOf(req);
    if (principal.stationId && principal.stationId !== station.id) throw new StationNotFoundError(wanted);
    return station;
  } catch (error) {
    if (error instanceof StationNotFoundError) throw new Problem(404, 'Not Found', `No station "${wanted}"`);
    throw error;
  }
}
