// A hand edit to a built log (docs/log-editing.md), as one activity of the day's run: the edit
// is applied to the stored log, the hours it touches are timed again into the span they had, and
// the result is saved as the log's next version, awaiting approval — with the edit kept (so a
// rebuild applies it again) and who made it and why in the audit log, in one transaction.
import { ApplicationFailure } from '@temporalio/activity';
import type { Knex } from 'knex';
import { DateTime } from 'luxon';
import { insertAsJson } from '../db/json-rows.js';
import { storedEntries } from '../db/log-edits.js';
import { logEntryRow } from '../db/log-entries.js';
import { errorsToAcknowledge } from '../domain/approval.js';
import { msToClock } from '../domain/durations.js';
import { broadcastHours, hourLabel } from '../domain/log/clock-expansion.js';
import { editStoredLog, separationWarnings, USUAL_SEPARATION, type StoredEntry } from '../domain/log/edits.js';
import type { LogEdit, LogEntryDraft, LogException, SlotFill } from '../domain/log/types.js';
import type { ExceptionKind, ExceptionSeverity, LogEditKind } from '../domain/vocabulary.js';
import type { DraftSummary } from './broadcast-day.js';
import type { ActivityDeps } from './deps.js';

/** One edit, as the day's run hands it on (the API has checked the entries and the track exist). */
export interface LogEditRequest {
  kind: LogEditKind;
  /** The entry edited; for an insert, the entry it goes before or after. */
  entryId: string;
  placement?: 'before' | 'after' | null;
  /** move: the entry it goes next to. */
  anchorEntryId?: string | null;
  /** insert and replace: what goes on the log. */
  content?: SlotFill | null;
  reason: string;
}

export interface EditLogInput {
  logId: string;
  /** The version the edit makes (the log's version + 1). */
  version: number;
  /** The edit's id, made by the run: a retry finds the edit it already saved. */
  editId: string;
  edit: LogEditRequest;
  actor: { actorType: string; actorId: string | null };
}

export interface EditSummary extends DraftSummary {
  editId: string;
  summary: string;
  /** Rules the edit bends (a song too close to its artist), also kept as warnings of the version. */
  separationWarnings: string[];
}

/** Timing's findings, which an edited hour gets afresh. */
const TIMING_KINDS: ReadonlySet<ExceptionKind> = new Set(['hour_overrun', 'hour_underrun', 'missing_legal_id']);

const refuse = (message: string) => ApplicationFailure.nonRetryable(message, 'InvalidEdit');

export function createLogEditActivities({ db, loader }: ActivityDeps) {
  return {
    async editLog(input: EditLogInput): Promise<EditSummary> {
      return db.transaction(async (trx) => {
        const log = (await trx('daily_logs as l')
          .join('stations as s', 's.id', 'l.station_id')
          .where('l.id', input.logId)
          .forUpdate()
          .first('l.id', 'l.station_id as stationId', db.raw(`to_char(l.broadcast_date, 'YYYY-MM-DD') as date`), 'l.version', 'l.seed', 's.timezone')) as
          | { id: string; stationId: string; date: string; version: number; seed: number; timezone: string }
          | undefined;
        if (!log) throw refuse('The log is gone');
        const done = (await trx('log_edits').where({ id: input.editId }).first('summary')) as { summary: string } | undefined;
        if (done && log.version === input.version) return summaryOf(trx, input, done.summary, []);
        if (log.version !== input.version - 1) throw ApplicationFailure.nonRetryable(`The log is at version ${log.version}, not ${input.version - 1}`, 'StaleVersion');

        const stored = await storedEntries(trx, log.id);
        if (stored.some((e) => e.slotKey === '')) throw refuse('This log was built before hand edits were kept: rebuild it once, then edit it');
        const at = (ms: number) => DateTime.fromMillis(ms, { zone: log.timezone }).toFormat('HH:mm');
        const entry = (id: string | null | undefined) => stored.find((e) => e.id === id);
        const target = entry(input.edit.entryId);
        if (!target) throw refuse('The entry edited is not in the current version of the log');
        const newVersion = input.version;

        let summary: string;
        let content: SlotFill | null = null;
        let entries: LogEntryDraft[] | null = null;
        let timing: LogException[] = [];
        let hourLabels: string[] = [];
        const warnings: string[] = [];
        if (input.edit.kind === 'unlock') {
          const locks = await trx('log_edits').where({ stationId: log.stationId, broadcastDate: log.date, kind: 'lock', state: 'active', entryId: target.id }).update({ state: 'undone' });
          if (locks === 0) throw refuse(`"${target.title}" at ${at(target.startsAt)} is not locked`);
          summary = `Unlocked "${target.title}" at ${at(target.startsAt)}`;
        } else {
          if (input.edit.kind === 'lock' && target.locked) throw refuse(`"${target.title}" at ${at(target.startsAt)} is locked already`);
          const day = await loader.load(log.stationId, log.date, log.seed, {});
          const hours = broadcastHours(day);
          const edit: LogEdit = {
            id: input.editId,
            kind: input.edit.kind,
            entryId: target.id,
            entrySlotKey: target.slotKey,
            placement: input.edit.placement ?? (input.edit.kind === 'insert' || input.edit.kind === 'move' ? 'after' : null),
            anchorEntryId: input.edit.anchorEntryId ?? null,
            content: input.edit.content ?? null,
          };
          const edited = editStoredLog(day, hours, stored, edit);
          if ('why' in edited) throw refuse(`This edit cannot be made: ${edited.why}`);
          content = edited.content;
          entries = edited.entries;
          timing = edited.exceptions;
          hourLabels = hours.filter((h) => edited.hourIndexes.includes(h.index)).map((h) => h.label);
          const anchor = entry(input.edit.anchorEntryId);
          summary = describe(input.edit.kind, target, anchor, edit.placement, content, at);
          // A song put on the log by hand is checked against the separation of its clock's rule set.
          if (content?.type === 'MUS' && content.trackId && (input.edit.kind === 'insert' || input.edit.kind === 'replace')) {
            const placed = entries.find((e) => e.trackId === content!.trackId && (e.id === target.id || e.slotKey.includes(`:edit:${input.editId}`)));
            const ruleSet = day.ruleSets.find((r) => r.id === day.clocks.flatMap((c) => c.elements).find((el) => el.id === target.clockElementId)?.ruleSetId);
            const rule = ruleSet ? { artistMinutes: ruleSet.artistSeparationMinutes, titleHours: ruleSet.titleSeparationHours } : USUAL_SEPARATION;
            const plays = entries.map((e) => ({ id: e.id, trackId: e.trackId, title: e.title, artist: e.artist, startsAt: e.startsAt }));
            if (placed) warnings.push(...separationWarnings({ id: content.trackId, title: content.title, artist: content.artist }, placed.startsAt, plays, rule, new Set([placed.id])));
          }
          await saveEntries(trx, log.id, stored, entries, log.timezone);
          // A lock goes with its entry when the entry is deleted or moved away.
          if (target.locked && (input.edit.kind === 'delete' || input.edit.kind === 'move')) {
            await trx('log_edits').where({ stationId: log.stationId, broadcastDate: log.date, kind: 'lock', state: 'active', entryId: target.id }).update({ state: 'undone' });
          }
        }

        // The new version's exceptions: the last version's, less timing's in the hours timed
        // again and those about entries no longer there; then timing's and the edit's own.
        const ids = new Set((entries ?? stored).map((e) => e.id));
        const previous = (await trx('log_exceptions').where({ logId: log.id, logVersion: log.version }).orderBy('createdAt').orderBy('id')) as {
          entryId: string | null;
          hour: number | null;
          hourLabel: string | null;
          kind: ExceptionKind;
          severity: ExceptionSeverity;
          message: string;
          details: unknown;
        }[];
        const keptRows = previous
          .filter((x) => !(TIMING_KINDS.has(x.kind) && x.hourLabel !== null && hourLabels.includes(x.hourLabel)))
          .filter((x) => x.entryId === null || ids.has(x.entryId))
          .filter((x) => x.kind !== 'approval_at_risk')
          .map((x) => ({ log_id: log.id, log_version: newVersion, entry_id: x.entryId, hour: x.hour, hour_label: x.hourLabel, kind: x.kind, severity: x.severity, message: x.message, details: x.details }));
        const idOfSlot = new Map((entries ?? []).map((e) => [e.slotKey, e.id]));
        const labelOfIndex = new Map((entries ?? []).map((e) => [e.hourIndex, e.hourLabel]));
        const newRows = [
          ...timing.map((x) => ({
            log_id: log.id,
            log_version: newVersion,
            entry_id: x.slotKey ? (idOfSlot.get(x.slotKey) ?? null) : null,
            hour: x.hour,
            hour_label: x.hourIndex !== null ? (labelOfIndex.get(x.hourIndex) ?? null) : x.hour !== null ? hourLabel(x.hour) : null,
            kind: x.kind,
            severity: x.severity,
            message: x.message,
            details: x.details,
          })),
          ...warnings.map((message) => ({ log_id: log.id, log_version: newVersion, entry_id: null, hour: target.hour, hour_label: target.hourLabel, kind: 'log_edit', severity: 'warning', message: `${summary}: ${message}`, details: { editId: input.editId } })),
        ];
        await trx('log_exceptions').where({ logId: log.id }).delete();
        const inserted = await insertAsJson<{ id: string; kind: ExceptionKind; severity: ExceptionSeverity }>(trx, 'log_exceptions', [...keptRows, ...newRows], ['id', 'kind', 'severity']);

        await trx('log_edits').insert({
          id: input.editId,
          stationId: log.stationId,
          broadcastDate: log.date,
          kind: input.edit.kind,
          entryId: target.id,
          entrySlotKey: target.slotKey,
          placement: input.edit.kind === 'insert' || input.edit.kind === 'move' ? (input.edit.placement ?? 'after') : null,
          anchorEntryId: input.edit.anchorEntryId ?? null,
          content: content ? JSON.stringify(content) : null,
          summary,
          reason: input.edit.reason,
          madeBy: input.actor.actorType === 'user' ? input.actor.actorId : null,
          madeInVersion: newVersion,
        });
        await trx('daily_logs').where({ id: log.id }).update({
          version: newVersion,
          status: 'awaiting_approval',
          currentStep: 'awaiting approval',
          approvedBy: null,
          approvedAt: null,
          approvedVersion: null,
          updatedAt: trx.fn.now(),
        });
        await trx('audit_log').insert({
          ...input.actor,
          action: 'log.edit',
          entity: 'daily_log',
          entityId: log.id,
          stationId: log.stationId,
          after: JSON.stringify({ version: newVersion, date: log.date, kind: input.edit.kind, entryId: target.id, summary, reason: input.edit.reason, ...(warnings.length > 0 && { warnings }) }),
        });
        return summaryOf(trx, input, summary, warnings, inserted);
      });
    },
  };
}

/** The edit in words, as the log's edits list and the audit log say it. */
function describe(kind: LogEditKind, target: StoredEntry, anchor: StoredEntry | undefined, placement: string | null, content: SlotFill | null, at: (ms: number) => string): string {
  const what = (fill: SlotFill) => `"${fill.title}"${fill.type === 'LIVE' ? ` (${msToClock(fill.lengthMs)})` : ''}`;
  switch (kind) {
    case 'insert':
      return `Inserted ${content ? what(content) : 'an entry'} ${placement ?? 'after'} "${target.title}" at ${at(target.startsAt)}`;
    case 'delete':
      return `Deleted "${target.title}" at ${at(target.startsAt)}`;
    case 'move':
      return `Moved "${target.title}" from ${at(target.startsAt)} to ${placement ?? 'after'} "${anchor?.title ?? '?'}" at ${anchor ? at(anchor.startsAt) : '?'}`;
    case 'replace':
      return `Replaced "${target.title}" at ${at(target.startsAt)} with ${content ? what(content) : '?'}`;
    case 'lock':
      return `Locked "${target.title}" at ${at(target.startsAt)}`;
    case 'unlock':
      return `Unlocked "${target.title}" at ${at(target.startsAt)}`;
  }
}

/** Writes the edited day's entries: new and changed ones upserted, gone ones deleted, make-goods following their spots. */
async function saveEntries(trx: Knex, logId: string, before: readonly StoredEntry[], after: readonly LogEntryDraft[], timezone: string): Promise<void> {
  const kept = new Set(after.map((e) => e.id));
  const gone = before.filter((e) => !kept.has(e.id)).map((e) => e.id);
  // Make-goods whose spot left the log are owed again; those that moved follow it below.
  if (gone.length > 0) await trx('make_goods').whereIn('scheduledEntryId', gone).update({ status: 'owed', scheduledEntryId: null });
  if (gone.length > 0) await trx('log_entries').whereIn('id', gone).delete();
  // Positions are unique per log: out of the way first, then every entry at its new one.
  await trx('log_entries').where({ logId }).update({ position: trx.raw('-1 - position') });
  const offsetOf = (ms: number) => DateTime.fromMillis(ms, { zone: timezone }).offset;
  const rows = after.map((e) => logEntryRow(logId, e, offsetOf(e.startsAt)));
  await insertAsJson(trx, 'log_entries', rows, [], { onConflictUpdate: true });
  for (const e of after.filter((x) => x.makeGoodId)) {
    await trx('make_goods').where({ id: e.makeGoodId }).update({ status: 'scheduled', scheduledEntryId: e.id });
  }
}

async function summaryOf(
  trx: Knex,
  input: EditLogInput,
  summary: string,
  warnings: string[],
  inserted?: { id: string; kind: ExceptionKind; severity: ExceptionSeverity }[],
): Promise<EditSummary> {
  const rows =
    inserted ??
    ((await trx('log_exceptions').where({ logId: input.logId, logVersion: input.version }).select('id', 'kind', 'severity')) as { id: string; kind: ExceptionKind; severity: ExceptionSeverity }[]);
  const entries = (await trx('log_entries').where({ logId: input.logId }).first(trx.raw('count(*)::int as n'))) as { n: number };
  const exceptionKinds: Record<string, number> = {};
  for (const x of rows) exceptionKinds[x.kind] = (exceptionKinds[x.kind] ?? 0) + 1;
  return {
    version: input.version,
    entries: entries.n,
    errors: rows.filter((x) => x.severity === 'error').length,
    warnings: rows.filter((x) => x.severity === 'warning').length,
    bumpedSpots: 0,
    exceptionKinds,
    errorIds: errorsToAcknowledge(rows.filter((x) => x.severity === 'error')).map((x) => x.id),
    editId: input.editId,
    summary,
    separationWarnings: warnings,
  };
}
