// Configuration by environment only: the one place that reads process.env.
// Every variable is documented in README.md ("Configuration").
import { isIP } from 'node:net';
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
  /**
   * Proxies whose X-Forwarded-For the API and the web app believe (Express `trust proxy`
   * syntax: addresses, CIDR ranges, `loopback`, `linklocal`, `uniquelocal`); none by default.
   */
  trustedProxies: string[];
  /** Where people reach the web app (https://librelog.example.org); its origin is the one web forms may come from. */
  publicUrl: string | undefined;
  /** Session cookies marked Secure (and HSTS sent): LIBRELOG_COOKIE_SECURE, else whether publicUrl is https. */
  cookieSecure: boolean;
  /** Explicit path to the `temporal` CLI binary. */
  temporalCli: string | undefined;
  /** Largest audio upload the API takes (voice tracks), in bytes. */
  maxUploadBytes: number;
  /** The worker's pre-built workflow bundle; unset: build/workflow-bundle.js if it exists. */
  workflowBundle: string | undefined;
  /**
   * TLS to the Temporal frontend (paths of PEM files); undefined for plain gRPC, as the dev
   * server speaks. temporal/connection.ts reads the files.
   */
  temporalTls: TemporalTlsSettings | undefined;
  /** Temporal Cloud API key, sent as `Authorization: Bearer …`. */
  temporalApiKey: string | undefined;
  worker: WorkerTuning;
  /** Most PostgreSQL connections one process keeps open. */
  databasePoolMax: number;
}

export interface TemporalTlsSettings {
  /** CA that signed the server's certificate; without it the system's CAs are trusted. */
  caFile?: string;
  /** Client certificate and key for mTLS: both or neither. */
  certFile?: string;
  keyFile?: string;
  /** Name checked against the server's certificate (and sent as SNI) instead of the address's host. */
  serverName?: string;
}

/** How much one worker takes on at once, and how long it lets running work finish when told to stop. */
export interface WorkerTuning {
  maxActivities: number;
  maxLocalActivities: number;
  maxWorkflowTasks: number;
  shutdownGraceSeconds: number;
}

/** Sized for one worker on a small machine serving a handful of stations (docs/deployment.md). */
export const WORKER_DEFAULTS: WorkerTuning = { maxActivities: 10, maxLocalActivities: 10, maxWorkflowTasks: 40, shutdownGraceSeconds: 20 };

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** The shortest LIBRELOG_JWT_SECRET and LIBRELOG_SESSION_SECRET a server starts with. */
export const MIN_SECRET_LENGTH = 32;

const SECRETS = {
  jwtSecret: { name: 'LIBRELOG_JWT_SECRET', signs: 'every access token of the API, so whoever guesses it can sign in as anyone' },
  sessionSecret: { name: 'LIBRELOG_SESSION_SECRET', signs: "the web app's session cookies and encrypts what the sessions hold" },
} as const;

/**
 * The secrets a server needs, checked as it starts: set, and at least MIN_SECRET_LENGTH
 * characters. A ConfigError says in one paragraph which one, why and how to make a good one.
 */
export function checkSecrets(config: Pick<Config, 'jwtSecret' | 'sessionSecret'>, needed: readonly (keyof typeof SECRETS)[]): void {
  for (const key of needed) {
    const { name, signs } = SECRETS[key];
    const value = config[key];
    const problem = value === undefined ? 'is not set' : value.length < MIN_SECRET_LENGTH ? `is only ${value.length} characters long` : undefined;
    if (!problem) continue;
    throw new ConfigError(
      `${name} ${problem}. It signs ${signs}: it must be at least ${MIN_SECRET_LENGTH} characters of random text. ` +
        `Make one with \`openssl rand -hex 32\` and set ${name} to it (in .env for Docker Compose); ` +
        `\`npm start\` without it makes one and keeps it in the data folder.`,
    );
  }
}

// Express's `trust proxy` names for address ranges.
const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

function trustedProxies(env: Env): string[] {
  const raw = optional(env, 'LIBRELOG_TRUSTED_PROXIES');
  if (raw === undefined) return [];
  const entries = raw.split(',').map((entry) => entry.trim()).filter(Boolean);
  for (const entry of entries) {
    const [address = '', bits, extra] = entry.split('/');
    const family = isIP(address);
    const maxBits = family === 4 ? 32 : 128;
    const validBits = bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= maxBits);
    if (!PROXY_NAMES.has(entry) && (family === 0 || !validBits || extra !== undefined)) {
      throw new ConfigError(`LIBRELOG_TRUSTED_PROXIES must list addresses, CIDR ranges (10.0.0.0/8) or loopback, linklocal, uniquelocal, separated by commas; "${entry}" is none of these`);
    }
  }
  return entries;
}

function publicUrl(env: Env): string | undefined {
  const raw = optional(env, 'LIBRELOG_PUBLIC_URL');
  if (raw === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`LIBRELOG_PUBLIC_URL must be the web app's address, like https://librelog.example.org, got "${raw}"`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new ConfigError(`LIBRELOG_PUBLIC_URL must be an http:// or https:// address, got "${raw}"`);
  return url.origin;
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

function integer(env: Env, name: string, fallback: number, min: number, max: number, unit: string): number {
  const raw = optional(env, name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) throw new ConfigError(`${name} must be a whole number of ${unit} (${min}-${max}), got "${raw}"`);
  return value;
}

function flag(env: Env, name: string): boolean | undefined {
  const raw = optional(env, name);
  if (raw === undefined) return undefined;
  if (/^(true|1|yes)$/i.test(raw)) return true;
  if (/^(false|0|no)$/i.test(raw)) return false;
  throw new ConfigError(`${name} must be true or false, got "${raw}"`);
}

/**
 * TLS is on when TEMPORAL_TLS says so or when anything only TLS uses is set (a CA, a client
 * certificate, a server name, an API key). TEMPORAL_TLS=false with a certificate setting is a
 * contradiction; with an API key alone it is allowed (something in between adds the TLS).
 */
function temporalTls(env: Env, temporalAddress: string | undefined, apiKey: string | undefined): TemporalTlsSettings | undefined {
  const files = { caFile: 'TEMPORAL_TLS_CA', certFile: 'TEMPORAL_TLS_CERT', keyFile: 'TEMPORAL_TLS_KEY' } as const;
  const settings: TemporalTlsSettings = {};
  for (const [key, name] of Object.entries(files) as [keyof typeof files, string][]) {
    const value = optional(env, name);
    if (value !== undefined) settings[key] = path.resolve(value);
  }
  const serverName = optional(env, 'TEMPORAL_TLS_SERVER_NAME');
  if (serverName !== undefined) settings.serverName = serverName;
  if ((settings.certFile === undefined) !== (settings.keyFile === undefined)) {
    throw new ConfigError(`${settings.certFile ? 'TEMPORAL_TLS_CERT is set without TEMPORAL_TLS_KEY' : 'TEMPORAL_TLS_KEY is set without TEMPORAL_TLS_CERT'}: a client certificate needs both`);
  }
  const named = Object.entries({ ...files, serverName: 'TEMPORAL_TLS_SERVER_NAME' }).filter(([key]) => key in settings).map(([, name]) => name);
  const enabled = flag(env, 'TEMPORAL_TLS');
  if (enabled === false && named.length > 0) throw new ConfigError(`TEMPORAL_TLS is false but ${named.join(', ')} ${named.length > 1 ? 'are' : 'is'} set`);
  const on = enabled ?? (named.length > 0 || apiKey !== undefined);
  if (on && temporalAddress === undefined) {
    throw new ConfigError(`${enabled ? 'TEMPORAL_TLS' : (named[0] ?? 'TEMPORAL_API_KEY')} needs TEMPORAL_ADDRESS: the Temporal dev server LibreLog starts without it speaks no TLS`);
  }
  return on ? settings : undefined;
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
  const temporalAddress = optional(env, 'TEMPORAL_ADDRESS');
  const webUrl = publicUrl(env);
  const temporalApiKey = optional(env, 'TEMPORAL_API_KEY');
  const worker: WorkerTuning = {
    maxActivities: integer(env, 'LIBRELOG_WORKER_ACTIVITIES', WORKER_DEFAULTS.maxActivities, 1, 1000, 'activities'),
    maxLocalActivities: integer(env, 'LIBRELOG_WORKER_LOCAL_ACTIVITIES', WORKER_DEFAULTS.maxLocalActivities, 1, 1000, 'local activities'),
    // Temporal polls for workflow tasks on a sticky and a normal queue: fewer than 2 slots stalls it.
    maxWorkflowTasks: integer(env, 'LIBRELOG_WORKER_WORKFLOW_TASKS', WORKER_DEFAULTS.maxWorkflowTasks, 2, 1000, 'workflow tasks'),
    shutdownGraceSeconds: integer(env, 'LIBRELOG_SHUTDOWN_GRACE_SECONDS', WORKER_DEFAULTS.shutdownGraceSeconds, 0, 3600, 'seconds'),
  };
  return {
    dataDir,
    databaseUrl,
    pgPort: port(env, 'PG_PORT', 5433),
    temporalAddress,
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
    trustedProxies: trustedProxies(env),
    publicUrl: webUrl,
    cookieSecure: flag(env, 'LIBRELOG_COOKIE_SECURE') ?? webUrl?.startsWith('https:') ?? false,
    temporalCli: optional(env, 'TEMPORAL_CLI'),
    maxUploadBytes: megabytes(env, 'LIBRELOG_MAX_UPLOAD_MB', 50),
    workflowBundle: optional(env, 'LIBRELOG_WORKFLOW_BUNDLE'),
    temporalTls: temporalTls(env, temporalAddress, temporalApiKey),
    temporalApiKey,
    worker,
    // Every activity and local activity may hold a connection, plus a few for the rest.
    databasePoolMax: integer(env, 'DATABASE_POOL_MAX', worker.maxActivities + worker.maxLocalActivities + 5, 1, 1000, 'connections'),
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
  'LIBRELOG_TRUSTED_PROXIES',
  'LIBRELOG_PUBLIC_URL',
  'LIBRELOG_COOKIE_SECURE',
  'TEMPORAL_CLI',
  'LIBRELOG_MAX_UPLOAD_MB',
  'LIBRELOG_WORKFLOW_BUNDLE',
  'TEMPORAL_TLS',
  'TEMPORAL_TLS_CA',
  'TEMPORAL_TLS_CERT',
  'TEMPORAL_TLS_KEY',
  'TEMPORAL_TLS_SERVER_NAME',
  'TEMPORAL_API_KEY',
  'LIBRELOG_WORKER_ACTIVITIES',
  'LIBRELOG_WORKER_LOCAL_ACTIVITIES',
  'LIBRELOG_WORKER_WORKFLOW_TASKS',
  'LIBRELOG_SHUTDOWN_GRACE_SECONDS',
  'DATABASE_POOL_MAX',
] as const;
