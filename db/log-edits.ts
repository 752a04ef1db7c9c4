// The hand edits of a station's day (log_edits, migration 25; docs/log-editing.md): what a
// build applies again, what the logs API lists, and the stored log an edit is made to.
import type { Knex } from 'knex';
import type { StoredEntry } from '../domain/log/edits.js';
import type { LogEdit, LogException, SlotFill } from '../domain/log/types.js';
import type { LogEditKind, LogEditState } from '../domain/vocabulary.js';

interface EditRow {
  id: string;
  kind: LogEditKind;
  entryId: string;
  entrySlotKey: string | null;
  placement: 'before' | 'after' | null;
  anchorEntryId: string | null;
  content: SlotFill | null;
}

/** The day's edits a build applies again, in the order they were made (unlocks are not edits to apply). */
export async function activeEdits(db: Knex, stationId: string, date: string): Promise<LogEdit[]> {
  const rows = (await db('log_edits')
    .where({ stationId, broadcastDate: date, state: 'active' })
    .whereNot('kind', 'unlock')
    .orderBy('createdAt')
    .orderBy('id')
    .select('id', 'kind', 'entryId', 'entrySlotKey', 'placement', 'anchorEntryId', 'content')) as EditRow[];
  return rows.map((r) => ({ ...r, kind: r.kind as LogEdit['kind'] }));
}

/** An edit as the logs API lists it. */
export interface LogEditView {
  id: string;
  kind: LogEditKind;
  state: LogEditState;
  entryId: string;
  summary: string;
  reason: string;
  madeBy: { id: string; name: string } | null;
  madeAt: string;
  madeInVersion: number;
  droppedBecause: string | null;
  droppedInVersion: number | null;
}

/** Every edit of the day, newest first. */
export async function logEditsOf(db: Knex, stationId: string, date: string): Promise<LogEditView[]> {
  const rows = (await db('log_edits as e')
    .leftJoin('users as u', 'u.id', 'e.made_by')
    .where({ 'e.station_id': stationId, 'e.broadcast_date': date })
    .orderBy('e.created_at', 'desc')
    .orderBy('e.id')
    .select(
      'e.id',
      'e.kind',
      'e.state',
      'e.entry_id as entryId',
      'e.summary',
      'e.reason',
      'e.made_by as madeById',
      'u.name as madeByName',
      'e.created_at as createdAt',
      'e.made_in_version as madeInVersion',
      'e.dropped_because as droppedBecause',
      'e.dropped_in_version as droppedInVersion',
    )) as (Omit<LogEditView, 'madeBy' | 'madeAt'> & { madeById: string | null; madeByName: string | null; createdAt: Date })[];
  return rows.map(({ madeById, madeByName, createdAt, ...r }) => ({ ...r, madeBy: madeById ? { id: madeById, name: madeByName ?? '' } : null, madeAt: createdAt.toISOString() }));
}

/** A stored log as an edit re-times it: its entries in air order, with their make-goods and locks. */
export async function storedEntries(db: Knex, logId: string): Promise<StoredEntry[]> {
  const rows = (await db('log_entries as e')
    .join('daily_logs as l', 'l.id', 'e.log_id')
    .leftJoin('tracks as t', 't.id', 'e.track_id')
    .where('e.log_id', logId)
    .orderBy('e.position')
    .select(
      'e.id',
      'e.slot_key as slotKey',
      'e.starts_at as startsAt',
      'e.length_ms as lengthMs',
      'e.faded_early_ms as fadedEarlyMs',
      'e.fade_out_ms as fadeOutMs',
      'e.type',
      'e.track_id as trackId',
      'e.campaign_id as campaignId',
      db.raw('(SELECT m.id FROM make_goods m WHERE m.scheduled_entry_id = e.id ORDER BY m.created_at LIMIT 1) as "makeGoodId"'),
      'e.clock_id as clockId',
      'e.clock_element_id as clockElementId',
      'e.voice_track_id as voiceTrackId',
      'e.hour',
      db.raw(`coalesce(e.hour_label, lpad(e.hour::text, 2, '0') || ':00') as "hourLabel"`),
      'e.break_index as breakIndex',
      'e.start_kind as startKind',
      'e.is_fallback as isFallback',
      'e.fallback_reason as fallbackReason',
      'e.title',
      't.artist',
      'e.note',
      'e.live_source as liveSource',
      db.raw(`EXISTS (SELECT 1 FROM log_edits x WHERE x.station_id = l.station_id AND x.broadcast_date = l.broadcast_date AND x.kind = 'lock' AND x.state = 'active' AND x.entry_id = e.id) as locked`),
    )) as (Omit<StoredEntry, 'startsAt' | 'slotKey'> & { startsAt: Date; slotKey: string | null })[];
  return rows.map((r) => ({ ...r, slotKey: r.slotKey ?? '', startsAt: r.startsAt.getTime() }));
}

/**
 * After a rebuild: the edits it dropped are marked so, with why; the exceptions that tell the
 * traffic manager (each edit dropped, and how many were applied again).
 */
export async function rebuiltEdits(trx: Knex, version: number, kept: readonly string[], dropped: readonly { id: string; why: string }[]): Promise<LogException[]> {
  const exceptions: LogException[] = [];
  for (const { id, why } of dropped) {
    const [row] = (await trx('log_edits')
      .where({ id })
      .update({ state: 'dropped', droppedBecause: why, droppedInVersion: version })
      .returning(['summary'])) as { summary: string }[];
    if (!row) continue;
    exceptions.push({
      kind: 'log_edit',
      severity: 'warning',
      hour: null,
      hourIndex: null,
      slotKey: null,
      message: `A hand edit no longer applies after the rebuild — ${row.summary}: ${why}`,
      details: { editId: id, why },
    });
  }
  if (kept.length > 0) {
    exceptions.push({
      kind: 'log_edit',
      severity: 'info',
      hour: null,
      hourIndex: null,
      slotKey: null,
      message: `${kept.length} hand ${kept.length === 1 ? 'edit' : 'edits'} of earlier versions applied again`,
      details: { editIds: kept },
    });
  }
  return exceptions;
}
