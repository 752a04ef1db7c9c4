// AzuraCast's API as LibreLog uses it (facts in ../shared/guide/integrations.md, checked against
// AzuraCast's web/static/openapi.yml and the controllers behind it). `createAzuraCastClient`
// (./client.ts) implements it. Field names are AzuraCast's own.

export interface AzuraCastConnection {
  /** The install's root, e.g. "https://radio.example.org" (without /api). */
  baseUrl: string;
  /** The numeric station id in AzuraCast's URLs. */
  stationId: number;
  /** "identifier:verifier", sent as X-API-Key. */
  apiKey: string;
}

export interface NowPlayingUpdate {
  title: string;
  artist: string;
  /** Seconds. */
  duration?: number;
  /**
   * The StationMedia `id` (the integer of /api/station/{id}/files, not its `unique_id`): links the
   * history row to the library track. AzuraCast hands it to Liquidsoap as a string annotation, so
   * digits in a string work the same; an unknown id only loses the link.
   */
  media_id?: number | string;
}

/** Api_Song as embedded in history rows (the schema lists no required fields; AzuraCast always sends these). */
export interface AzuraCastSong {
  /** md5 of the normalised "artist - title" text, or of the media's. */
  id: string;
  /** Usually "Artist - Title". */
  text: string;
  artist: string | null;
  title: string | null;
  album: string | null;
  genre: string | null;
  isrc: string | null;
  /** URL of the artwork. */
  art: string;
}

/** Api_DetailedSongHistory: one played item of /api/station/{id}/history. */
export interface AzuraCastHistoryItem {
  sh_id: number;
  /** Unix seconds; AzuraCast's played_at is the real start + 5 s (SongHistory::PLAYBACK_DELAY_SECONDS). */
  played_at: number;
  /** Seconds. */
  duration: number;
  /** The playlist's name; AzuraCast sends "" when there was none (the schema allows null). */
  playlist: string | null;
  /** The live DJ's display name; "" when there was none (the schema allows null). */
  streamer: string | null;
  is_request: boolean;
  song: AzuraCastSong;
  listeners_start: number;
  listeners_end: number;
  /** Listener change between start and end. */
  delta_total: number;
  /** Whether the row shows on public playlists. */
  is_visible: boolean;
}

/** Api_ListenerLocation. */
export interface AzuraCastListenerLocation {
  description: string;
  region: string | null;
  city: string | null;
  /** Two-letter code in practice, despite the schema's example. */
  country: string | null;
  lat: number | null;
  lon: number | null;
}

/** Api_ListenerDevice. */
export interface AzuraCastListenerDevice {
  client: string | null;
  is_browser: boolean;
  is_mobile: boolean;
  is_bot: boolean;
  browser_family: string | null;
  os_family: string | null;
}

/**
 * Api_Listener with unique=0: one listening session, clipped by AzuraCast to the requested range
 * (connected_on ≥ start, connected_until ≤ end, connected_time = their difference).
 */
export interface AzuraCastListenerSession {
  /** Unix seconds. */
  connected_on: number;
  /** Unix seconds; the range's end when the listener was still connected. */
  connected_until: number;
  /** Seconds. */
  connected_time: number;
  ip: string;
  user_agent: string;
  /** Identifies the listener (IP + user agent); AzuraCast groups by it unless unique=0. */
  hash: string;
  /** False for a remote relay. */
  mount_is_local: boolean;
  /** Display name of the mount, HLS stream or relay; "" when unknown. */
  mount_name: string;
  device: AzuraCastListenerDevice;
  location: AzuraCastListenerLocation;
}

export interface AzuraCastApi {
  /** POST /api/station/{id}/nowplaying/update; StationUnsupported when the station is not on Liquidsoap. */
  updateNowPlaying(update: NowPlayingUpdate): Promise<void>;
  /**
   * GET /api/station/{id}/history?start&end: the items whose real start (played_at − 5) lies in
   * [start, end], oldest first. start and end are ISO 8601; without an offset they are station
   * time. AzuraCast drops the seconds of start and sets those of end to 59, and a date-only end
   * means the end of that day: ask for a day as "2026-03-01T00:00:00" … "2026-03-01T23:59:59".
   */
  history(start: string, end: string): Promise<AzuraCastHistoryItem[]>;
  /**
   * GET /api/station/{id}/listeners?start&end&unique=0: one row per session overlapping the
   * range, clipped to it, oldest first. Same start/end rules as history().
   */
  listenerSessions(start: string, end: string): Promise<AzuraCastListenerSession[]>;
  /** GET /api/status: public; whether AzuraCast's API is up, and its clock. */
  status(): Promise<AzuraCastStatus>;
  /** GET /api/station/{id}: public; the station's name and shortcode (AzuraCastRejected 404 when there is none). */
  station(): Promise<AzuraCastStation>;
}

/** Api_SystemStatus. */
export interface AzuraCastStatus {
  online: boolean;
  /** Unix seconds. */
  timestamp: number;
}

/** Api_NowPlaying_Station, the fields LibreLog reads. */
export interface AzuraCastStation {
  id: number;
  name: string;
  shortcode: string;
  timezone?: string;
}

/** AzuraCast refused the request (4xx); retrying does not help. */
export class AzuraCastRejected extends Error {
  constructor(
    readonly status: number,
    readonly path: string,
    message: string,
    /** The Api_Error's `type` (the exception's class: NotLoggedInException, PermissionDeniedException …) when it sent one. */
    readonly type?: string,
  ) {
    super(message);
    this.name = 'AzuraCastRejected';
  }
}

/**
 * The station cannot take metadata pushes (not on the Liquidsoap backend): say so once, stop
 * pushing. AzuraCast answers it with HTTP 500 (StationUnsupportedException keeps the default
 * code), so the status is whatever came back, usually 500, and it is never retried.
 */
export class StationUnsupported extends AzuraCastRejected {
  constructor(path: string, message: string, status = 500) {
    super(status, path, message);
    this.name = 'StationUnsupported';
  }
}

/** AzuraCast could not be reached or kept failing (network, timeout, 5xx) after the retries. */
export class AzuraCastUnavailable extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'AzuraCastUnavailable';
  }
}
