// Lengths are milliseconds everywhere inside LibreLog; these turn the forms people and
// other systems write ("3:25", "00:03:25.5", 205.5 seconds) into milliseconds and back.

const DURATION_TEXT = /^(?:(\d{1,2}):)?(\d{1,2}):(\d{2})(?:\.(\d{1,6}))?$/;

/** Seconds (number) or "MM:SS" / "HH:MM:SS" with an optional fraction → milliseconds. */
export function durationToMs(value: number | string): number {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) throw new RangeError(`not a length: ${value}`);
    return Math.round(value * 1000);
  }
  const match = DURATION_TEXT.exec(value.trim());
  if (!match) throw new RangeError(`not a length: "${value}" (use seconds, MM:SS or HH:MM:SS)`);
  const [, hours, minutes, seconds, fraction] = match;
  const minutesN = Number(minutes);
  const secondsN = Number(seconds);
  if (secondsN > 59 || (hours !== undefined && minutesN > 59)) throw new RangeError(`not a length: "${value}"`);
  const fractionMs = fraction ? Math.round(Number(`0.${fraction}`) * 1000) : 0;
  return ((Number(hours ?? 0) * 60 + minutesN) * 60 + secondsN) * 1000 + fractionMs;
}

/** Milliseconds → "HH:MM:SS.ffffff", the interval form LibreTime's API uses. */
export function msToInterval(value: number): string {
  // Whole milliseconds: LibreLog's lengths are integers, and a fraction would print as digits LibreTime refuses.
  const ms = Math.round(value);
  const totalSeconds = Math.floor(ms / 1000);
  const micro = (ms % 1000) * 1000;
  const h = Math.floor(totalSeconds / 3600);
  const m = Math.floor((totalSeconds % 3600) / 60);
  const s = totalSeconds % 60;
  return `${pad(h)}:${pad(m)}:${pad(s)}.${String(micro).padStart(6, '0')}`;
}

/** Milliseconds → "M:SS" for people (log views, reports). */
export function msToClock(ms: number): string {
  const totalSeconds = Math.round(ms / 1000);
  const h = Math.floor(totalSeconds / 3600);
  const m = Math.floor((totalSeconds % 3600) / 60);
  const s = totalSeconds % 60;
  return h > 0 ? `${h}:${pad(m)}:${pad(s)}` : `${m}:${pad(s)}`;
}

/** "HH:MM" (00:00–24:00) → minutes after midnight. */
export function timeOfDayToMinutes(value: string): number {
  const [h, m] = value.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

/** The end of a period of the day, "HH:MM" → minutes after its midnight: "00:00" ends at midnight, like "24:00" (1440). */
export function endOfPeriodToMinutes(value: string): number {
  const minutes = timeOfDayToMinutes(value);
  return minutes === 0 ? 24 * 60 : minutes;
}

/** Minutes after midnight → "HH:MM". */
export function minutesToTimeOfDay(minutes: number): string {
  return `${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
