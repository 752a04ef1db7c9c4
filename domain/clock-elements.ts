// The rules of a clock's elements that the clocks API and the bundle importer both apply
// (docs/log-rules.md §1): a live show, network feed or outside programme (LIVE) has a source,
// a hard start and a fixed length that ends within its hour, and nothing else may be timed
// inside it.
import { LIVE_MAX_LENGTH_MS, type ElementType, type LiveSource, type StartKind } from './vocabulary.js';

export interface ClockElementShape {
  type: ElementType;
  count: number;
  liveSource: LiveSource | null;
  targetLengthMs: number | null;
  startOffsetMs: number | null;
  startKind: StartKind | null;
  /** Whether the element names a library item, a category, a rule set or a fallback. */
  names: { track: boolean; category: boolean; ruleSet: boolean; fallback: boolean };
}

export interface ClockElementProblem {
  /** The element's index in the list. */
  index: number;
  field: 'source' | 'length' | 'start' | 'count' | 'track' | 'category' | 'ruleSet' | 'fallback';
  message: string;
}

const mmss = (ms: number) => `${String(Math.floor(ms / 60_000)).padStart(2, '0')}:${String(Math.floor((ms % 60_000) / 1000)).padStart(2, '0')}`;

/** What is wrong with the live elements of a clock (and the hard starts around them); empty when nothing. */
export function clockElementProblems(elements: readonly ClockElementShape[]): ClockElementProblem[] {
  const problems: ClockElementProblem[] = [];
  elements.forEach((e, index) => {
    const problem = (field: ClockElementProblem['field'], message: string) => problems.push({ index, field, message });
    if (e.type !== 'LIVE') {
      if (e.liveSource !== null) problem('source', `only a LIVE element has a source (this one is ${e.type})`);
      return;
    }
    if (e.liveSource === null) problem('source', 'a live programme says where it comes from: live, network or outside');
    if (e.startOffsetMs === null) problem('start', 'a live programme has a hard start in the hour');
    else if (e.startKind !== 'hard') problem('start', 'a live programme always starts hard');
    if (e.targetLengthMs === null || e.targetLengthMs <= 0) problem('length', 'a live programme has a fixed length');
    else if (e.targetLengthMs > LIVE_MAX_LENGTH_MS || (e.startOffsetMs ?? 0) + e.targetLengthMs > LIVE_MAX_LENGTH_MS) {
      problem('length', `a live programme ends by the end of its hour (from ${mmss(e.startOffsetMs ?? 0)} it may last ${mmss(LIVE_MAX_LENGTH_MS - (e.startOffsetMs ?? 0))} at most); a longer one takes a live clock in each of its hours`);
    }
    if (e.count !== 1) problem('count', 'a live programme is one element (count 1)');
    if (e.names.track) problem('track', 'LibreLog does not fill a live programme: it names no track');
    if (e.names.category) problem('category', 'a live programme has no category');
    if (e.names.ruleSet) problem('ruleSet', 'a live programme has no music rule set');
    if (e.names.fallback) problem('fallback', 'a live programme has no fallback');
    if (e.startOffsetMs === null || e.targetLengthMs === null) return;
    const start = e.startOffsetMs;
    const end = start + e.targetLengthMs;
    elements.forEach((other, j) => {
      if (j === index || other.startKind !== 'hard' || other.startOffsetMs === null) return;
      if (j < index && other.startOffsetMs > start) {
        problems.push({ index: j, field: 'start', message: `comes before the live programme at ${mmss(start)} in the clock, so it cannot start after it (${mmss(other.startOffsetMs)})` });
      } else if (j > index && other.startOffsetMs < end) {
        problems.push({ index: j, field: 'start', message: `starts at ${mmss(other.startOffsetMs)}, inside the live programme (${mmss(start)}–${mmss(end)})` });
      }
    });
  });
  return problems;
}
