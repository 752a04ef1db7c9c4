// Make-goods through the API: list them by advertiser and campaign, waive one with a reason,
// or ask for it on a day. Only an owed make-good changes; each change is audited.
import { Router } from 'express';
import { DateTime } from 'luxon';
import { findMakeGood, listMakeGoods, lockMakeGood, waiveMakeGood, wantMakeGood } from '../../db/make-goods.js';
import type { MakeGoodStatus } from '../../domain/vocabulary.js';
import type { AppDeps } from '../deps.js';
import { recordAudit } from '../audit.js';
import { principalOf } from '../auth/principal.js';
import { handle } from '../handle.js';
import { Problem } from '../problem.js';
import { stationOf } from '../stations.js';

type Change = { status: 'waived'; reason: string } | { wantedOn?: string | null; wantedDaypartId?: string | null };

export function createMakeGoodsRouter(deps: AppDeps): Router {
  const { db } = deps;
  const router = Router();

  router.get(
    '/stations/:station/make-goods',
    handle(async (req, res) => {
      const s = await stationOf(db, req);
      const q = req.query as { status?: MakeGoodStatus; campaign?: string; advertiser?: string };
      res.json(await listMakeGoods(db, s.id, { status: q.status, campaignId: q.campaign, advertiserId: q.advertiser }));
    }),
  );

  router.patch(
    '/stations/:station/make-goods/:makeGoodId',
    handle(async (req, res) => {
      const s = await stationOf(db, req);
      const principal = principalOf(req);
      const id = String(req.params.makeGoodId);
      const change = req.body as Change;
      const after = await db.transaction(async (trx) => {
        const locked = await lockMakeGood(trx, s.id, id);
        if (!locked) throw new Problem(404, 'Not Found', `No make-good ${id} at ${s.slug}`);
        const before = (await findMakeGood(trx, s.id, id))!;
        if (locked.status !== 'owed') {
          const where = before.scheduled ? ` (it is in the log of ${before.scheduled.date}: rebuild that day first)` : '';
          throw new Problem(409, 'Conflict', `Only an owed make-good changes; this one is ${locked.status}${where}`);
        }
        if ('status' in change) {
          await waiveMakeGood(trx, id, change.reason.trim(), principal.kind === 'user' ? principal.id : null);
        } else {
          if (change.wantedOn !== undefined && change.wantedOn !== null) {
            const today = DateTime.now().setZone(s.timezone).toISODate()!;
            if (change.wantedOn < today) throw new Problem(400, 'Bad Request', `${change.wantedOn} has passed at ${s.slug}`, [{ path: 'body.wantedOn', message: `must be today (${today}) or later` }]);
            if (change.wantedOn > before.expiresOn) {
              throw new Problem(400, 'Bad Request', `The make-good expires on ${before.expiresOn}`, [{ path: 'body.wantedOn', message: `must be no later than ${before.expiresOn}, when the make-good expires` }]);
            }
          }
          if (change.wantedDaypartId) {
            const daypart = (await trx('dayparts').where({ id: change.wantedDaypartId, stationId: s.id }).first('id')) as { id: string } | undefined;
            if (!daypart) throw new Problem(400, 'Bad Request', `No daypart ${change.wantedDaypartId} at ${s.slug}`, [{ path: 'body.wantedDaypartId', message: 'must be one of the station’s dayparts' }]);
          }
          await wantMakeGood(trx, id, { on: change.wantedOn, daypartId: change.wantedDaypartId });
        }
        const changed = (await findMakeGood(trx, s.id, id))!;
        await recordAudit(trx, principal, {
          action: 'status' in change ? 'make_good.waive' : 'make_good.want',
          entity: 'make_good',
          entityId: id,
          stationId: s.id,
          before: { status: before.status, wantedOn: before.wantedOn, wantedDaypart: before.wantedDaypart?.name ?? null, campaign: before.campaign.name },
          after: { status: changed.status, wantedOn: changed.wantedOn, wantedDaypart: changed.wantedDaypart?.name ?? null, waivedReason: changed.waivedReason, campaign: changed.campaign.name },
        });
        return changed;
      });
      res.json(after);
    }),
  );

  return router;
}
