// A fake AzuraCast for tests: a real HTTP server answering the four operations LibreLog uses the
// way AzuraCast's controllers do (AzuraCast/AzuraCast, backend/src): Api_Error bodies with the
// exception's code as status, 403 NotLoggedInException for a missing or unknown key, the
// metadata push refused with StationUnsupportedException (500) when the backend is not
// Liquidsoap, history and listener reports read in the station's timezone, rows deleted after
// the retention period. Every request is checked against ./azuracast-subset.yaml: a mismatch
// is recorded in `violations` and answered 400, so a test can assert the client spoke AzuraCast.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { DateTime } from 'luxon';
import { parse as parseYaml } from 'yaml';
import type { AzuraCastListenerLocation, AzuraCastListenerSession, AzuraCastSong } from '../../integrations/azuracast/types.js';

/** One accepted or ignored push, as the fake received it (unknown keys already dropped). */
export interface FakePush {
  at: Date;
  title: string;
  artist: string;
  duration?: number;
  media_id?: number | string;
}

/** A song_history row as AzuraCast stores it; the fake turns it into Api_DetailedSongHistory. */
export interface FakeHistoryRow {
  /** Unix seconds of the real start (AzuraCast reports played_at = this + 5). */
  timestamp_start: number;
  /** Seconds. */
  duration: number;
  title: string;
  artist: string;
  album?: string | null;
  isrc?: string | null;
  playlist?: string;
  streamer?: string;
  is_request?: boolean;
  listeners_start?: number;
  listeners_end?: number;
  /** Given on first output when absent. */
  sh_id?: number;
}

/** A listener row as AzuraCast stores it: one connection of one listener. */
export interface FakeListenerRow {
  /** Unix seconds. */
  timestamp_start: number;
  /** Unix seconds; null while still connected. */
  timestamp_end: number | null;
  listener_ip?: string;
  listener_user_agent?: string;
  /** Same listener, same hash; defaults to a hash of IP and user agent. */
  listener_hash?: string;
  mount_name?: string;
  location?: Partial<AzuraCastListenerLocation>;
}

export interface FakeAzuraCastOptions {
  apiKey?: string;
  /** Keys of users who hold no permission at the station: logged in, then PermissionDeniedException (403). */
  limitedApiKeys?: string[];
  /** The station's name as GET /api/station/{id} tells it; its shortcode is made from it. */
  stationName?: string;
  stationId?: number;
  /** IANA zone the station's reports are read in; America/Phoenix unless told. */
  timezone?: string;
  /** false: the station has no Liquidsoap backend, so metadata pushes are refused. */
  liquidsoap?: boolean;
  /** Rows whose start is this many days before now() are deleted; 60 unless told. */
  retentionDays?: number;
  now?: () => Date;
}

export interface FakeAzuraCast {
  /** Base URL, e.g. http://127.0.0.1:40123 (AzuraCastConnection.baseUrl). */
  url: string;
  apiKey: string;
  limitedApiKeys: string[];
  stationId: number;
  stationName: string;
  timezone: string;
  liquidsoap: boolean;
  retentionDays: number;
  /** The fake's clock; replace it to move time. */
  now: () => Date;
  /** Pushes that became the current song. */
  pushes: FakePush[];
  /** Pushes dropped because they repeated the current song. */
  ignored: FakePush[];
  /** Filled by tests; accepted pushes are appended too, as AzuraCast records what played. */
  history: FakeHistoryRow[];
  listeners: FakeListenerRow[];
  /** Requests that do not match azuracast-subset.yaml (and the fake's own answers that do not). */
  violations: string[];
  /** Every request in order, failed ones included. */
  requests: { method: string; path: string; status: number }[];
  /** The next `count` requests answer `status` (a proxy's HTML page for 502–504, Api_Error JSON otherwise). */
  failNext(count: number, status?: number): void;
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// The OpenAPI subset, compiled once.

interface Operation {
  parameters?: unknown[];
  requestBody?: { content: Record<string, { schema: unknown }> };
  responses: Record<string, unknown>;
}
interface SubsetDocument {
  paths: Record<string, Record<string, Operation>>;
  components: { parameters: Record<string, unknown>; responses: Record<string, unknown> };
}
interface ParameterObject {
  in: 'path' | 'query' | 'header';
  name: string;
  required?: boolean;
  schema: unknown;
}

const DOC_ID = 'azuracast-subset';
const subset = parseYaml(readFileSync(new URL('./azuracast-subset.yaml', import.meta.url), 'utf8')) as SubsetDocument;

// ajv-formats is CommonJS whose typings describe an ESM default export; require() gets the function as it is.
const addFormats = createRequire(import.meta.url)('ajv-formats') as (ajv: Ajv, formats: string[]) => Ajv;
function makeAjv(coerceTypes: boolean): Ajv {
  // OpenAPI 3.0 schemas are JSON Schema plus `nullable`, which Ajv knows; the document's
  // other top-level keys are declared so that strict mode still catches typos in schemas.
  const ajv = new Ajv({ allErrors: true, strict: true, coerceTypes });
  for (const keyword of ['openapi', 'info', 'servers', 'security', 'paths', 'components']) ajv.addKeyword(keyword);
  addFormats(ajv, ['int64']);
  ajv.addSchema({ ...(subset as unknown as Record<string, unknown>), $id: DOC_ID });
  return ajv;
}
const bodyAjv = makeAjv(false);
// Query values arrive as strings; coercion turns "2" into the integer the schema describes.
const queryAjv = makeAjv(true);

/** "#/components/…" refs point into the registered document once compiled on their own. */
function absoluteRefs(schema: unknown): object {
  return JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', `"${DOC_ID}#/components/`)) as object;
}

function resolve<T>(value: unknown): T {
  if (typeof value === 'object' && value !== null && '$ref' in value && typeof value.$ref === 'string') {
    const [kind, name] = value.$ref.replace('#/components/', '').split('/') as ['parameters' | 'responses', string];
    return subset.components[kind][name] as T;
  }
  return value as T;
}

interface CompiledOperation {
  query: ValidateFunction;
  body?: ValidateFunction;
  responses: Map<number, ValidateFunction>;
}

const compiled = new Map<string, CompiledOperation>();
function operation(template: string, method: 'get' | 'post'): CompiledOperation {
  const key = `${method} ${template}`;
  const known = compiled.get(key);
  if (known) return known;
  const op = subset.paths[template]?.[method];
  if (!op) throw new Error(`azuracast-subset.yaml has no ${key}`);
  const queryParams = (op.parameters ?? []).map((p) => resolve<ParameterObject>(p)).filter((p) => p.in === 'query');
  const query = queryAjv.compile({
    type: 'object',
    properties: Object.fromEntries(queryParams.map((p) => [p.name, absoluteRefs(p.schema)])),
    required: queryParams.filter((p) => p.required).map((p) => p.name),
    additionalProperties: false,
  });
  const bodySchema = op.requestBody?.content['application/json']?.schema;
  const responses = new Map<number, ValidateFunction>();
  for (const [status, response] of Object.entries(op.responses)) {
    const schema = resolve<{ content?: Record<string, { schema: unknown }> }>(response).content?.['application/json']?.schema;
    if (schema) responses.set(Number(status), bodyAjv.compile(absoluteRefs(schema)));
  }
  const result: CompiledOperation = { query, responses, ...(bodySchema ? { body: bodyAjv.compile(absoluteRefs(bodySchema)) } : {}) };
  compiled.set(key, result);
  return result;
}

function describeErrors(where: string, errors: ErrorObject[] | null | undefined): string {
  return (errors ?? [])
    .map((e) => {
      const at = `${where}${e.instancePath}`;
      if (e.keyword === 'additionalProperties') return `${at}: unknown "${String(e.params.additionalProperty)}"`;
      return `${at}: ${e.message ?? 'is not valid'}`;
    })
    .join('; ');
}

// ---------------------------------------------------------------------------------------------
// AzuraCast's behaviour.

/** Song::getSongHash: md5 of the lower-cased text without spaces, dashes, quotes and line breaks. */
function songHash(text: string): string {
  const stripped = [...text].slice(0, 150).join('').replace(/[ \-"'\n\t\r]/g, '');
  return createHash('md5').update(stripped === '' ? 'Station Offline' : stripped.toLowerCase()).digest('hex');
}

function songOf(artist: string, title: string, album: string | null = null, isrc: string | null = null): AzuraCastSong {
  const text = artist === '' ? title : `${artist} - ${title}`;
  return { id: songHash(text), text, artist, title, album, genre: null, isrc, art: 'http://127.0.0.1/static/img/generic_song.jpg' };
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

/** Entity\Api\Error::fromException, as JSON. */
function apiError(status: number, type: string, message: string) {
  return {
    code: status,
    type,
    message,
    formatted_message: message,
    extra_data: { class: type, file: `/var/azuracast/www/backend/src/${type}.php`, line: 1 },
    success: false,
  };
}

const PLAYBACK_DELAY_SECONDS = 5;

export async function startFakeAzuraCast(options: FakeAzuraCastOptions = {}): Promise<FakeAzuraCast> {
  let failures: { remaining: number; status: number } = { remaining: 0, status: 503 };
  let nextShId = 1;
  let current: (FakeHistoryRow & { sh_id: number }) | null = null;
  const recent: (FakeHistoryRow & { sh_id: number })[] = [];

  const server = http.createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      fake.violations.push(`fake failed on ${req.method ?? 'GET'} ${req.url ?? '/'}: ${String(error)}`);
      res.destroy();
    });
  });
  await new Promise<void>((resolveListen) => server.listen(0, '127.0.0.1', resolveListen));
  const { port } = server.address() as AddressInfo;

  const fake: FakeAzuraCast = {
    url: `http://127.0.0.1:${port}`,
    apiKey: options.apiKey ?? '0123456789abcdef:0123456789abcdef0123456789abcdef',
    limitedApiKeys: options.limitedApiKeys ?? [],
    stationId: options.stationId ?? 1,
    stationName: options.stationName ?? 'Fake Station',
    timezone: options.timezone ?? 'America/Phoenix',
    liquidsoap: options.liquidsoap ?? true,
    retentionDays: options.retentionDays ?? 60,
    now: options.now ?? (() => new Date()),
    pushes: [],
    ignored: [],
    history: [],
    listeners: [],
    violations: [],
    requests: [],
    failNext(count: number, status = 503) {
      failures = { remaining: count, status };
    },
    close() {
      return new Promise<void>((resolveClose, reject) => {
        server.close((error) => (error ? reject(error) : resolveClose()));
        // fetch keeps connections alive; close() would otherwise wait for them to idle out.
        server.closeAllConnections();
      });
    },
  };

  const nowSeconds = () => Math.floor(fake.now().getTime() / 1000);

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', fake.url);
    const method = req.method ?? 'GET';
    const send = (status: number, body: unknown, validate?: ValidateFunction) => {
      if (validate && !validate(body)) fake.violations.push(`fake's own answer to ${method} ${url.pathname}: ${describeErrors('body', validate.errors)}`);
      fake.requests.push({ method, path: url.pathname, status });
      res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
    };
    const raw = await readBody(req);

    if (failures.remaining > 0) {
      failures.remaining--;
      if (failures.status >= 502 && failures.status <= 504) {
        // What nginx in front of AzuraCast answers while PHP is down or restarting.
        fake.requests.push({ method, path: url.pathname, status: failures.status });
        res.writeHead(failures.status, { 'Content-Type': 'text/html' }).end(`<html><body><center><h1>${failures.status}</h1></center><hr><center>nginx</center></body></html>`);
      } else {
        send(failures.status, apiError(failures.status, 'Error', 'General Error'));
      }
      return;
    }

    const route = matchRoute(method, url);
    if (!route) {
      send(404, apiError(404, 'HttpNotFoundException', 'Not found.'));
      return;
    }
    const op = operation(route.template, route.method);
    try {
      if (route.stationId !== null && route.stationId !== fake.stationId) throw new HttpError(404, 'NotFoundException', 'Station not found.');
      const key = req.headers['x-api-key'];
      if (route.secured && typeof key === 'string' && fake.limitedApiKeys.includes(key)) {
        // A user without the station permission the route asks for (here: view station reports).
        throw new HttpError(403, 'PermissionDeniedException', 'You do not have permission to access this portion of the site.');
      }
      if (route.secured && key !== fake.apiKey) {
        // ApiAuth finds no user for a missing or unknown key; Permissions then refuses with 403.
        throw new HttpError(403, 'NotLoggedInException', 'You must be logged in to access this page.');
      }
      const query = checkQuery(op, url, method);
      const body = route.method === 'post' ? checkBody(op, req, raw, method, url.pathname) : undefined;
      deleteExpiredRows();
      const [status, answer] = route.answer(query, body);
      send(status, answer, op.responses.get(status));
    } catch (error) {
      if (error instanceof HttpError) {
        send(error.status, apiError(error.status, error.type, error.message), op.responses.get(error.status));
      } else {
        // A bug in the fake: make the test fail rather than the client look wrong.
        fake.violations.push(`fake failed on ${method} ${url.pathname}: ${String(error)}`);
        send(500, apiError(500, 'Error', String(error)));
      }
    }
  }

  function checkQuery(op: CompiledOperation, url: URL, method: string): Record<string, unknown> {
    const query: Record<string, unknown> = {};
    for (const [name, value] of url.searchParams) {
      if (name in query) violation(`${method} ${url.pathname}: query parameter ${name} given twice`);
      query[name] = value;
    }
    if (!op.query(query)) violation(`${method} ${url.pathname}: ${describeErrors('query', op.query.errors)}`);
    return query;
  }

  function checkBody(op: CompiledOperation, req: http.IncomingMessage, raw: string, method: string, path: string): unknown {
    if (!op.body) return undefined;
    if (!/^application\/json\b/.test(req.headers['content-type'] ?? '')) violation(`${method} ${path}: Content-Type is not application/json`);
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      violation(`${method} ${path}: the body is not JSON`);
    }
    if (!op.body(body)) violation(`${method} ${path}: ${describeErrors('body', op.body.errors)}`);
    return body;
  }

  function violation(message: string): never {
    fake.violations.push(message);
    throw new HttpError(400, 'ValidationException', message);
  }

  /** CleanupHistoryTask: history and listener rows whose start is older than the retention go. */
  function deleteExpiredRows(): void {
    const threshold = nowSeconds() - fake.retentionDays * 86_400;
    fake.history.splice(0, fake.history.length, ...fake.history.filter((row) => row.timestamp_start > threshold));
    fake.listeners.splice(0, fake.listeners.length, ...fake.listeners.filter((row) => row.timestamp_start > threshold));
  }

  type Answer = [number, unknown];
  interface Route {
    template: string;
    method: 'get' | 'post';
    /** null for the routes outside a station (/status). */
    stationId: number | null;
    secured: boolean;
    answer: (query: Record<string, unknown>, body: unknown) => Answer;
  }

  function matchRoute(method: string, url: URL): Route | null {
    const path = url.pathname;
    let m: RegExpMatchArray | null;
    if (method === 'GET' && path === '/api/status') {
      return { template: '/status', method: 'get', stationId: null, secured: false, answer: () => [200, { online: true, timestamp: nowSeconds() }] };
    }
    if (method === 'GET' && (m = /^\/api\/station\/(\d+)$/.exec(path))) {
      return { template: '/station/{station_id}', method: 'get', stationId: Number(m[1]), secured: false, answer: () => [200, stationJson()] };
    }
    if (method === 'GET' && (m = /^\/api\/nowplaying\/(\d+)$/.exec(path))) {
      return { template: '/nowplaying/{station_id}', method: 'get', stationId: Number(m[1]), secured: false, answer: () => [200, nowPlaying()] };
    }
    if (method === 'POST' && (m = /^\/api\/station\/(\d+)\/nowplaying\/update$/.exec(path))) {
      return { template: '/station/{station_id}/nowplaying/update', method: 'post', stationId: Number(m[1]), secured: true, answer: (_q, body) => updateMetadata(body) };
    }
    if (method === 'GET' && (m = /^\/api\/station\/(\d+)\/history$/.exec(path))) {
      return { template: '/station/{station_id}/history', method: 'get', stationId: Number(m[1]), secured: true, answer: (q) => history(q, url) };
    }
    if (method === 'GET' && (m = /^\/api\/station\/(\d+)\/listeners$/.exec(path))) {
      return { template: '/station/{station_id}/listeners', method: 'get', stationId: Number(m[1]), secured: true, answer: (q) => listeners(q) };
    }
    return null;
  }

  function updateMetadata(body: unknown): Answer {
    if (!fake.liquidsoap) {
      // Adapters::requireBackendAdapter → StationUnsupportedException::generic(), code 500.
      throw new HttpError(500, 'StationUnsupportedException', 'This station does not currently support this functionality.');
    }
    const given = body as Record<string, unknown>;
    // ConfigWriter::annotateArray keeps only the allowed annotations; of those LibreLog sends these.
    const push: FakePush = { at: fake.now(), title: String(given.title), artist: String(given.artist) };
    if (typeof given.duration === 'number') push.duration = given.duration;
    if (typeof given.media_id === 'number' || typeof given.media_id === 'string') push.media_id = given.media_id;
    const song = songOf(push.artist, push.title);
    // SongHistoryRepository::isDifferentFromCurrentSong: the same song again changes nothing.
    if (current && songOf(current.artist, current.title).id === song.id) {
      fake.ignored.push(push);
    } else {
      fake.pushes.push(push);
      if (current) recent.unshift(current);
      recent.splice(5);
      current = { sh_id: nextShId++, timestamp_start: nowSeconds(), duration: Math.round(push.duration ?? 0), title: push.title, artist: push.artist, listeners_start: 0, listeners_end: 0 };
      fake.history.push(current);
    }
    // Liquidsoap's reply to custom_metadata.insert is "Done" either way.
    const message = 'Metadata updated successfully: Done';
    return [200, { success: true, message, formatted_message: message }];
  }

  function songHistory(row: FakeHistoryRow) {
    row.sh_id ??= nextShId++;
    return {
      sh_id: row.sh_id,
      played_at: row.timestamp_start + PLAYBACK_DELAY_SECONDS,
      duration: Math.round(row.duration),
      playlist: row.playlist ?? '',
      streamer: row.streamer ?? '',
      is_request: row.is_request ?? false,
      song: songOf(row.artist, row.title, row.album ?? null, row.isrc ?? null),
    };
  }

  /** Api_NowPlaying_Station as StationApiGenerator makes it (one Icecast mount, no relays, no HLS). */
  function stationJson() {
    const shortcode = fake.stationName.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '');
    const listenUrl = `${fake.url}/listen/${shortcode}/radio.mp3`;
    return {
      id: fake.stationId,
      name: fake.stationName,
      shortcode,
      description: '',
      frontend: 'icecast',
      backend: fake.liquidsoap ? 'liquidsoap' : 'none',
      timezone: fake.timezone,
      listen_url: listenUrl,
      url: null,
      public_player_url: `${fake.url}/public/${shortcode}`,
      playlist_pls_url: `${fake.url}/public/${shortcode}/playlist.pls`,
      playlist_m3u_url: `${fake.url}/public/${shortcode}/playlist.m3u`,
      is_public: true,
      requests_enabled: false,
      mounts: [{ id: 1, name: '/radio.mp3', url: listenUrl, bitrate: 128, format: 'mp3', listeners: { total: 0, unique: 0, current: 0 }, path: '/radio.mp3', is_default: true }],
      remotes: [],
      hls_enabled: false,
      hls_is_default: false,
      hls_url: null,
      hls_listeners: 0,
    };
  }

  function nowPlaying() {
    const now = nowSeconds();
    const playing = current
      ? { ...songHistory(current), elapsed: Math.max(0, now - current.timestamp_start), remaining: Math.max(0, current.timestamp_start + current.duration - now) }
      : { sh_id: 0, played_at: now, duration: 0, playlist: '', streamer: '', is_request: false, song: songOf('', 'Station Offline'), elapsed: 0, remaining: 0 };
    const total = fake.listeners.filter((l) => l.timestamp_end === null).length;
    return {
      station: { id: fake.stationId, name: fake.stationName, shortcode: 'fake_station', frontend: 'icecast', backend: fake.liquidsoap ? 'liquidsoap' : 'none', timezone: fake.timezone },
      listeners: { total, unique: total, current: total },
      live: { is_live: false, streamer_name: '', broadcast_start: null, art: null },
      now_playing: playing,
      playing_next: null,
      song_history: recent.map(songHistory),
      is_online: current !== null,
      cache: 'station',
    };
  }

  /** AcceptsDateRange::getDateRange, in the station's timezone. */
  function dateRange(query: Record<string, unknown>): { start: number; end: number } {
    const zone = fake.timezone;
    const now = DateTime.fromJSDate(fake.now(), { zone });
    const startRaw = typeof query.start === 'string' && query.start !== '' ? query.start : null;
    const endRaw = typeof query.end === 'string' && query.end !== '' ? query.end : null;
    let start: DateTime;
    let end: DateTime;
    if (startRaw === null && endRaw === null) {
      start = now.minus({ weeks: 2 }).startOf('day');
      end = now.endOf('day');
    } else {
      start = startRaw === null ? now.startOf('day') : parseDate(startRaw, 'start').set({ second: 0, millisecond: 0 });
      end = endRaw === null ? now.endOf('day') : parseDate(endRaw, 'end').set({ second: 59 });
      // A date without a time means the whole of that day.
      if (endRaw !== null && !endRaw.includes('T')) end = end.endOf('day');
    }
    const [a, b] = start < end ? [start, end] : [end, start];
    return { start: Math.floor(a.toSeconds()), end: Math.floor(b.toSeconds()) };
  }

  function parseDate(raw: string, name: string): DateTime {
    const parsed = DateTime.fromISO(raw, { zone: fake.timezone });
    if (!parsed.isValid) violation(`${name}=${raw} is not a date (${parsed.invalidExplanation ?? parsed.invalidReason ?? 'invalid'})`);
    return parsed;
  }

  function history(query: Record<string, unknown>, url: URL): Answer {
    const { start, end } = dateRange(query);
    const rows = fake.history
      .filter((row) => row.timestamp_start >= start && row.timestamp_start <= end)
      .sort((a, b) => b.timestamp_start - a.timestamp_start)
      .map((row) => ({
        ...songHistory(row),
        listeners_start: row.listeners_start ?? 0,
        listeners_end: row.listeners_end ?? 0,
        delta_total: (row.listeners_end ?? 0) - (row.listeners_start ?? 0),
        is_visible: true,
      }));
    if (query.page === undefined && query.per_page === undefined) return [200, rows];

    // Paginator: an authenticated caller gets the per_page it asks for (≤ 0 means all).
    const asked = query.per_page === undefined ? 0 : Number(query.per_page);
    const perPage = asked > 0 ? asked : Number.MAX_SAFE_INTEGER;
    const totalPages = Math.max(1, Math.ceil(rows.length / perPage));
    const page = Math.max(1, query.page === undefined ? 1 : Number(query.page));
    if (page > totalPages) {
      // Pagerfanta refuses an out-of-range page; AzuraCast lets the exception become a 500.
      throw new HttpError(500, 'OutOfRangeCurrentPageException', `Page "${page}" does not exist. The currentPage must be inferior to "${totalPages}"`);
    }
    // Router::fromHereWithQuery: this URL with the page replaced.
    const link = (to: number) => {
      const params = new URLSearchParams(url.searchParams);
      params.set('page', String(to));
      return `${url.pathname}?${params.toString()}`;
    };
    return [
      200,
      {
        page,
        per_page: perPage,
        total: rows.length,
        total_pages: totalPages,
        links: { first: link(1), previous: link(Math.max(1, page - 1)), next: link(Math.min(totalPages, page + 1)), last: link(totalPages) },
        rows: rows.slice((page - 1) * perPage, page * perPage),
      },
    ];
  }

  function listeners(query: Record<string, unknown>): Answer {
    const now = nowSeconds();
    const live = query.start === undefined || query.start === '';
    let chosen: { row: FakeListenerRow; from: number; until: number }[];
    if (live) {
      chosen = fake.listeners.filter((row) => row.timestamp_end === null).map((row) => ({ row, from: row.timestamp_start, until: now }));
    } else {
      // Sessions overlapping the range, clipped to it.
      const { start, end } = dateRange(query);
      chosen = fake.listeners
        .filter((row) => row.timestamp_start < end && (row.timestamp_end === null || row.timestamp_end > start))
        .sort((a, b) => a.timestamp_start - b.timestamp_start)
        .map((row) => ({ row, from: Math.max(row.timestamp_start, start), until: row.timestamp_end === null || row.timestamp_end > end ? end : row.timestamp_end }));
    }
    // Types::bool: unique defaults to true. The subset allows 0 and 1 only, coerced to integers.
    const unique = query.unique !== 0;
    if (!unique) return [200, chosen.map(({ row, from, until }) => listenerRow(row, from, until, until - from))];

    const byHash = new Map<string, { row: FakeListenerRow; intervals: [number, number][] }>();
    for (const { row, from, until } of chosen) {
      const hash = hashOf(row);
      const seen = byHash.get(hash);
      if (seen) seen.intervals.push([from, until]);
      else byHash.set(hash, { row, intervals: [[from, until]] });
    }
    return [
      200,
      [...byHash.values()].map(({ row, intervals }) =>
        listenerRow(row, Math.min(...intervals.map(([a]) => a)), Math.max(...intervals.map(([, b]) => b)), unionSeconds(intervals)),
      ),
    ];
  }

  return fake;
}

function hashOf(row: FakeListenerRow): string {
  return row.listener_hash ?? createHash('md5').update(`${row.listener_ip ?? '127.0.0.1'}${row.listener_user_agent ?? ''}`).digest('hex');
}

function listenerRow(row: FakeListenerRow, from: number, until: number, seconds: number): AzuraCastListenerSession {
  return {
    ip: row.listener_ip ?? '127.0.0.1',
    user_agent: row.listener_user_agent ?? '',
    hash: hashOf(row),
    mount_is_local: true,
    mount_name: row.mount_name ?? '/radio.mp3',
    connected_on: from,
    connected_until: until,
    connected_time: seconds,
    device: { client: null, is_browser: false, is_mobile: false, is_bot: false, browser_family: null, os_family: null },
    location: { description: 'Unknown', region: null, city: null, country: null, lat: null, lon: null, ...row.location },
  };
}

/** Listener::getListenerSeconds: the length of the union of the intervals. */
function unionSeconds(intervals: [number, number][]): number {
  const sorted = [...intervals].sort((a, b) => a[0] - b[0]);
  let seconds = 0;
  let [start, end] = sorted[0] ?? [0, 0];
  for (const [from, until] of sorted.slice(1)) {
    if (from > end) {
      seconds += end - start;
      [start, end] = [from, until];
    } else {
      end = Math.max(end, until);
    }
  }
  return seconds + (end - start);
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolveBody(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
