// Where an approved log goes. The broadcast-day workflow publishes through this interface;
// the file publisher ships with LibreLog, the LibreTime publisher comes with the integrations.

export interface PublishableEntry {
  id: string;
  position: number;
  /** ISO 8601, UTC. */
  startsAt: string;
  lengthMs: number;
  type: string;
  title: string;
  artist: string | null;
  trackId: string | null;
  trackRef: string | null;
  libretimeFileId: number | null;
  cueInMs: number;
  cueOutMs: number;
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
