// createApp(deps) builds the API without listening: the server, the supervisor and the
// tests (supertest) all use the same app.
import express, { type Express } from 'express';
import * as OpenApiValidator from 'express-openapi-validator';
import type { Knex } from 'knex';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import swaggerUi from 'swagger-ui-express';
import { parse } from 'yaml';
import { notFound, problemHandler } from './problem.js';
import { createHealthRouter, type TemporalHealthCheck } from './routes/health.js';

export const OPENAPI_PATH = fileURLToPath(new URL('./openapi.yaml', import.meta.url));

export interface AppDeps {
  db: Knex;
  temporal: TemporalHealthCheck;
  temporalUiUrl?: string | undefined;
  /** Validate responses against the spec too: on in development and tests, off in production. */
  validateResponses?: boolean;
  log?: (error: unknown) => void;
}

export function createApp(deps: AppDeps): Express {
  const spec = parse(readFileSync(OPENAPI_PATH, 'utf8')) as Record<string, unknown>;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');

  app.get('/api/openapi.json', (_req, res) => {
    res.json(spec);
  });
  app.use('/api/docs', swaggerUi.serve, swaggerUi.setup(spec, { customSiteTitle: 'LibreLog API' }));

  app.use('/api/v1', express.json({ limit: '25mb' }));
  app.use(
    OpenApiValidator.middleware({
      apiSpec: OPENAPI_PATH,
      validateRequests: { allowUnknownQueryParameters: false, removeAdditional: false },
      validateResponses: deps.validateResponses ?? process.env.NODE_ENV !== 'production',
      ignorePaths: /^\/api\/(docs|openapi\.json)/,
    }),
  );
  app.use('/api/v1', createHealthRouter(deps));
  app.use(notFound);
  app.use(problemHandler(deps.log));
  return app;
}
