// LibreTimeApi over HTTP. API v2 takes `Authorization: Api-Key <key>`; the two legacy PHP
// endpoints LibreLog needs (media upload, schedule push) keep their own auth. Network errors,
// timeouts and 5xx are retried with exponential backoff and end in LibreTimeUnavailable; a 4xx is
// LibreTime refusing the request as it is, so it throws LibreTimeRejected at once with the
// reasons LibreTime gave (DRF's field errors). POSTs are retried too: after a timeout the first
// attempt may have landed, so a caller that must not double an item compares with listSchedule.
import { openAsBlob } from 'node:fs';
import type {
  LibreTimeApi,
  LibreTimeConnection,
  LibreTimeFile,
  LibreTimeInfo,
  LibreTimeLibrary,
  LibreTimeLiveLog,
  LibreTimePlayoutHistory,
  LibreTimeScheduleItem,
  LibreTimeShow,
  LibreTimeShowInstance,
  LibreTimeVersion,
  ScheduleFilter,
} from './types.js';
import { LibreTimeRejected, LibreTimeUnavailable } from './types.js';

export interface LibreTimeClientOptions {
  fetch?: typeof fetch;
  /** Extra attempts after the first (default 4: 0.5 s, 1 s, 2 s and 4 s apart). */
  retries?: number;
  /** Per attempt, body included (default 30 s). */
  timeoutMs?: number;
  /** Waits between attempts; tests pass a fast one. */
  sleep?: (ms: number) => Promise<void>;
}

const FIRST_BACKOFF_MS = 500;

type Query = Record<string, string | number | boolean | undefined>;

interface Call {
  query?: Query;
  json?: unknown;
  /** Builds a multipart body; called once per attempt because a streamed file body can be sent only once. */
  form?: () => Promise<FormData>;
  authorization?: string;
}

export function createLibreTimeClient(connection: LibreTimeConnection, options: LibreTimeClientOptions = {}): LibreTimeApi {
  const baseUrl = connection.baseUrl.replace(/\/+$/, '');
  const doFetch = options.fetch ?? fetch;
  const retries = options.retries ?? 4;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const apiKeyAuth = `Api-Key ${connection.apiKey}`;
  // The legacy REST module compares the header with base64("<key>:") — the key as user, no password.
  const legacyBasicAuth = `Basic ${Buffer.from(`${connection.apiKey}:`).toString('base64')}`;

  async function call(method: string, path: string, { query, json, form, authorization = apiKeyAuth }: Call = {}): Promise<unknown> {
    const url = new URL(baseUrl + path);
    for (const [name, value] of Object.entries(query ?? {})) {
      if (value !== undefined) url.searchParams.set(name, String(value));
    }
    const what = `${method} ${path}`;
    let problem = '';
    let lastError: unknown;

    for (let attempt = 0; attempt <= retries; attempt++) {
      if (attempt > 0) await sleep(FIRST_BACKOFF_MS * 2 ** (attempt - 1));
      const headers: Record<string, string> = { Authorization: authorization, Accept: 'application/json' };
      let body: string | FormData | undefined;
      if (json !== undefined) {
        headers['Content-Type'] = 'application/json';
        body = JSON.stringify(json);
      } else if (form) {
        // Outside the try: a missing or unreadable local file is our problem, not LibreTime's.
        body = await form();
      }

      let status: number;
      let statusText: string;
      let text: string;
      try {
        const response = await doFetch(url, { method, headers, body, signal: AbortSignal.timeout(timeoutMs) });
        status = response.status;
        statusText = response.statusText;
        text = await response.text();
      } catch (error) {
        lastError = error;
        problem = describeFailure(error, timeoutMs);
        continue;
      }

      if (status >= 500) {
        lastError = undefined;
        problem = `it answered ${status}${statusText ? ` ${statusText}` : ''}`;
        continue;
      }
      if (status >= 400) throw new LibreTimeRejected(status, path, rejection(method, path, status, text), parsed(text));
      if (text.trim() === '') return undefined;
      try {
        return JSON.parse(text) as unknown;
      } catch (error) {
        // A 2xx that is not JSON is a proxy or a wrong base URL; retrying will not change it.
        throw new LibreTimeUnavailable(`LibreTime answered ${what} with ${status} but not JSON (is ${baseUrl} LibreTime?): ${snippet(text)}`, { cause: error });
      }
    }
    const attempts = retries + 1;
    throw new LibreTimeUnavailable(
      `LibreTime is unavailable: ${what} failed ${attempts} time${attempts === 1 ? '' : 's'}; the last time ${problem}`,
      lastError === undefined ? undefined : { cause: lastError },
    );
  }

  async function list<T>(path: string, query?: Query): Promise<T[]> {
    const body = await call('GET', path, { query });
    if (!Array.isArray(body)) throw new LibreTimeUnavailable(`LibreTime answered GET ${path} with something other than a list`);
    return body as T[];
  }

  async function one<T>(method: string, path: string, request?: Call): Promise<T> {
    const body = await call(method, path, request);
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new LibreTimeUnavailable(`LibreTime answered ${method} ${path} with something other than an object`);
    }
    return body as T;
  }

  return {
    listFiles: () => list<LibreTimeFile>('/api/v2/files'),
    getFile: (id) => one<LibreTimeFile>('GET', `/api/v2/files/${id}`),
    listLibraries: () => list<LibreTimeLibrary>('/api/v2/libraries'),
    listShows: () => list<LibreTimeShow>('/api/v2/shows'),
    getShow: (id) => one<LibreTimeShow>('GET', `/api/v2/shows/${id}`),

    createShow: ({ name, description }) =>
      one<LibreTimeShow>('POST', '/api/v2/shows', {
        // These booleans are NOT NULL without a default in LibreTime's model, so the serializer
        // requires them; the values are those of a plain show made in LibreTime's own UI.
        json: {
          name,
          description,
          linked: false,
          linkable: true,
          auto_playlist_enabled: false,
          auto_playlist_repeat: false,
          override_intro_playlist: false,
          override_outro_playlist: false,
        },
      }),

    async listShowInstances(filter = {}) {
      // LibreTime has no filters on this list: it answers every instance, so we filter here.
      const all = await list<LibreTimeShowInstance>('/api/v2/show-instances');
      const after = filter.starts_after === undefined ? undefined : Date.parse(filter.starts_after);
      const before = filter.starts_before === undefined ? undefined : Date.parse(filter.starts_before);
      return all.filter((instance) => {
        const starts = Date.parse(instance.starts_at);
        return (
          (filter.show === undefined || instance.show === filter.show) &&
          (after === undefined || starts >= after) &&
          (before === undefined || starts <= before)
        );
      });
    },

    createShowInstance: ({ show, starts_at, ends_at }) =>
      one<LibreTimeShowInstance>('POST', '/api/v2/show-instances', {
        // modified = true marks an instance taken out of a repeating show, which LibreTime hides.
        json: { show, starts_at, ends_at, created_at: new Date().toISOString(), modified: false, auto_playlist_built: false },
      }),

    getShowInstance: (id) => one<LibreTimeShowInstance>('GET', `/api/v2/show-instances/${id}`),

    updateShowInstance: (id, { filled_time, last_scheduled_at }) =>
      one<LibreTimeShowInstance>('PATCH', `/api/v2/show-instances/${id}`, { json: { filled_time, last_scheduled_at } }),

    async deleteShowInstance(id) {
      try {
        await call('DELETE', `/api/v2/show-instances/${id}`);
      } catch (error) {
        if (!(error instanceof LibreTimeRejected && error.status === 404)) throw error;
      }
    },

    listSchedule: (filter: ScheduleFilter = {}) => list<LibreTimeScheduleItem>('/api/v2/schedule', { ...filter }),

    createScheduleItem: (item) => one<LibreTimeScheduleItem>('POST', '/api/v2/schedule', { json: item }),

    async deleteScheduleItem(id) {
      await call('DELETE', `/api/v2/schedule/${id}`);
    },

    async setFileScheduled(id, scheduled) {
      await call('PATCH', `/api/v2/files/${id}`, { json: { scheduled } });
    },

    async uploadMedia({ path, filename, mediaType }) {
      const created = await one<{ id?: unknown }>('POST', '/rest/media', {
        authorization: legacyBasicAuth,
        form: async () => {
          const form = new FormData();
          // openAsBlob reads the file from disk as it is sent instead of loading it into memory.
          form.append('file', await openAsBlob(path, { type: mediaType }), filename);
          return form;
        },
      });
      if (typeof created.id !== 'number') throw new LibreTimeUnavailable('LibreTime answered POST /rest/media without the new file id');
      // The legacy answer uses the old column names (filesize, cuein, track_type_id…); read the
      // row back through API v2 to return the same shape as getFile.
      return one<LibreTimeFile>('GET', `/api/v2/files/${created.id}`);
    },

    async pushSchedule() {
      await call('GET', '/api/rabbitmq-do-push');
    },

    listPlayoutHistory: () => list<LibreTimePlayoutHistory>('/api/v2/playout-history'),
    listLiveLogs: () => list<LibreTimeLiveLog>('/api/v2/live-logs'),
    info: () => one<LibreTimeInfo>('GET', '/api/v2/info'),
    version: () => one<LibreTimeVersion>('GET', '/api/v2/version'),
  };
}

function describeFailure(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && error.name === 'TimeoutError') return `there was no answer within ${timeoutMs} ms`;
  if (!(error instanceof Error)) return `it failed: ${String(error)}`;
  // undici reports "fetch failed" and keeps the reason (ECONNREFUSED, a reset socket…) in `cause`.
  const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
  return `it failed: ${error.message}${cause}`;
}

function rejection(method: string, path: string, status: number, text: string): string {
  const reasons = reasonsIn(text);
  const what = status === 401 || status === 403 ? `the API key for ${method} ${path}` : `${method} ${path}`;
  return `LibreTime refused ${what} (${status})${reasons ? `: ${reasons}` : ''}`;
}

function parsed(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** DRF's `{"detail": …}` or `{"field": ["…"]}`, the legacy `{"message": …}`, or plain text. */
function reasonsIn(text: string): string {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return snippet(text);
  }
  if (typeof body === 'object' && body !== null && !Array.isArray(body)) {
    const fields = body as Record<string, unknown>;
    for (const key of ['detail', 'message']) {
      const value = fields[key];
      if (typeof value === 'string' && Object.keys(fields).length === 1) return value;
    }
    return Object.entries(fields)
      .map(([field, value]) => `${field}: ${flatten(value)}`)
      .join('; ');
  }
  return flatten(body);
}

function flatten(value: unknown): string {
  if (Array.isArray(value)) return value.map(flatten).join(' ');
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value)
      .map(([key, inner]) => `${key}: ${flatten(inner)}`)
      .join('; ');
  }
  return String(value);
}

function snippet(text: string): string {
  const oneLine = text.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim();
  return oneLine.length > 300 ? `${oneLine.slice(0, 300)}…` : oneLine;
}

/**
 * "00:03:25", "00:03:25.123456" (or Django's "1 02:00:00" past a day) → milliseconds; null stays
 * null. Anything else throws: a misread length would shift every later item of the log.
 */
export function parseLibretimeDuration(text: string | null): number | null {
  if (text === null) return null;
  const match = /^(?:(\d+) )?(\d+):(\d{2}):(\d{2})(?:\.(\d{1,6}))?$/.exec(text.trim());
  if (!match) throw new RangeError(`Not a LibreTime duration: "${text}"`);
  const [, days = '0', hours = '0', minutes = '0', seconds = '0', fraction = ''] = match;
  const micros = Number(fraction.padEnd(6, '0'));
  return ((Number(days) * 24 + Number(hours)) * 60 + Number(minutes)) * 60_000 + Number(seconds) * 1000 + micros / 1000;
}
