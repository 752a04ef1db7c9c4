// AzuraCast's API as LibreLog uses it (facts in ../shared/guide/integrations.md, checked against
// AzuraCast's web/static/openapi.yml). `createAzuraCastClient` (./client.ts) implements it.

export interface AzuraCastConnection {
  baseUrl: string;
  /** The numeric station id (or short name) in AzuraCast's URLs. */
  stationId: number;
  /** "identifier:verifier", sent as X-API-Key. */
  apiKey: string;
}

export interface NowPlayingUpdate {
  title: string;
  artist: string;
  /** Seconds. */
  duration?: number;
  /** AzuraCast's media id, when LibreLog knows it: links the history row to the library. */
  media_id?: string;
}

export interface AzuraCastHistoryItem {
  sh_id: number;
  /** Unix seconds; AzuraCast's played_at is the real start + 5 s. */
  played_at: number;
  duration: number;
  playlist: string | null;
  streamer: string | null;
  is_request: boolean;
  song: { id: string; text: string; artist: string | null; title: string | null; album: string | null; isrc: string | null };
  listeners_start: number | null;
  listeners_end: number | null;
}

export interface AzuraCastListenerSession {
  /** Unix seconds. */
  connected_on: number;
  connected_until: number;
  /** Seconds. */
  connected_time: number;
  mount_name: string | null;
  user_agent: string | null;
  ip: string | null;
  location: { city?: string | null; region?: string | null; country?: string | null } | null;
}

export interface AzuraCastApi {
  /** POST /api/station/{id}/nowplaying/update; StationUnsupported when the station is not on Liquidsoap. */
  updateNowPlaying(update: NowPlayingUpdate): Promise<void>;
  /** GET /api/station/{id}/history?start&end (station timezone, ISO 8601). */
  history(start: string, end: string): Promise<AzuraCastHistoryItem[]>;
  /** GET /api/station/{id}/listeners?start&end&unique=0: one row per session. */
  listenerSessions(start: string, end: string): Promise<AzuraCastListenerSession[]>;
}

/** AzuraCast refused the request (4xx); retrying does not help. */
export class AzuraCastRejected extends Error {
  constructor(
    readonly status: number,
    readonly path: string,
    message: string,
  ) {
    super(message);
    this.name = 'AzuraCastRejected';
  }
}

/** The station cannot take metadata pushes (not on the Liquidsoap backend): say so once, stop pushing. */
export class StationUnsupported extends AzuraCastRejected {
  constructor(path: string, message: string) {
    super(400, path, message);
    this.name = 'StationUnsupported';
  }
}

export class AzuraCastUnavailable extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'AzuraCastUnavailable';
  }
}
