// A track's cues, intro and outro, and the rules a change to them must keep. One place for the
// API (PATCH …/tracks/{id}) and the web app's library editor.
//
// A track's file is `lengthMs` long; it plays from `cueInMs` to `cueOutMs` (null: to the file's
// end), so what plays — the length the log builder times (EngineTrack.lengthMs, db/log-inputs.ts)
// — is cue-out − cue-in. The intro is the talk-over time from the cue-in, the outro the talk-over
// time before the cue-out; neither can be longer than what plays.

export interface TrackTiming {
  lengthMs: number;
  cueInMs: number;
  cueOutMs: number | null;
  introMs: number | null;
  outroMs: number | null;
}

export type TimingChange = Partial<Omit<TrackTiming, 'lengthMs'>>;

/** What plays: cue-out (the file's end when none) − cue-in. */
export const playedMs = (t: Pick<TrackTiming, 'lengthMs' | 'cueInMs' | 'cueOutMs'>) => (t.cueOutMs ?? t.lengthMs) - t.cueInMs;

/** "3:25.1": ms as minutes, seconds and tenths, for messages. */
export const clockText = (ms: number) => `${Math.floor(ms / 60_000)}:${((ms % 60_000) / 1000).toFixed(1).padStart(4, '0')}`;

/**
 * The problems of a track after a change, each at the field to correct (`cueInMs` …): a negative
 * value, a cue-out at or before the cue-in or past the file's end, an intro or outro longer than
 * what plays. A rule broken by a field that was not sent is said at the field sent that broke it.
 */
export function timingProblems(before: TrackTiming, change: TimingChange): { field: keyof TimingChange; message: string }[] {
  const after: TrackTiming = { ...before, ...change };
  const problems: { field: keyof TimingChange; message: string }[] = [];
  const sent = (field: keyof TimingChange) => field in change;
  /** The field to name: this one if it was sent, else the first sent of the others that bear on it. */
  const blame = (field: keyof TimingChange, others: (keyof TimingChange)[]) => (sent(field) ? field : (others.find(sent) ?? field));
  for (const field of ['cueInMs', 'cueOutMs', 'introMs', 'outroMs'] as const) {
    const value = after[field];
    if (sent(field) && value !== null && (!Number.isInteger(value) || value < 0)) problems.push({ field, message: 'must be a whole number of milliseconds, 0 or more' });
  }
  if (problems.length) return problems;
  const cueOut = after.cueOutMs ?? after.lengthMs;
  if (after.cueOutMs !== null && after.cueOutMs > after.lengthMs) {
    problems.push({ field: 'cueOutMs', message: `is past the end of the file (${clockText(after.lengthMs)})` });
  } else if (cueOut <= after.cueInMs) {
    problems.push({ field: blame('cueOutMs', ['cueInMs']), message: `the cue-out (${clockText(cueOut)}) must come after the cue-in (${clockText(after.cueInMs)})` });
  }
  if (problems.length) return problems;
  const played = playedMs(after);
  for (const [field, words] of [['introMs', 'intro'], ['outroMs', 'outro']] as const) {
    const value = after[field];
    if (value !== null && value > played) {
      problems.push({ field: blame(field, ['cueInMs', 'cueOutMs']), message: `the ${words} (${clockText(value)}) is longer than what plays between the cues (${clockText(played)})` });
    }
  }
  return problems;
}
