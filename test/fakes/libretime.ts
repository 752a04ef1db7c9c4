// A LibreTime for tests: a real HTTP server answering the API v2 endpoints and the two legacy PHP
// endpoints LibreLog uses, with LibreTime's status codes, error bodies and quirks (see
// /work/shared/guide/integrations.md and libretime/libretime's api/ and legacy/ sources). Every
// query and JSON body is also checked against ./libretime-subset.yaml, our own OpenAPI description
// of the part of LibreTime we use; a request that does not match it is refused with 400 and kept
// in `violations`, so a test can assert LibreLog only ever sent what LibreTime understands.
//
// It accepts what the real server accepts, including what playout then mishandles: overlapping
// items, items out of position order, items past their instance's end. `playoutView` says what
// LibreTime's playout would make of them (playout/libretime_playout/player/schedule.py starts
// every item it fetches at its own starts_at, and fetches only items that are not overbooked), so
// a test looks at what would air, not at what was accepted. Like API v2, the fake keeps no
// bookkeeping of its own when items are written (instance filled_time and last_scheduled_at, the
// files' scheduled flag): LibreTime's legacy scheduler does that, the v2 viewsets do not.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { parse as parseYaml } from 'yaml';
import type {
  LibreTimeFile,
  LibreTimeLibrary,
  LibreTimeLiveLog,
  LibreTimePlayoutHistory,
  LibreTimeScheduleItem,
  LibreTimeShow,
  LibreTimeShowInstance,
} from '../../integrations/libretime/types.js';

export interface FakeLibreTimeOptions {
  apiKey?: string;
  /** What GET /api/v2/info calls the station. */
  stationName?: string;
  /** How many GETs of an uploaded file still see it pending (import_status 1); default 2. */
  importAfterPolls?: number;
  /** When set, an upload is imported this long after it arrived, however often it is read. */
  importDelayMs?: number | null;
  /** The length the "analyzer" finds in every upload; default "00:03:00". */
  importedLength?: string;
}

/** A request that does not match libretime-subset.yaml. */
export interface SubsetViolation {
  method: string;
  path: string;
  errors: string[];
}

/** A show with the booleans LibreTime stores alongside (set when created through the API). */
export type FakeShow = LibreTimeShow & Partial<Record<ShowFlag, boolean>>;
type ShowFlag = 'linked' | 'linkable' | 'auto_playlist_enabled' | 'auto_playlist_repeat' | 'override_intro_playlist' | 'override_outro_playlist';

/** One schedule item as LibreTime's playout would take it. */
export interface PlayoutItem {
  id: number;
  instance: number;
  position: number;
  file: number | null;
  /** As playout reads them through GET /api/v2/schedule: ends_at and cue_out cut at the instance end. */
  startsAt: string;
  endsAt: string;
  cueIn: string;
  cueOut: string;
  fadeIn: string | null;
  fadeOut: string | null;
  /** Whether playout starts it at startsAt. */
  plays: boolean;
  /** Why playout never plays it (the as-run will call it missed), or null when it plays. */
  skipped: string | null;
}

/** What LibreTime's playout would make of one instance's items (or of the whole schedule). */
export interface PlayoutView {
  /** By starts_at, the order playout sorts them in. */
  items: PlayoutItem[];
  /** The items that never play: overbooked (starting at or after the instance end), outside the instance, not ready. */
  skipped: PlayoutItem[];
  /** Pairs of item ids that both play and overlap in time: playout starts each at its own time, so they sound together. */
  overlaps: [number, number][];
  /** Silence between one playing item's end and the next one's start, in ms. */
  gaps: { after: number; ms: number }[];
  /** Positions rise with starts_at (what LibreTime's own calendar and scheduler assume). */
  positionsInTimeOrder: boolean;
  /**
   * Items that play while an instance of another show is on (a live show scheduled in LibreTime,
   * say): playout plays them all the same, so the two clash on air. [item id, other instance id].
   */
  duringOtherShows: [number, number][];
}

export interface FakeLibreTime {
  /** e.g. "http://127.0.0.1:41234", no trailing slash. */
  readonly url: string;
  readonly apiKey: string;
  /** Preferences → station name, as GET /api/v2/info tells it. */
  stationName: string;
  files: LibreTimeFile[];
  libraries: LibreTimeLibrary[];
  shows: FakeShow[];
  instances: LibreTimeShowInstance[];
  schedule: LibreTimeScheduleItem[];
  playoutHistory: LibreTimePlayoutHistory[];
  liveLogs: LibreTimeLiveLog[];
  /** Requests that reached the server, by "METHOD /path" (no query), refused and failed ones included. */
  requests: Record<string, number>;
  /** Each GET /api/rabbitmq-do-push that got through, with the number of schedule items at that moment. */
  pushes: { at: string; scheduleItems: number }[];
  /** Each POST /rest/media as it came: the part's file name and declared type. */
  uploads: { name: string; type: string }[];
  violations: SubsetViolation[];
  importAfterPolls: number;
  importDelayMs: number | null;
  /** What an upload's import ends in: 0 ready, 2 failed (the analyzer could not read it). */
  importResult: 0 | 2;
  importedLength: string;
  /** Times "METHOD /path" was requested. */
  count(method: string, path: string): number;
  /** A ready file (import_status 0, visible, with length and cues); fields given override the defaults. */
  addFile(fields?: Partial<LibreTimeFile>): LibreTimeFile;
  addLibrary(fields: Pick<LibreTimeLibrary, 'code'> & Partial<LibreTimeLibrary>): LibreTimeLibrary;
  addShow(name: string): FakeShow;
  addInstance(fields: Pick<LibreTimeShowInstance, 'show' | 'starts_at' | 'ends_at'>): LibreTimeShowInstance;
  /**
   * "Delete this instance" in LibreTime's calendar (ShowService::deleteShow): the instance is marked
   * modified (hidden) and its items deleted; a show left with no other instance is deleted with it,
   * and then a POST naming the instance answers 400 `Invalid pk`. Refused for an instance that has ended.
   */
  deleteInstance(id: number): void;
  /** Deleting a show in the calendar: the show, its instances and their items go (ON DELETE CASCADE). */
  deleteShow(id: number): void;
  /** What playout would play of one instance's items (all items when no instance is given). */
  playoutView(instanceId?: number): PlayoutView;
  /** Files whose audio DELETE /api/v2/files/{id} removed (the row stays). */
  filesWithoutAudio: Set<number>;
  /** The next `count` requests are answered with `status` (a burst of 5xx). */
  failNext(count: number, status?: number): void;
  /** The next `count` requests get no answer at all, so the client's timeout fires. */
  hangNext(count: number): void;
  /**
   * An outage until up(): connections are dropped ('refuse'), answered 503 like a proxy in front of
   * a stopped LibreTime ('unavailable'), or taken and never answered, as by a LibreTime whose
   * PHP workers are all stuck ('hang').
   */
  down(mode?: 'refuse' | 'unavailable' | 'hang'): void;
  /** Runs before each request is answered (its body read): tests slow LibreTime down or act mid-request. */
  beforeAnswer: ((method: string, path: string) => Promise<void> | void) | null;
  up(): void;
  close(): Promise<void>;
}

export async function startFakeLibreTime(options: FakeLibreTimeOptions = {}): Promise<FakeLibreTime> {
  const fake = new FakeLibreTimeServer(options);
  await fake.listen();
  return fake;
}

// ---------------------------------------------------------------------------------------------
// The subset: operations and validators built once from the YAML.

interface Operation {
  method: string;
  template: string;
  pattern: RegExp;
  query?: ValidateFunction;
  body?: ValidateFunction;
  /** `security: []`: LibreTime answers it without a key (AllowAny). */
  open: boolean;
}

interface OpenApiParameter {
  in: string;
  name: string;
  schema: Record<string, unknown>;
}
interface OpenApiOperation {
  security?: unknown[];
  parameters?: OpenApiParameter[];
  requestBody?: { content: Record<string, { schema: Record<string, unknown> }> };
}
interface OpenApiDocument {
  paths: Record<string, Record<string, unknown>>;
  components: { schemas: Record<string, unknown> };
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];
const SUBSET_ID = 'libretime-subset';

const operations = loadSubset();

function loadSubset(): Operation[] {
  const document = parseYaml(readFileSync(new URL('./libretime-subset.yaml', import.meta.url), 'utf8')) as OpenApiDocument;
  // ajv-formats is CommonJS whose typings describe an ESM default export; require() gets the function as it is.
  const addFormats = createRequire(import.meta.url)('ajv-formats') as (ajv: Ajv, formats: string[]) => Ajv;
  const strictAjv = new Ajv({ allErrors: true, strict: true });
  // Query strings carry text; coercion reads "1" as the integer the parameter declares.
  const queryAjv = new Ajv({ allErrors: true, strict: true, coerceTypes: true });
  for (const ajv of [strictAjv, queryAjv]) {
    addFormats(ajv, ['date-time']);
    // OpenAPI's "time" here is DRF's TimeField: hh:mm[:ss[.uuuuuu]] with no zone (ajv-formats wants one).
    ajv.addFormat('time', /^\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?$/);
    ajv.addSchema({ $id: SUBSET_ID, $defs: rewriteRefs(document.components.schemas, '#/$defs/') });
  }

  const found: Operation[] = [];
  for (const [template, item] of Object.entries(document.paths)) {
    const pattern = new RegExp(`^${template.replace(/\{[^}]+\}/g, '([^/]+)')}$`);
    const shared = (item.parameters ?? []) as OpenApiParameter[];
    for (const method of METHODS) {
      const operation = item[method] as OpenApiOperation | undefined;
      if (!operation) continue;
      const queryParameters = [...shared, ...(operation.parameters ?? [])].filter((p) => p.in === 'query');
      const jsonBody = operation.requestBody?.content['application/json']?.schema;
      found.push({
        method: method.toUpperCase(),
        template,
        pattern,
        query: queryAjv.compile({
          type: 'object',
          additionalProperties: false,
          properties: Object.fromEntries(queryParameters.map((p) => [p.name, p.schema])),
        }),
        body: jsonBody ? strictAjv.compile(rewriteRefs(jsonBody, `${SUBSET_ID}#/$defs/`) as Record<string, unknown>) : undefined,
        open: Array.isArray(operation.security) && operation.security.length === 0,
      });
    }
  }
  return found;
}

function rewriteRefs(value: unknown, prefix: string): unknown {
  if (Array.isArray(value)) return value.map((item) => rewriteRefs(item, prefix));
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [
      key,
      key === '$ref' && typeof inner === 'string' ? inner.replace('#/components/schemas/', prefix) : rewriteRefs(inner, prefix),
    ]),
  );
}

/** ajv's errors as DRF would word them, by field. */
function fieldErrors(errors: ErrorObject[], data: unknown): Record<string, string[]> {
  const byField: Record<string, string[]> = {};
  for (const error of errors) {
    const params = error.params as { missingProperty?: string; additionalProperty?: string };
    let field = error.instancePath.split('/')[1] ?? '';
    let message = error.message ?? error.keyword;
    if (error.keyword === 'required' && params.missingProperty) {
      field = params.missingProperty;
      message = 'This field is required.';
    } else if (error.keyword === 'additionalProperties' && params.additionalProperty) {
      field = params.additionalProperty;
      message = 'Not in the LibreTime API subset LibreLog uses (LibreTime would silently drop it).';
    } else if (field && typeof data === 'object' && data !== null && (data as Record<string, unknown>)[field] === null) {
      message = 'This field may not be null.';
    } else {
      message = `${message} (OpenAPI subset).`;
    }
    (byField[field || 'non_field_errors'] ??= []).push(message);
  }
  return byField;
}

// ---------------------------------------------------------------------------------------------
// LibreTime's value formats, as Django and DRF parse and print them.

// Django's parse_duration: "[DD ]HH:MM:SS[.ffffff]" with hours and minutes optional.
const DURATION = /^(?:(\d+) (?:days?, )?)?(?:(\d+):(?=\d+:\d+))?(?:(\d+):)?(\d+)(?:[.,](\d{1,6})\d{0,6})?$/;
const DURATION_FORMAT = 'Duration has wrong format. Use one of these formats instead: [DD] [HH:[MM:]]ss[.uuuuuu].';

function parseMicros(text: string): number | null {
  const match = DURATION.exec(text);
  if (!match) return null;
  const [, days = '0', hours = '0', minutes = '0', seconds = '0', fraction = ''] = match;
  return (((Number(days) * 24 + Number(hours)) * 60 + Number(minutes)) * 60 + Number(seconds)) * 1_000_000 + Number(fraction.padEnd(6, '0'));
}

/** Django's duration_string: "00:03:25.123456", "00:03:25" when whole, "1 02:00:00" past a day. */
function durationString(micros: number): string {
  const seconds = Math.floor(micros / 1_000_000);
  const days = Math.floor(seconds / 86_400);
  const clock = [Math.floor(seconds / 3600) % 24, Math.floor(seconds / 60) % 60, seconds % 60].map((n) => String(n).padStart(2, '0')).join(':');
  const fraction = micros % 1_000_000 ? `.${String(micros % 1_000_000).padStart(6, '0')}` : '';
  return `${days ? `${days} ` : ''}${clock}${fraction}`;
}

/** A TimeField as DRF prints it: "00:00:00.500000", or "00:00:02" when whole. */
function timeString(text: string): string {
  const [clock = '', fraction = ''] = text.split('.');
  const [hh = '00', mm = '00', ss = '00'] = clock.split(':');
  const micros = fraction.padEnd(6, '0');
  return `${hh}:${mm}:${ss}${Number(micros) ? `.${micros}` : ''}`;
}

/** A DateTimeField as DRF prints it in UTC: "2025-03-01T06:00:00Z" (microseconds only when not zero). */
function dateTimeString(value: string | number): string {
  const iso = new Date(value).toISOString();
  return iso.endsWith('.000Z') ? iso.replace('.000Z', 'Z') : iso.replace('Z', '000Z');
}

const UPLOAD_EXTENSIONS = new Set(['ogg', 'mp3', 'aac', 'm4a', 'mp4', 'flac', 'wav', 'mp2', 'mp1', 'au', 'opus']);

// ---------------------------------------------------------------------------------------------

type Reply = { status: number; json?: unknown; text?: string; contentType?: string };

interface Pending {
  polls: number;
  arrivedAt: number;
  /** What the analyzer will say the audio is (mutagen's type for its bytes), null when it cannot tell. */
  mime: string | null;
}

/**
 * The type LibreTime's analyzer gives a file: mutagen's first media type for the format it finds in
 * the bytes (analyze_metadata.py: `metadata["mime"] = extracted.mime[0]`), never the type the
 * upload declared.
 */
function analysedMime(bytes: Buffer): string | null {
  const ascii = (from: number, to: number) => bytes.subarray(from, to).toString('latin1');
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WAVE') return 'audio/wav';
  if (ascii(0, 4) === 'FORM' && /^AIF[FC]$/.test(ascii(8, 12))) return 'audio/aiff';
  if (ascii(0, 4) === 'fLaC') return 'audio/flac';
  if (ascii(0, 4) === 'OggS') return bytes.subarray(0, 256).includes('OpusHead') ? 'audio/ogg' : 'audio/vorbis';
  if (ascii(4, 8) === 'ftyp') return 'audio/mp4';
  if (ascii(0, 3) === 'ID3' || (bytes[0] === 0xff && ((bytes[1] ?? 0) & 0xe0) === 0xe0)) return 'audio/mpeg';
  return null;
}

interface ScheduleWrite {
  starts_at?: string;
  ends_at?: string;
  instance?: number;
  file?: number | null;
  stream?: number | null;
  length?: string | null;
  cue_in?: string;
  cue_out?: string;
  fade_in?: string | null;
  fade_out?: string | null;
  position?: number;
  position_status?: number;
  broadcasted?: number;
  played?: boolean | null;
}

class FakeLibreTimeServer implements FakeLibreTime {
  url = '';
  readonly apiKey: string;
  stationName: string;
  files: LibreTimeFile[] = [];
  libraries: LibreTimeLibrary[] = [];
  shows: FakeShow[] = [];
  instances: LibreTimeShowInstance[] = [];
  schedule: LibreTimeScheduleItem[] = [];
  playoutHistory: LibreTimePlayoutHistory[] = [];
  liveLogs: LibreTimeLiveLog[] = [];
  requests: Record<string, number> = {};
  pushes: { at: string; scheduleItems: number }[] = [];
  /** Each POST /rest/media as it came: the part's file name and declared type (LibreTime itself ignores the type). */
  uploads: { name: string; type: string }[] = [];
  violations: SubsetViolation[] = [];
  filesWithoutAudio = new Set<number>();
  importAfterPolls: number;
  importDelayMs: number | null;
  importResult: 0 | 2 = 0;
  importedLength: string;

  private readonly server: http.Server;
  private readonly pending = new Map<number, Pending>();
  private readonly sequences = new Map<string, number>();
  private failures: { count: number; status: number } = { count: 0, status: 503 };
  private hangs = 0;
  private outage: 'refuse' | 'unavailable' | 'hang' | null = null;
  beforeAnswer: ((method: string, path: string) => Promise<void> | void) | null = null;

  constructor(options: FakeLibreTimeOptions) {
    this.apiKey = options.apiKey ?? 'fake-libretime-api-key';
    this.stationName = options.stationName ?? 'Fake LibreTime Radio';
    this.importAfterPolls = options.importAfterPolls ?? 2;
    this.importDelayMs = options.importDelayMs ?? null;
    this.importedLength = options.importedLength ?? '00:03:00';
    this.server = http.createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        // A bug in the fake, not LibreTime behaviour: say so loudly in the answer.
        if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' });
        res.end(`fake LibreTime failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      });
    });
    // A refused connection: dropped before any request is read.
    this.server.on('connection', (socket) => {
      if (this.outage === 'refuse') socket.destroy();
    });
  }

  listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', () => {
        this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
        resolve();
      });
    });
  }

  close(): Promise<void> {
    // Hanging requests and kept-alive sockets would otherwise hold close() open.
    this.server.closeAllConnections();
    return new Promise((resolve, reject) => this.server.close((error) => (error ? reject(error) : resolve())));
  }

  count(method: string, path: string): number {
    return this.requests[`${method} ${path}`] ?? 0;
  }

  failNext(count: number, status = 503): void {
    this.failures = { count, status };
  }

  hangNext(count: number): void {
    this.hangs = count;
  }

  down(mode: 'refuse' | 'unavailable' | 'hang' = 'refuse'): void {
    this.outage = mode;
    if (mode === 'refuse') this.server.closeIdleConnections();
  }

  up(): void {
    this.outage = null;
  }

  addFile(fields: Partial<LibreTimeFile> = {}): LibreTimeFile {
    const id = fields.id ?? this.nextId('files', this.files);
    const length = fields.length ?? '00:03:00';
    const file: LibreTimeFile = {
      id,
      name: `track-${id}.mp3`,
      mime: 'audio/mpeg',
      size: 4_000_000,
      import_status: 0,
      hidden: false,
      md5: createHash('md5').update(`file ${id}`).digest('hex'),
      track_title: `Track ${id}`,
      artist_name: null,
      album_title: null,
      genre: null,
      mood: null,
      bpm: null,
      length,
      cue_in: '00:00:00',
      cue_out: length,
      isrc: null,
      composer: null,
      lyricist: null,
      label: null,
      language: null,
      library: null,
      updated_at: dateTimeString(Date.now()),
      scheduled: false,
      ...fields,
    };
    this.files.push(file);
    return file;
  }

  addLibrary(fields: Pick<LibreTimeLibrary, 'code'> & Partial<LibreTimeLibrary>): LibreTimeLibrary {
    const library: LibreTimeLibrary = { id: this.nextId('libraries', this.libraries), name: fields.code, enabled: true, ...fields };
    this.libraries.push(library);
    return library;
  }

  addShow(name: string): FakeShow {
    const show: FakeShow = { id: this.nextId('shows', this.shows), name, description: null };
    this.shows.push(show);
    return show;
  }

  addInstance(fields: Pick<LibreTimeShowInstance, 'show' | 'starts_at' | 'ends_at'>): LibreTimeShowInstance {
    const instance: LibreTimeShowInstance = {
      id: this.nextId('instances', this.instances),
      created_at: dateTimeString(Date.now()),
      modified: false,
      auto_playlist_built: false,
      filled_time: null,
      last_scheduled_at: null,
      ...fields,
      starts_at: dateTimeString(fields.starts_at),
      ends_at: dateTimeString(fields.ends_at),
    };
    this.instances.push(instance);
    return instance;
  }

  deleteInstance(id: number): void {
    const instance = this.instances.find((candidate) => candidate.id === id);
    if (!instance) throw new Error(`the fake has no show instance ${id}`);
    // The calendar's own check: "Cannot delete a show instance in the past".
    if (Date.parse(instance.ends_at) < Date.now()) throw new Error(`LibreTime does not delete show instance ${id}: it is in the past`);
    instance.modified = true;
    this.schedule = this.schedule.filter((item) => item.instance !== id);
    // checkToDeleteCcShow: a show with no instance left that is not deleted goes too.
    if (!this.instances.some((other) => other.show === instance.show && !other.modified)) this.deleteShow(instance.show);
    this.updatePastFilesIsScheduled();
  }

  deleteShow(id: number): void {
    const gone = new Set(this.instances.filter((instance) => instance.show === id).map((instance) => instance.id));
    this.shows = this.shows.filter((show) => show.id !== id);
    this.instances = this.instances.filter((instance) => !gone.has(instance.id));
    this.schedule = this.schedule.filter((item) => !gone.has(item.instance));
    // cc_playout_history.instance_id is ON DELETE SET NULL.
    for (const row of this.playoutHistory) if (row.instance !== null && gone.has(row.instance)) row.instance = null;
    this.updatePastFilesIsScheduled();
  }

  playoutView(instanceId?: number): PlayoutView {
    const all = this.schedule.map((item) => this.asPlayout(item)).sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt) || a.id - b.id);
    const items = instanceId === undefined ? all : all.filter((item) => item.instance === instanceId);
    const playing = all.filter((item) => item.plays);
    const inView = new Set(items.map((item) => item.id));
    const overlaps: [number, number][] = [];
    for (const item of items.filter((candidate) => candidate.plays)) {
      const [starts, ends] = [Date.parse(item.startsAt), Date.parse(item.endsAt)];
      // Against every playing item, this instance's or another's: playout plays them all.
      for (const other of playing) {
        if (other.id === item.id || (inView.has(other.id) && other.id < item.id)) continue;
        if (Date.parse(other.startsAt) < ends && starts < Date.parse(other.endsAt)) overlaps.push([item.id, other.id]);
      }
    }
    const gaps: { after: number; ms: number }[] = [];
    const played = items.filter((item) => item.plays);
    for (let i = 1; i < played.length; i++) {
      const ms = Date.parse(played[i]!.startsAt) - Date.parse(played[i - 1]!.endsAt);
      if (ms > 0) gaps.push({ after: played[i - 1]!.id, ms });
    }
    const byInstance = new Map<number, PlayoutItem[]>();
    for (const item of items) byInstance.set(item.instance, [...(byInstance.get(item.instance) ?? []), item]);
    const positionsInTimeOrder = [...byInstance.values()].every((list) => list.every((item, i) => i === 0 || list[i - 1]!.position < item.position));
    const showOf = new Map(this.instances.map((instance) => [instance.id, instance.show]));
    const duringOtherShows: [number, number][] = [];
    for (const item of played) {
      const [starts, ends] = [Date.parse(item.startsAt), Date.parse(item.endsAt)];
      for (const other of this.instances) {
        if (other.modified || other.show === showOf.get(item.instance)) continue;
        if (Date.parse(other.starts_at) < ends && starts < Date.parse(other.ends_at)) duringOtherShows.push([item.id, other.id]);
      }
    }
    return { items, skipped: items.filter((item) => !item.plays), overlaps, gaps, positionsInTimeOrder, duringOtherShows };
  }

  /** One item as playout fetches it (the read serializer's cut times) and whether it would play. */
  private asPlayout(item: LibreTimeScheduleItem): PlayoutItem {
    const read = this.readItem(item);
    const instance = this.instances.find((candidate) => candidate.id === item.instance);
    const file = item.file === null ? undefined : this.files.find((candidate) => candidate.id === item.file);
    const starts = Date.parse(item.starts_at);
    let skipped: string | null = null;
    if (!instance) skipped = 'its instance does not exist';
    else if (starts >= Date.parse(instance.ends_at)) skipped = `overbooked: starts at ${item.starts_at}, at or after its instance ends (${instance.ends_at})`;
    else if (starts < Date.parse(instance.starts_at)) skipped = `starts at ${item.starts_at}, before its instance begins (${instance.starts_at})`;
    else if (item.file === null) skipped = 'no file (the fake plays no webstreams)';
    else if (!file) skipped = `file ${item.file} does not exist`;
    else if (file.import_status !== 0) skipped = `file ${file.id} is not imported (import_status ${file.import_status})`;
    else if (this.filesWithoutAudio.has(file.id)) skipped = `file ${file.id} has no audio (deleted)`;
    else if ([item.fade_in, item.fade_out, item.cue_in, item.cue_out, item.length].some((value) => value === null)) skipped = 'a null fade, cue or length (playout fails on it)';
    return {
      id: item.id,
      instance: item.instance,
      position: item.position,
      file: item.file,
      startsAt: read.starts_at,
      endsAt: read.ends_at,
      cueIn: read.cue_in,
      cueOut: read.cue_out,
      fadeIn: read.fade_in,
      fadeOut: read.fade_out,
      plays: skipped === null,
      skipped,
    };
  }

  /** StoredFile::updatePastFilesIsScheduled: files no item still ahead uses lose the flag. */
  private updatePastFilesIsScheduled(): void {
    const now = Date.now();
    const ahead = new Set(this.schedule.filter((item) => item.file !== null && Date.parse(item.ends_at) > now).map((item) => item.file));
    for (const file of this.files) if (file.scheduled && !ahead.has(file.id)) file.scheduled = false;
  }

  // -------------------------------------------------------------------------------------------

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (this.outage === 'refuse') {
      req.socket.destroy(); // a kept-alive socket opened before the outage
      return;
    }
    const url = new URL(req.url ?? '/', 'http://fake');
    const method = req.method ?? 'GET';
    const key = `${method} ${url.pathname}`;
    this.requests[key] = (this.requests[key] ?? 0) + 1;
    // Read the whole body first: answering while the client still sends would look like a reset.
    const raw = await readBody(req);

    if (this.hangs > 0) {
      this.hangs--;
      return;
    }
    if (this.outage === 'hang') return;
    if (this.outage === 'unavailable') return send(res, unavailable(503));
    if (this.beforeAnswer) await this.beforeAnswer(method, url.pathname);
    if (this.failures.count > 0) {
      this.failures.count--;
      return send(res, unavailable(this.failures.status));
    }
    send(res, await this.route(method, url, req.headers, raw));
  }

  private async route(method: string, url: URL, headers: http.IncomingHttpHeaders, raw: Buffer): Promise<Reply> {
    const path = url.pathname;
    const atPath = operations.filter((operation) => operation.pattern.test(path));
    if (atPath.length === 0) {
      this.violate(method, path, [`${path} is not in the subset (LibreTime's routes have no trailing slash)`]);
      return { status: 404, contentType: 'text/html', text: '<h1>Not Found</h1>' };
    }

    if (path === '/rest/media') return this.upload(method, path, headers, raw);
    if (path === '/api/rabbitmq-do-push') return this.push(method, path, url, headers);

    // API v2 (Django REST framework): authentication and permission come before everything else,
    // except on the views open to anyone (info, version), which take any header or none.
    const open = atPath.some((candidate) => candidate.method === method && candidate.open);
    const refusal = open ? null : this.checkApiKey(headers.authorization);
    if (refusal) return refusal;

    const operation = atPath.find((candidate) => candidate.method === method);
    if (!operation) {
      this.violate(method, path, [`${method} is not an operation of ${atPath[0]?.template} in the subset`]);
      return { status: 405, json: { detail: `Method "${method}" not allowed.` } };
    }
    const idText = operation.pattern.exec(path)?.[1];
    const id = idText === undefined ? undefined : Number(idText);
    if (id !== undefined && !Number.isInteger(id)) {
      this.violate(method, path, [`path id "${idText}" must be integer`]);
      return { status: 404, json: { detail: 'Not found.' } };
    }

    const query = Object.fromEntries(url.searchParams) as Record<string, unknown>;
    if (operation.query && !operation.query(query)) {
      this.violate(method, path, explain('query', operation.query.errors));
      return { status: 400, json: fieldErrors(operation.query.errors ?? [], query) };
    }

    let body: unknown;
    if (operation.body) {
      const contentType = headers['content-type'] ?? '';
      if (!contentType.startsWith('application/json')) {
        this.violate(method, path, [`body must be application/json, not "${contentType}"`]);
        return { status: 415, json: { detail: `Unsupported media type "${contentType}" in request.` } };
      }
      try {
        body = raw.length ? (JSON.parse(raw.toString('utf8')) as unknown) : {};
      } catch (error) {
        this.violate(method, path, ['body is not JSON']);
        return { status: 400, json: { detail: `JSON parse error - ${error instanceof Error ? error.message : String(error)}` } };
      }
      if (!operation.body(body)) {
        this.violate(method, path, explain('body', operation.body.errors));
        return { status: 400, json: fieldErrors(operation.body.errors ?? [], body) };
      }
    }

    return this.v2(method, operation.template, id, query, body);
  }

  private v2(method: string, template: string, id: number | undefined, query: Record<string, unknown>, body: unknown): Reply {
    switch (`${method} ${template}`) {
      case 'GET /api/v2/files':
        this.tickImports();
        return ok(this.files.filter((file) => (query.md5 === undefined || file.md5 === query.md5) && (query.genre === undefined || file.genre === query.genre)).map(fileJson));
      case 'GET /api/v2/files/{id}': {
        const file = this.files.find((candidate) => candidate.id === id);
        if (!file) return notFound('File');
        this.poll(file);
        return ok(fileJson(file));
      }
      case 'PATCH /api/v2/files/{id}': {
        // FileSerializer with partial=True: only `scheduled` is in the subset's body.
        const file = this.files.find((candidate) => candidate.id === id);
        if (!file) return notFound('File');
        file.scheduled = (body as { scheduled: boolean | null }).scheduled;
        return ok(fileJson(file));
      }
      case 'DELETE /api/v2/files/{id}': {
        const file = this.files.find((candidate) => candidate.id === id);
        if (!file) return notFound('File');
        // FileViewSet.perform_destroy: Schedule.is_file_scheduled_in_the_future (stored ends_at > now).
        if (this.schedule.some((item) => item.file === file.id && Date.parse(item.ends_at) > Date.now())) {
          return { status: 409, json: { detail: 'file is scheduled in the future' } };
        }
        // The audio leaves storage; the row stays.
        this.filesWithoutAudio.add(file.id);
        return { status: 204 };
      }
      case 'GET /api/v2/info':
        return ok({ station_name: this.stationName });
      case 'GET /api/v2/version':
        // api/libretime_api/settings: API_VERSION = "2.0.0".
        return ok({ api_version: '2.0.0' });
      case 'GET /api/v2/libraries':
        return ok(this.libraries);
      case 'GET /api/v2/shows':
        return ok(this.shows.map(showJson));
      case 'POST /api/v2/shows': {
        const fields = body as Omit<FakeShow, 'id' | 'description'> & { description?: string | null };
        const show: FakeShow = { id: this.nextId('shows', this.shows), ...fields, description: fields.description ?? null };
        this.shows.push(show);
        return { status: 201, json: showJson(show) };
      }
      case 'GET /api/v2/shows/{id}': {
        const show = this.shows.find((candidate) => candidate.id === id);
        return show ? ok(showJson(show)) : notFound('Show');
      }
      case 'GET /api/v2/show-instances':
        return ok(this.instances.map(instanceJson));
      case 'GET /api/v2/show-instances/{id}': {
        const instance = this.instances.find((candidate) => candidate.id === id);
        return instance ? ok(instanceJson(instance)) : notFound('ShowInstance');
      }
      case 'PATCH /api/v2/show-instances/{id}': {
        const instance = this.instances.find((candidate) => candidate.id === id);
        if (!instance) return notFound('ShowInstance');
        const fields = body as { filled_time: string | null; last_scheduled_at: string | null };
        const filled = fields.filled_time === null ? null : parseMicros(fields.filled_time);
        if (fields.filled_time !== null && filled === null) return { status: 400, json: { filled_time: [DURATION_FORMAT] } };
        instance.filled_time = filled === null ? null : durationString(filled);
        instance.last_scheduled_at = fields.last_scheduled_at === null ? null : dateTimeString(fields.last_scheduled_at);
        return ok(instanceJson(instance));
      }
      case 'DELETE /api/v2/show-instances/{id}': {
        if (!this.instances.some((candidate) => candidate.id === id)) return notFound('ShowInstance');
        this.instances = this.instances.filter((candidate) => candidate.id !== id);
        this.schedule = this.schedule.filter((item) => item.instance !== id);
        for (const row of this.playoutHistory) if (row.instance === id) row.instance = null;
        return { status: 204 };
      }
      case 'POST /api/v2/show-instances': {
        const fields = body as Omit<LibreTimeShowInstance, 'id'>;
        if (!this.shows.some((show) => show.id === fields.show)) return invalidPk('show', fields.show);
        const instance = this.addInstance(fields);
        instance.created_at = dateTimeString(fields.created_at);
        return { status: 201, json: instanceJson(instance) };
      }
      case 'GET /api/v2/schedule':
        return ok(this.filterSchedule(query).map((item) => this.readItem(item)));
      case 'POST /api/v2/schedule':
        return this.writeItem(body as ScheduleWrite, undefined);
      case 'GET /api/v2/schedule/{id}': {
        const item = this.schedule.find((candidate) => candidate.id === id);
        return item ? ok(this.readItem(item)) : notFound('Schedule');
      }
      case 'PUT /api/v2/schedule/{id}':
      case 'PATCH /api/v2/schedule/{id}': {
        const item = this.schedule.find((candidate) => candidate.id === id);
        return item ? this.writeItem(body as ScheduleWrite, item) : notFound('Schedule');
      }
      case 'DELETE /api/v2/schedule/{id}': {
        const index = this.schedule.findIndex((candidate) => candidate.id === id);
        if (index < 0) return notFound('Schedule');
        this.schedule.splice(index, 1);
        return { status: 204 };
      }
      case 'GET /api/v2/playout-history':
        return ok(this.playoutHistory);
      case 'GET /api/v2/live-logs':
        return ok(this.liveLogs);
      default:
        throw new Error(`the subset lists ${method} ${template} but the fake does not implement it`);
    }
  }

  /** DRF: the first authenticator is SessionAuthentication, which has no WWW-Authenticate
   *  challenge, so DRF turns "not authenticated" into 403 (not 401), whether the Api-Key header is
   *  missing or wrong — LibreTime's IsSystemTokenOrUser permission just says no. */
  private checkApiKey(authorization: string | undefined): Reply | null {
    const [scheme, key] = (authorization ?? '').split(/\s+/);
    if (scheme === 'Api-Key' && key === this.apiKey) return null;
    if (scheme?.toLowerCase() === 'basic') return { status: 403, json: { detail: 'Invalid username/password.' } };
    return { status: 403, json: { detail: 'Authentication credentials were not provided.' } };
  }

  /** Create (existing undefined) or PUT/PATCH a schedule item, with DRF's checks and ours. */
  private writeItem(fields: ScheduleWrite, existing: LibreTimeScheduleItem | undefined): Reply {
    const errors: Record<string, string[]> = {};
    const refuse = (field: string, message: string) => (errors[field] ??= []).push(message);

    for (const field of ['length', 'cue_in', 'cue_out'] as const) {
      const value = fields[field];
      if (typeof value === 'string' && parseMicros(value) === null) refuse(field, DURATION_FORMAT);
    }
    // Stricter than LibreTime, which stores a null fade or length (and Django writes NULL for one
    // left out) — then playout crashes on the item. The fake refuses both, so LibreLog never sends them.
    for (const field of ['fade_in', 'fade_out', 'length'] as const) {
      if (fields[field] === null) refuse(field, 'This field may not be null.');
      else if (!existing && fields[field] === undefined) refuse(field, 'This field is required.');
    }
    if (fields.instance !== undefined && !this.instances.some((instance) => instance.id === fields.instance)) {
      refuse('instance', `Invalid pk "${fields.instance}" - object does not exist.`);
    }
    if (fields.file != null && !this.files.some((file) => file.id === fields.file)) refuse('file', `Invalid pk "${fields.file}" - object does not exist.`);
    // The fake knows no webstreams.
    if (fields.stream != null) refuse('stream', `Invalid pk "${fields.stream}" - object does not exist.`);
    if (Object.keys(errors).length) return { status: 400, json: errors };

    const normalized: ScheduleWrite = { ...fields };
    if (normalized.starts_at !== undefined) normalized.starts_at = dateTimeString(normalized.starts_at);
    if (normalized.ends_at !== undefined) normalized.ends_at = dateTimeString(normalized.ends_at);
    for (const field of ['length', 'cue_in', 'cue_out'] as const) {
      const value = normalized[field];
      if (typeof value === 'string') normalized[field] = durationString(parseMicros(value) ?? 0);
    }
    for (const field of ['fade_in', 'fade_out'] as const) {
      const value = normalized[field];
      if (typeof value === 'string') normalized[field] = timeString(value);
    }

    if (existing) {
      // PUT and PATCH go through the read serializer, where ends_at and cue_out are read-only:
      // LibreTime ignores them, so changing either means DELETE and POST again.
      delete normalized.ends_at;
      delete normalized.cue_out;
      Object.assign(existing, normalized);
      return ok(this.readItem(existing));
    }
    const item: LibreTimeScheduleItem = {
      id: this.nextId('schedule', this.schedule),
      file: null,
      stream: null,
      position_status: 1, // the model's default: inside its instance
      played: null,
      // The subset's required list and the checks above make the other fields present.
      ...(normalized as Omit<LibreTimeScheduleItem, 'id' | 'file' | 'stream' | 'position_status' | 'played'>),
    };
    this.schedule.push(item);
    // Creation answers with the write serializer: the item as stored, not cut at the instance end.
    return { status: 201, json: { ...item } };
  }

  /** The read serializer: an item overrunning its instance ends (and cues out) at the instance end. */
  private readItem(item: LibreTimeScheduleItem): LibreTimeScheduleItem {
    const instance = this.instances.find((candidate) => candidate.id === item.instance);
    if (!instance) return { ...item };
    const starts = Date.parse(item.starts_at);
    const ends = Date.parse(item.ends_at);
    const instanceEnds = Date.parse(instance.ends_at);
    return {
      ...item,
      ends_at: instanceEnds < ends ? instance.ends_at : item.ends_at,
      cue_out: starts < instanceEnds && instanceEnds < ends ? durationString((instanceEnds - starts) * 1000) : item.cue_out,
    };
  }

  /** django-filter's ranges include both ends; ends_* look at the stored end, not the cut one. */
  private filterSchedule(query: Record<string, unknown>): LibreTimeScheduleItem[] {
    const at = (name: string) => {
      const value = query[name];
      return typeof value === 'string' ? Date.parse(value) : undefined;
    };
    const [startsAfter, startsBefore, endsAfter, endsBefore] = ['starts_after', 'starts_before', 'ends_after', 'ends_before'].map(at);
    return this.schedule.filter((item) => {
      const starts = Date.parse(item.starts_at);
      const ends = Date.parse(item.ends_at);
      const instanceEnds = Date.parse(this.instances.find((instance) => instance.id === item.instance)?.ends_at ?? item.ends_at);
      return (
        (startsAfter === undefined || starts >= startsAfter) &&
        (startsBefore === undefined || starts <= startsBefore) &&
        (endsAfter === undefined || ends >= endsAfter) &&
        (endsBefore === undefined || ends <= endsBefore) &&
        (query.position_status === undefined || item.position_status === query.position_status) &&
        (query.broadcasted === undefined || item.broadcasted === query.broadcasted) &&
        (query.overbooked === undefined || (starts >= instanceEnds) === query.overbooked)
      );
    });
  }

  /** Legacy POST /rest/media (PHP): Basic auth with the key as user, multipart field `file`. */
  private async upload(method: string, path: string, headers: http.IncomingHttpHeaders, raw: Buffer): Promise<Reply> {
    // RestAuth compares the header with base64("<key>:") as it is.
    if (headers.authorization !== `Basic ${Buffer.from(`${this.apiKey}:`).toString('base64')}`) {
      return { status: 401, json: { message: 'ERROR: Incorrect API key.' } };
    }
    // Any failure of the upload itself gets the same 400 text from LibreTime.
    const failed: Reply = { status: 400, contentType: 'text/html', text: 'An error occurred while processing your upload. Please try again in a few minutes.' };
    if (method !== 'POST') {
      this.violate(method, path, [`${method} is not an operation of /rest/media in the subset`]);
      return { status: 405, text: 'Method not allowed' };
    }
    let part: FormDataEntryValue | null = null;
    try {
      const form = await new Response(new Uint8Array(raw), { headers: { 'content-type': headers['content-type'] ?? '' } }).formData();
      part = form.get('file');
    } catch {
      // not multipart at all
    }
    if (part === null || typeof part === 'string') {
      this.violate(method, path, ['body must be multipart/form-data with a file part named "file"']);
      return failed;
    }
    const extension = part.name.split('.').pop()?.toLowerCase() ?? '';
    if (!part.name.includes('.') || !UPLOAD_EXTENSIONS.has(extension)) return failed; // "Bad file extension."

    const bytes = Buffer.from(await part.arrayBuffer());
    this.uploads.push({ name: part.name, type: part.type });
    const file = this.addFile({
      name: part.name,
      mime: part.type || 'application/octet-stream',
      size: bytes.length,
      md5: createHash('md5').update(bytes).digest('hex'),
      // Until the analyzer has run: titled with the upload's name, hidden, no length or cues.
      track_title: part.name,
      import_status: 1,
      hidden: true,
      length: null,
      cue_in: null,
      cue_out: null,
    });
    this.pending.set(file.id, { polls: 0, arrivedAt: Date.now(), mime: analysedMime(bytes) });
    return { status: 201, json: legacyFileJson(file) };
  }

  /** Legacy GET /api/rabbitmq-do-push (PHP ApiController::checkAuth): the api_key parameter or an Api-Key header. */
  private push(method: string, path: string, url: URL, headers: http.IncomingHttpHeaders): Reply {
    const [scheme, key] = (headers.authorization ?? '').split(/\s+/);
    if (url.searchParams.get('api_key') !== this.apiKey && !(scheme === 'Api-Key' && key === this.apiKey)) {
      return { status: 401, contentType: 'text/html', text: 'You are not allowed to access this resource.' };
    }
    if (method !== 'GET') {
      this.violate(method, path, [`${method} is not an operation of /api/rabbitmq-do-push in the subset`]);
    }
    this.pushes.push({ at: new Date().toISOString(), scheduleItems: this.schedule.length });
    return ok({});
  }

  private poll(file: LibreTimeFile): void {
    const pending = this.pending.get(file.id);
    if (!pending) return;
    pending.polls++;
    if (this.importDelayMs === null ? pending.polls > this.importAfterPolls : Date.now() - pending.arrivedAt >= this.importDelayMs) {
      this.finishImport(file);
    }
  }

  private tickImports(): void {
    if (this.importDelayMs === null) return;
    for (const [id, pending] of this.pending) {
      const file = this.files.find((candidate) => candidate.id === id);
      if (file && Date.now() - pending.arrivedAt >= this.importDelayMs) this.finishImport(file);
    }
  }

  /** What LibreTime's analyzer does once it has read the audio. */
  private finishImport(file: LibreTimeFile): void {
    const analysed = this.pending.get(file.id)?.mime;
    this.pending.delete(file.id);
    file.import_status = this.importResult;
    file.updated_at = dateTimeString(Date.now());
    if (this.importResult !== 0) return;
    file.hidden = false;
    if (analysed) file.mime = analysed;
    file.length = this.importedLength;
    file.cue_in = '00:00:00';
    file.cue_out = this.importedLength;
  }

  /** PostgreSQL's sequences: an id is never given twice, even after its row was deleted. */
  private nextId(table: string, rows: { id: number }[]): number {
    const id = rows.reduce((max, row) => Math.max(max, row.id), this.sequences.get(table) ?? 0) + 1;
    this.sequences.set(table, id);
    return id;
  }

  private violate(method: string, path: string, errors: string[]): void {
    this.violations.push({ method, path, errors });
  }
}

// ---------------------------------------------------------------------------------------------


function ok(json: unknown): Reply {
  return { status: 200, json };
}

function notFound(model: string): Reply {
  return { status: 404, json: { detail: `No ${model} matches the given query.` } };
}

function invalidPk(field: string, value: unknown): Reply {
  return { status: 400, json: { [field]: [`Invalid pk "${String(value)}" - object does not exist.`] } };
}

/** What a proxy in front of a stopped or overloaded LibreTime answers. */
function unavailable(status: number): Reply {
  return { status, contentType: 'text/html', text: `<html><body><h1>${status} ${http.STATUS_CODES[status] ?? ''}</h1></body></html>` };
}

function explain(where: 'query' | 'body', errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((error) => {
    const params = error.params as { additionalProperty?: string };
    const at = `${where}${error.instancePath.replaceAll('/', '.')}`;
    return params.additionalProperty ? `${at}.${params.additionalProperty}: not in the subset` : `${at}: ${error.message ?? error.keyword}`;
  });
}

function fileJson(file: LibreTimeFile): Record<string, unknown> {
  // `accessed` is required in LibreTime's File schema; LibreLog does not read it.
  return { accessed: 0, ...file };
}

function showJson(show: FakeShow): Record<string, unknown> {
  return {
    genre: null,
    url: null,
    image: null,
    foreground_color: null,
    background_color: null,
    live_enabled: false,
    linked: false,
    linkable: true,
    auto_playlist: null,
    auto_playlist_enabled: false,
    auto_playlist_repeat: false,
    intro_playlist: null,
    override_intro_playlist: false,
    outro_playlist: null,
    override_outro_playlist: false,
    ...show,
  };
}

function instanceJson(instance: LibreTimeShowInstance): Record<string, unknown> {
  return {
    filled_time: null,
    last_scheduled_at: null,
    description: null,
    rebroadcast: 0,
    record_enabled: 0,
    instance: null,
    record_file: null,
    ...instance,
  };
}

/** A cc_files row as the legacy PHP prints it: column names, not API v2 field names. */
function legacyFileJson(file: LibreTimeFile): Record<string, unknown> {
  return {
    id: file.id,
    name: file.name,
    mime: file.mime,
    ftype: 'audioclip',
    import_status: file.import_status,
    currentlyaccessing: 0,
    md5: file.md5,
    track_title: file.track_title,
    length: file.length ?? '00:00:00',
    cuein: file.cue_in ?? '00:00:00',
    cueout: file.cue_out ?? '00:00:00',
    hidden: file.hidden,
    filesize: file.size,
    track_type_id: file.library,
    utime: new Date().toISOString().slice(0, 19).replace('T', ' '),
  };
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(res: http.ServerResponse, reply: Reply): void {
  if (reply.status === 204) {
    res.writeHead(204).end();
    return;
  }
  if (reply.json !== undefined) {
    res.writeHead(reply.status, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(reply.json));
    return;
  }
  res.writeHead(reply.status, { 'Content-Type': reply.contentType ?? 'text/plain' });
  res.end(reply.text ?? '');
}
