// The API's WebSockets share one door: the HTTP server's upgrade event. This routes an upgrade
// by path, authenticates it with the same JWT as the REST API (Authorization header, or
// `access_token` in the query for browsers, which cannot set headers on a WebSocket), and hands
// the open socket to its endpoint with the principal and the token's expiry. Refusals are HTTP
// answers with a problem+json body, like any API call.
import type { Request } from 'express';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import jwt from 'jsonwebtoken';
import type { Knex } from 'knex';
import { WebSocketServer, type WebSocket } from 'ws';
import { createAuthenticator } from './auth/authenticate.js';
import type { Principal } from './auth/principal.js';
import { AuthProblem } from './auth/problems.js';

/** Close code when the access token runs out (4000–4999 are the application's). */
export const TOKEN_EXPIRED = 4401;
const HEARTBEAT_MS = 30_000;

export interface SocketEndpoint {
  path: string;
  /** Largest single message, in bytes. */
  maxPayload: number;
  open(socket: WebSocket, principal: Principal): void;
  close?(): Promise<void>;
}

function refuseUpgrade(socket: Duplex, instance: string, status: number, title: string, detail: string, headers: Record<string, string> = {}) {
  const body = JSON.stringify({ type: `https://librelog.org/problems/${title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`, title, status, detail, instance });
  const head = [`HTTP/1.1 ${status} ${title}`, 'Content-Type: application/problem+json', `Content-Length: ${Buffer.byteLength(body)}`, 'Connection: close', ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
  socket.end(`${head.join('\r\n')}\r\n\r\n${body}`);
}

export function attachSockets(server: Server, deps: { db: Knex; jwtSecret: string; log?: (error: unknown) => void }, endpoints: SocketEndpoint[]): { close(): Promise<void> } {
  const authenticate = createAuthenticator(deps.db, deps.jwtSecret);
  const servers = new Map(endpoints.map((e) => [e.path, { endpoint: e, wss: new WebSocketServer({ noServer: true, maxPayload: e.maxPayload }) }]));
  const alive = new WeakMap<WebSocket, boolean>();

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const target = servers.get(url.pathname);
    if (!target) {
      refuseUpgrade(socket, url.pathname, 404, 'Not Found', `No WebSocket at ${url.pathname}; there are ${[...servers.keys()].join(' and ')}`);
      return;
    }
    const queryToken = url.searchParams.get('access_token');
    if (queryToken && !req.headers.authorization) req.headers.authorization = `Bearer ${queryToken}`;
    authenticate(req as Request).then(
      (principal) => {
        const token = req.headers.authorization!.replace(/^Bearer\s+/i, '');
        const expiresAt = (jwt.decode(token) as { exp: number }).exp * 1000;
        target.wss.handleUpgrade(req, socket, head, (ws) => {
          alive.set(ws, true);
          ws.on('pong', () => alive.set(ws, true));
          ws.on('error', () => ws.terminate());
          const expiry = setTimeout(() => ws.close(TOKEN_EXPIRED, 'access token expired'), Math.max(0, expiresAt - Date.now()));
          ws.on('close', () => clearTimeout(expiry));
          target.endpoint.open(ws, principal);
          ws.send(JSON.stringify({ type: 'welcome', owner: principal.owner, expiresAt: new Date(expiresAt).toISOString() }));
        });
      },
      (error: unknown) => {
        if (error instanceof AuthProblem) refuseUpgrade(socket, url.pathname, error.status, error.title, error.detail ?? error.title, error.headers);
        else {
          deps.log?.(error);
          refuseUpgrade(socket, url.pathname, 500, 'Internal Server Error', 'Cannot check the access token right now.');
        }
      },
    );
  };
  server.on('upgrade', onUpgrade);

  // Clients that stop answering pings are dropped, so their subscriptions do not pile up.
  const heartbeat = setInterval(() => {
    for (const { wss } of servers.values()) {
      for (const ws of wss.clients) {
        if (!alive.get(ws)) {
          ws.terminate();
          continue;
        }
        alive.set(ws, false);
        ws.ping();
      }
    }
  }, HEARTBEAT_MS);
  heartbeat.unref();

  return {
    async close() {
      clearInterval(heartbeat);
      server.off('upgrade', onUpgrade);
      for (const { endpoint, wss } of servers.values()) {
        await endpoint.close?.();
        for (const ws of wss.clients) ws.close(1001, 'server stopping');
        await new Promise<void>((resolve) => wss.close(() => resolve()));
      }
    },
  };
}

/** Sends a JSON message if the socket is still open. */
export function sendJson(socket: WebSocket, message: object): void {
  if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
}

/** Parses a client's text message as a JSON object with a string `type`, or says what is wrong. */
export function parseMessage(data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean): { message: { type: string } & Record<string, unknown> } | { error: string } {
  if (isBinary) return { error: 'This message must be JSON text' };
  try {
    const message = JSON.parse((data as Buffer).toString('utf8')) as unknown;
    if (typeof message === 'object' && message !== null && typeof (message as { type?: unknown }).type === 'string') return { message: message as { type: string } & Record<string, unknown> };
  } catch {
    // fall through
  }
  return { error: 'Messages are JSON objects with a "type", e.g. {"type":"subscribe","station":"demo"}' };
}
