// A day's program log from the database, as it is printed and exported: the rows the logs API
// reads (db/log-entries.ts), laid out by domain/log/export.ts. The API answers with it; anything
// else that prints a day's log asks here too, so all say the same.
import type { Knex } from 'knex';
import { logExceptions, programLogEntries, programLogHead } from '../db/log-entries.js';
import { assembleProgramLog, type ProgramLog } from '../domain/log/export.js';

/** The day's program log, or undefined until the day has been built once; exceptions of its current version only. */
export async function prepareProgramLog(db: Knex, stationId: string, date: string, now: Date): Promise<ProgramLog | undefined> {
  const head = await programLogHead(db, stationId, date);
  if (!head) return undefined;
  const [entries, exceptions] = await Promise.all([programLogEntries(db, head.logId), logExceptions(db, head.logId, head.version)]);
  return assembleProgramLog({
    station: head.station,
    date: head.date,
    status: head.status,
    version: head.version,
    approvedVersion: head.approvedVersion,
    publishedVersion: head.publishedVersion,
    approvedBy: head.approvedBy,
    approvedAt: head.approvedAt,
    entries,
    exceptions,
    generatedAt: now,
  });
}
