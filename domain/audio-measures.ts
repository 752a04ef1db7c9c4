// What LibreLog measures in a track's samples, without I/O: where the sound starts and ends
// (cue-in and cue-out, the silence around it trimmed) and its sample peak. The samples are
// floats in −1…1, one array per channel (media/analysis.ts decodes them).
//
// Intro and outro (the talk-over time before the vocal and after it) are estimated for music
// from its loudness in media/intro-outro.ts: where the song reaches and leaves its full level.

/** Quieter than this (RMS over a window) is silence: −50 dBFS. */
export const SILENCE_DBFS = -50;
/** The windows the level is read over. */
export const WINDOW_MS = 10;

export interface SoundBounds {
  /** The first sample of sound, ms from the start (floored). */
  cueInMs: number;
  /** Just after the last sample of sound, ms from the start (rounded up). */
  cueOutMs: number;
}

export interface SampleMeasures {
  lengthMs: number;
  /** null when the whole file is silence. */
  bounds: SoundBounds | null;
  /** The highest sample of any channel, dBFS; null for digital silence. */
  peakDbfs: number | null;
}

export const dbfsToLinear = (dbfs: number) => 10 ** (dbfs / 20);
export const linearToDbfs = (linear: number) => (linear > 0 ? 20 * Math.log10(linear) : null);

/** The loudest channel's RMS over samples [from, to). */
function windowRms(channels: readonly Float32Array[], from: number, to: number): number {
  let loudest = 0;
  for (const channel of channels) {
    let sum = 0;
    for (let i = from; i < to; i++) sum += channel[i]! * channel[i]!;
    loudest = Math.max(loudest, Math.sqrt(sum / Math.max(1, to - from)));
  }
  return loudest;
}

const above = (channels: readonly Float32Array[], i: number, threshold: number) => channels.some((c) => Math.abs(c[i]!) >= threshold);

/**
 * Where the sound is: the first window (WINDOW_MS) whose RMS reaches the threshold, and in it the
 * first sample that does; likewise the last. A click shorter than a window does not count as sound
 * unless it lifts its window's RMS over the threshold.
 */
export function soundBounds(channels: readonly Float32Array[], sampleRate: number, silenceDbfs = SILENCE_DBFS): SoundBounds | null {
  const length = channels[0]?.length ?? 0;
  const window = Math.max(1, Math.round((sampleRate * WINDOW_MS) / 1000));
  const threshold = dbfsToLinear(silenceDbfs);
  const windows = Math.ceil(length / window);
  const loud = (w: number) => windowRms(channels, w * window, Math.min(length, (w + 1) * window)) >= threshold;
  let first = -1;
  for (let w = 0; w < windows && first < 0; w++) if (loud(w)) first = w;
  if (first < 0) return null;
  let last = first;
  for (let w = windows - 1; w > first; w--) {
    if (loud(w)) {
      last = w;
      break;
    }
  }
  // Inside the window: the first (last) sample at the threshold; the window's edge if none is.
  let start = first * window;
  const firstEnd = Math.min(length, (first + 1) * window);
  while (start < firstEnd - 1 && !above(channels, start, threshold)) start++;
  let end = Math.min(length, (last + 1) * window) - 1;
  while (end > last * window && !above(channels, end, threshold)) end--;
  return { cueInMs: Math.floor((start * 1000) / sampleRate), cueOutMs: Math.ceil(((end + 1) * 1000) / sampleRate) };
}

export function samplePeak(channels: readonly Float32Array[]): number {
  let peak = 0;
  for (const channel of channels) for (const sample of channel) if (Math.abs(sample) > peak) peak = Math.abs(sample);
  return peak;
}

export function measureSamples(channels: readonly Float32Array[], sampleRate: number): SampleMeasures {
  const length = channels[0]?.length ?? 0;
  return {
    lengthMs: Math.round((length * 1000) / sampleRate),
    bounds: soundBounds(channels, sampleRate),
    peakDbfs: linearToDbfs(samplePeak(channels)),
  };
}
