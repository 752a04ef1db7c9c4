import type { EngineDaypart } from './types.js';

const DAY = 1440;

/**
 * The dayparts that contain local `minute` (0–1439) of ISO `weekday` (1 = Monday).
 * A daypart whose end is before its start runs past midnight into the next weekday.
 */
export function daypartsAt(dayparts: EngineDaypart[], weekday: number, minute: number): string[] {
  const previousWeekday = weekday === 1 ? 7 : weekday - 1;
  return dayparts
    .filter((d) => {
      if (d.startMinute < d.endMinute) return d.weekdays.includes(weekday) && minute >= d.startMinute && minute < d.endMinute;
      // Crosses midnight: the evening part on its own weekday, the morning part on the next.
      return (d.weekdays.includes(weekday) && minute >= d.startMinute && minute < DAY) || (d.weekdays.includes(previousWeekday) && minute < d.endMinute);
    })
    .map((d) => d.id);
}

/** True when `allowed` is empty (no restriction) or shares a daypart with `here`. */
export function allowedIn(allowed: string[], here: string[]): boolean {
  return allowed.length === 0 || allowed.some((id) => here.includes(id));
}

/**
 * Does one of a campaign's dayparts (the known ones; none: any time) fall on this ISO weekday?
 * (Days it cannot air do not share its weekly spots, and are not ordered.)
 */
export function airsOnWeekday(known: readonly EngineDaypart[], weekday: number): boolean {
  if (known.length === 0) return true;
  const previous = weekday === 1 ? 7 : weekday - 1;
  return known.some((d) => d.weekdays.includes(weekday) || (d.endMinute < d.startMinute && d.endMinute > 0 && d.weekdays.includes(previous)));
}
