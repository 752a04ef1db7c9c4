// What the API is made with (createApp's dependencies), apart from api/app.ts so the routers
// that take them need not import the file that mounts them.
import type { Knex } from 'knex';
import type { AccessChanges } from '../db/access-changes.js';
import type { AuthRouterDeps } from './routes/auth.js';
import type { TemporalHealthCheck } from './routes/health.js';
import type { BroadcastDaysDeps } from './routes/logs.js';

export interface AppDeps {
  db: Knex;
  temporal: TemporalHealthCheck;
  temporalUiUrl?: string | undefined;
  /** Signs and verifies access tokens (LIBRELOG_JWT_SECRET). */
  jwtSecret: string;
  /** The backoff of failed sign-ins per account and per client address (rate-limit.ts has the defaults). */
  signInGuards?: AuthRouterDeps['signInGuards'];
  /** Proxies whose X-Forwarded-For is believed (LIBRELOG_TRUSTED_PROXIES; the web server is one); none by default. */
  trustedProxies?: readonly string[];
  /** Served over HTTPS (LIBRELOG_COOKIE_SECURE / an https LIBRELOG_PUBLIC_URL): send HSTS. */
  https?: boolean;
  /** Temporal client and task queue for acting on broadcast days; without it those routes answer 503. */
  broadcastDays?: BroadcastDaysDeps | undefined;
  /** The data folder: voice audio is kept under media/, uploads arrive in uploads/. Without it uploads answer 503. */
  dataDir?: string | undefined;
  /** Largest audio upload, in bytes (LIBRELOG_MAX_UPLOAD_MB; 50 MB by default). */
  maxUploadBytes?: number;
  /** Validate responses against the spec too: on in development and tests, off in production. */
  validateResponses?: boolean;
  log?: (error: unknown) => void;
  /**
   * Notices of changes to accounts, clients, roles and stations (startApi listens for them):
   * with them, who may do what is cached between changes; without, read on every request.
   */
  accessChanges?: AccessChanges | undefined;
  /** How long "test connection" waits for LibreTime or AzuraCast, per request (5 s unless told). */
  connectionTestTimeoutMs?: number | undefined;
}
