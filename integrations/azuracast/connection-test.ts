// Test an AzuraCast connection: is AzuraCast at this address (GET /api/status, public), does the
// station exist (GET /api/station/{id}, public: its name and shortcode), and does the key read
// its reports (an authenticated GET /api/station/{id}/history for the last hour — what the daily
// as-run pull asks). One attempt each, a short timeout, no retries; the first check that fails
// ends the test.
import { CONNECTION_TEST_TIMEOUT_MS, failureInWords, quoted, resultOf, type ConnectionCheck, type ConnectionTestResult } from '../connection-test.js';
import { createAzuraCastClient } from './client.js';
import { AzuraCastRejected } from './types.js';

export interface AzuraCastTestOptions {
  timeoutMs?: number;
  fetch?: typeof fetch;
  now?: () => Date;
}

/** Past this, the station's as-run times would be read wrong: worth saying. */
const CLOCK_SKEW_WARNING_S = 120;

export async function testAzuraCastConnection(
  { baseUrl, stationId, apiKey, noKey }: { baseUrl: string; stationId: number; apiKey: string | null; noKey?: string },
  options: AzuraCastTestOptions = {},
): Promise<ConnectionTestResult> {
  const timeoutMs = options.timeoutMs ?? CONNECTION_TEST_TIMEOUT_MS;
  const now = options.now ?? (() => new Date());
  const url = new URL(baseUrl);
  const client = createAzuraCastClient({ baseUrl, stationId, apiKey: apiKey ?? '' }, { retries: 0, timeoutMs, ...(options.fetch && { fetch: options.fetch }) });
  const checks: ConnectionCheck[] = [];
  const failed = (error: unknown, what: string): string => {
    if (error instanceof AzuraCastRejected) {
      if (error.status === 404) return `404: ${what} was not found — is ${url.origin} AzuraCast's own address (without /api)?`;
      return `${error.status}: AzuraCast refused ${what} — it said "${quoted(error.message)}".`;
    }
    if (error instanceof TypeError && !('cause' in error && error.cause)) return `AzuraCast answered ${what}, but not in the shape AzuraCast's API has: ${quoted(error.message)}`;
    return failureInWords(error, url, 'AzuraCast', timeoutMs);
  };

  try {
    const status = await client.status();
    const skew = Math.round(status.timestamp - now().getTime() / 1000);
    const clock = Math.abs(skew) > CLOCK_SKEW_WARNING_S ? ` Its clock is ${Math.round(Math.abs(skew) / 60)} min ${skew > 0 ? 'ahead of' : 'behind'} LibreLog's: as-run times will be off.` : '';
    checks.push({ name: 'Reachable', asked: 'GET /api/status', ok: status.online, said: `${status.online ? 'AzuraCast answered: online.' : 'AzuraCast answered, but says it is not online.'}${clock}` });
    if (!status.online) return resultOf(checks);
  } catch (error) {
    checks.push({ name: 'Reachable', asked: 'GET /api/status', ok: false, said: failed(error, 'GET /api/status') });
    return resultOf(checks);
  }

  const stationAsked = `GET /api/station/${stationId}`;
  try {
    const station = await client.station();
    checks.push({ name: 'Station', asked: stationAsked, ok: true, said: `Station ${station.id} is "${station.name}" (${station.shortcode}).` });
  } catch (error) {
    const said =
      error instanceof AzuraCastRejected && error.status === 404
        ? `404: AzuraCast has no station ${stationId}${error.message ? ` — it said "${quoted(error.message)}"` : ''}. The id is the number in the station's address in AzuraCast (…/station/N/…).`
        : failed(error, stationAsked);
    checks.push({ name: 'Station', asked: stationAsked, ok: false, said });
    return resultOf(checks);
  }

  const end = now();
  const start = new Date(end.getTime() - 3_600_000);
  const keyAsked = `GET /api/station/${stationId}/history?start=${iso(start)}&end=${iso(end)} (with the API key)`;
  if (apiKey === null) {
    checks.push({ name: 'API key', asked: keyAsked, ok: false, said: `Not asked: ${noKey ?? 'there is no API key (none is saved and none was given).'}` });
    return resultOf(checks);
  }
  try {
    const plays = await client.history(iso(start), iso(end));
    checks.push({
      name: 'API key',
      asked: keyAsked,
      ok: true,
      said: `The API key was accepted and may read the station's history: ${plays.length} play${plays.length === 1 ? '' : 's'} in the last hour.`,
    });
  } catch (error) {
    let said: string;
    if (error instanceof AzuraCastRejected && error.status === 403 && error.type !== 'NotLoggedInException' && error.type !== undefined) {
      said = `403: the key's user lacks the permission to read this station's reports ("View Station Reports") — AzuraCast said "${quoted(error.message)}".`;
    } else if (error instanceof AzuraCastRejected && (error.status === 401 || error.status === 403)) {
      said = `${error.status}: the API key was refused — AzuraCast said "${quoted(error.message)}". Make a key under My Account → API Keys.`;
    } else {
      said = failed(error, `GET /api/station/${stationId}/history`);
    }
    checks.push({ name: 'API key', asked: keyAsked, ok: false, said });
  }
  return resultOf(checks);
}

/** ISO 8601 in UTC, whole seconds: AzuraCast reads it with its offset. */
function iso(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
