// createApp(deps) builds the API without listening: the server, the supervisor and the
// tests (supertest) all use the same app.
import express, { type Express } from 'express';
import * as OpenApiValidator from 'express-openapi-validator';
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import swaggerUi from 'swagger-ui-express';
import { createAuthenticator, securityHandlers } from './auth/authenticate.js';
import { accessGate } from './auth/gate.js';
import { jsonBody } from './body-parsers.js';
import { securityDeclarationErrors } from './auth/operations.js';
import { authProblems, TOKEN_PATH } from './auth/problems.js';
import { isCalendarDate } from '../domain/calendar-date.js';
import { inputGuards } from './input-guards.js';
import { notFound, problemHandler, reportResponseBreach } from './problem.js';
import { optionsFromSpec } from './options.js';
import { loadApiSpec } from './spec.js';
import { keepCompiledValidatorRoutes } from './validator-routes.js';
import { createAffidavitsRouter } from './routes/affidavits.js';
import { createAuthRouter } from './routes/auth.js';
import { createHealthRouter } from './routes/health.js';
import { createLibraryRouter } from './routes/library.js';
import { createTrackUploadRouter } from './routes/track-upload.js';
import { createLogsRouter } from './routes/logs.js';
import { createMakeGoodsRouter } from './routes/make-goods.js';
import { createAsRunRouter } from './routes/as-run.js';
import { createAvailsRouter } from './routes/avails.js';
import { createPeopleRouter } from './routes/people.js';
import { createReconciliationRouter } from './routes/reconciliation.js';
import { createReportsRouter } from './routes/reports.js';
import { createStationsRouter } from './routes/stations.js';
import { bundleBodyParser, createTrafficRouter } from './routes/traffic.js';
import { createVoiceTracksRouter, removeLeftoverUploads } from './routes/voice-tracks.js';
import { apiSecurityHeaders } from './security-headers.js';
import type { AppDeps } from './deps.js';

export type { AppDeps } from './deps.js';



export function createApp(deps: AppDeps): Express {
  keepCompiledValidatorRoutes();
  const spec = loadApiSpec();
  const securityErrors = securityDeclarationErrors(spec as unknown as Parameters<typeof securityDeclarationErrors>[0]);
  if (securityErrors.length) throw new Error(`api/openapi.yaml: ${securityErrors.join('; ')}`);
  const authenticate = createAuthenticator(deps.db, deps.jwtSecret, deps.accessChanges);
  const app = express();
  app.disable('x-powered-by');
  // The client's address comes from X-Forwarded-For only through proxies named in the configuration.
  app.set('trust proxy', deps.trustedProxies?.length ? [...deps.trustedProxies] : false);
  app.use(apiSecurityHeaders({ https: deps.https ?? false }));

  // OPTIONS answers from the document, before anything else can answer it from Express's routes.
  app.options('/api/v1/*', optionsFromSpec(spec));
  app.get('/api/openapi.json', (_req, res) => {
    res.json(spec);
  });
  app.use('/api/docs', swaggerUi.serve, swaggerUi.setup(spec, { customSiteTitle: 'LibreLog API' }));

  // The public token endpoint takes small bodies only: form-encoded as OAuth2 says
  // (RFC 6749 §4.3.2, §4.4.2), or JSON.
  app.use(TOKEN_PATH, express.urlencoded({ extended: false, limit: '10kb', parameterLimit: 20 }), jsonBody('10kb'));
  // Who is calling and whether they may, before any other body is read or inflated.
  app.use('/api/v1', accessGate(deps.db, spec as unknown as Parameters<typeof accessGate>[1], authenticate, deps.accessChanges));
  // Small by default; routes that take large documents (bundle import, uploads) set their own limits.
  // A whole station bundle can be tens of megabytes.
  app.use('/api/v1/stations/:station/bundle', bundleBodyParser);
  // An as-run file is sent as it is (CSV, a Rivendell export).
  app.use('/api/v1/stations/:station/logs/:date/as-run', express.text({ type: ['text/csv', 'text/plain'], limit: '10mb' }));
  app.use('/api/v1', jsonBody('1mb'));
  // Multipart uploads go to disk (never whole into memory); whatever a handler did not keep is deleted.
  const uploads = path.join(deps.dataDir ?? tmpdir(), 'uploads');
  mkdirSync(uploads, { recursive: true });
  app.use('/api/v1', (req, res, next) => {
    res.once('close', () => void removeLeftoverUploads(req));
    next();
  });
  // Text without NUL or U+FFFD, UTF-8 percent-encoding, JSON of a sane depth: 400 naming the field.
  app.use('/api/v1', inputGuards());
  app.use(
    OpenApiValidator.middleware({
      // A copy: the validator annotates the document it is given.
      apiSpec: structuredClone(spec) as unknown as string,
      validateRequests: { allowUnknownQueryParameters: false, removeAdditional: false },
      // A breach is thrown as ResponseBreach, told apart from a multipart body that does not parse.
      validateResponses: (deps.validateResponses ?? process.env.NODE_ENV !== 'production') && { onError: reportResponseBreach },
      // Formats checked in full (a date is a day that exists, 2024-02-30 is not); `date` as LibreLog takes it.
      validateFormats: true,
      ajvFormats: { mode: 'full' },
      formats: { date: { type: 'string', validate: isCalendarDate } },
      ignorePaths: /^\/api\/(docs|openapi\.json)/,
      // The access gate checked every operation the spec protects; this only confirms it did.
      validateSecurity: { handlers: securityHandlers() },
      // Only operations whose spec takes multipart/form-data get here: a voice track is one file
      // (its handler refuses more), a library upload up to 20; each at most maxUploadBytes.
      fileUploader: { dest: uploads, limits: { fileSize: deps.maxUploadBytes ?? 50 * 1024 * 1024, files: 20, fields: 10, parts: 30, fieldSize: 10_000 } },
    }),
  );
  app.use('/api/v1', createHealthRouter(deps));
  app.use('/api/v1', createAuthRouter(deps));
  app.use('/api/v1', createLogsRouter(deps));
  app.use('/api/v1', createStationsRouter(deps));
  app.use('/api/v1', createPeopleRouter(deps));
  app.use('/api/v1', createTrackUploadRouter(deps));
  app.use('/api/v1', createLibraryRouter(deps));
  app.use('/api/v1', createTrafficRouter(deps));
  app.use('/api/v1', createMakeGoodsRouter(deps));
  app.use('/api/v1', createAsRunRouter(deps));
  app.use('/api/v1', createVoiceTracksRouter(deps));
  app.use('/api/v1', createReportsRouter(deps));
  app.use('/api/v1', createAffidavitsRouter(deps));
  app.use('/api/v1', createReconciliationRouter(deps));
  app.use('/api/v1', createAvailsRouter(deps));
  app.use(notFound);
  app.use(authProblems());
  app.use(problemHandler(deps.log));
  return app;
}
