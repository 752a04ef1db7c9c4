// Health check for supervisors and load balancers: can the web app reach the API it shows?
import { apiBase } from '../lib/api.server.js';

const TIMEOUT_MS = 5_000;

export async function loader() {
  try {
    const response = await fetch(`${apiBase()}/health`, { signal: AbortSignal.timeout(TIMEOUT_MS) });
    // The API answers 503 when its own dependencies are down; the web app is up either way but useless without the API.
    if (response.status >= 500 && response.status !== 503) throw new Error(`the API answered ${response.status}`);
    return Response.json({ status: 'ok', api: response.status === 200 ? 'ok' : 'degraded' }, { headers: { 'Cache-Control': 'no-store' } });
  } catch (error) {
    console.error('healthz: API check failed:', error instanceof Error ? error.message : error);
    return Response.json({ status: 'error', detail: 'API unavailable' }, { status: 503, headers: { 'Cache-Control': 'no-store' } });
  }
}
