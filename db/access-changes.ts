// What the API reads on every request changes rarely: who may do what, and which version of a
// day's log is current. Triggers NOTIFY a channel when they change, whichever process changed
// them (migration 20261204000016): `access_changed` for users, api_clients,
// station_memberships and stations; `logs_changed` for daily_logs (every write to a log's
// entries touches it). Each API process LISTENs on a connection of its own and forgets what it
// had cached from that channel. While the connection is down nothing is cached at all, so a
// missed notice can never leave a disabled account, a removed role or an old log in use.
import type { Knex } from 'knex';
import pg from 'pg';

export const ACCESS_CHANNEL = 'access_changed';
export const LOGS_CHANNEL = 'logs_changed';
const CHANNELS = [ACCESS_CHANNEL, LOGS_CHANNEL] as const;
export type ChangeChannel = (typeof CHANNELS)[number];

export interface AccessChanges {
  /**
   * The generation of what may be cached from a channel: it changes with every notice (and
   * every local `changed()`); undefined while not listening, when nothing may be cached.
   */
  generation(channel?: ChangeChannel): number | undefined;
  /** A change made by this process: forget at once, before its notice comes back. */
  changed(channel?: ChangeChannel): void;
  close(): Promise<void>;
}

/** The connection settings of a knex instance, for a client of its own outside the pool. */
function connectionOf(db: Knex): pg.ClientConfig {
  const connection = (db.client as { config: { connection: unknown } }).config.connection;
  return typeof connection === 'string' ? { connectionString: connection } : (connection as pg.ClientConfig);
}

export function watchAccessChanges(db: Knex, options: { log?: (message: string) => void } = {}): AccessChanges {
  // One counter for both channels would do, but then a busy build would flush the access cache.
  const generations: Record<ChangeChannel, number> = { [ACCESS_CHANNEL]: 0, [LOGS_CHANNEL]: 0 };
  const bumpAll = () => {
    for (const channel of CHANNELS) generations[channel]++;
  };
  let listening = false;
  let client: pg.Client | undefined;
  let closed = false;
  let retryMs = 500;
  let retryTimer: NodeJS.Timeout | undefined;
  let connecting: Promise<void> | undefined;

  const lost = (why: string) => {
    if (listening) options.log?.(`access changes: ${why}; nothing is cached until listening again`);
    listening = false;
    bumpAll();
  };

  async function connect(): Promise<void> {
    const next = new pg.Client(connectionOf(db));
    next.on('notification', (message) => {
      if (message.channel in generations) generations[message.channel as ChangeChannel]++;
    });
    next.on('error', (error) => {
      lost(error.message);
      void next.end().catch(() => undefined);
      if (client === next) client = undefined;
      scheduleReconnect();
    });
    next.on('end', () => {
      if (client === next) {
        client = undefined;
        lost('the connection ended');
        scheduleReconnect();
      }
    });
    await next.connect();
    for (const channel of CHANNELS) await next.query(`LISTEN ${channel}`);
    if (closed) {
      await next.end();
      return;
    }
    client = next;
    retryMs = 500;
    // Whatever changed while not listening is unknown: start from nothing.
    bumpAll();
    listening = true;
  }

  function scheduleReconnect() {
    if (closed || retryTimer) return;
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
        lost(error instanceof Error ? error.message : String(error));
        scheduleReconnect();
      })
      .finally(() => {
        connecting = undefined;
      });
  }

  ensureConnected();
  return {
    generation: (channel = ACCESS_CHANNEL) => (listening ? generations[channel] : undefined),
    changed: (channel = ACCESS_CHANNEL) => {
      generations[channel]++;
    },
    async close() {
      closed = true;
      listening = false;
      clearTimeout(retryTimer);
      await connecting;
      await client?.end().catch(() => undefined);
      client = undefined;
    },
  };
}

/**
 * A bounded cache of reads that depend on who may do what, valid for one generation of
 * AccessChanges: a read that began before a change is not kept after it.
 */
export class AccessCache<T> {
  private readonly entries = new Map<string, { generation: number; value: T }>();

  constructor(
    private readonly changes: AccessChanges | undefined,
    private readonly channel: ChangeChannel = ACCESS_CHANNEL,
    private readonly maxEntries = 10_000,
  ) {}

  async get(key: string, load: () => Promise<T>): Promise<T> {
    const generation = this.changes?.generation(this.channel);
    if (generation === undefined) return load();
    const hit = this.entries.get(key);
    if (hit?.generation === generation) return hit.value;
    const value = await load();
    // Kept only if nothing changed while it was read.
    if (this.changes?.generation(this.channel) === generation) {
      if (this.entries.size >= this.maxEntries) this.entries.clear();
      this.entries.set(key, { generation, value });
    }
    return value;
  }
}
