// createApp(deps) builds the API without listening: the server, the supervisor and the
// tests (supertest) all use the same app.
import express, { type Express } from 'express';
import * as OpenApiValidator from 'express-openapi-validator';
import type { Knex } from 'knex';
import swaggerUi from 'swagger-ui-express';
import { createAuthenticator, securityHandlers } from './auth/authenticate.js';
import { securityDeclarationErrors } from './auth/operations.js';
import { authProblems, TOKEN_PATH } from './auth/problems.js';
import { notFound, problemHandler } from './problem.js';
import { loadApiSpec } from './spec.js';
import { createAuthRouter, type AuthRouterDeps } from './routes/auth.js';
import { createHealthRouter, type TemporalHealthCheck } from './routes/health.js';
import { createLibraryRouter } from './routes/library.js';
import { createLogsRouter, type BroadcastDaysDeps } from './routes/logs.js';
import { createStationsRouter } from './routes/stations.js';
import { bundleBodyParser, createTrafficRouter } from './routes/traffic.js';


export interface AppDeps {
  db: Knex;
  temporal: TemporalHealthCheck;
  temporalUiUrl?: string | undefined;
  /** Signs and verifies access tokens (LIBRELOG_JWT_SECRET). */
  jwtSecret: string;
  /** Attempts at POST /auth/token per client address and per account; 10 a minute by default. */
  tokenRateLimit?: AuthRouterDeps['tokenRateLimit'];
  /** Temporal client and task queue for acting on broadcast days; without it those routes answer 503. */
  broadcastDays?: BroadcastDaysDeps | undefined;
  /** Validate responses against the spec too: on in development and tests, off in production. */
  validateResponses?: boolean;
  log?: (error: unknown) => void;
}

export function createApp(deps: AppDeps): Express {
  const spec = loadApiSpec();
  const securityErrors = securityDeclarationErrors(spec as unknown as Parameters<typeof securityDeclarationErrors>[0]);
  if (securityErrors.length) throw new Error(`api/openapi.yaml: ${securityErrors.join('; ')}`);
  const authenticate = createAuthenticator(deps.db, deps.jwtSecret);
  const app = express();
  app.disable('x-powered-by');
  // nginx in front (docker compose) is on a private network: take the client's address from it.
  app.set('trust proxy', 'loopback, uniquelocal');

  app.get('/api/openapi.json', (_req, res) => {
    res.json(spec);
  });
  app.use('/api/docs', swaggerUi.serve, swaggerUi.setup(spec, { customSiteTitle: 'LibreLog API' }));

  // The public token endpoint takes small bodies only: form-encoded as OAuth2 says
  // (RFC 6749 §4.3.2, §4.4.2), or JSON.
  app.use(TOKEN_PATH, express.urlencoded({ extended: false, limit: '10kb', parameterLimit: 20 }), express.json({ limit: '10kb' }));
  // Small by default; routes that take large documents (bundle import, uploads) set their own limits.
  // A whole station bundle can be tens of megabytes.
  app.use('/api/v1/stations/:station/bundle', bundleBodyParser);
  app.use('/api/v1', express.json({ limit: '1mb' }));
  app.use(
    OpenApiValidator.middleware({
      // A copy: the validator annotates the document it is given.
      apiSpec: structuredClone(spec) as unknown as string,
      validateRequests: { allowUnknownQueryParameters: false, removeAdditional: false },
      validateResponses: deps.validateResponses ?? process.env.NODE_ENV !== 'production',
      ignorePaths: /^\/api\/(docs|openapi\.json)/,
      // Every operation the spec protects is checked here, before its request is validated.
      validateSecurity: { handlers: securityHandlers(authenticate) },
    }),
  );
  app.use('/api/v1', createHealthRouter(deps));
  app.use('/api/v1', createAuthRouter(deps));
  app.use('/api/v1', createLogsRouter(deps));
  app.use('/api/v1', createStationsRouter(deps));
  app.use('/api/v1', createLibraryRouter(deps));
  app.use('/api/v1', createTrafficRouter(deps));
  app.use(notFound);
  app.use(authProblems());
  app.use(problemHandler(deps.log));
  return app;
}
