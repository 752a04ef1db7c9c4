// The production deployment (Dockerfile, docker-compose.yml, deploy/nginx.conf) read the way
// the station's engineer runs it: the compose file interpolated with deploy/.env.example, its
// secrets filled in. Nothing here starts Docker; it checks that the parts agree with each other
// and with config/env.ts, which is where a broken deployment usually hides.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CONFIG_VARIABLES, loadConfig } from '../../config/env.js';
import { SEARCH_ATTRIBUTES } from '../../temporal/search-attributes.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');

// --- docker-compose.yml, interpolated like `docker compose` does -----------------------------

type Env = Record<string, string>;
interface DependsOn {
  condition?: string;
  required?: boolean;
}
interface Service {
  image?: string;
  build?: string | { context?: string; dockerfile?: string };
  command?: string | string[];
  environment?: Env | string[];
  healthcheck?: { test?: string | string[]; disable?: boolean };
  depends_on?: string[] | Record<string, DependsOn>;
  volumes?: (string | { source?: string; target?: string })[];
  ports?: (string | { target?: number; published?: string | number })[];
  profiles?: string[];
  restart?: string;
  stop_grace_period?: string;
}
interface ComposeFile {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
}

/** Compose interpolation: $$, $VAR, ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?error}, ${VAR?error}, nested. */
function interpolate(text: string, env: Env): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const char = text[i];
    if (char !== '$') {
      out += char;
      i += 1;
      continue;
    }
    const next = text[i + 1];
    if (next === '$') {
      out += '$';
      i += 2;
    } else if (next === '{') {
      let depth = 1;
      let end = i + 2;
      for (; end < text.length && depth > 0; end++) {
        if (text[end] === '{') depth++;
        if (text[end] === '}') depth--;
      }
      out += substitute(text.slice(i + 2, end - 1), env);
      i = end;
    } else {
      const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i + 1))?.[0];
      out += name ? (env[name] ?? '') : '$';
      i += 1 + (name?.length ?? 0);
    }
  }
  return out;
}

function substitute(expression: string, env: Env): string {
  const match = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?)([-?+])([\s\S]*))?$/.exec(expression);
  if (!match) throw new Error(`unsupported interpolation \${${expression}}`);
  const [, name = '', colon, operator, operand = ''] = match;
  const value = env[name];
  const missing = colon ? value === undefined || value === '' : value === undefined;
  if (operator === '-') return missing ? interpolate(operand, env) : (value ?? '');
  if (operator === '?') {
    if (missing) throw new Error(`required variable ${name} is missing a value: ${interpolate(operand, env)}`);
    return value ?? '';
  }
  if (operator === '+') return missing ? '' : interpolate(operand, env);
  return value ?? '';
}

/** Interpolates every string value (compose never interpolates keys). */
function interpolateAll(value: unknown, env: Env): unknown {
  if (typeof value === 'string') return interpolate(value, env);
  if (Array.isArray(value)) return value.map((item) => interpolateAll(item, env));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, interpolateAll(item, env)]));
  }
  return value;
}

function parseDotEnv(text: string): Env {
  const env: Env = {};
  for (const line of text.split('\n')) {
    const match = /^\s*([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (match?.[1]) env[match[1]] = (match[2] ?? '').trim();
  }
  return env;
}

const COMPOSE_TEXT = read('docker-compose.yml');
const ENV_EXAMPLE = parseDotEnv(read('deploy/.env.example'));
/** The station's .env: the example with every blank secret filled in. */
const STATION_ENV: Env = Object.fromEntries(Object.entries(ENV_EXAMPLE).map(([key, value]) => [key, value || `${key.toLowerCase()}-0123abcd`]));
const loadCompose = (env: Env) => interpolateAll(parse(COMPOSE_TEXT, { merge: true }) as unknown, env) as ComposeFile;
const compose = loadCompose(STATION_ENV);

function service(name: string): Service {
  const found = compose.services[name];
  if (!found) throw new Error(`docker-compose.yml has no service "${name}"`);
  return found;
}

function environmentOf(name: string): Env {
  const environment = service(name).environment ?? {};
  if (!Array.isArray(environment)) return Object.fromEntries(Object.entries(environment).map(([key, value]) => [key, String(value)]));
  return Object.fromEntries(environment.map((entry) => [entry.split('=')[0] ?? '', entry.split('=').slice(1).join('=')]));
}

function dependsOn(name: string): Record<string, DependsOn> {
  const deps = service(name).depends_on ?? {};
  return Array.isArray(deps) ? Object.fromEntries(deps.map((dep) => [dep, { condition: 'service_started' }])) : deps;
}

/** Services others wait for to *complete*: one-shot jobs, not long-running services. */
const ONE_SHOTS = new Set(
  Object.keys(compose.services).flatMap((name) =>
    Object.entries(dependsOn(name))
      .filter(([, dep]) => dep.condition === 'service_completed_successfully')
      .map(([dependency]) => dependency),
  ),
);

const APP_SERVICES = { migrate: 'migrate', worker: 'worker', api: 'api', web: 'web' } as const;
const REQUIRED_SERVICES = ['postgres', 'temporal', 'temporal-ui', 'migrate', 'worker', 'api', 'web', 'nginx'];
/** Temporal's documented default frontend gRPC port. */
const TEMPORAL_FRONTEND_DEFAULT_PORT = 7233;

// --- deploy/nginx.conf --------------------------------------------------------------------------

interface Directive {
  name: string;
  args: string[];
  block?: Directive[];
}

function parseNginx(text: string): Directive[] {
  const tokens = text.replace(/#[^\n]*/g, '').match(/"(?:\\.|[^"])*"|'(?:\\.|[^'])*'|[{};]|[^\s{};]+/g) ?? [];
  let position = 0;
  const block = (): Directive[] => {
    const directives: Directive[] = [];
    while (position < tokens.length) {
      const token = tokens[position++];
      if (token === '}') return directives;
      if (token === undefined || token === ';' || token === '{') continue;
      const args: string[] = [];
      while (position < tokens.length && !['{', ';'].includes(tokens[position] ?? '')) args.push((tokens[position++] ?? '').replace(/^["']|["']$/g, ''));
      const end = tokens[position++];
      directives.push(end === '{' ? { name: token, args, block: block() } : { name: token, args });
    }
    return directives;
  };
  return block();
}

const find = (directives: Directive[] | undefined, name: string) => (directives ?? []).filter((directive) => directive.name === name);
const nginx = parseNginx(read('deploy/nginx.conf'));
const http = find(nginx, 'http')[0]?.block;
const server = find(http, 'server')[0]?.block;

function location(prefix: string): Directive[] {
  const found = find(server, 'location').find((directive) => directive.args.length === 1 && directive.args[0] === prefix);
  if (!found?.block) throw new Error(`nginx.conf has no "location ${prefix}"`);
  return found.block;
}

/** The host:port nginx sends `location prefix` to, through an upstream block if it names one. */
function proxiedTo(prefix: string): string {
  const target = find(location(prefix), 'proxy_pass')[0]?.args[0] ?? '';
  const host = target.replace(/^https?:\/\//, '').replace(/\/.*$/, '');
  const upstream = find(http, 'upstream').find((directive) => directive.args[0] === host);
  return upstream ? (find(upstream.block, 'server')[0]?.args[0] ?? '') : host;
}

/** proxy_set_header values in effect for a location (nginx inherits them only if it sets none). */
function proxyHeaders(prefix: string): Map<string, string> {
  const own = find(location(prefix), 'proxy_set_header');
  const effective = own.length > 0 ? own : find(server, 'proxy_set_header');
  return new Map(effective.map((directive) => [directive.args[0]?.toLowerCase() ?? '', directive.args[1] ?? '']));
}

function sizeInBytes(size: string): number {
  const match = /^(\d+)([kmg]?)$/i.exec(size);
  if (!match) return 0;
  const unit = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[(match[2] ?? '').toLowerCase()] ?? 0;
  return Number(match[1]) * unit;
}

// --- Dockerfile ---------------------------------------------------------------------------------

function dockerfileStages(): string[][] {
  const instructions = read('Dockerfile')
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
  const stages: string[][] = [];
  for (const instruction of instructions) {
    if (/^FROM\s/i.test(instruction)) stages.push([]);
    stages.at(-1)?.push(instruction);
  }
  return stages;
}

// --- the tests ----------------------------------------------------------------------------------

describe('the production deployment with docker compose', () => {
  it('runs every part of LibreLog and everything it needs', () => {
    expect(Object.keys(compose.services)).toEqual(expect.arrayContaining(REQUIRED_SERVICES));
  });

  it('tells Docker how to see that each long-running service is healthy', () => {
    for (const [name, definition] of Object.entries(compose.services)) {
      if (ONE_SHOTS.has(name)) {
        expect(definition.restart, `${name} runs once`).toBe('no');
        continue;
      }
      expect(definition.healthcheck?.test, `${name} has a healthcheck`).toBeDefined();
      expect(definition.healthcheck?.disable, `${name}'s healthcheck is on`).not.toBe(true);
    }
    expect([...ONE_SHOTS]).toContain('migrate');
  });

  it("checks the app's health with scripts/healthcheck.ts for the right part", () => {
    expect(existsSync(path.join(ROOT, 'scripts/healthcheck.ts'))).toBe(true);
    for (const part of ['worker', 'api', 'web']) {
      const test = service(part).healthcheck?.test;
      expect(test, part).toEqual(expect.arrayContaining(['scripts/healthcheck.ts', part]));
    }
  });

  it('builds one image from the Dockerfile for the worker, API, web app and migrations', () => {
    const images = new Set<string | undefined>();
    for (const name of Object.keys(APP_SERVICES)) {
      const { build, image } = service(name);
      const context = typeof build === 'string' ? build : build?.context;
      const dockerfile = (typeof build === 'object' && build.dockerfile) || 'Dockerfile';
      expect(context, `${name} is built from this repository`).toBeDefined();
      expect(path.resolve(ROOT, context ?? '', dockerfile)).toBe(path.join(ROOT, 'Dockerfile'));
      images.add(image);
    }
    expect(images.size).toBe(1);
  });

  it('starts each app service with its own npm script', () => {
    const scripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts;
    for (const [name, script] of Object.entries(APP_SERVICES)) {
      expect(service(name).command, name).toEqual(['npm', 'run', script]);
      expect(scripts[script], `npm run ${script}`).toBeDefined();
    }
  });

  it('configures the app only with variables that config/env.ts reads', () => {
    const known: readonly string[] = CONFIG_VARIABLES;
    for (const name of Object.keys(APP_SERVICES)) {
      const unknown = Object.keys(environmentOf(name)).filter((variable) => !known.includes(variable));
      expect(unknown, `${name} sets variables the app never reads`).toEqual([]);
      expect(() => loadConfig(environmentOf(name)), `${name}'s settings are valid`).not.toThrow();
    }
  });

  it('points the worker, API, web app and migrations at a real PostgreSQL and Temporal, so nothing embedded starts', () => {
    for (const name of ['migrate', 'worker', 'api', 'web']) {
      const config = loadConfig(environmentOf(name));
      expect(config.databaseUrl, `${name} DATABASE_URL`).toMatch(/^postgres(ql)?:\/\//);
      if (name !== 'web') expect(config.temporalAddress, `${name} TEMPORAL_ADDRESS`).toBeDefined();
    }
  });

  it('keeps the secrets in .env, and deploy/.env.example lists every one of them', () => {
    const required = [...COMPOSE_TEXT.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*):?\?/g)].map((match) => match[1] ?? '');
    expect(required).toEqual(expect.arrayContaining(['LIBRELOG_JWT_SECRET', 'LIBRELOG_ADMIN_PASSWORD']));
    for (const variable of required) {
      expect(Object.keys(ENV_EXAMPLE), `deploy/.env.example names ${variable}`).toContain(variable);
      const { [variable]: _omitted, ...withoutIt } = STATION_ENV;
      expect(() => loadCompose(withoutIt), `compose refuses to start without ${variable}`).toThrow(variable);
    }
  });

  it('the API is reachable through nginx on the port it listens on', () => {
    const { apiPort } = loadConfig(environmentOf('api'));
    expect(proxiedTo('/api/')).toBe(`api:${apiPort}`);
  });

  it('the web app is reachable through nginx on the port it listens on', () => {
    const { webPort } = loadConfig(environmentOf('web'));
    expect(proxiedTo('/')).toBe(`web:${webPort}`);
  });

  it('the web app reaches the API on the port the API listens on', () => {
    const apiUrl = new URL(loadConfig(environmentOf('web')).apiUrl);
    expect(`${apiUrl.hostname}:${apiUrl.port}`).toBe(`api:${loadConfig(environmentOf('api')).apiPort}`);
  });

  it('the API and web app listen on the same ports as `npm start` does', () => {
    const defaults = loadConfig({});
    expect(loadConfig(environmentOf('api')).apiPort).toBe(defaults.apiPort);
    expect(loadConfig(environmentOf('web')).webPort).toBe(defaults.webPort);
  });

  it('nginx passes WebSocket upgrades on to the API and accepts audio uploads of 100 MB', () => {
    const headers = proxyHeaders('/api/');
    expect(find(server, 'proxy_http_version')[0]?.args[0] ?? find(location('/api/'), 'proxy_http_version')[0]?.args[0]).toBe('1.1');
    expect(headers.get('upgrade')).toBe('$http_upgrade');
    expect(headers.get('connection')).toMatch(/^(\$connection_upgrade|upgrade)$/i);
    const maxBody = find(location('/api/'), 'client_max_body_size')[0] ?? find(server, 'client_max_body_size')[0] ?? find(http, 'client_max_body_size')[0];
    expect(sizeInBytes(maxBody?.args[0] ?? '0')).toBeGreaterThanOrEqual(100 * 1024 ** 2);
  });

  it("nginx passes on only the address it saw, which the app believes from it, and keeps a TLS proxy's X-Forwarded-Proto", () => {
    for (const prefix of ['/', '/api/']) {
      const headers = proxyHeaders(prefix);
      // Never $proxy_add_x_forwarded_for: a browser could name any address it likes.
      expect(headers.get('x-forwarded-for')).toBe('$remote_addr');
      // Not $scheme: behind a TLS proxy this hop is plain http, but the browser's was not.
      const proto = headers.get('x-forwarded-proto') ?? '';
      const map = find(http, 'map').find((directive) => directive.args[1] === proto);
      expect(map?.args[0]).toBe('$http_x_forwarded_proto');
      expect(find(map?.block, 'default')[0]?.args).toEqual(['$http_x_forwarded_proto']);
    }
    for (const name of ['api', 'web']) expect(loadConfig(environmentOf(name)).trustedProxies, name).toEqual(['uniquelocal']);
  });

  it("nginx is the only way in for browsers, on port 80 of the container", () => {
    expect(find(server, 'listen')[0]?.args[0]).toBe('80');
    const published = (service('nginx').ports ?? []).map((port) => (typeof port === 'string' ? port.split(':').at(-1) : String(port.target)));
    expect(published).toContain('80');
    for (const name of ['api', 'web', 'worker', 'postgres']) expect(service(name).ports, `${name} is not published`).toBeUndefined();
  });

  it("the worker and API talk to the Temporal service's frontend port", () => {
    const port = environmentOf('temporal').FRONTEND_GRPC_PORT ?? String(TEMPORAL_FRONTEND_DEFAULT_PORT);
    expect(service('temporal').healthcheck?.test).toContain(port);
    for (const name of ['worker', 'api', 'migrate']) {
      expect(loadConfig(environmentOf(name)).temporalAddress, name).toBe(`temporal:${port}`);
    }
    expect(environmentOf('temporal-namespace').TEMPORAL_ADDRESS).toBe(`temporal:${port}`);
  });

  it('Temporal UI shows that same Temporal, and LibreLog links to the port it is published on', () => {
    const port = environmentOf('temporal').FRONTEND_GRPC_PORT ?? String(TEMPORAL_FRONTEND_DEFAULT_PORT);
    expect(environmentOf('temporal-ui').TEMPORAL_ADDRESS).toBe(`temporal:${port}`);
    expect(environmentOf('temporal-ui').TEMPORAL_DEFAULT_NAMESPACE).toBe(loadConfig(environmentOf('api')).temporalNamespace);
    const linked = new URL(loadConfig(environmentOf('api')).temporalUiUrl);
    const published = (service('temporal-ui').ports ?? []).map((entry) => (typeof entry === 'string' ? entry.split(':').at(-2) : String(entry.published)));
    expect(published).toContain(linked.port || (linked.protocol === 'https:' ? '443' : '80'));
  });

  it("registers LibreLog's search attributes in the namespace the app uses", () => {
    const script = [service('temporal-namespace').command ?? ''].flat().join('\n');
    for (const key of SEARCH_ATTRIBUTES) {
      expect(key.type).toBe('KEYWORD');
      expect(script).toMatch(new RegExp(`--name ${key.name} --type Keyword`));
    }
    expect(environmentOf('temporal-namespace').TEMPORAL_NAMESPACE).toBe(loadConfig(environmentOf('worker')).temporalNamespace);
  });

  it('the worker and API wait for the migrations to finish and for PostgreSQL and Temporal to be healthy', () => {
    for (const name of ['worker', 'api']) {
      const deps = dependsOn(name);
      expect(deps.migrate?.condition, `${name} waits for migrate`).toBe('service_completed_successfully');
      expect(deps.postgres?.condition, `${name} waits for postgres`).toBe('service_healthy');
      expect(deps.temporal?.condition, `${name} waits for temporal`).toBe('service_healthy');
    }
    expect(dependsOn('migrate').postgres?.condition).toBe('service_healthy');
    expect(dependsOn('temporal-ui').temporal?.condition).toBe('service_healthy');
  });

  it('an external PostgreSQL or Temporal can replace the bundled ones by leaving out their profile', () => {
    expect(service('postgres').profiles).toEqual(['postgres']);
    for (const name of ['temporal', 'temporal-ui']) expect(service(name).profiles, name).toEqual(['temporal']);
    for (const name of Object.keys(APP_SERVICES)) expect(service(name).profiles, `${name} always runs`).toBeUndefined();
    for (const [dependency, dep] of Object.entries(dependsOn('worker'))) {
      const profiled = (service(dependency).profiles ?? []).length > 0;
      if (profiled) expect(dep.required, `worker can run without ${dependency}`).toBe(false);
    }
    expect(ENV_EXAMPLE.COMPOSE_PROFILES?.split(',').sort()).toEqual(['postgres', 'temporal']);

    const external = loadCompose({ ...STATION_ENV, DATABASE_URL: 'postgres://librelog:s3cret@db.example.org:5432/librelog', TEMPORAL_ADDRESS: 'temporal.example.org:7233' });
    const config = loadConfig((external.services.worker?.environment ?? {}) as Env);
    expect(config.databaseUrl).toBe('postgres://librelog:s3cret@db.example.org:5432/librelog');
    expect(config.temporalAddress).toBe('temporal.example.org:7233');
  });

  it('gives the worker time to let running activities finish before Docker kills it', () => {
    // Compose durations: 1m30s, 45s, 500ms; Docker's default is 10 s.
    const period = service('worker').stop_grace_period ?? '10s';
    const units = { h: 3600, m: 60, s: 1, ms: 0.001, us: 0.000001 } as Record<string, number>;
    const seconds = [...period.matchAll(/(\d+(?:\.\d+)?)(h|ms|us|m|s)/g)].reduce((sum, [, n, unit]) => sum + Number(n) * (units[unit ?? 's'] ?? 0), 0);
    const { shutdownGraceSeconds } = loadConfig(environmentOf('worker')).worker;
    // The grace time, then up to 5 s for a worker whose activities ignore the cancellation, then closing the pool.
    expect(seconds, `stop_grace_period ${period} against LIBRELOG_SHUTDOWN_GRACE_SECONDS ${shutdownGraceSeconds}`).toBeGreaterThanOrEqual(shutdownGraceSeconds + 10);
  });

  it('the worker and API share the volume where published logs are written', () => {
    const mounts = ['worker', 'api'].map((name) => {
      const dataDir = loadConfig(environmentOf(name)).dataDir;
      const volume = (service(name).volumes ?? [])
        .map((entry) => (typeof entry === 'string' ? { source: entry.split(':')[0], target: entry.split(':')[1] } : entry))
        .find((entry) => entry.target === dataDir);
      expect(volume, `${name} mounts a volume at LIBRELOG_DATA_DIR`).toBeDefined();
      return volume?.source;
    });
    expect(mounts[0]).toBe(mounts[1]);
    expect(Object.keys(compose.volumes ?? {})).toContain(mounts[0]);
  });
});

describe('the Dockerfile', () => {
  const stages = dockerfileStages();
  const final = stages.at(-1) ?? [];

  it('builds on Node 20, installs from the lockfile and builds the web app', () => {
    const text = read('Dockerfile');
    expect(text).toMatch(/node:20-bookworm-slim/);
    expect(text).toMatch(/npm ci\b/);
    expect(text).toMatch(/npm run build:web\b/);
  });

  it('runs the app as an unprivileged user, not root', () => {
    const user = final.filter((instruction) => /^USER\s/i.test(instruction)).at(-1)?.split(/\s+/)[1];
    expect(user).toBeDefined();
    expect(['root', '0', '0:0']).not.toContain(user);
  });

  it('starts the API when no command is given', () => {
    const cmd = final.filter((instruction) => /^CMD\s/i.test(instruction)).at(-1) ?? '';
    expect(JSON.parse(cmd.replace(/^CMD\s+/i, '')) as unknown).toEqual(['npm', 'run', 'api']);
  });

  it('keeps secrets and local state out of the image', () => {
    const ignored = read('.dockerignore').split('\n').map((line) => line.trim());
    for (const entry of ['node_modules', '.data', '**/.env', '.git']) expect(ignored, entry).toContain(entry);
  });
});
