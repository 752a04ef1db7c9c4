// The live socket (/api/v1/live): a client subscribes to stations and is told every change of
// their days' log status as it happens — from the trigger on daily_logs, whichever worker or
// API server made it. The door (routing, JWT, expiry, heartbeat) is ./sockets.ts; the message
// format is in docs/live-socket.md.
import type { Knex } from 'knex';
import { DateTime } from 'luxon';
import type { WebSocket } from 'ws';
import { findStation, StationNotFoundError, type StationRow } from '../db/log-inputs.js';
import type { FeedEvent, LogStatusFeed } from '../db/log-status-feed.js';
import { broadcastDayWorkflowId } from '../domain/broadcast-day.js';
import { temporalWorkflowUrl } from '../temporal/ui-link.js';
import { isStationParam } from './auth/gate.js';
import type { Principal } from './auth/principal.js';
import { worksFor } from './auth/scopes.js';
import { parseMessage, sendJson, type SocketEndpoint } from './sockets.js';

export { TOKEN_EXPIRED } from './sockets.js';
export const LIVE_PATH = '/api/v1/live';
const MAX_SUBSCRIPTIONS = 50;
/** The snapshot on subscribe: the days a traffic manager looks at. */
const SNAPSHOT_DAYS_BEFORE = 7;
const SNAPSHOT_DAYS_AFTER = 14;

export interface LiveSocketDeps {
  db: Knex;
  feed: LogStatusFeed;
  temporal?: { temporalUiUrl: string; namespace: string } | undefined;
  log?: (error: unknown) => void;
}

interface Connection {
  socket: WebSocket;
  principal: Principal;
  /** Station id → slug. */
  stations: Map<string, string>;
}

/**
 * The station a socket message names, if this principal works for it (nobody sees a station
 * they hold no role at); otherwise undefined after telling the client why.
 */
export async function stationForSocket(db: Knex, socket: WebSocket, principal: Principal, wanted: unknown): Promise<StationRow | undefined> {
  if (typeof wanted !== 'string' || !isStationParam(wanted)) {
    sendJson(socket, { type: 'error', status: 400, detail: '`station` is a station id or slug' });
    return undefined;
  }
  try {
    const station = await findStation(db, wanted);
    if (!worksFor(principal, station.id)) throw new StationNotFoundError(wanted);
    return station;
  } catch (error) {
    if (!(error instanceof StationNotFoundError)) throw error;
    sendJson(socket, { type: 'error', status: 404, detail: `No station "${wanted}"` });
    return undefined;
  }
}

export function createLiveSocket(deps: LiveSocketDeps): SocketEndpoint {
  const connections = new Set<Connection>();
  const link = (workflowId: string) => (deps.temporal ? temporalWorkflowUrl(deps.temporal.temporalUiUrl, deps.temporal.namespace, workflowId) : '');

  const unsubscribeFeed = deps.feed.subscribe((event: FeedEvent) => {
    for (const connection of connections) {
      if (event.kind === 'gap') {
        if (connection.stations.size) sendJson(connection.socket, { type: 'resync', detail: 'Changes may have been missed; read the days you show again.' });
        continue;
      }
      if (event.kind === 'now_playing') {
        const slug = connection.stations.get(event.now.stationId);
        const { stationId: _stationId, startsAt, ...now } = event.now;
        if (slug) sendJson(connection.socket, { type: 'now_playing', station: slug, ...now, startsAt: new Date(startsAt).toISOString() });
        continue;
      }
      const change = event.change;
      if (!connection.stations.has(change.stationId)) continue;
      const workflowId = broadcastDayWorkflowId(change.station, change.date);
      const { logId: _logId, stationId: _stationId, ...rest } = change;
      sendJson(connection.socket, { type: 'log.status', ...rest, workflowId, temporalUrl: link(workflowId) });
    }
  });

  async function snapshot(stationId: string, timezone: string) {
    const today = DateTime.now().setZone(timezone).startOf('day');
    return (await deps.db('daily_logs')
      .where({ stationId })
      .whereBetween('broadcastDate', [today.minus({ days: SNAPSHOT_DAYS_BEFORE }).toISODate()!, today.plus({ days: SNAPSHOT_DAYS_AFTER }).toISODate()!])
      .orderBy('broadcastDate')
      .select('broadcastDate as date', 'status', 'version', 'approvedVersion', 'publishedVersion', 'atRisk', 'currentStep as step', 'failure')) as { date: string }[];
  }

  async function onMessage(connection: Connection, message: { type: string } & Record<string, unknown>) {
    const { socket } = connection;
    if (message.type === 'ping') {
      sendJson(socket, { type: 'pong' });
      return;
    }
    if (message.type !== 'subscribe' && message.type !== 'unsubscribe') {
      sendJson(socket, { type: 'error', status: 400, detail: `Unknown message type ${JSON.stringify(message.type)}; send subscribe, unsubscribe or ping` });
      return;
    }
    const station = await stationForSocket(deps.db, socket, connection.principal, message.station);
    if (!station) return;
    if (message.type === 'unsubscribe') {
      connection.stations.delete(station.id);
      sendJson(socket, { type: 'unsubscribed', station: station.slug });
      return;
    }
    if (!connection.stations.has(station.id) && connection.stations.size >= MAX_SUBSCRIPTIONS) {
      sendJson(socket, { type: 'error', status: 400, detail: `At most ${MAX_SUBSCRIPTIONS} stations per socket` });
      return;
    }
    connection.stations.set(station.id, station.slug);
    const days = await snapshot(station.id, station.timezone);
    sendJson(socket, {
      type: 'subscribed',
      station: station.slug,
      days: days.map((d) => {
        const workflowId = broadcastDayWorkflowId(station.slug, d.date);
        return { ...d, workflowId, temporalUrl: link(workflowId) };
      }),
    });
  }

  return {
    path: LIVE_PATH,
    maxPayload: 16 * 1024,
    open(socket, principal) {
      const connection: Connection = { socket, principal, stations: new Map() };
      connections.add(connection);
      socket.on('message', (data, isBinary) => {
        const parsed = parseMessage(data, isBinary);
        if ('error' in parsed) {
          sendJson(socket, { type: 'error', status: 400, detail: parsed.error });
          return;
        }
        onMessage(connection, parsed.message).catch((error: unknown) => {
          deps.log?.(error);
          sendJson(socket, { type: 'error', status: 500, detail: 'Something went wrong on our side; it has been logged.' });
        });
      });
      socket.on('close', () => connections.delete(connection));
    },
    close() {
      unsubscribeFeed();
      return Promise.resolve();
    },
  };
}
