// Where an approved log goes. The broadcast-day workflow publishes through this interface;
// the file publisher ships with LibreLog, the LibreTime publisher comes with the integrations.

export interface PublishableEntry {
  id: string;
  position: number;
  /** ISO 8601, UTC. */
  startsAt: string;
  /** The entry's hour as the station says it: "07:00", or "01:00 EDT" / "01:00 EST" on the repeated hour of a 25-hour day. */
  hourLabel?: string | null;
  /** The station's offset from UTC in that hour, minutes (−300 for EST). */
  utcOffsetMinutes?: number | null;
  lengthMs: number;
  type: string;
  title: string;
  artist: string | null;
  trackId: string | null;
  trackRef: string | null;
  libretimeFileId: number | null;
  cueInMs: number;
  /** cueIn + lengthMs: where the entry stops, earlier than the track's own end when it is faded early. */
  cueOutMs: number;
  /** Fade at the end, ms: 0 for an entry that plays to its end, a short fade for one faded early to meet a hard start. */
  fadeOutMs: number;
  campaignId: string | null;
  isFallback: boolean;
}

export interface PublishableLog {
  station: { id: string; slug: string; name: string; timezone: string };
  date: string;
  version: number;
  entries: PublishableEntry[];
}

export interface PublishReceipt {
  target: string;
  /** Where the log went (files, a LibreTime show instance …), for the audit log and the web app. */
  location: string;
  items: number;
}

export interface Publisher {
  readonly target: string;
  /** Must be idempotent: publishing the same log again leaves one copy in playout. */
  publish(log: PublishableLog): Promise<PublishReceipt>;
}
