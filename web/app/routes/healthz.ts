// Health check for supervisors and load balancers: can the web app reach its database?
import { getDb } from '../lib/db.server.js';

const TIMEOUT_MS = 5_000;

export async function loader() {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      getDb().raw('select 1'),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${TIMEOUT_MS} ms`)), TIMEOUT_MS);
      }),
    ]);
    return Response.json({ status: 'ok' }, { headers: { 'Cache-Control': 'no-store' } });
  } catch (error) {
    console.error('healthz: database check failed:', error instanceof Error ? error.message : error);
    return Response.json({ status: 'error', detail: 'database unavailable' }, { status: 503, headers: { 'Cache-Control': 'no-store' } });
  } finally {
    clearTimeout(timer);
  }
}
