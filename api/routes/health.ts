// GET /health: public, so it says whether each part answers and never why not; the reason
// (a connection string, a host name, a server's own words) goes to the API's log.
import { Router } from 'express';
import type { Knex } from 'knex';
import { createRequire } from 'node:module';
import { handle } from '../handle.js';

export interface TemporalHealthCheck {
  namespace: string;
  /** Resolves when the Temporal frontend answers; rejects with the reason otherwise. */
  check(): Promise<void>;
}

const { version } = createRequire(import.meta.url)('../../package.json') as { version: string };

/** A part that has not answered by then is down, as far as health says: a paused database must not hang the check. */
export const HEALTH_TIMEOUT_MS = 1_500;

async function timed(probe: () => Promise<unknown>): Promise<{ ok: boolean; latencyMs: number; error?: string }> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      probe(),
      new Promise((_resolve, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${HEALTH_TIMEOUT_MS / 1000} s`)), HEALTH_TIMEOUT_MS);
      }),
    ]);
    return { ok: true, latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    return { ok: false, latencyMs: Math.round(performance.now() - started), error: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}

export function createHealthRouter(deps: { db: Knex; temporal: TemporalHealthCheck; temporalUiUrl?: string | undefined; log?: ((error: unknown) => void) | undefined }): Router {
  const log = deps.log ?? ((error: unknown) => console.error(error));
  const router = Router();
  router.get('/health', handle(async (_req, res) => {
    const [database, temporal] = await Promise.all([timed(() => deps.db.raw('select 1')), timed(() => deps.temporal.check())]);
    const ok = database.ok && temporal.ok;
    for (const [part, result] of [['PostgreSQL', database], ['Temporal', temporal]] as const) {
      if (result.error !== undefined) log(new Error(`health: ${part} does not answer: ${result.error}`));
    }
    const shown = ({ ok, latencyMs }: { ok: boolean; latencyMs: number }) => ({ ok, latencyMs });
    res.status(ok ? 200 : 503).json({
      status: ok ? 'ok' : 'degraded',
      version,
      database: shown(database),
      temporal: { ...shown(temporal), namespace: deps.temporal.namespace, ...(deps.temporalUiUrl && { uiUrl: deps.temporalUiUrl }) },
    });
  }));
  return router;
}
