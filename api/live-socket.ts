// The live socket (GET /api/v1/live, WebSocket): a client subscribes to stations and is told
// every change of their days' log status as it happens — from the trigger on daily_logs,
// whichever worker or API server made it. Same JWT as the REST API (Authorization header, or
// `access_token` in the query for browsers, which cannot set headers on a WebSocket); the
// socket closes when the token expires (code 4401) and the client reconnects with a new one.
// The message format is in docs/live-socket.md.
import type { Request } from 'express';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import jwt from 'jsonwebtoken';
import type { Knex } from 'knex';
import { DateTime } from 'luxon';
import { WebSocketServer, type WebSocket } from 'ws';
import { findStation, StationNotFoundError } from '../db/log-inputs.js';
import type { FeedEvent, LogStatusFeed } from '../db/log-status-feed.js';
import { broadcastDayWorkflowId } from '../domain/broadcast-day.js';
import { temporalWorkflowUrl } from '../temporal/ui-link.js';
import { createAuthenticator } from './auth/authenticate.js';
import type { Principal } from './auth/principal.js';
import { AuthProblem } from './auth/problems.js';

export const LIVE_PATH = '/api/v1/live';
/** Close code when the access token runs out (4000–4999 are the application's). */
export const TOKEN_EXPIRED = 4401;
const HEARTBEAT_MS = 30_000;
const MAX_SUBSCRIPTIONS = 50;
/** The snapshot on subscribe: the days a traffic manager looks at. */
const SNAPSHOT_DAYS_BEFORE = 7;
const SNAPSHOT_DAYS_AFTER = 14;

export interface LiveSocketDeps {
  db: Knex;
  jwtSecret: string;
  feed: LogStatusFeed;
  temporal?: { temporalUiUrl: string; namespace: string } | undefined;
  log?: (error: unknown) => void;
}

type ClientMessage = { type: 'subscribe'; station: string } | { type: 'unsubscribe'; station: string } | { type: 'ping' };

interface Connection {
  socket: WebSocket;
  principal: Principal;
  /** Station id → slug. */
  stations: Map<string, string>;
  alive: boolean;
}

function refuseUpgrade(socket: Duplex, status: number, title: string, detail: string, headers: Record<string, string> = {}) {
  const body = JSON.stringify({ type: `https://librelog.org/problems/${title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`, title, status, detail, instance: LIVE_PATH });
  const head = [`HTTP/1.1 ${status} ${title}`, 'Content-Type: application/problem+json', `Content-Length: ${Buffer.byteLength(body)}`, 'Connection: close', ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
  socket.end(`${head.join('\r\n')}\r\n\r\n${body}`);
}

export function attachLiveSocket(server: Server, deps: LiveSocketDeps): { close(): Promise<void> } {
  const authenticate = createAuthenticator(deps.db, deps.jwtSecret);
  const wss = new WebSocketServer({ noServer: true, maxPayload: 16 * 1024 });
  const connections = new Set<Connection>();
  const link = (workflowId: string) => (deps.temporal ? temporalWorkflowUrl(deps.temporal.temporalUiUrl, deps.temporal.namespace, workflowId) : '');

  const send = (connection: Connection, message: object) => {
    if (connection.socket.readyState === connection.socket.OPEN) connection.socket.send(JSON.stringify(message));
  };
  const problem = (connection: Connection, status: number, detail: string) => send(connection, { type: 'error', status, detail });

  const unsubscribeFeed = deps.feed.subscribe((event: FeedEvent) => {
    for (const connection of connections) {
      if (event.kind === 'gap') {
        if (connection.stations.size) send(connection, { type: 'resync', detail: 'Changes may have been missed; read the days you show again.' });
        continue;
      }
      const change = event.change;
      if (!connection.stations.has(change.stationId)) continue;
      const workflowId = broadcastDayWorkflowId(change.station, change.date);
      const { logId: _logId, stationId: _stationId, ...rest } = change;
      send(connection, { type: 'log.status', ...rest, workflowId, temporalUrl: link(workflowId) });
    }
  });

  async function snapshot(stationId: string, timezone: string) {
    const today = DateTime.now().setZone(timezone).startOf('day');
    const rows = (await deps.db('daily_logs')
      .where({ stationId })
      .whereBetween('broadcastDate', [today.minus({ days: SNAPSHOT_DAYS_BEFORE }).toISODate()!, today.plus({ days: SNAPSHOT_DAYS_AFTER }).toISODate()!])
      .orderBy('broadcastDate')
      .select('broadcastDate as date', 'status', 'version', 'approvedVersion', 'publishedVersion', 'atRisk', 'currentStep as step', 'failure')) as { date: string }[];
    return rows;
  }

  async function onMessage(connection: Connection, data: string) {
    let message: ClientMessage;
    try {
      message = JSON.parse(data) as ClientMessage;
    } catch {
      problem(connection, 400, 'Messages are JSON objects, e.g. {"type":"subscribe","station":"demo"}');
      return;
    }
    if (typeof message !== 'object' || message === null) {
      problem(connection, 400, 'Messages are JSON objects, e.g. {"type":"subscribe","station":"demo"}');
      return;
    }
    if (message.type === 'ping') {
      send(connection, { type: 'pong' });
      return;
    }
    if (message.type !== 'subscribe' && message.type !== 'unsubscribe') {
      problem(connection, 400, `Unknown message type ${JSON.stringify((message as { type?: unknown }).type)}; send subscribe, unsubscribe or ping`);
      return;
    }
    if (typeof message.station !== 'string' || !message.station || message.station.length > 64) {
      problem(connection, 400, '`station` is a station id or slug');
      return;
    }
    let station;
    try {
      station = await findStation(deps.db, message.station);
      if (connection.principal.stationId && connection.principal.stationId !== station.id) throw new StationNotFoundError(message.station);
    } catch (error) {
      if (error instanceof StationNotFoundError) {
        problem(connection, 404, `No station "${message.station}"`);
        return;
      }
      throw error;
    }
    if (message.type === 'unsubscribe') {
      connection.stations.delete(station.id);
      send(connection, { type: 'unsubscribed', station: station.slug });
      return;
    }
    if (!connection.stations.has(station.id) && connection.stations.size >= MAX_SUBSCRIPTIONS) {
      problem(connection, 400, `At most ${MAX_SUBSCRIPTIONS} stations per socket`);
      return;
    }
    connection.stations.set(station.id, station.slug);
    const days = await snapshot(station.id, station.timezone);
    send(connection, {
      type: 'subscribed',
      station: station.slug,
      days: days.map((d) => {
        const workflowId = broadcastDayWorkflowId(station.slug, d.date);
        return { ...d, workflowId, temporalUrl: link(workflowId) };
      }),
    });
  }

  function open(socket: WebSocket, principal: Principal, expiresAt: number) {
    const connection: Connection = { socket, principal, stations: new Map(), alive: true };
    connections.add(connection);
    const expiry = setTimeout(() => socket.close(TOKEN_EXPIRED, 'access token expired'), Math.max(0, expiresAt - Date.now()));
    socket.on('pong', () => (connection.alive = true));
    socket.on('message', (data, isBinary) => {
      if (isBinary) {
        problem(connection, 400, 'Messages are JSON text');
        return;
      }
      onMessage(connection, (data as Buffer).toString('utf8')).catch((error: unknown) => {
        deps.log?.(error);
        problem(connection, 500, 'Something went wrong on our side; it has been logged.');
      });
    });
    socket.on('close', () => {
      clearTimeout(expiry);
      connections.delete(connection);
    });
    socket.on('error', () => socket.terminate());
    send(connection, { type: 'welcome', role: principal.role, expiresAt: new Date(expiresAt).toISOString() });
  }

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== LIVE_PATH) {
      refuseUpgrade(socket, 404, 'Not Found', `No WebSocket at ${url.pathname}; the live socket is ${LIVE_PATH}`);
      return;
    }
    const queryToken = url.searchParams.get('access_token');
    if (queryToken && !req.headers.authorization) req.headers.authorization = `Bearer ${queryToken}`;
    authenticate(req as Request).then(
      (principal) => {
        const token = req.headers.authorization!.replace(/^Bearer\s+/i, '');
        const exp = (jwt.decode(token) as { exp: number }).exp * 1000;
        wss.handleUpgrade(req, socket, head, (ws) => open(ws, principal, exp));
      },
      (error: unknown) => {
        if (error instanceof AuthProblem) refuseUpgrade(socket, error.status, error.title, error.detail ?? error.title, error.headers);
        else {
          deps.log?.(error);
          refuseUpgrade(socket, 500, 'Internal Server Error', 'Cannot check the access token right now.');
        }
      },
    );
  };
  server.on('upgrade', onUpgrade);

  const heartbeat = setInterval(() => {
    for (const connection of connections) {
      if (!connection.alive) {
        connection.socket.terminate();
        continue;
      }
      connection.alive = false;
      connection.socket.ping();
    }
  }, HEARTBEAT_MS);
  heartbeat.unref();

  return {
    async close() {
      clearInterval(heartbeat);
      server.off('upgrade', onUpgrade);
      unsubscribeFeed();
      for (const connection of connections) connection.socket.close(1001, 'server stopping');
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
