// Timing: filled slots become timed log entries. Each hour starts at its top; hard starts
// pin an element to its offset; what does not fit is reported as under- or over-run.
// Every hour must carry a legal ID near its top (47 CFR 73.1201).
import { msToClock } from '../durations.js';
import { hourLabel } from './clock-expansion.js';
import { logEntryId } from './entry-id.js';
import type { BroadcastHour, BuildInputs, LogEntryDraft, LogException, Slot } from './types.js';

/** How far into the hour a legal ID still counts as "near the top". */
export const LEGAL_ID_WINDOW_MS = 10 * 60_000;

const LEGAL_ID = /\b(legal\s+id|station\s+id|top[- ]of[- ]hour\s+id|id)\b/i;

/** A LIN counts as the legal ID when its title or its clock element's title says it is one. */
export function isLegalId(slot: Slot): boolean {
  return slot.fill?.type === 'LIN' && (LEGAL_ID.test(slot.fill.title) || LEGAL_ID.test(slot.title ?? ''));
}

/** Offset in the hour as "MM:SS". */
const offsetLabel = (ms: number) => msToClock(ms).padStart(5, '0');

export function timeEntries(inputs: BuildInputs, hours: BroadcastHour[], slots: Slot[]): { entries: LogEntryDraft[]; exceptions: LogException[] } {
  const exceptions: LogException[] = [];
  const entries: LogEntryDraft[] = [];
  const tolerance = inputs.station.fillToleranceMs;
  const byHour = new Map<number, Slot[]>();
  for (const slot of slots) {
    const list = byHour.get(slot.hourIndex) ?? [];
    list.push(slot);
    byHour.set(slot.hourIndex, list);
  }

  for (const hour of hours) {
    const hourSlots = (byHour.get(hour.index) ?? []).sort((a, b) => a.order - b.order);
    if (!hour.clockId) continue; // reported by clock expansion
    const at = hourLabel(hour.hour);
    let cursor = hour.startsAt;
    let legalIdAt: number | undefined;
    for (const slot of hourSlots) {
      if (!slot.fill) continue; // the step that could not fill it has said so
      if (slot.startKind === 'hard' && slot.startOffsetMs !== null) {
        const pinned = hour.startsAt + slot.startOffsetMs;
        if (pinned - cursor > tolerance) {
          exceptions.push({
            kind: 'hour_underrun',
            severity: 'warning',
            hour: hour.hour,
            hourIndex: hour.index,
            slotKey: slot.key,
            message: `${at}: ${msToClock(pinned - cursor)} of dead air before the hard start of "${slot.fill.title}" at :${offsetLabel(slot.startOffsetMs)}`,
            details: { gapMs: pinned - cursor },
          });
        } else if (cursor > pinned) {
          exceptions.push({
            kind: 'hour_overrun',
            severity: 'warning',
            hour: hour.hour,
            hourIndex: hour.index,
            slotKey: slot.key,
            message: `${at}: content runs ${msToClock(cursor - pinned)} past the hard start of "${slot.fill.title}" at :${offsetLabel(slot.startOffsetMs)}`,
            details: { overrunMs: cursor - pinned },
          });
        }
        // A hard start is kept: what ran long before it is cut short in playout.
        cursor = pinned;
      }
      if (legalIdAt === undefined && isLegalId(slot)) legalIdAt = cursor - hour.startsAt;
      entries.push({
        id: logEntryId(inputs.station.id, inputs.date, slot.key),
        slotKey: slot.key,
        position: entries.length,
        startsAt: cursor,
        lengthMs: slot.fill.lengthMs,
        type: slot.fill.type,
        trackId: slot.fill.trackId,
        campaignId: slot.fill.campaignId,
        makeGoodId: slot.fill.makeGoodId,
        clockId: slot.clockId,
        clockElementId: slot.elementId,
        voiceTrackId: slot.fill.voiceTrackId,
        hour: hour.hour,
        hourIndex: hour.index,
        breakIndex: slot.breakIndex,
        startKind: slot.startKind,
        isFallback: slot.fill.isFallback,
        fallbackReason: slot.fill.fallbackReason,
        title: slot.fill.title,
        artist: slot.fill.artist,
        note: slot.fill.note,
      });
      cursor += slot.fill.lengthMs;
    }

    const filled = cursor - hour.startsAt;
    const diff = filled - hour.targetLengthMs;
    if (diff < -tolerance) {
      exceptions.push({
        kind: 'hour_underrun',
        severity: 'warning',
        hour: hour.hour,
        hourIndex: hour.index,
        slotKey: null,
        message: `${at} is ${msToClock(-diff)} short of its ${msToClock(hour.targetLengthMs)}`,
        details: { filledMs: filled, targetMs: hour.targetLengthMs },
      });
    } else if (diff > tolerance) {
      exceptions.push({
        kind: 'hour_overrun',
        severity: 'warning',
        hour: hour.hour,
        hourIndex: hour.index,
        slotKey: null,
        message: `${at} runs ${msToClock(diff)} over its ${msToClock(hour.targetLengthMs)}`,
        details: { filledMs: filled, targetMs: hour.targetLengthMs },
      });
    }
    if (legalIdAt === undefined || legalIdAt > LEGAL_ID_WINDOW_MS) {
      exceptions.push({
        kind: 'missing_legal_id',
        severity: 'error',
        hour: hour.hour,
        hourIndex: hour.index,
        slotKey: null,
        message:
          legalIdAt === undefined
            ? `${at} has no legal ID: every hour needs one near the top of the hour`
            : `${at}: the legal ID comes ${msToClock(legalIdAt)} into the hour, too far from the top`,
        details: legalIdAt === undefined ? {} : { offsetMs: legalIdAt },
      });
    }
  }
  return { entries, exceptions };
}
