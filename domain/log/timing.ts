// Timing, the last step (docs/log-rules.md §6 and §7): filled slots
// become timed entries that air exactly as written.
//
// The day is cut at its fixed points ("pins"): every hard start, the top of every hour whose
// clock opens with a hard start, and the end of the broadcast day. Between two pins the entries
// run back to back. Music was already fitted with the real lengths of everything else, so what is
// left is small and is closed here:
// - running long: the last song (or bed) before the pin is faded early, its aired length and
//   cue-out shortened ("faded 0:12 early for the 06:00 legal ID"); a song that cannot be faded
//   that far is dropped instead, and the gap closed as below;
// - coming up short: the gap is filled from the station's fill material (promos, PSAs, beds by
//   default; best fit, least used first); what no whole item fits is closed by a fill item and a
//   slightly earlier fade of the song before it, else by a bed faded to the gap. Only a gap with
//   no fill material at all is left, as an error.
// A soft hour boundary is left alone while the hour ends within the station's fill tolerance;
// beyond it, it is closed like a pin. So entries are in time order, back to back, and fill the
// day (23, 24 or 25 hours) exactly; no entry starts after the day ends.
import { msToClock } from '../durations.js';
import type { ElementType, TrackType } from '../vocabulary.js';
import { allowedIn } from './dayparts.js';
import { logEntryId } from './entry-id.js';
import { indexLibrary, tracksOfType } from './library-index.js';
import { createRandom } from './random.js';
import type { BroadcastHour, BuildInputs, EngineTrack, LogEntryDraft, LogException, Slot, SlotFill } from './types.js';

/** How far into the hour a legal ID still counts as "near the top". */
export const LEGAL_ID_WINDOW_MS = 10 * 60_000;
/** The fade given to an entry faded early. */
export const FADE_OUT_MS = 2_000;
/** Fill material when the station names none, in order of preference. */
export const DEFAULT_FILL_TYPES: readonly TrackType[] = ['PRO', 'PSA', 'BED'];
/** What may be faded early to meet a pin: songs and beds (never a spot, a message or a voice). */
const FADEABLE: ReadonlySet<ElementType> = new Set(['MUS', 'BED']);
/** A faded entry keeps at least this much, or half of itself if that is more. */
const MIN_KEPT_MS = 30_000;
/** Score, in ms of fit, that each earlier use of a fill item today costs it. */
const REUSE_PENALTY_MS = 5_000;

const NOTHING_USED: ReadonlySet<string> = new Set();

const LIVE_WORDS = { live: 'live from the studio', network: 'a network feed', outside: 'an outside broadcast' } as const;

const LEGAL_ID = /\b(legal\s+id|station\s+id|top[- ]of[- ]hour\s+id|id)\b/i;

/** A LIN counts as the legal ID when its title or its clock element's title says it is one. */
export function isLegalId(slot: Pick<Slot, 'fill' | 'title'>): boolean {
  return slot.fill?.type === 'LIN' && (LEGAL_ID.test(slot.fill.title) || LEGAL_ID.test(slot.title ?? ''));
}

/** One entry as it is laid out. */
interface Item {
  slot: Slot;
  fill: SlotFill;
  /** What airs of it. */
  lengthMs: number;
  notes: string[];
}

/** Where a stretch must end (a pin) or should end (a soft hour boundary). */
interface Target {
  at: number;
  pinned: boolean;
  /** "the 06:00 legal ID", "the hard start of News Bed at 06:30", "the end of the broadcast day" */
  what: string;
}

export function timeEntries(inputs: BuildInputs, hours: BroadcastHour[], slots: Slot[]): { entries: LogEntryDraft[]; exceptions: LogException[] } {
  const timer = createTimer(inputs, hours, slots);
  const entries: LogEntryDraft[] = [];
  const exceptions: LogException[] = [];
  let cursor = timer.sorted[0]?.startsAt ?? 0;
  for (const hour of timer.sorted) {
    const laid = timer.layOutHour(hour, cursor);
    for (const entry of laid.entries) entries.push({ ...entry, position: entries.length });
    exceptions.push(...laid.exceptions);
    cursor = laid.endsAt;
  }
  return { entries, exceptions };
}

/**
 * Times one hour again after a hand edit (docs/log-editing.md): its filled slots are laid out
 * from `start` so that they end exactly at `end`, where the hour ended before, the end held like
 * a hard start; so nothing outside the hour moves. Entry positions count from 0 in the hour.
 */
export function retimeHour(
  inputs: BuildInputs,
  hours: BroadcastHour[],
  slots: Slot[],
  hourIndex: number,
  span: { start: number; end: number },
): { entries: LogEntryDraft[]; exceptions: LogException[] } {
  const timer = createTimer(inputs, hours, slots);
  const hour = timer.sorted.find((h) => h.index === hourIndex);
  if (!hour) throw new RangeError(`The day has no hour ${hourIndex}`);
  const laid = timer.layOutHour(hour, span.start, span.end);
  return { entries: laid.entries, exceptions: laid.exceptions };
}

/** The day's hours and slots, ready to be laid out hour by hour. */
function createTimer(inputs: BuildInputs, hours: BroadcastHour[], slots: Slot[]) {
  const tolerance = Math.max(0, inputs.station.fillToleranceMs);
  const sorted = [...hours].sort((a, b) => a.startsAt - b.startsAt);
  const endOf = (hour: BroadcastHour, next: BroadcastHour | undefined) => hour.endsAt ?? next?.startsAt ?? hour.startsAt + 3_600_000;
  const dayEnd = sorted.length > 0 ? endOf(sorted[sorted.length - 1]!, undefined) : 0;

  const byHour = new Map<number, Slot[]>();
  for (const slot of slots) {
    const list = byHour.get(slot.hourIndex);
    if (list) list.push(slot);
    else byHour.set(slot.hourIndex, [slot]);
  }
  for (const list of byHour.values()) list.sort((a, b) => a.order - b.order);
  const fillMaterial = createFillMaterial(inputs);

  /** "06:30" (with the zone on a repeated hour) for an instant of the day. */
  const timeLabel = (at: number): string => {
    const hour = sorted.find((h, i) => at >= h.startsAt && at < endOf(h, sorted[i + 1])) ?? sorted[sorted.length - 1]!;
    const minutes = Math.floor((at - hour.startsAt) / 60_000);
    const [, zone] = /^\d\d:\d\d(.*)$/.exec(hour.label) ?? [];
    return `${String(hour.hour).padStart(2, '0')}:${String(minutes).padStart(2, '0')}${zone ?? ''}`;
  };
  const pinWords = (slot: Slot | undefined, at: number): string => {
    if (!slot) return at >= dayEnd ? 'the end of the broadcast day' : `the ${timeLabel(at)} hour`;
    if (isLegalId(slot)) return `the ${timeLabel(at)} legal ID`;
    return `the hard start of "${slot.fill?.title ?? slot.title ?? slot.type}" at ${timeLabel(at)}`;
  };
  /** Where the previous hour must stop for this one: its opening hard start; null when it opens soft. */
  const openingPin = (hour: BroadcastHour | undefined, at: number): number | null => {
    if (!hour) return at; // the end of the day is fixed
    if (!hour.clockId) return at; // nothing airs until the next clock: stop at the top
    const first = byHour.get(hour.index)?.[0];
    return first?.startKind === 'hard' && first.startOffsetMs !== null ? hour.startsAt + Math.max(0, first.startOffsetMs) : null;
  };

  /**
   * Lays out one hour from `cursor` (where the hour before ended); it ends where the next hour
   * starts, or exactly at `mustEndAt` when given. Positions count from 0 in the hour.
   */
  function layOutHour(hour: BroadcastHour, cursor: number, mustEndAt?: number): { entries: LogEntryDraft[]; exceptions: LogException[]; endsAt: number } {
    const entries: LogEntryDraft[] = [];
    const exceptions: LogException[] = [];
    const h = sorted.indexOf(hour);
    const next = sorted[h + 1];
    const hourEnd = endOf(hour, next);
    if (!hour.clockId) return { entries, exceptions, endsAt: hourEnd }; // reported by clock expansion as an error
    const hourSlots = byHour.get(hour.index) ?? [];
    // What the hour already plays, worked out only for an hour that needs fill material.
    let usedInHour: Set<string> | undefined;
    const used = () => {
      if (!usedInHour) {
        usedInHour = new Set<string>();
        for (const slot of hourSlots) if (slot.fill?.trackId) usedInHour.add(slot.fill.trackId);
      }
      return usedInHour;
    };

    // Stretches: from the top (or where the last hour ended) and from each hard start. A live
    // programme is a hard start whose whole length is fixed: a hard start inside it waits for its end.
    const stretches: { pin: number | null; pinSlot: Slot | undefined; slots: Slot[] }[] = [{ pin: null, pinSlot: undefined, slots: [] }];
    let lastPin = hour.startsAt;
    for (const slot of hourSlots) {
      if (slot.startKind === 'hard' && slot.startOffsetMs !== null) {
        const pin = Math.min(hourEnd, Math.max(lastPin, hour.startsAt + slot.startOffsetMs));
        lastPin = slot.fill?.type === 'LIVE' ? Math.min(hourEnd, pin + slot.fill.lengthMs) : pin;
        if (stretches.length === 1 && stretches[0]!.slots.length === 0) stretches[0] = { pin, pinSlot: slot, slots: [] };
        else stretches.push({ pin, pinSlot: slot, slots: [] });
      }
      stretches[stretches.length - 1]!.slots.push(slot);
    }

    const nextHourTarget = (): Target => {
      const pin = openingPin(next, hourEnd);
      const what = pin === null ? pinWords(undefined, hourEnd) : next?.clockId ? pinWords(byHour.get(next.index)?.[0], pin) : pinWords(undefined, pin);
      // An edited hour ends where it ended before, whatever opens the next one.
      if (mustEndAt !== undefined) return { at: mustEndAt, pinned: true, what };
      if (pin === null) return { at: hourEnd, pinned: false, what };
      return { at: pin, pinned: true, what };
    };
    const laidOut: { start: number; items: Item[] }[] = [];
    let fillCount = 0;
    for (let s = 0; s < stretches.length; s++) {
      const stretch = stretches[s]!;
      // A pinned stretch starts at its pin (after an unfillable gap, later than the cursor).
      const start = stretch.pin ?? cursor;
      const following = stretches[s + 1];
      const target: Target = following
        ? { at: following.pin!, pinned: true, what: pinWords(following.pinSlot, following.pin!) }
        : nextHourTarget();
      const items: Item[] = stretch.slots.filter((slot) => slot.fill).map((slot) => ({ slot, fill: slot.fill!, lengthMs: slot.fill!.lengthMs, notes: slot.fill!.note ? [slot.fill!.note] : [] }));
      // A live programme pushed past its hour by an earlier hard start ends with the hour.
      const live = items[0]?.fill.type === 'LIVE' ? items[0] : undefined;
      if (live && live.slot.startKind === 'hard' && start >= target.at) {
        // Its hard start lies past the end of a short hour (the half hour a 30-minute DST change
        // leaves): nothing of it airs, so it is not on the log at all.
        items.shift();
        exceptions.push({
          kind: 'hour_overrun',
          severity: 'warning',
          hour: hour.hour,
          hourIndex: hour.index,
          slotKey: live.slot.key,
          message: `${hour.label}: "${live.fill.title}" does not air: ${target.what} comes before its hard start`,
          details: { lengthMs: live.fill.lengthMs },
        });
      } else if (live && start + live.lengthMs > target.at) {
        live.notes.push(`cut ${msToClock(start + live.lengthMs - target.at)} short for ${target.what}`);
        live.lengthMs = Math.max(0, target.at - start);
      }
      const fitted = fitStretch(items, start, target, tolerance, hour, used, () => fillCount++);
      exceptions.push(...fitted.exceptions);
      laidOut.push({ start, items: fitted.items });
      cursor = start + fitted.items.reduce((sum, item) => sum + item.lengthMs, 0);
    }

    // Entries, in time order, and the legal ID near the top.
    let legalIdAt: number | undefined;
    let liveNearTop: Item | undefined;
    for (const { start, items } of laidOut) {
      let at = start;
      for (const item of items) {
        if (legalIdAt === undefined && isLegalId(item.slot)) legalIdAt = at - hour.startsAt;
        // A programme at a hard start, not a live read put in by hand.
        if (!liveNearTop && item.fill.type === 'LIVE' && item.slot.startKind === 'hard' && item.lengthMs > 0 && at - hour.startsAt <= LEGAL_ID_WINDOW_MS) liveNearTop = item;
        const fadedEarlyMs = item.fill.lengthMs - item.lengthMs;
        entries.push({
          id: logEntryId(inputs.station.id, inputs.date, item.slot.key),
          slotKey: item.slot.key,
          position: entries.length,
          startsAt: at,
          lengthMs: item.lengthMs,
          fadedEarlyMs,
          fadeOutMs: fadedEarlyMs > 0 ? Math.min(FADE_OUT_MS, item.lengthMs) : 0,
          type: item.fill.type,
          trackId: item.fill.trackId,
          campaignId: item.fill.campaignId,
          makeGoodId: item.fill.makeGoodId,
          clockId: item.slot.clockId,
          clockElementId: item.slot.elementId || null,
          voiceTrackId: item.fill.voiceTrackId,
          hour: hour.hour,
          hourIndex: hour.index,
          hourLabel: hour.label,
          breakIndex: item.slot.breakIndex,
          startKind: item.slot.startKind,
          isFallback: item.fill.isFallback,
          fallbackReason: item.fill.fallbackReason,
          title: item.fill.title,
          artist: item.fill.artist,
          note: item.notes.length > 0 ? item.notes.join('; ') : null,
          ...(item.fill.type === 'LIVE' && { liveSource: item.fill.liveSource }),
        });
        at += item.lengthMs;
      }
    }

    if ((legalIdAt === undefined || legalIdAt > LEGAL_ID_WINDOW_MS) && liveNearTop) {
      // The live programme on air near the top gives the station's identification itself.
      exceptions.push({
        kind: 'missing_legal_id',
        severity: 'info',
        hour: hour.hour,
        hourIndex: hour.index,
        slotKey: liveNearTop.slot.key,
        message: `${hour.label}: the legal ID is left to "${liveNearTop.fill.title}" (${liveNearTop.fill.type === 'LIVE' ? LIVE_WORDS[liveNearTop.fill.liveSource] : 'live'}): its presenters must give it near the top of the hour`,
        details: { live: true },
      });
    } else if (legalIdAt === undefined || legalIdAt > LEGAL_ID_WINDOW_MS) {
      exceptions.push({
        kind: 'missing_legal_id',
        severity: 'error',
        hour: hour.hour,
        hourIndex: hour.index,
        slotKey: null,
        message:
          legalIdAt === undefined
            ? `${hour.label} has no legal ID: every hour needs one near the top of the hour`
            : `${hour.label}: the legal ID comes ${msToClock(legalIdAt)} into the hour, too far from the top`,
        details: legalIdAt === undefined ? {} : { offsetMs: legalIdAt },
      });
    }
    return { entries, exceptions, endsAt: cursor };
  }

  return { sorted, layOutHour };

  /** Lays out one stretch so it ends at its target: fades what runs long, fills what comes up short. */
  function fitStretch(
    items: Item[],
    start: number,
    target: Target,
    tolerance: number,
    hour: BroadcastHour,
    usedInHour: () => Set<string>,
    nextFillNumber: () => number,
  ): { items: Item[]; exceptions: LogException[] } {
    const found: LogException[] = [];
    const total = () => items.reduce((sum, item) => sum + item.lengthMs, 0);
    let over = start + total() - target.at;
    /** A song dropped here to meet the pin: the gap it leaves is ours, not the clock's. */
    let droppedSong = false;
    if (over === 0 || (!target.pinned && Math.abs(over) <= tolerance)) return { items, exceptions: found };
    const fadeWords = (ms: number) => `faded ${msToClock(ms)} early for ${target.what}`;
    const maxFade = (item: Item) => (FADEABLE.has(item.fill.type) ? Math.max(0, item.lengthMs - Math.max(MIN_KEPT_MS, Math.ceil(item.fill.lengthMs / 2))) : 0);
    const fade = (item: Item, ms: number) => {
      item.lengthMs -= ms;
      item.notes = item.notes.filter((n) => !n.startsWith('faded '));
      item.notes.push(fadeWords(item.fill.lengthMs - item.lengthMs));
    };
    /** The last entry that may be faded by `ms`. */
    const fadeableFor = (ms: number) => [...items].reverse().find((item) => maxFade(item) >= ms);

    if (over > 0) {
      // Running long: one fade if it can; else songs give way, then the gap is filled.
      for (;;) {
        const one = fadeableFor(over);
        if (one) {
          fade(one, over);
          return { items, exceptions: found };
        }
        const songs = items.filter((item) => item.fill.type === 'MUS' && !item.slot.locked);
        if (songs.length === 0) break;
        // The song closest to what is over goes (the latest of equals).
        let drop = songs[songs.length - 1]!;
        for (const song of songs) if (Math.abs(song.lengthMs - over) <= Math.abs(drop.lengthMs - over)) drop = song;
        items = items.filter((item) => item !== drop);
        droppedSong = true;
        found.push({
          kind: 'hour_overrun',
          severity: 'info',
          hour: hour.hour,
          hourIndex: hour.index,
          slotKey: drop.slot.key,
          message: `${hour.label}: "${drop.fill.title}" dropped to meet ${target.what}`,
          details: { trackId: drop.fill.trackId, overrunMs: over },
        });
        over -= drop.lengthMs;
        if (over <= 0) break;
      }
      if (over > 0) {
        // Nothing that may be faded is left: what runs into the pin is cut, what lies past it goes.
        while (items.length > 0 && over > 0) {
          const last = items[items.length - 1]!;
          if (last.lengthMs <= over) {
            items = items.slice(0, -1);
            over -= last.lengthMs;
            found.push(cutException(hour, last, `${hour.label}: "${last.fill.title}" dropped: it would start after ${target.what}`, over + last.lengthMs));
          } else {
            last.lengthMs -= over;
            last.notes.push(`cut ${msToClock(over)} short for ${target.what}`);
            found.push(cutException(hour, last, `${hour.label}: "${last.fill.title}" cut ${msToClock(over)} short for ${target.what}: nothing before it may be faded`, over));
            over = 0;
          }
        }
        return { items, exceptions: found };
      }
    }

    // Coming up short: whole fill items, best fit, then a fade closes what is left.
    let gap = -over;
    if (gap === 0) return { items, exceptions: found };
    const used = usedInHour();
    const added: Item[] = [];
    const addFill = (track: EngineTrack, note: string) => {
      used.add(track.id);
      fillMaterial.use(track.id);
      const item: Item = {
        slot: fillSlot(hour, items[items.length - 1]?.slot, nextFillNumber()),
        fill: { trackId: track.id, type: track.type, lengthMs: track.lengthMs, title: track.title, artist: track.artist, campaignId: null, makeGoodId: null, voiceTrackId: null, isFallback: false, fallbackReason: null, note: null },
        lengthMs: track.lengthMs,
        notes: [note],
      };
      added.push(item);
      return item;
    };
    const fillNote = `fill for ${target.what}`;
    const wholeGap = gap;
    for (;;) {
      // Each item once an hour while there are others; a clock far too short repeats them.
      const track = fillMaterial.bestUnder(gap, hour, used) ?? fillMaterial.bestUnder(gap, hour, NOTHING_USED);
      if (!track) break;
      addFill(track, fillNote);
      gap -= track.lengthMs;
    }
    if (gap > 0) {
      // No whole item fits what is left: one that is longer, with the song before it faded to make room …
      const fadeable = [...items, ...added].reverse().find((item) => maxFade(item) > 0);
      const longer = fadeable ? (fillMaterial.shortestOver(gap, hour, used, maxFade(fadeable) + gap) ?? fillMaterial.shortestOver(gap, hour, NOTHING_USED, maxFade(fadeable) + gap)) : undefined;
      if (fadeable && longer) {
        fade(fadeable, longer.lengthMs - gap);
        addFill(longer, fillNote);
        gap = 0;
      } else {
        // … or a bed faded to the gap; failing that any fill item, cut (dead air is worse).
        const bed = fillMaterial.bedOver(gap, hour, used) ?? fillMaterial.bedOver(gap, hour, NOTHING_USED);
        const other = bed ? undefined : (fillMaterial.shortestOver(gap, hour, used, Infinity) ?? fillMaterial.shortestOver(gap, hour, NOTHING_USED, Infinity));
        const cut = bed ?? other;
        if (cut) {
          const item = addFill(cut, fillNote);
          item.lengthMs = gap;
          item.notes.push(bed ? fadeWords(cut.lengthMs - gap) : `cut ${msToClock(cut.lengthMs - gap)} short for ${target.what}`);
          if (!bed) found.push(cutException(hour, item, `${hour.label}: "${cut.title}" cut ${msToClock(cut.lengthMs - gap)} short to close the gap before ${target.what}: no song or bed to fade`, 0));
          gap = 0;
        }
      }
    }
    if (gap === 0 && wholeGap > tolerance && !droppedSong) {
      // Filled, but the clock is short by more than a little: say so, so it gets fixed.
      found.push({
        kind: 'hour_underrun',
        severity: 'warning',
        hour: hour.hour,
        hourIndex: hour.index,
        slotKey: null,
        message: `${hour.label}: ${msToClock(wholeGap)} before ${target.what} filled with ${added.length} item${added.length === 1 ? '' : 's'} of fill material: the clock comes up short`,
        details: { gapMs: wholeGap, targetAt: target.at, filledWith: added.map((item) => item.fill.trackId) },
      });
    }
    if (gap > 0) {
      found.push({
        kind: 'hour_underrun',
        severity: 'error',
        hour: hour.hour,
        hourIndex: hour.index,
        slotKey: null,
        message: `${hour.label}: ${msToClock(gap)} of dead air before ${target.what}: no fill material fits (add promos, PSAs or beds, or set the station's fill types)`,
        details: { gapMs: gap, targetAt: target.at },
      });
    }
    return { items: [...items, ...added], exceptions: found };
  }
}

function cutException(hour: BroadcastHour, item: Item, message: string, overrunMs: number): LogException {
  return {
    kind: item.fill.campaignId ? 'spot_bumped' : 'hour_overrun',
    severity: 'warning',
    hour: hour.hour,
    hourIndex: hour.index,
    slotKey: item.slot.key,
    message,
    details: { overrunMs, trackId: item.fill.trackId, ...(item.fill.campaignId && { campaignId: item.fill.campaignId, count: 1 }) },
  };
}

/** A slot for a fill item: it belongs to the hour's clock but to no element of it. */
function fillSlot(hour: BroadcastHour, near: Slot | undefined, n: number): Slot {
  return {
    key: `${hour.index}:fill:${n}`,
    hourIndex: hour.index,
    hour: hour.hour,
    clockId: near?.clockId ?? hour.clockId ?? '',
    elementId: '',
    order: (near?.order ?? 0) + 0.5,
    type: 'PRO',
    title: null,
    fallback: null,
    categoryCode: null,
    ruleSetId: null,
    breakIndex: null,
    breakPosition: null,
    startOffsetMs: null,
    startKind: null,
    plannedLengthMs: 0,
    fill: null,
  };
}

/** The station's fill material: best fit first, least used today next, seeded ties. */
function createFillMaterial(inputs: BuildInputs) {
  const types = inputs.station.fillTypes && inputs.station.fillTypes.length > 0 ? inputs.station.fillTypes : DEFAULT_FILL_TYPES;
  const preference = new Map(types.map((t, i) => [t, i]));
  const random = createRandom(inputs.seed, 'timing:fill');
  const library = indexLibrary(inputs.library);
  const tracks = types
    .flatMap((type) => tracksOfType(library, type).filter((t) => t.lengthMs > 0))
    .map((track) => ({ track, tie: random() }))
    .sort((a, b) => a.track.lengthMs - b.track.lengthMs || preference.get(a.track.type)! - preference.get(b.track.type)! || a.tie - b.tie);
  const uses = new Map<string, number>();
  const usable = (track: EngineTrack, hour: BroadcastHour, used: ReadonlySet<string>) => !used.has(track.id) && allowedIn(track.daypartIds, hour.daypartIds);
  const score = (track: EngineTrack, misfit: number) => misfit + (uses.get(track.id) ?? 0) * REUSE_PENALTY_MS + preference.get(track.type)! * 1_000;
  return {
    use(trackId: string) {
      uses.set(trackId, (uses.get(trackId) ?? 0) + 1);
    },
    /** The item that fills most of `gap` without going over it. */
    bestUnder(gap: number, hour: BroadcastHour, used: ReadonlySet<string>): EngineTrack | undefined {
      let best: EngineTrack | undefined;
      let bestScore = Infinity;
      for (const { track } of tracks) {
        if (track.lengthMs > gap) break;
        if (!usable(track, hour, used)) continue;
        const s = score(track, gap - track.lengthMs);
        if (s < bestScore) [best, bestScore] = [track, s];
      }
      return best;
    },
    /** The shortest item longer than `gap` and at most `limit` long. */
    shortestOver(gap: number, hour: BroadcastHour, used: ReadonlySet<string>, limit: number): EngineTrack | undefined {
      let best: EngineTrack | undefined;
      let bestScore = Infinity;
      for (const { track } of tracks) {
        if (track.lengthMs <= gap) continue;
        if (track.lengthMs > limit) break;
        if (!usable(track, hour, used)) continue;
        const s = score(track, track.lengthMs - gap);
        if (s < bestScore) [best, bestScore] = [track, s];
      }
      return best;
    },
    /** A bed longer than `gap`, to be faded to it. */
    bedOver(gap: number, hour: BroadcastHour, used: ReadonlySet<string>): EngineTrack | undefined {
      return tracks.find(({ track }) => track.type === 'BED' && track.lengthMs > gap && usable(track, hour, used))?.track;
    },
  };
}
