// Serves the built web app (npm run build:web) with Express.
// `tsx web/server.ts` starts it on WEB_PORT; `startWeb()` lets the supervisor and tests run it in-process.
import { createRequestHandler } from '@remix-run/express';
import type { ServerBuild } from '@remix-run/node';
import express from 'express';
import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { loadConfig } from '../config/env.js';
import { renewSessionIfDue } from './app/lib/session-refresh.server.js';
import { overHttps } from './app/lib/session.server.js';

export const DEFAULT_BUILD_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'build');

export class WebBuildMissingError extends Error {
  override name = 'WebBuildMissingError';
}

export interface RunningWeb {
  url: string;
  close(): Promise<void>;
}

export async function startWeb(options: { port: number; buildDir?: string }): Promise<RunningWeb> {
  const buildDir = path.resolve(options.buildDir ?? DEFAULT_BUILD_DIR);
  const serverBuildPath = path.join(buildDir, 'server', 'index.js');
  const clientDir = path.join(buildDir, 'client');
  if (!existsSync(serverBuildPath) || !existsSync(clientDir)) {
    throw new WebBuildMissingError(`The web app is not built (${serverBuildPath} is missing): run npm run build:web`);
  }
  const build = (await import(pathToFileURL(serverBuildPath).href)) as ServerBuild;

  const app = express();
  app.disable('x-powered-by');
  // Vite fingerprints everything under /assets, so it may be cached for good.
  app.use('/assets', express.static(path.join(clientDir, 'assets'), { immutable: true, maxAge: '1y' }), (_req, res) => {
    res.sendStatus(404);
  });
  app.use(express.static(clientDir, { maxAge: '1h' }));
  // Renew the API token of a session about to lapse before Remix reads it.
  app.use((req, res, next) => {
    renewSessionIfDue(req.headers.cookie, { secure: overHttps(`${req.protocol}://x`, req.get('X-Forwarded-Proto')) }).then((renewed) => {
      if (renewed) {
        req.headers.cookie = req.headers.cookie!.replace(/__librelog=[^;]*/, renewed.cookie);
        res.append('Set-Cookie', renewed.setCookie);
      }
      next();
    }, next);
  });
  const handleRequest = createRequestHandler({ build, mode: process.env.NODE_ENV === 'development' ? 'development' : 'production' });
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
      })();
      return closing;
    },
  };
}

async function main(): Promise<void> {
  process.env.NODE_ENV ??= 'production';
  const web = await startWeb({ port: loadConfig().webPort });
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
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
