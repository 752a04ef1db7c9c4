// Avails and sell-out through the API: each day's and daypart's ADV avails, sold and free, for
// the next 4–8 weeks (domain/avails.ts counts them; docs/avails.md says how).
import { Router } from 'express';
import { loadAvailsInputs } from '../../db/avails-inputs.js';
import { availsReport } from '../../domain/avails.js';
import { broadcastDatesFrom } from '../../domain/broadcast-day.js';
import { addDays, BUILD_WINDOW_DAYS } from '../../domain/calendar-date.js';
import type { AppDeps } from '../deps.js';
import { handle } from '../handle.js';
import { Problem } from '../problem.js';
import { stationOf } from '../stations.js';

export const DEFAULT_AVAILS_WEEKS = 6;

export function createAvailsRouter(deps: AppDeps): Router {
  const { db } = deps;
  const router = Router();

  router.get(
    '/stations/:station/avails',
    handle(async (req, res) => {
      const s = await stationOf(db, req);
      const q = req.query as { from?: string; weeks?: number | string };
      const today = broadcastDatesFrom(new Date(), s.timezone, 1)[0]!;
      const from = q.from ?? today;
      const weeks = q.weeks === undefined ? DEFAULT_AVAILS_WEEKS : Number(q.weeks);
      if (from < today) throw new Problem(400, 'Bad Request', `${from} has passed at ${s.slug}`, [{ path: 'query.from', message: `must be today (${today}) or later` }]);
      const latest = addDays(today, BUILD_WINDOW_DAYS);
      if (from > latest) throw new Problem(400, 'Bad Request', `${from} is too far ahead`, [{ path: 'query.from', message: `must be no later than ${latest}` }]);
      const to = addDays(from, weeks * 7 - 1);
      const report = availsReport(await loadAvailsInputs(db, s, from, to));
      res.json({ station: { slug: s.slug, name: s.name, timezone: s.timezone }, today, ...report });
    }),
  );

  return router;
}
