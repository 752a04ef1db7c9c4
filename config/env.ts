// Configuration by environment only: the one place that reads process.env.
// Every variable is documented in README.md ("Configuration").
import path from 'node:path';

export interface Config {
  /** Where embedded PostgreSQL, the Temporal SQLite file and published logs live. */
  dataDir: string;
  /** External PostgreSQL; when unset, an embedded server is started on `pgPort`. */
  databaseUrl: string | undefined;
  pgPort: number;
  /** External Temporal frontend (host:port); when unset, the CLI dev server is started. */
  temporalAddress: string | undefined;
  temporalNamespace: string;
  temporalPort: number;
  temporalUiPort: number;
  /** Public URL of Temporal UI, used for links from the API and web app. */
  temporalUiUrl: string;
  taskQueue: string;
  webPort: number;
  apiPort: number;
  /** Base URL the web app uses to reach the API (server side). */
  apiUrl: string;
  adminEmail: string;
  adminPassword: string | undefined;
  jwtSecret: string | undefined;
  /** Signs the web app's session cookies. */
  sessionSecret: string | undefined;
  /** Explicit path to the `temporal` CLI binary. */
  temporalCli: string | undefined;
  /** Largest audio upload the API takes (voice tracks), in bytes. */
  maxUploadBytes: number;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Env = Record<string, string | undefined>;

function port(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 65535) {
    throw new ConfigError(`${name} must be a TCP port (1-65535), got "${raw}"`);
  }
  return value;
}

function megabytes(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback * 1024 * 1024;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0 || value > 2048) throw new ConfigError(`${name} must be a number of megabytes (above 0, at most 2048), got "${raw}"`);
  return Math.round(value * 1024 * 1024);
}

function optional(env: Env, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

export function loadConfig(env: Env = process.env): Config {
  const dataDir = path.resolve(optional(env, 'LIBRELOG_DATA_DIR') ?? '.data');
  const temporalPort = port(env, 'TEMPORAL_PORT', 7233);
  const temporalUiPort = port(env, 'TEMPORAL_UI_PORT', 8233);
  const apiPort = port(env, 'API_PORT', 3001);
  const databaseUrl = optional(env, 'DATABASE_URL');
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL must be a postgres:// or postgresql:// URL');
  }
  return {
    dataDir,
    databaseUrl,
    pgPort: port(env, 'PG_PORT', 5433),
    temporalAddress: optional(env, 'TEMPORAL_ADDRESS'),
    temporalNamespace: optional(env, 'TEMPORAL_NAMESPACE') ?? 'default',
    temporalPort,
    temporalUiPort,
    temporalUiUrl: optional(env, 'TEMPORAL_UI_URL') ?? `http://localhost:${temporalUiPort}`,
    taskQueue: optional(env, 'LIBRELOG_TASK_QUEUE') ?? 'librelog',
    webPort: port(env, 'WEB_PORT', 3000),
    apiPort,
    apiUrl: optional(env, 'API_URL') ?? `http://localhost:${apiPort}`,
    adminEmail: optional(env, 'LIBRELOG_ADMIN_EMAIL') ?? 'admin@librelog.local',
    adminPassword: optional(env, 'LIBRELOG_ADMIN_PASSWORD'),
    jwtSecret: optional(env, 'LIBRELOG_JWT_SECRET'),
    sessionSecret: optional(env, 'LIBRELOG_SESSION_SECRET'),
    temporalCli: optional(env, 'TEMPORAL_CLI'),
    maxUploadBytes: megabytes(env, 'LIBRELOG_MAX_UPLOAD_MB', 50),
  };
}

/** The variables every part reads, for docs and the deployment test. */
export const CONFIG_VARIABLES = [
  'LIBRELOG_DATA_DIR',
  'DATABASE_URL',
  'PG_PORT',
  'TEMPORAL_ADDRESS',
  'TEMPORAL_NAMESPACE',
  'TEMPORAL_PORT',
  'TEMPORAL_UI_PORT',
  'TEMPORAL_UI_URL',
  'LIBRELOG_TASK_QUEUE',
  'WEB_PORT',
  'API_PORT',
  'API_URL',
  'LIBRELOG_ADMIN_EMAIL',
  'LIBRELOG_ADMIN_PASSWORD',
  'LIBRELOG_JWT_SECRET',
  'LIBRELOG_SESSION_SECRET',
  'TEMPORAL_CLI',
  'LIBRELOG_MAX_UPLOAD_MB',
] as const;
