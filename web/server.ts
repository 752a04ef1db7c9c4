// Serves the built web app (npm run build:web) with Express.
// `tsx web/server.ts` starts it on WEB_PORT; `startWeb()` lets the supervisor and tests run it in-process.
// Every answer carries helmet's security headers with a Content-Security-Policy whose script
// nonce is new for each response; every action (a request other than GET/HEAD/OPTIONS) must
// come from a page of this site (Origin, else Referer), or it is refused with 403.
import { createRequestHandler } from '@remix-run/express';
import type { ServerBuild } from '@remix-run/node';
import express, { type Request, type RequestHandler, type Response } from 'express';
import helmet from 'helmet';
import type { Knex } from 'knex';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { checkSecrets, ConfigError, loadConfig } from '../config/env.js';
import { renewSessionIfDue } from './app/lib/session-refresh.server.js';
import { closeSessionDatabase, useSessionDatabase } from './app/lib/session.server.js';

export const DEFAULT_BUILD_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'build');

export class WebBuildMissingError extends Error {
  override name = 'WebBuildMissingError';
}

export interface RunningWeb {
  url: string;
  close(): Promise<void>;
}

const nonceOf = (res: Response) => String(res.locals.cspNonce);

/**
 * helmet, with a policy the app passes: scripts of its own and the inline ones Remix writes
 * with this response's nonce; styles of its own and style attributes (the delivery bars);
 * recordings played back from blob: URLs; no frames, no plugins, forms only to itself.
 * HSTS and upgrading requests only when the install is served over HTTPS by configuration.
 */
export function webSecurityHeaders(options: { https: boolean }): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'", (_req, res) => `'nonce-${nonceOf(res as Response)}'`],
        scriptSrcAttr: ["'none'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        mediaSrc: ["'self'", 'blob:'],
        connectSrc: ["'self'"],
        fontSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        ...(options.https && { upgradeInsecureRequests: [] }),
      },
    },
    xFrameOptions: { action: 'deny' },
    strictTransportSecurity: options.https ? { maxAge: 180 * 24 * 3600, includeSubDomains: false } : false,
    // Same-origin requests keep their Referer (the Origin check's fallback); other sites learn nothing.
    referrerPolicy: { policy: 'same-origin' },
  });
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Refuses actions from other sites (CSRF): a request that changes something must name this
 * site as its Origin (or, from a browser too old to send one, its Referer). The site is the
 * Host the browser asked for, the X-Forwarded-Host a trusted proxy passes on, or
 * LIBRELOG_PUBLIC_URL. A request with neither header and no session cookie is no browser's
 * and goes on.
 */
export function sameOriginActions(options: { publicUrl?: string | undefined }): RequestHandler {
  const publicHost = options.publicUrl ? new URL(options.publicUrl).host : undefined;
  return (req, res, next) => {
    if (SAFE_METHODS.has(req.method)) return next();
    const claimed = req.get('Origin') ?? req.get('Referer');
    if (claimed === undefined && !req.headers.cookie?.includes('__librelog=')) return next();
    let host: string | undefined;
    try {
      host = claimed && claimed !== 'null' ? new URL(claimed).host : undefined;
    } catch {
      host = undefined;
    }
    if (host !== undefined && ownHosts(req, publicHost).includes(host)) return next();
    res.status(403).type('text/plain').send('Refused: this form was sent from another site.');
  };
}

function ownHosts(req: Request, publicHost: string | undefined): string[] {
  const hosts = [req.get('Host'), publicHost];
  const trusted = (req.app.get('trust proxy fn') as ((address: string, hop: number) => boolean) | undefined)?.(req.socket.remoteAddress ?? '', 0);
  if (trusted) hosts.push(req.get('X-Forwarded-Host')?.split(',')[0]?.trim());
  return hosts.filter((h): h is string => !!h);
}

export async function startWeb(options: { port: number; buildDir?: string; db?: Knex }): Promise<RunningWeb> {
  const buildDir = path.resolve(options.buildDir ?? DEFAULT_BUILD_DIR);
  const serverBuildPath = path.join(buildDir, 'server', 'index.js');
  const clientDir = path.join(buildDir, 'client');
  if (!existsSync(serverBuildPath) || !existsSync(clientDir)) {
    throw new WebBuildMissingError(`The web app is not built (${serverBuildPath} is missing): run npm run build:web`);
  }
  const build = (await import(pathToFileURL(serverBuildPath).href)) as ServerBuild;
  const config = loadConfig();
  // Sessions live in PostgreSQL: the database given, else DATABASE_URL's.
  if (options.db) useSessionDatabase(options.db);

  const app = express();
  app.disable('x-powered-by');
  // The browser's address comes from X-Forwarded-For only through proxies named in the configuration.
  app.set('trust proxy', config.trustedProxies.length ? config.trustedProxies : false);
  app.use((_req, res, next) => {
    res.locals.cspNonce = randomBytes(16).toString('base64');
    next();
  });
  app.use(webSecurityHeaders({ https: config.cookieSecure }));
  app.use(sameOriginActions({ publicUrl: config.publicUrl }));
  // Vite fingerprints everything under /assets, so it may be cached for good.
  app.use('/assets', express.static(path.join(clientDir, 'assets'), { immutable: true, maxAge: '1y' }), (_req, res) => {
    res.sendStatus(404);
  });
  app.use(express.static(clientDir, { maxAge: '1h' }));
  // Renew the API token of a session about to lapse before Remix reads it.
  app.use((req, res, next) => {
    renewSessionIfDue(req.headers.cookie, { clientAddress: req.ip }).then((renewed) => {
      if (renewed) res.append('Set-Cookie', renewed.setCookie);
      next();
    }, next);
  });
  const handleRequest = createRequestHandler({
    build,
    mode: process.env.NODE_ENV === 'development' ? 'development' : 'production',
    getLoadContext: (req, res) => ({ cspNonce: nonceOf(res), clientAddress: req.ip }),
  });
  app.all('*', (req, res, next) => {
    handleRequest(req, res, next).catch(next);
  });

  const server = await new Promise<Server>((resolve, reject) => {
    const listening = app.listen(options.port);
    listening.once('listening', () => resolve(listening));
    listening.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;

  let closing: Promise<void> | undefined;
  return {
    url: `http://localhost:${port}`,
    close() {
      closing ??= (async () => {
        await new Promise<void>((resolve, reject) => {
          server.close((error) => (error ? reject(error) : resolve()));
          // Live-update streams stay open for good: end them too.
          server.closeAllConnections();
        });
        await closeSessionDatabase();
      })();
      return closing;
    },
  };
}

async function main(): Promise<void> {
  process.env.NODE_ENV ??= 'production';
  const config = loadConfig();
  checkSecrets(config, ['sessionSecret']);
  if (!config.databaseUrl) throw new ConfigError('DATABASE_URL is not set: the web app keeps its sessions in PostgreSQL, in the same database as the API.');
  const web = await startWeb({ port: config.webPort });
  console.log(`LibreLog web app: ${web.url}`);
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: stopping the web app`);
    web.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

const entry = process.argv[1];
if (entry && import.meta.url === pathToFileURL(path.resolve(entry)).href) {
  main().catch((error: unknown) => {
    console.error(error instanceof ConfigError ? `LibreLog could not start: ${error.message}` : error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
