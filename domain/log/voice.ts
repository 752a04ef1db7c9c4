// Voice priority: a voice track recorded for a slot replaces what the clock put there; the
// timing step then moves the rest of the hour around its real length.
import { hourLabel } from './clock-expansion.js';
import type { BuildInputs, LogException, Slot } from './types.js';

export function overlayVoiceTracks(inputs: BuildInputs, slots: Slot[]): { slots: Slot[]; exceptions: LogException[] } {
  const exceptions: LogException[] = [];
  // Copies only of the slots a voice track takes: a day has hundreds, a few are voiced.
  const result = slots.slice();
  for (const voice of inputs.voiceTracks) {
    // The n-th slot of the element in that hour; on a 25-hour day the first of the two hours.
    const candidates = result.filter((s) => s.hour === voice.hour && s.elementId === voice.clockElementId);
    const firstHourIndex = candidates[0]?.hourIndex;
    const found = candidates.filter((s) => s.hourIndex === firstHourIndex)[voice.slotIndex];
    const slot = found ? { ...found } : undefined;
    if (slot) result[result.indexOf(found!)] = slot;
    if (!slot) {
      exceptions.push({
        kind: 'empty_slot',
        severity: 'warning',
        hour: voice.hour,
        hourIndex: null,
        slotKey: null,
        message: `Voice track "${voice.title}" for ${hourLabel(voice.hour)} has no slot: the hour's clock has no such element`,
        details: { voiceTrackId: voice.id, clockElementId: voice.clockElementId, slotIndex: voice.slotIndex },
      });
      continue;
    }
    if (slot.type === 'LIVE') {
      // A live programme is not LibreLog's to fill: the voice track waits for another slot.
      exceptions.push({
        kind: 'empty_slot',
        severity: 'warning',
        hour: slot.hour,
        hourIndex: slot.hourIndex,
        slotKey: slot.key,
        message: `Voice track "${voice.title}" for ${hourLabel(voice.hour)} names the live programme "${slot.fill?.title ?? slot.title ?? 'LIVE'}": a live slot takes no voice track`,
        details: { voiceTrackId: voice.id, clockElementId: voice.clockElementId, slotIndex: voice.slotIndex },
      });
      result[result.indexOf(slot)] = found!;
      continue;
    }
    const replaced = slot.fill ? `replaces ${slot.fill.title}` : `fills the ${slot.type} slot`;
    if (slot.fill?.campaignId) {
      // A paid spot gives way to the voice track: say so, so it can be made good.
      exceptions.push({
        kind: 'spot_bumped',
        severity: 'warning',
        hour: slot.hour,
        hourIndex: slot.hourIndex,
        slotKey: slot.key,
        message: `Voice track "${voice.title}" takes the place of the spot "${slot.fill.title}" at ${hourLabel(slot.hour)}`,
        details: { campaignId: slot.fill.campaignId, count: 1, voiceTrackId: voice.id },
      });
    }
    slot.fill = {
      trackId: voice.trackId,
      type: 'VT',
      lengthMs: voice.lengthMs,
      title: voice.title,
      artist: null,
      campaignId: null,
      makeGoodId: null,
      voiceTrackId: voice.id,
      isFallback: false,
      fallbackReason: null,
      note: `Voice track ${replaced}`,
    };
  }
  return { slots: result, exceptions };
}
