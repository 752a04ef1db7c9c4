// Clock expansion: the grid picks a clock for each hour of the broadcast day in the
// station's timezone, and the clock's elements become slots. DST days have 23 or 25 hours.
// Elements that name their content (a legal ID, a news bed, an interview) are filled here.
import { DateTime } from 'luxon';
import { LIVE_MAX_LENGTH_MS, type ElementType, type TrackType } from '../vocabulary.js';
import { allowedIn, daypartsAt } from './dayparts.js';
import { indexLibrary, tracksOfType } from './library-index.js';
import { createRandom } from './random.js';
import type { BroadcastHour, BuildInputs, EngineTrack, LogException, Slot } from './types.js';

const HOUR_MS = 3_600_000;

/** What a slot is expected to last before it is filled, when its element does not say. */
export const TYPICAL_LENGTH_MS: Record<ElementType, number> = {
  MUS: 210_000,
  ADV: 30_000,
  PSA: 30_000,
  LIN: 10_000,
  PRO: 30_000,
  BED: 60_000,
  INT: 300_000,
  VT: 20_000,
  LIVE: 1_800_000,
};

const BREAK_TYPES: ReadonlySet<ElementType> = new Set(['ADV', 'PSA']);
/** Types whose elements are filled from the library by title (or any of the type). */
const PROGRAMME_TYPES: ReadonlySet<ElementType> = new Set(['LIN', 'BED', 'INT', 'PRO']);

const LIVE_TITLES = { live: 'Live programme', network: 'Network feed', outside: 'Outside broadcast' } as const;

/** The hours of `inputs.date` in the station's timezone, each with its clock and dayparts. */
export function broadcastHours(inputs: BuildInputs): BroadcastHour[] {
  const start = DateTime.fromISO(inputs.date, { zone: inputs.station.timezone }).startOf('day');
  if (!start.isValid) throw new RangeError(`Cannot build ${inputs.date} in timezone "${inputs.station.timezone}"`);
  const end = start.plus({ days: 1 }).toMillis();
  const clocks = new Map(inputs.clocks.map((c) => [c.id, c]));
  const hours: BroadcastHour[] = [];
  const locals: { hour: number; minute: number; weekday: number; offset: number; time: () => DateTime }[] = [];
  const last = DateTime.fromMillis(end - 1, { zone: inputs.station.timezone });
  if (last.offset === start.offset && end - start.toMillis() === 24 * HOUR_MS) {
    // No change of offset today (most days): the local hours are the day's 24, no zone lookups.
    for (let h = 0; h < 24; h++) locals.push({ hour: h, minute: 0, weekday: start.weekday, offset: start.offset, time: () => start.plus({ hours: h }) });
  } else {
    for (let at = start.toMillis(); at < end; at += HOUR_MS) {
      const local = DateTime.fromMillis(at, { zone: inputs.station.timezone });
      locals.push({ hour: local.hour, minute: local.minute, weekday: local.weekday, offset: local.offset, time: () => local });
    }
  }
  const seen = new Map<number, number>();
  for (const local of locals) seen.set(local.hour, (seen.get(local.hour) ?? 0) + 1);
  for (let at = start.toMillis(), index = 0; at < end; at += HOUR_MS, index++) {
    const local = locals[index]!;
    const clockId = inputs.overrides[String(local.hour)] ?? inputs.grid[`${local.weekday}:${local.hour}`] ?? null;
    const clock = clockId ? clocks.get(clockId) : undefined;
    hours.push({
      index,
      hour: local.hour,
      // The hour a 25-hour day repeats is told apart by its zone ("01:00 EDT", "01:00 EST").
      label: seen.get(local.hour)! > 1 ? `${hourLabel(local.hour)} ${zoneName(local.time())}` : hourLabel(local.hour),
      utcOffsetMinutes: local.offset,
      startsAt: at,
      endsAt: Math.min(at + HOUR_MS, end),
      targetLengthMs: Math.min(clock?.targetLengthMs ?? HOUR_MS, end - at),
      clockId: clock ? clock.id : null,
      daypartIds: daypartsAt(inputs.dayparts, local.weekday, local.hour * 60 + local.minute),
    });
  }
  return hours;
}

export const hourLabel = (hour: number) => `${String(hour).padStart(2, '0')}:00`;

/** "EDT", else the offset ("UTC+2") where the zone has no short name in English. */
export function zoneName(local: DateTime): string {
  const name = local.setLocale('en-US').offsetNameShort;
  return name && !/^GMT[+-]/.test(name) ? name : `UTC${local.toFormat('ZZ')}`;
}

/** Every clock element of every hour as slots, in order; programme elements already filled. */
export function expandClocks(inputs: BuildInputs, hours: BroadcastHour[]): { slots: Slot[]; exceptions: LogException[] } {
  const clocks = new Map(inputs.clocks.map((c) => [c.id, c]));
  const library = indexLibrary(inputs.library);
  const random = createRandom(inputs.seed, 'programme');
  const lastUsed = new Map<string, number>();
  const slots: Slot[] = [];
  const exceptions: LogException[] = [];

  for (const hour of hours) {
    const clock = hour.clockId ? clocks.get(hour.clockId) : undefined;
    if (!clock) {
      exceptions.push({
        kind: 'missing_clock',
        severity: 'error',
        hour: hour.hour,
        hourIndex: hour.index,
        slotKey: null,
        message: `No clock for ${hour.label}: the grid has no clock for this hour`,
        details: {},
      });
      continue;
    }
    let order = 0;
    let breakIndex = -1;
    let breakPosition = 0;
    let previousWasBreak = false;
    for (const element of [...clock.elements].sort((a, b) => a.position - b.position)) {
      const isBreak = BREAK_TYPES.has(element.type);
      if (isBreak && !previousWasBreak) {
        breakIndex++;
        breakPosition = 0;
      }
      previousWasBreak = isBreak;
      // A live programme is one block, whatever its count says.
      const count = element.type === 'LIVE' ? 1 : element.count;
      for (let n = 0; n < count; n++) {
        const slot: Slot = {
          key: `${hour.index}:${element.position}:${n}`,
          hourIndex: hour.index,
          hour: hour.hour,
          clockId: clock.id,
          elementId: element.id,
          order: order++,
          type: element.type,
          title: element.title,
          fallback: element.fallback,
          categoryCode: element.categoryCode,
          ruleSetId: element.ruleSetId,
          breakIndex: isBreak ? breakIndex : null,
          breakPosition: isBreak ? breakPosition++ : null,
          // A hard or soft start applies to the element's first item; the rest follow it.
          startOffsetMs: n === 0 ? element.startOffsetMs : null,
          startKind: n === 0 ? element.startKind : null,
          plannedLengthMs: element.targetLengthMs ?? TYPICAL_LENGTH_MS[element.type],
          fill: null,
        };
        if (element.type === 'LIVE') {
          // A live show, network feed or outside programme: nothing from the library, its fixed
          // length at its hard start, inside its hour (docs/log-rules.md §1).
          const offset = Math.min(Math.max(0, element.startOffsetMs ?? 0), hour.targetLengthMs);
          const lengthMs = Math.max(0, Math.min(element.targetLengthMs ?? TYPICAL_LENGTH_MS.LIVE, LIVE_MAX_LENGTH_MS, hour.targetLengthMs - offset));
          slot.startOffsetMs = n === 0 ? offset : null;
          slot.startKind = n === 0 ? 'hard' : null;
          slot.plannedLengthMs = lengthMs;
          const liveSource = element.liveSource ?? 'live';
          slot.fill = {
            trackId: null,
            type: 'LIVE',
            liveSource,
            lengthMs,
            title: element.title?.trim() || LIVE_TITLES[liveSource],
            artist: null,
            campaignId: null,
            makeGoodId: null,
            voiceTrackId: null,
            isFallback: false,
            fallbackReason: null,
            note: null,
          };
        } else if (element.trackId || PROGRAMME_TYPES.has(element.type)) {
          const named = element.trackId ? library.byId.get(element.trackId) : undefined;
          const track = named ?? pickProgrammeItem(tracksOfType(library, element.type as TrackType), element.title, lastUsed, random, hour.daypartIds);
          if (track) {
            lastUsed.set(track.id, hour.startsAt + slot.order);
            slot.plannedLengthMs = track.lengthMs;
            slot.fill = {
              trackId: track.id,
              type: track.type,
              lengthMs: track.lengthMs,
              title: track.title,
              artist: track.artist,
              campaignId: null,
              makeGoodId: null,
              voiceTrackId: null,
              isFallback: false,
              fallbackReason: null,
              note: null,
            };
          } else {
            exceptions.push({
              kind: 'empty_slot',
              severity: element.type === 'LIN' ? 'error' : 'warning',
              hour: hour.hour,
              hourIndex: hour.index,
              slotKey: slot.key,
              message: `Nothing in the library for "${element.title ?? element.type}" at ${hour.label} (${element.type})`,
              details: { elementId: element.id, type: element.type, title: element.title },
            });
          }
        }
        slots.push(slot);
      }
    }
  }
  return { slots, exceptions };
}

/**
 * The library item an element names by title (case-insensitive), else any item of its type
 * allowed in the hour; among candidates the least recently used today wins.
 */
function pickProgrammeItem(
  candidates: readonly EngineTrack[],
  title: string | null,
  lastUsed: Map<string, number>,
  random: () => number,
  daypartIds: string[],
): EngineTrack | undefined {
  const wanted = title?.trim().toLowerCase();
  const allowed = candidates.filter((t) => allowedIn(t.daypartIds, daypartIds));
  const byTitle = wanted ? allowed.filter((t) => t.title.trim().toLowerCase() === wanted) : [];
  const pool = byTitle.length ? byTitle : allowed;
  if (pool.length === 0) return undefined;
  let best: EngineTrack | undefined;
  let bestScore = Infinity;
  for (const track of pool) {
    // Never used scores lowest; ties broken by the seeded random.
    const score = (lastUsed.get(track.id) ?? -1) + random() * 1e-3;
    if (score < bestScore) {
      best = track;
      bestScore = score;
    }
  }
  return best;
}
