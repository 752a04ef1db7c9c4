// LibreTime's API v2 as LibreLog uses it: the fields we read and write, with LibreTime's own
// names (facts in ../shared/guide/integrations.md, checked against libretime/libretime's
// api/schema.yml). Durations are LibreTime's strings ("00:03:25.123456"); instants are ISO 8601
// in UTC with a Z. `createLibreTimeClient` (./client.ts) implements LibreTimeApi over HTTP.

export interface LibreTimeConnection {
  /** e.g. "https://libretime.example.org" (no trailing slash needed). */
  baseUrl: string;
  /** The install's general.api_key. */
  apiKey: string;
}

/** import_status: 0 ready, 1 pending (still being analysed), 2 failed. */
export type ImportStatus = 0 | 1 | 2;

export interface LibreTimeFile {
  id: number;
  name: string;
  mime: string;
  size: number;
  import_status: ImportStatus;
  hidden: boolean | null;
  md5: string | null;
  track_title: string | null;
  artist_name: string | null;
  album_title: string | null;
  genre: string | null;
  mood: string | null;
  bpm: number | null;
  length: string | null;
  cue_in: string | null;
  cue_out: string | null;
  isrc: string | null;
  composer: string | null;
  /** Lyricist: a writer too. Older fakes and servers may leave it out. */
  lyricist?: string | null;
  /** The record label. */
  label: string | null;
  /** As the file's tag says it: "en", "English", "fr-CA" … */
  language?: string | null;
  /** The track type (a LibreTimeLibrary id). */
  library: number | null;
  updated_at: string | null;
  /**
   * cc_files.is_scheduled: true while the file is in a schedule item that has not ended. LibreTime's
   * own scheduler keeps it; API v2 does not, so a client writing items through v2 sets it.
   */
  scheduled?: boolean | null;
}

/** A track type ("library" in API v2). */
export interface LibreTimeLibrary {
  id: number;
  code: string;
  name: string | null;
  enabled: boolean;
}

export interface LibreTimeShow {
  id: number;
  name: string;
  description: string | null;
}

export interface LibreTimeShowInstance {
  id: number;
  show: number;
  starts_at: string;
  ends_at: string;
  created_at: string;
  /** True once someone deleted the instance in LibreTime's calendar: it is hidden there, and its items were removed. */
  modified: boolean;
  auto_playlist_built: boolean;
  /** Sum of the lengths of the instance's items (cc_show_instances.time_filled); the calendar shows the fill from it. */
  filled_time?: string | null;
  /** When the instance's items last changed; playout and the calendar compare it. */
  last_scheduled_at?: string | null;
}

export interface LibreTimeScheduleItem {
  id: number;
  starts_at: string;
  ends_at: string;
  instance: number;
  file: number | null;
  stream: number | null;
  length: string | null;
  cue_in: string;
  cue_out: string;
  fade_in: string | null;
  fade_out: string | null;
  position: number;
  position_status: number;
  broadcasted: number;
  played: boolean | null;
}

export type NewScheduleItem = Pick<
  LibreTimeScheduleItem,
  'starts_at' | 'ends_at' | 'instance' | 'file' | 'length' | 'cue_in' | 'cue_out' | 'fade_in' | 'fade_out' | 'position' | 'position_status' | 'broadcasted'
>;

export interface ScheduleFilter {
  starts_after?: string;
  starts_before?: string;
  ends_after?: string;
  ends_before?: string;
  broadcasted?: number;
  position_status?: number;
  /** true: items that start at or after their instance's end (playout never plays them). */
  overbooked?: boolean;
}

/** What LibreTime's own scheduler writes on an instance after changing its items. */
export interface ShowInstanceBookkeeping {
  filled_time: string;
  last_scheduled_at: string;
}

export interface LibreTimePlayoutHistory {
  id: number;
  starts: string;
  ends: string | null;
  file: number | null;
  instance: number | null;
}

export interface LibreTimeLiveLog {
  id: number;
  /** "L" live, "S" scheduled. */
  state: string;
  start_time: string;
  end_time: string | null;
}

export interface LibreTimeApi {
  listFiles(): Promise<LibreTimeFile[]>;
  getFile(id: number): Promise<LibreTimeFile>;
  listLibraries(): Promise<LibreTimeLibrary[]>;
  listShows(): Promise<LibreTimeShow[]>;
  /** One show; LibreTimeRejected 404 once it was deleted. */
  getShow(id: number): Promise<LibreTimeShow>;
  createShow(show: { name: string; description: string }): Promise<LibreTimeShow>;
  listShowInstances(filter?: { show?: number; starts_after?: string; starts_before?: string }): Promise<LibreTimeShowInstance[]>;
  /** One instance; LibreTimeRejected 404 once it (or its show) was deleted. */
  getShowInstance(id: number): Promise<LibreTimeShowInstance>;
  createShowInstance(instance: { show: number; starts_at: string; ends_at: string }): Promise<LibreTimeShowInstance>;
  /** PATCH the instance's filled time and last-scheduled stamp (API v2 leaves them as they were). */
  updateShowInstance(id: number, bookkeeping: ShowInstanceBookkeeping): Promise<LibreTimeShowInstance>;
  /** DELETE an instance; its schedule items go with it (cc_schedule's instance key is ON DELETE CASCADE). Gone already is not an error. */
  deleteShowInstance(id: number): Promise<void>;
  listSchedule(filter?: ScheduleFilter): Promise<LibreTimeScheduleItem[]>;
  createScheduleItem(item: NewScheduleItem): Promise<LibreTimeScheduleItem>;
  deleteScheduleItem(id: number): Promise<void>;
  /** PATCH a file's `scheduled` flag (API v2 leaves it as it was when items are written). */
  setFileScheduled(id: number, scheduled: boolean): Promise<void>;
  /** Legacy POST /rest/media (multipart `file`, Basic auth with the key as user): the new file, import_status 1 at first. */
  uploadMedia(file: { path: string; filename: string; mediaType: string }): Promise<LibreTimeFile>;
  /** Legacy GET /api/rabbitmq-do-push: playout reloads its schedule now instead of at its next poll. */
  pushSchedule(): Promise<void>;
  listPlayoutHistory(): Promise<LibreTimePlayoutHistory[]>;
  listLiveLogs(): Promise<LibreTimeLiveLog[]>;
  /** GET /api/v2/info: open to anyone, so it tells whether LibreTime answers at all. */
  info(): Promise<LibreTimeInfo>;
  /** GET /api/v2/version: open to anyone. */
  version(): Promise<LibreTimeVersion>;
}

/** GET /api/v2/info. */
export interface LibreTimeInfo {
  station_name: string;
}

/** GET /api/v2/version: "2.0.0" for API v2. */
export interface LibreTimeVersion {
  api_version: string;
}

/** LibreTime answered 4xx: it will not take this request as it is; retrying does not help. */
export class LibreTimeRejected extends Error {
  constructor(
    readonly status: number,
    readonly path: string,
    message: string,
    /** The answer's body as LibreTime sent it (DRF's `{"field": ["…"]}` when it is JSON). */
    readonly body?: unknown,
  ) {
    super(message);
    this.name = 'LibreTimeRejected';
  }

  /** DRF's 400 for a foreign key to a row that is gone: `{"instance": ["Invalid pk \"3\" - object does not exist."]}`. */
  isInvalidPk(field: string): boolean {
    if (this.status !== 400 || typeof this.body !== 'object' || this.body === null) return false;
    const reasons = (this.body as Record<string, unknown>)[field];
    return Array.isArray(reasons) && reasons.some((reason) => typeof reason === 'string' && reason.startsWith('Invalid pk'));
  }
}

/** LibreTime did not answer, or answered 5xx, after the client's own retries. */
export class LibreTimeUnavailable extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'LibreTimeUnavailable';
  }
}
