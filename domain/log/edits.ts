// Hand edits to a built log (docs/log-editing.md): insert a track or a note, delete, move,
// replace, lock. An edit acts on slots — the places of the log — so the same edit is applied
// to the log as it stands (then only the hours it touches are timed again, each into the span
// it had, so nothing else moves) and again to every rebuild, after the engine has filled the
// slots and before timing. An edit whose place a rebuild no longer has is dropped and listed.
import { msToClock } from '../durations.js';
import { logEntryId } from './entry-id.js';
import { retimeHour } from './timing.js';
import type { BroadcastHour, BuildInputs, LogEdit, LogEntryDraft, LogException, Slot, SlotFill } from './types.js';

export type { LogEdit };

/** What an edited place plays afterwards, as the engine fills a slot. */
export type EditContent = SlotFill;

export type Placement = 'before' | 'after';

/** Applied (the hours touched), or not: `missing` when its place is not (or not yet) in the log. */
export type EditOutcome = { ok: true; hourIndexes: number[]; content: EditContent | null } | { ok: false; why: string; missing: boolean };

interface Day {
  stationId: string;
  date: string;
}

/** The slot key of an entry an edit puts in the log; its entry id follows from it. */
export const editSlotKey = (hourIndex: number, editId: string) => `${hourIndex}:edit:${editId}`;

/** Slot keys the engine's timing makes (fill material): a rebuild chooses those again. */
const isFillKey = (key: string) => /^\d+:fill:/.test(key);

/**
 * Applies one edit to the day's slots, in place. `slots` holds every slot of the day (filled
 * or not). Returns the hours it touched, or why it cannot apply (its place is gone).
 */
export function applyEdit(day: Day, slots: Slot[], edit: LogEdit): EditOutcome {
  const idOf = (slot: Slot) => logEntryId(day.stationId, day.date, slot.key);
  const find = (entryId: string) => slots.find((slot) => idOf(slot) === entryId);
  const target = find(edit.entryId) ?? ((edit.kind === 'lock' || edit.kind === 'replace') && edit.content ? songAgain(slots, edit.entrySlotKey) : undefined);
  if (!target) return { ok: false, why: 'the entry it changed is no longer in the log', missing: true };
  // Timing chooses fill again around every edit: it is no place to edit or to go next to.
  if (isFillKey(target.key)) return { ok: false, why: 'it is fill material, which timing chooses again around every edit (choose the entry before or after it)', missing: false };

  /** A new slot beside `anchor`, between it and its neighbour in the hour. */
  const besideAnchor = (anchor: Slot, placement: Placement, fill: SlotFill): Slot => {
    const hourSlots = slots.filter((s) => s.hourIndex === anchor.hourIndex).sort((a, b) => a.order - b.order);
    const at = hourSlots.indexOf(anchor);
    const neighbour = placement === 'after' ? hourSlots[at + 1] : hourSlots[at - 1];
    const order = neighbour ? (anchor.order + neighbour.order) / 2 : anchor.order + (placement === 'after' ? 1 : -1);
    const slot: Slot = {
      key: editSlotKey(anchor.hourIndex, edit.id),
      hourIndex: anchor.hourIndex,
      hour: anchor.hour,
      clockId: anchor.clockId,
      elementId: '',
      order,
      type: fill.type,
      title: fill.title,
      fallback: null,
      categoryCode: null,
      ruleSetId: null,
      breakIndex: fill.campaignId && anchor.breakIndex !== null ? anchor.breakIndex : null,
      breakPosition: null,
      startOffsetMs: null,
      startKind: null,
      plannedLengthMs: fill.lengthMs,
      fill,
      // Put in by hand: timing may fade it, never drop it.
      locked: true,
    };
    slots.push(slot);
    return slot;
  };

  switch (edit.kind) {
    case 'delete': {
      const deleted = target.fill;
      // Taken out, not emptied: music would fill an empty song slot again.
      slots.splice(slots.indexOf(target), 1);
      return { ok: true, hourIndexes: [target.hourIndex], content: deleted };
    }
    case 'replace':
    case 'lock': {
      const content = edit.content ?? target.fill!;
      target.fill = { ...content };
      target.locked = true;
      return { ok: true, hourIndexes: [target.hourIndex], content };
    }
    case 'insert': {
      if (!edit.content) return { ok: false, why: 'it has nothing to insert', missing: false };
      besideAnchor(target, edit.placement ?? 'after', { ...edit.content });
      return { ok: true, hourIndexes: [target.hourIndex], content: edit.content };
    }
    case 'move': {
      if (!edit.anchorEntryId) return { ok: false, why: 'it names no place to move to', missing: false };
      // A hard start is its clock's: its time is the point of it.
      if (target.startKind === 'hard') return { ok: false, why: 'it has a hard start, which keeps its time (delete it, or change the clock)', missing: false };
      const anchor = find(edit.anchorEntryId);
      if (!anchor) return { ok: false, why: 'the entry it was moved next to is no longer in the log', missing: true };
      if (isFillKey(anchor.key)) return { ok: false, why: 'the entry to move it next to is fill material, which timing chooses again (choose the entry before or after it)', missing: false };
      if (anchor === target) return { ok: false, why: 'an entry cannot move next to itself', missing: false };
      const content = edit.content ?? target.fill!;
      slots.splice(slots.indexOf(target), 1);
      besideAnchor(anchor, edit.placement ?? 'after', { ...content });
      return { ok: true, hourIndexes: [...new Set([target.hourIndex, anchor.hourIndex])], content };
    }
  }
}

/**
 * The place of a song music added to fill an hour ("7:5:8": the 9th of an element asking for
 * fewer), made again after the element's last slot when this build's music has not (yet) made
 * it: a locked song stays even when the songs around it come out shorter or longer.
 */
function songAgain(slots: Slot[], slotKey: string | null | undefined): Slot | undefined {
  const key = /^(\d+):(\d+):(\d+)$/.exec(slotKey ?? '');
  if (!key) return undefined;
  const siblings = slots.filter((s) => s.key.startsWith(`${key[1]}:${key[2]}:`) && s.type === 'MUS').sort((a, b) => a.order - b.order);
  const last = siblings.at(-1);
  if (!last) return undefined;
  const next = slots.filter((s) => s.hourIndex === last.hourIndex && s.order > last.order).sort((a, b) => a.order - b.order)[0];
  const slot: Slot = { ...last, key: slotKey!, order: next ? (last.order + next.order) / 2 : last.order + 1, fill: null, locked: false };
  slots.push(slot);
  return slot;
}

/**
 * A build applies the day's edits in the order they were made, in two passes: inserts, moves
 * and deletes before music (so songs are chosen and fitted around them), and after music the
 * locks and replacements, with any edit whose place music makes (a song it adds to fill an hour). The slots come back
 * as copies (the stages they came from stay as they were); `pending` edits found no place yet,
 * and on the final pass those are `dropped`, with why.
 */
export function withEdits(
  day: Day,
  filled: readonly Slot[],
  edits: readonly LogEdit[],
  pass: 'before_music' | 'final',
): { slots: Slot[]; kept: string[]; pending: LogEdit[]; dropped: { id: string; why: string }[] } {
  const slots = filled.map((slot) => ({ ...slot }));
  const kept: string[] = [];
  const pending: LogEdit[] = [];
  const dropped: { id: string; why: string }[] = [];
  for (const edit of edits) {
    // What a place plays is settled after music: music fills every song slot as usual and the
    // locked or chosen song then takes its place (timing fades or drops others, never it).
    if (pass === 'before_music' && (edit.kind === 'lock' || edit.kind === 'replace')) {
      pending.push(edit);
      continue;
    }
    const outcome = applyEdit(day, slots, edit);
    if (outcome.ok) kept.push(edit.id);
    else if (outcome.missing && pass === 'before_music') pending.push(edit);
    else dropped.push({ id: edit.id, why: outcome.why });
  }
  return { slots, kept, pending, dropped };
}

/** An entry of the log as stored, with what re-timing its hour needs. */
export interface StoredEntry {
  id: string;
  slotKey: string;
  startsAt: number;
  lengthMs: number;
  fadedEarlyMs: number;
  fadeOutMs: number;
  type: LogEntryDraft['type'];
  trackId: string | null;
  campaignId: string | null;
  makeGoodId: string | null;
  clockId: string | null;
  clockElementId: string | null;
  voiceTrackId: string | null;
  hour: number;
  hourLabel: string;
  breakIndex: number | null;
  startKind: LogEntryDraft['startKind'];
  isFallback: boolean;
  fallbackReason: LogEntryDraft['fallbackReason'];
  title: string;
  artist: string | null;
  note: string | null;
  liveSource: LogEntryDraft['liveSource'];
  locked: boolean;
}

/** Notes timing writes ("faded 0:12 early for …", "cut …", "fill for …"): timing writes them again. */
const TIMING_NOTE = /^(faded \S+ early for |cut \S+ short for |fill for )/;

/** The hour index of a slot key ("7:3:0" → 7). */
export function hourIndexOfKey(slotKey: string): number {
  return Number.parseInt(slotKey.split(':')[0]!, 10);
}

/**
 * The slots of a stored log, as timing found them: each entry back at its full length, with
 * the notes timing wrote taken off; the fill material timing added is left out for the hours in
 * `refit` (timing chooses it again there) and kept elsewhere.
 */
export function slotsOfEntries(entries: readonly StoredEntry[], hours: readonly BroadcastHour[], refit: ReadonlySet<number>): Slot[] {
  const hourByIndex = new Map(hours.map((h) => [h.index, h]));
  const slots: Slot[] = [];
  entries.forEach((e, order) => {
    const hourIndex = hourIndexOfKey(e.slotKey);
    if (refit.has(hourIndex) && isFillKey(e.slotKey)) return;
    const hour = hourByIndex.get(hourIndex);
    const notes = (e.note ?? '').split('; ').filter((n) => n !== '' && !TIMING_NOTE.test(n));
    const common = {
      lengthMs: e.lengthMs + e.fadedEarlyMs,
      title: e.title,
      artist: e.artist,
      campaignId: e.campaignId,
      makeGoodId: e.makeGoodId,
      voiceTrackId: e.voiceTrackId,
      isFallback: e.isFallback,
      fallbackReason: e.fallbackReason,
      note: notes.length > 0 ? notes.join('; ') : null,
    };
    const fill: SlotFill = e.type === 'LIVE' ? { ...common, trackId: null, type: 'LIVE', liveSource: e.liveSource ?? 'live' } : { ...common, trackId: e.trackId!, type: e.type };
    slots.push({
      key: e.slotKey,
      hourIndex,
      hour: e.hour,
      clockId: e.clockId ?? hour?.clockId ?? '',
      elementId: e.clockElementId ?? '',
      order,
      type: e.type,
      title: e.title,
      fallback: null,
      categoryCode: null,
      ruleSetId: null,
      breakIndex: e.breakIndex,
      breakPosition: null,
      // A hard start is where it was laid: the pin timing held it to.
      startOffsetMs: e.startKind === 'hard' && hour ? e.startsAt - hour.startsAt : null,
      startKind: e.startKind,
      plannedLengthMs: common.lengthMs,
      fill,
      // Locked, or put in by hand: timing never drops it.
      locked: e.locked || e.slotKey.includes(':edit:'),
    });
  });
  return slots;
}

export interface EditedDay {
  /** The whole day's entries after the edit, positions counted again. */
  entries: LogEntryDraft[];
  /** Timing's findings for the hours timed again (their old ones no longer hold). */
  exceptions: LogException[];
  /** The hours timed again. */
  hourIndexes: number[];
  /** What the edited place plays (for the record). */
  content: EditContent | null;
}

/**
 * Applies one edit to a stored log: the hours it touches are timed again, each into the span it
 * had (its first entry's start to its last entry's end), so every other hour stays as it was.
 */
export function editStoredLog(inputs: BuildInputs, hours: BroadcastHour[], stored: readonly StoredEntry[], edit: LogEdit): EditedDay | { why: string } {
  const day = { stationId: inputs.station.id, date: inputs.date };
  // Which hours the edit touches, found on a trial copy first: only those lose their fill.
  const trial = applyEdit(day, slotsOfEntries(stored, hours, new Set()), edit);
  if (!trial.ok) return { why: trial.why };
  const refit = new Set(trial.hourIndexes);
  // The hours as they were built: an hour's clock is the one its entries came from.
  const clockOf = new Map(stored.map((e) => [hourIndexOfKey(e.slotKey), e.clockId]));
  const dayHours = hours.map((h) => ({ ...h, clockId: clockOf.get(h.index) ?? h.clockId }));
  const slots = slotsOfEntries(stored, dayHours, refit);
  const outcome = applyEdit(day, slots, edit);
  if (!outcome.ok) return { why: outcome.why };

  const byHour = new Map<number, StoredEntry[]>();
  for (const e of stored) {
    const index = hourIndexOfKey(e.slotKey);
    byHour.set(index, [...(byHour.get(index) ?? []), e]);
  }
  const retimed = new Map<number, LogEntryDraft[]>();
  const exceptions: LogException[] = [];
  for (const index of refit) {
    const before = byHour.get(index) ?? [];
    if (before.length === 0) return { why: 'its hour has nothing on the log to fit it around (no clock)' };
    const span = { start: before[0]!.startsAt, end: before.at(-1)!.startsAt + before.at(-1)!.lengthMs };
    const timed = retimeHour(inputs, dayHours, slots, index, span);
    retimed.set(index, timed.entries);
    exceptions.push(...timed.exceptions);
  }
  const entries: LogEntryDraft[] = [];
  const done = new Set<number>();
  for (const e of stored) {
    const index = hourIndexOfKey(e.slotKey);
    if (retimed.has(index)) {
      if (!done.has(index)) for (const r of retimed.get(index)!) entries.push({ ...r, position: entries.length });
      done.add(index);
      continue;
    }
    entries.push({ ...storedAsDraft(e, index), position: entries.length });
  }
  return { entries, exceptions, hourIndexes: [...refit].sort((a, b) => a - b), content: outcome.content };
}

function storedAsDraft(e: StoredEntry, hourIndex: number): LogEntryDraft {
  return {
    id: e.id,
    slotKey: e.slotKey,
    position: 0,
    startsAt: e.startsAt,
    lengthMs: e.lengthMs,
    fadedEarlyMs: e.fadedEarlyMs,
    fadeOutMs: e.fadeOutMs,
    type: e.type,
    trackId: e.trackId,
    campaignId: e.campaignId,
    makeGoodId: e.makeGoodId,
    clockId: e.clockId,
    clockElementId: e.clockElementId,
    voiceTrackId: e.voiceTrackId,
    hour: e.hour,
    hourIndex,
    hourLabel: e.hourLabel,
    breakIndex: e.breakIndex,
    startKind: e.startKind,
    isFallback: e.isFallback,
    fallbackReason: e.fallbackReason,
    title: e.title,
    artist: e.artist,
    note: e.note,
    ...(e.type === 'LIVE' && { liveSource: e.liveSource ?? 'live' }),
  };
}

/** Separation a song put in by hand is checked against (the clock's rule set's, else the station's usual). */
export interface Separation {
  artistMinutes: number;
  titleHours: number;
}

export const USUAL_SEPARATION: Separation = { artistMinutes: 60, titleHours: 3 };

const same = (a: string | null, b: string | null) => (a ?? '').trim().toLowerCase() === (b ?? '').trim().toLowerCase();

/**
 * What putting `track` on the log at `at` breaks, in words: the same artist or the same song
 * too close to another play of the day. Warnings, not refusals: a traffic manager may mean it.
 */
export function separationWarnings(
  track: { id: string; title: string; artist: string | null },
  at: number,
  plays: readonly { id: string; trackId: string | null; title: string; artist: string | null; startsAt: number }[],
  rule: Separation,
  except: ReadonlySet<string> = new Set(),
): string[] {
  const warnings: string[] = [];
  let artistGap = Infinity;
  let titleGap = Infinity;
  for (const play of plays) {
    if (except.has(play.id) || !play.trackId) continue;
    const gap = Math.abs(play.startsAt - at);
    if (track.artist && play.artist && same(play.artist, track.artist)) artistGap = Math.min(artistGap, gap);
    if (play.trackId === track.id || (same(play.title, track.title) && same(play.artist, track.artist))) titleGap = Math.min(titleGap, gap);
  }
  if (titleGap < rule.titleHours * 3_600_000) warnings.push(`"${track.title}" plays ${msToClock(titleGap)} away: the title separation is ${rule.titleHours} h`);
  if (artistGap < rule.artistMinutes * 60_000) warnings.push(`${track.artist} plays ${msToClock(artistGap)} away: the artist separation is ${rule.artistMinutes} min`);
  return warnings;
}
