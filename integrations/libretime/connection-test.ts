// Test a LibreTime connection: is LibreTime at this address (GET /api/v2/info, open to anyone),
// which API version it speaks (GET /api/v2/version), and whether it takes the key (an
// authenticated GET /api/v2/libraries). One attempt each, a short timeout, no retries; the first
// check that fails ends the test, since the later ones could only fail the same way.
import { CONNECTION_TEST_TIMEOUT_MS, failureInWords, quoted, resultOf, type ConnectionCheck, type ConnectionTestResult } from '../connection-test.js';
import { createLibreTimeClient } from './client.js';
import { LibreTimeRejected } from './types.js';

export interface LibreTimeTestOptions {
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export async function testLibreTimeConnection(
  { baseUrl, apiKey, noKey }: { baseUrl: string; apiKey: string | null; noKey?: string },
  options: LibreTimeTestOptions = {},
): Promise<ConnectionTestResult> {
  const timeoutMs = options.timeoutMs ?? CONNECTION_TEST_TIMEOUT_MS;
  const url = new URL(baseUrl);
  // The open endpoints are asked without a key: they answer anyone, and a wrong key must not spoil them.
  const client = createLibreTimeClient({ baseUrl, apiKey: apiKey ?? '' }, { retries: 0, timeoutMs, ...(options.fetch && { fetch: options.fetch }) });
  const checks: ConnectionCheck[] = [];
  const refusedWith = (error: unknown, what: string): string | null => {
    if (!(error instanceof LibreTimeRejected)) return null;
    if (error.status === 404) return `404: there is no LibreTime API v2 here (${what} was not found): give LibreTime's own address, without /api.`;
    return `${error.status}: LibreTime refused ${what}${detailOf(error) ? ` — it said "${detailOf(error)}"` : ''}.`;
  };

  const asked = 'GET /api/v2/info';
  try {
    const info = await client.info();
    checks.push({ name: 'Reachable', asked, ok: true, said: `LibreTime answered: its station is "${info.station_name}".` });
  } catch (error) {
    checks.push({ name: 'Reachable', asked, ok: false, said: refusedWith(error, asked) ?? failureInWords(error, url, 'LibreTime', timeoutMs) });
    return resultOf(checks);
  }

  try {
    const { api_version } = await client.version();
    const v2 = api_version.startsWith('2.');
    checks.push({
      name: 'API version',
      asked: 'GET /api/v2/version',
      ok: v2,
      said: v2 ? `API version ${api_version}.` : `API version ${api_version}: LibreLog speaks LibreTime's API v2.`,
    });
  } catch (error) {
    checks.push({ name: 'API version', asked: 'GET /api/v2/version', ok: false, said: refusedWith(error, 'GET /api/v2/version') ?? failureInWords(error, url, 'LibreTime', timeoutMs) });
    return resultOf(checks);
  }

  const keyAsked = 'GET /api/v2/libraries (with the API key)';
  if (apiKey === null) {
    checks.push({ name: 'API key', asked: keyAsked, ok: false, said: `Not asked: ${noKey ?? 'there is no API key (none is saved and none was given).'}` });
    return resultOf(checks);
  }
  try {
    const libraries = await client.listLibraries();
    const codes = libraries.map((library) => library.code);
    checks.push({
      name: 'API key',
      asked: keyAsked,
      ok: true,
      said: `The API key was accepted: ${libraries.length} track type${libraries.length === 1 ? '' : 's'}${codes.length ? ` (${codes.slice(0, 12).join(', ')}${codes.length > 12 ? ', …' : ''})` : ''}.`,
    });
  } catch (error) {
    let said: string;
    if (error instanceof LibreTimeRejected && (error.status === 401 || error.status === 403)) {
      // DRF answers 403 rather than 401 for a missing or wrong Api-Key (no WWW-Authenticate challenge).
      said = `${error.status}: the API key was refused${detailOf(error) ? ` — LibreTime said "${detailOf(error)}"` : ''}. Copy general.api_key from LibreTime's config.yml.`;
    } else {
      said = refusedWith(error, 'GET /api/v2/libraries') ?? failureInWords(error, url, 'LibreTime', timeoutMs);
    }
    checks.push({ name: 'API key', asked: keyAsked, ok: false, said });
  }
  return resultOf(checks);
}

/** DRF's `{"detail": "…"}`, or the start of whatever else came back. */
function detailOf(error: LibreTimeRejected): string {
  const { body } = error;
  if (typeof body === 'object' && body !== null && typeof (body as { detail?: unknown }).detail === 'string') return quoted((body as { detail: string }).detail);
  return typeof body === 'string' ? quoted(body) : '';
}
