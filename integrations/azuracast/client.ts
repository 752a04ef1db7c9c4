// AzuraCastApi over HTTP. Behaviour read from AzuraCast's sources (AzuraCast/AzuraCast, backend/src):
// errors are Api_Error JSON ({code, type, message, formatted_message, extra_data, success}) whose
// HTTP status is the exception's code. Two consequences shape this client:
// - a station without Liquidsoap answers the metadata push with StationUnsupportedException and
//   HTTP 500, so the error's `type` is checked before a 5xx is treated as worth retrying;
// - AzuraCast answers with JSON only in production or when the request accepts JSON, so every
//   request says Accept: application/json (otherwise an error page could come back as HTML).
import {
  AzuraCastRejected,
  AzuraCastUnavailable,
  StationUnsupported,
  type AzuraCastApi,
  type AzuraCastConnection,
  type AzuraCastHistoryItem,
  type AzuraCastListenerSession,
  type AzuraCastStation,
  type AzuraCastStatus,
  type NowPlayingUpdate,
} from './types.js';

export interface AzuraCastClientOptions {
  fetch?: typeof fetch;
  /** Extra attempts after a network error, a timeout or a 5xx; 4 unless told. */
  retries?: number;
  /** Per attempt, including reading the body; 30 s unless told. */
  timeoutMs?: number;
  /** Waits between attempts (0.5 s, doubling); tests pass a fast one. */
  sleep?: (ms: number) => Promise<void>;
}

const FIRST_BACKOFF_MS = 500;

/** SoundExchange Aggregate Tuning Hours: total listening time of the sessions, in hours. */
export function aggregateTuningHours(sessions: AzuraCastListenerSession[]): number {
  return sessions.reduce((seconds, session) => seconds + session.connected_time, 0) / 3600;
}

export function createAzuraCastClient(connection: AzuraCastConnection, options: AzuraCastClientOptions = {}): AzuraCastApi {
  const doFetch = options.fetch ?? fetch;
  const retries = options.retries ?? 4;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const root = connection.baseUrl.replace(/\/+$/, '');
  const stationPath = `/api/station/${encodeURIComponent(String(connection.stationId))}`;

  async function request(method: 'GET' | 'POST', path: string, body?: unknown): Promise<unknown> {
    const headers: Record<string, string> = { 'X-API-Key': connection.apiKey, Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let lastProblem = '';
    let lastCause: unknown;
    for (let attempt = 0; attempt <= retries; attempt++) {
      if (attempt > 0) await sleep(FIRST_BACKOFF_MS * 2 ** (attempt - 1));
      let status: number;
      let text: string;
      try {
        // One signal for the whole exchange, so a body that stalls half-way also times out.
        const response = await doFetch(root + path, {
          method,
          headers,
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(timeoutMs),
        });
        status = response.status;
        text = await response.text();
      } catch (error) {
        lastCause = error;
        lastProblem = isTimeout(error) ? `no answer within ${timeoutMs} ms` : `network error: ${describe(error)}`;
        continue;
      }
      if (status >= 200 && status < 300) return parseJson(text, method, path);
      const apiError = readApiError(text);
      // Whatever the status (AzuraCast uses 500): the station will not change its backend by retrying.
      if (apiError?.type === 'StationUnsupportedException' || /does not currently support|station unsupported/i.test(apiError?.message ?? '')) {
        throw new StationUnsupported(path, apiError?.message ?? 'This station does not currently support this functionality.', status);
      }
      const message = apiError?.message ?? `HTTP ${status}${text ? `: ${text.slice(0, 200)}` : ''}`;
      if (status >= 500) {
        lastProblem = `HTTP ${status}: ${message}`;
        lastCause = undefined;
        continue;
      }
      throw new AzuraCastRejected(status, path, message, apiError?.type);
    }
    throw new AzuraCastUnavailable(`AzuraCast ${method} ${path} failed after ${retries + 1} attempts: ${lastProblem}`, lastCause === undefined ? undefined : { cause: lastCause });
  }

  return {
    async updateNowPlaying(update: NowPlayingUpdate): Promise<void> {
      // Only the keys that are set: AzuraCast passes every key to Liquidsoap, where a null would
      // be dropped anyway and an empty duration or media id would be noise.
      const body: Record<string, string | number> = { title: update.title, artist: update.artist };
      if (update.duration !== undefined) body.duration = update.duration;
      if (update.media_id !== undefined) body.media_id = update.media_id;
      // Safe to retry after a timeout: AzuraCast ignores the same song twice in a row.
      await request('POST', `${stationPath}/nowplaying/update`, body);
    },

    async history(start: string, end: string): Promise<AzuraCastHistoryItem[]> {
      // No page/per_page: without them AzuraCast returns every row of the range in one array.
      // Paging would walk a list sorted newest first while the station keeps adding rows at its
      // head, so rows would slide between pages and be read twice or missed; a day is a few
      // hundred rows, well within one response.
      const body = await request('GET', `${stationPath}/history?${new URLSearchParams({ start, end }).toString()}`);
      const rows = expectArray(body, 'history', isHistoryItem);
      return rows.sort((a, b) => a.played_at - b.played_at || a.sh_id - b.sh_id);
    },

    async listenerSessions(start: string, end: string): Promise<AzuraCastListenerSession[]> {
      // start is what turns the report from "who is listening now" into a range; unique=0 keeps
      // one row per session instead of one per listener hash.
      const query = new URLSearchParams({ start, end, unique: '0' }).toString();
      const body = await request('GET', `${stationPath}/listeners?${query}`);
      return expectArray(body, 'listeners', isListenerSession);
    },

    async status(): Promise<AzuraCastStatus> {
      const body = await request('GET', '/api/status');
      if (!isRecord(body) || typeof body.online !== 'boolean' || typeof body.timestamp !== 'number') {
        throw new TypeError(`AzuraCast's status answer does not have online and timestamp: ${JSON.stringify(body).slice(0, 300)}`);
      }
      return { online: body.online, timestamp: body.timestamp };
    },

    async station(): Promise<AzuraCastStation> {
      const body = await request('GET', stationPath);
      if (!isRecord(body) || typeof body.id !== 'number' || typeof body.name !== 'string' || typeof body.shortcode !== 'string') {
        throw new TypeError(`AzuraCast's station answer does not have id, name and shortcode: ${JSON.stringify(body).slice(0, 300)}`);
      }
      return { id: body.id, name: body.name, shortcode: body.shortcode, ...(typeof body.timezone === 'string' ? { timezone: body.timezone } : {}) };
    },
  };
}

interface ApiErrorBody {
  type?: string;
  message: string;
}

/** The message of an Api_Error body; `formatted_message` is HTML, so `message` is the one to show. */
function readApiError(text: string): ApiErrorBody | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isRecord(parsed) || typeof parsed.message !== 'string') return null;
  return { message: parsed.message, ...(typeof parsed.type === 'string' ? { type: parsed.type } : {}) };
}

function parseJson(text: string, method: string, path: string): unknown {
  if (text === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new AzuraCastUnavailable(`AzuraCast ${method} ${path} answered something that is not JSON: ${text.slice(0, 200)}`, { cause: error });
  }
}

function expectArray<T>(body: unknown, what: string, isItem: (value: unknown) => value is T): T[] {
  if (!Array.isArray(body)) throw new TypeError(`AzuraCast's ${what} answer is not an array`);
  const items: unknown[] = body;
  const bad = items.findIndex((item) => !isItem(item));
  if (bad >= 0) throw new TypeError(`AzuraCast's ${what} row ${bad} does not have the expected fields: ${JSON.stringify(items[bad]).slice(0, 300)}`);
  return items as T[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// Shallow checks of the fields LibreLog relies on; the full shapes are in types.ts.
function isHistoryItem(value: unknown): value is AzuraCastHistoryItem {
  return (
    isRecord(value) &&
    typeof value.sh_id === 'number' &&
    typeof value.played_at === 'number' &&
    typeof value.duration === 'number' &&
    isRecord(value.song) &&
    typeof value.song.id === 'string' &&
    typeof value.song.text === 'string'
  );
}

function isListenerSession(value: unknown): value is AzuraCastListenerSession {
  return (
    isRecord(value) &&
    typeof value.connected_on === 'number' &&
    typeof value.connected_until === 'number' &&
    typeof value.connected_time === 'number'
  );
}

function isTimeout(error: unknown): boolean {
  return error instanceof Error && error.name === 'TimeoutError';
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  // undici puts the socket-level reason (ECONNREFUSED, …) in `cause`.
  const cause: unknown = error.cause;
  return cause instanceof Error ? `${error.message} (${cause.message})` : error.message;
}
