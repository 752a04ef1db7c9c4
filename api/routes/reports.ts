// Reports: SoundExchange Aggregate Tuning Hours from the listener sessions LibreLog keeps.
import { Router } from 'express';
import type { Knex } from 'knex';
import { DateTime } from 'luxon';
import { storedTuningHours } from '../../activities/azuracast.js';
import { handle } from '../handle.js';
import { Problem } from '../problem.js';
import { stationOf } from '../stations.js';

export function createReportsRouter(deps: { db: Knex }): Router {
  const router = Router();
  router.get(
    '/stations/:station/reports/tuning-hours',
    handle(async (req, res) => {
      const s = await stationOf(deps.db, req);
      const { from, to } = req.query as { from: string; to: string };
      const start = DateTime.fromISO(from, { zone: s.timezone }).startOf('day');
      const end = DateTime.fromISO(to, { zone: s.timezone }).plus({ days: 1 }).startOf('day');
      if (end <= start) throw new Problem(400, 'Bad Request', '`to` is before `from`', [{ path: 'query.to', message: 'must not be before from' }]);
      const { hours, sessions } = await storedTuningHours(deps.db, s.id, start.toJSDate(), end.toJSDate());
      res.json({ from, to, aggregateTuningHours: Math.round(hours * 1000) / 1000, sessions });
    }),
  );
  return router;
}
