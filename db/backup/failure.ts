// Why a backup or a restore stopped, said in one paragraph for a person: what failed, why, and
// what to do. The scripts print it instead of a stack trace.
import { codeOf, errorChain, messageOf } from '../../config/error-chain.js';

export type Operation = 'backup' | 'restore';

/** A failure already said for a person. */
export class BackupFailure extends Error {
  override name = 'BackupFailure';
  constructor(what: string, why: string, todo: string, options?: { cause?: unknown }) {
    super(`${what} ${why} ${todo}`, options);
  }
}

/**
 * One paragraph for any error of a backup or restore. A failed restore leaves the target as it
 * was: the database is restored in one transaction and the files are swapped in only before it
 * commits (and back if it does not).
 */
export function explainFailure(error: unknown, operation: Operation, where: { /** After "the database": at …, of … */ database: string; dataDir: string }): string {
  if (error instanceof BackupFailure) return error.message;
  const errors = errorChain(error);
  const codes = new Set(errors.map(codeOf).filter((c): c is string => c !== undefined));
  const detail = errors.map(messageOf).find((m) => m.trim() !== '') ?? 'unknown error';
  // What PostgreSQL said when the embedded server would not start (db/embedded-postgres.ts).
  const serverSaid = errors.map((e) => (typeof e === 'object' && e !== null && 'serverSaid' in e ? String((e as { serverSaid: unknown }).serverSaid) : '')).find(Boolean);
  const failed = operation === 'backup' ? 'The backup failed:' : 'The restore failed:';
  const after =
    operation === 'backup'
      ? 'No archive was written.'
      : 'The database and the data folder were left as they were.';
  if (error instanceof Error && error.name === 'ConfigError') return `${failed} ${detail.replace(/\.?$/, '.')} Fix that setting and run the command again.`;
  const has = (...wanted: string[]) => wanted.some((code) => codes.has(code));
  if (has('ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ECONNRESET')) {
    return `${failed} the database ${where.database} could not be reached (${detail}). Check that PostgreSQL is running and that DATABASE_URL (or, for the embedded server, PG_PORT) names it, then run the command again. ${after}`;
  }
  if (has('28P01', '28000')) {
    return `${failed} the database ${where.database} refused the user or password (${detail}). Put the right user and password in DATABASE_URL, then run the command again. ${after}`;
  }
  if (has('3D000')) {
    return `${failed} the database ${where.database} does not exist (${detail}). Check DATABASE_URL${operation === 'restore' ? ', or create the empty database first (createdb)' : ''}. ${after}`;
  }
  if (has('42501')) {
    return `${failed} the database user may not do this (${detail}). Run it as the user that owns LibreLog's tables (the one \`npm run migrate\` uses). ${after}`;
  }
  if (has('55P03', '40P01')) {
    return `${failed} LibreLog's tables were in use by the running system (${detail}). Stop LibreLog (Ctrl-C npm start, or stop its services) and run the ${operation} again. ${after}`;
  }
  if (has('ENOSPC', 'EDQUOT')) {
    return `${failed} the disk is full (${detail}). Free some space (${operation === 'backup' ? 'where the archive is written' : `in ${where.dataDir}`}) and run it again. ${after}`;
  }
  if (has('EACCES', 'EPERM', 'EROFS')) {
    return `${failed} a file or folder may not be read or written (${detail}). Run the command as the user that runs LibreLog, or fix the folder's permissions. ${after}`;
  }
  if (serverSaid !== undefined) {
    return `${failed} the embedded PostgreSQL did not start on the data folder ${where.dataDir} (${detail}${serverSaid ? ` PostgreSQL said: ${serverSaid.replaceAll('\n', ' ')}` : ''}). If another program uses PG_PORT, set PG_PORT to a free port; or set DATABASE_URL to use an existing server. ${after}`;
  }
  return `${failed} ${detail.replace(/\.?$/, '.')} ${after} If it happens again, check the database's log and the data folder ${where.dataDir}.`;
}
