// Changes of a day's log status as they happen, whichever process made them: a trigger on
// daily_logs (migration 20261125000008) NOTIFYs this channel and one LISTEN connection per
// API process fans the changes out (to WebSocket clients). A dropped connection is reopened
// with backoff; subscribers are told, since changes during the gap are lost and they should
// re-read what they show.
import type { Knex } from 'knex';
import pg from 'pg';
import type { LogStatus } from '../domain/vocabulary.js';

export const LOG_STATUS_CHANNEL = 'log_status';
/** What is on air now, announced by the now-playing workflow's activity. */
export const NOW_PLAYING_CHANNEL = 'now_playing';

export interface NowPlayingChange {
  stationId: string;
  date: string;
  entryId: string;
  /** Epoch ms. */
  startsAt: number;
  title: string;
  artist: string;
  durationS: number;
  mediaId: string | null;
}

export interface LogStatusChange {
  logId: string;
  stationId: string;
  /** The station's slug. */
  station: string;
  date: string;
  status: LogStatus;
  version: number;
  approvedVersion: number | null;
  publishedVersion: number | null;
  atRisk: boolean;
  step: string | null;
  failure: string | null;
}

export type FeedEvent = { kind: 'change'; change: LogStatusChange } | { kind: 'now_playing'; now: NowPlayingChange } | { kind: 'gap' };

export interface LogStatusFeed {
  /** Starts listening with the first subscriber; returns the unsubscribe function. */
  subscribe(listener: (event: FeedEvent) => void): () => void;
  close(): Promise<void>;
}

/** The connection settings of a knex instance, for a client of its own outside the pool. */
function connectionOf(db: Knex): pg.ClientConfig {
  const connection = (db.client as { config: { connection: unknown } }).config.connection;
  return typeof connection === 'string' ? { connectionString: connection } : (connection as pg.ClientConfig);
}

export function createLogStatusFeed(db: Knex, options: { log?: (message: string) => void } = {}): LogStatusFeed {
  const listeners = new Set<(event: FeedEvent) => void>();
  let client: pg.Client | undefined;
  let connecting: Promise<void> | undefined;
  let closed = false;
  let retryMs = 500;
  let retryTimer: NodeJS.Timeout | undefined;

  const emit = (event: FeedEvent) => {
    for (const listener of listeners) listener(event);
  };

  async function connect(): Promise<void> {
    const next = new pg.Client(connectionOf(db));
    next.on('notification', (message) => {
      if (!message.payload) return;
      try {
        if (message.channel === LOG_STATUS_CHANNEL) emit({ kind: 'change', change: JSON.parse(message.payload) as LogStatusChange });
        else if (message.channel === NOW_PLAYING_CHANNEL) emit({ kind: 'now_playing', now: JSON.parse(message.payload) as NowPlayingChange });
      } catch {
        options.log?.(`log status feed: unreadable notification ${message.payload.slice(0, 200)}`);
      }
    });
    next.on('error', (error) => {
      options.log?.(`log status feed: ${error.message}; reconnecting`);
      void next.end().catch(() => undefined);
      if (client === next) client = undefined;
      emit({ kind: 'gap' });
      scheduleReconnect();
    });
    await next.connect();
    await next.query(`LISTEN ${LOG_STATUS_CHANNEL}`);
    await next.query(`LISTEN ${NOW_PLAYING_CHANNEL}`);
    if (closed) {
      await next.end();
      return;
    }
    client = next;
    retryMs = 500;
  }

  function scheduleReconnect() {
    if (closed || retryTimer || listeners.size === 0) return;
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      ensureConnected();
    }, retryMs);
    retryMs = Math.min(retryMs * 2, 30_000);
  }

  function ensureConnected() {
    if (closed || client || connecting) return;
    connecting = connect()
      .catch((error: unknown) => {
        options.log?.(`log status feed: cannot listen (${error instanceof Error ? error.message : String(error)}); retrying`);
        scheduleReconnect();
      })
      .finally(() => {
        connecting = undefined;
      });
  }

  return {
    subscribe(listener) {
      listeners.add(listener);
      ensureConnected();
      return () => listeners.delete(listener);
    },
    async close() {
      closed = true;
      clearTimeout(retryTimer);
      listeners.clear();
      await connecting;
      await client?.end().catch(() => undefined);
      client = undefined;
    },
  };
}
