// The whole engine in one call: the same steps the broadcast-day workflow runs as
// activities, composed for tests, previews and the benchmark.
import { broadcastHours, expandClocks } from './clock-expansion.js';
import { scheduleMusic } from './music.js';
import { withEdits } from './edits.js';
import { timeEntries } from './timing.js';
import { placeTraffic } from './traffic.js';
import type { BuildInputs, BuiltLog } from './types.js';
import { overlayVoiceTracks } from './voice.js';

export function buildLog(inputs: BuildInputs): BuiltLog {
  const hours = broadcastHours(inputs);
  const expanded = expandClocks(inputs, hours);
  // Traffic and voice tracks first, so music is fitted around the real lengths of what they
  // placed; timing then closes what is left at each hard start (docs/log-rules.md).
  const traffic = placeTraffic(inputs, hours, expanded.slots);
  const voiced = overlayVoiceTracks(inputs, traffic.slots);
  // Hand edits before music (it fits songs around them), and after it those whose place music makes.
  const day = { stationId: inputs.station.id, date: inputs.date };
  const early = withEdits(day, voiced.slots, inputs.edits ?? [], 'before_music');
  const music = scheduleMusic(inputs, hours, early.slots);
  const late = withEdits(day, music.slots, early.pending, 'final');
  const timed = timeEntries(inputs, hours, late.slots);
  return {
    stationId: inputs.station.id,
    date: inputs.date,
    seed: inputs.seed,
    hours,
    entries: timed.entries,
    exceptions: [...expanded.exceptions, ...traffic.exceptions, ...voiced.exceptions, ...music.exceptions, ...timed.exceptions],
    bumped: traffic.bumped,
    edits: { kept: [...early.kept, ...late.kept], dropped: [...early.dropped, ...late.dropped] },
  };
}
