// A day's reconciliation: every scheduled entry gets exactly one outcome, every play of the
// day is either some entry's or unscheduled (docs/reconciliation.md).
import { ENTRY_OUTCOMES } from '../vocabulary.js';
import { asRunDayState } from './day.js';
import { lowerBound, MATCH_KEYS, matchByEntryId, matchByKey, matchRepeats, matchSubstitutes, windowOf, type MatchState, type Pair } from './match.js';
import { reconciliationRules } from './rules.js';
import type { AsRunPlay, AsRunPlaySource, DayReconciliation, EntryOutcome, EntryOutcomeKind, Period, PlayRef, ReconcileDayInput, ReconciledDay, ReconciliationRules, ReportedMiss, ScheduledEntry, UnscheduledPlay } from './types.js';

const byStartThenId = (a: AsRunPlay, b: AsRunPlay) => a.startedAt - b.startedAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * Reconciles a broadcast day. With no play from any source in the day (and no operator's
 * report), the day is `awaiting_as_run` and no entry is called missed.
 */
export function reconcileDay(input: ReconcileDayInput): DayReconciliation {
  const rules = reconciliationRules(input.rules);
  const { day } = input;
  const entries = [...input.entries].sort((a, b) => a.position - b.position || a.startsAt - b.startsAt);
  const widest = Math.max(0, ...Object.values(rules.matchWindowMs));
  const plays = input.plays.filter((p) => Number.isFinite(p.startedAt) && p.startedAt >= day.startsAt - widest && p.startedAt < day.endsAt + widest).sort(byStartThenId);
  const asRun = asRunDayState({ day, plays, reportedMissed: input.reportedMissed, now: input.now ?? -Infinity, graceMs: input.asRunGraceMs });
  if (asRun.state === 'awaiting_as_run') return { state: 'awaiting_as_run', deadline: asRun.deadline, overdue: asRun.overdue };

  const state: MatchState = { entries, plays, rules, entryPair: new Array<Pair | undefined>(entries.length), playUsed: new Array<boolean>(plays.length).fill(false) };
  const namedAndLost = matchByEntryId(state, day);
  for (const by of MATCH_KEYS) matchByKey(state, by);
  for (const by of MATCH_KEYS) matchByKey(state, by, day);
  matchSubstitutes(state, day);
  matchRepeats(state);

  const spans = playSpans(plays, rules);
  const reported = new Map((input.reportedMissed ?? []).map((r) => [r.entryId, r]));
  const outcomes = entries.map((entry, e) => outcomeOf(entry, state.entryPair[e], plays, spans, rules, input, reported));
  const unscheduled: UnscheduledPlay[] = [];
  plays.forEach((play, p) => {
    if (state.playUsed[p] || play.startedAt < day.startsAt || play.startedAt >= day.endsAt) return;
    unscheduled.push({ play: playRef(play, spans.measured[p]!), reason: namedAndLost.has(p) ? 'played_again' : 'not_in_log' });
  });
  const counts = Object.fromEntries([...ENTRY_OUTCOMES.map((k) => [k, 0]), ['unscheduled', unscheduled.length]]) as ReconciledDay['counts'];
  for (const o of outcomes) counts[o.outcome]++;
  const sources = [...new Set(plays.filter((p) => p.startedAt >= day.startsAt && p.startedAt < day.endsAt).map((p) => p.source))].sort() as AsRunPlaySource[];
  return { state: 'reconciled', outcomes, unscheduled, sources, counts };
}

interface Spans {
  /** How long each play played by the as-run's own word (end or duration), else null. */
  measured: (number | null)[];
  /** When each play ended, an open play running until the next one (at most openPlayMaxMs). */
  ends: number[];
  /** The latest end among plays 0…i: whether anything was on air at a moment is one binary search. */
  maxEnd: number[];
  order: number[];
}

function playSpans(plays: readonly AsRunPlay[], rules: ReconciliationRules): Spans {
  const measured = plays.map((p) => {
    if (p.endedAt !== undefined && p.endedAt !== null && Number.isFinite(p.endedAt)) return Math.max(0, p.endedAt - p.startedAt);
    if (p.durationMs !== undefined && p.durationMs !== null && Number.isFinite(p.durationMs)) return Math.max(0, p.durationMs);
    return null;
  });
  const ends = plays.map((p, i) => {
    const m = measured[i];
    if (m !== null && m !== undefined) return p.startedAt + m;
    let next = i + 1;
    while (next < plays.length && plays[next]!.startedAt === p.startedAt) next++;
    const until = next < plays.length ? plays[next]!.startedAt : p.startedAt + rules.openPlayMaxMs;
    return Math.min(until, p.startedAt + rules.openPlayMaxMs);
  });
  const maxEnd: number[] = [];
  ends.forEach((end, i) => maxEnd.push(Math.max(end, i > 0 ? maxEnd[i - 1]! : -Infinity)));
  return { measured, ends, maxEnd, order: plays.map((_, i) => i) };
}

/** Whether any play was on air during [from, to). */
function anythingOnAir(plays: readonly AsRunPlay[], spans: Spans, period: Period): boolean {
  const last = lowerBound(plays, period.endsAt, spans.order) - 1;
  return last >= 0 && spans.maxEnd[last]! > period.startsAt;
}

function playRef(play: AsRunPlay, playedMs: number | null): PlayRef {
  return {
    playId: play.id,
    source: play.source,
    startedAt: play.startedAt,
    playedMs,
    trackId: play.trackId ?? null,
    type: play.type ?? null,
    title: play.title ?? null,
    artist: play.artist ?? null,
  };
}

const within = <P extends Period>(at: number, periods: readonly P[] | undefined): P | undefined => periods?.find((p) => at >= p.startsAt && at < p.endsAt);

function outcomeOf(
  entry: ScheduledEntry,
  pair: Pair | undefined,
  plays: readonly AsRunPlay[],
  spans: Spans,
  rules: ReconciliationRules,
  input: ReconcileDayInput,
  reportedMissed: ReadonlyMap<string, ReportedMiss>,
): EntryOutcome {
  const base = {
    entryId: entry.id,
    position: entry.position,
    type: entry.type,
    campaignId: entry.campaignId,
    makeGoodOf: entry.makeGoodOf ?? null,
    scheduledAt: entry.startsAt,
    lengthMs: entry.lengthMs,
  };
  if (pair?.by === 'repeat') {
    // Aired straight after the same audio: when that play ended (as the row says, else as logged).
    const first = plays[pair.play]!;
    const startedAt = first.startedAt + (spans.measured[pair.play] ?? entry.lengthMs);
    const offsetMs = startedAt - entry.startsAt;
    const tolerance = entry.hardStart ? rules.hardStartToleranceMs : rules.onTimeToleranceMs;
    const timing = Math.abs(offsetMs) <= tolerance ? 'on_time' : offsetMs < 0 ? 'early' : 'late';
    return { ...base, outcome: 'aired', play: { ...playRef(first, null), startedAt }, matchedBy: 'repeat', offsetSeconds: Math.round(offsetMs / 1000), timing, playedShare: 1 };
  }
  if (pair) {
    const play = plays[pair.play]!;
    const playedMs = spans.measured[pair.play]!;
    const ref = playRef(play, playedMs);
    const offsetMs = play.startedAt - entry.startsAt;
    const offsetSeconds = Math.round(offsetMs / 1000);
    // Playout said "this is the entry" but played other audio: substituted all the same.
    const otherAudio = pair.by === 'entry_id' && play.trackId && entry.trackId && play.trackId !== entry.trackId;
    if (pair.by === 'substitute' || otherAudio) return { ...base, outcome: 'substituted', play: ref, offsetSeconds };
    const playedShare = playedMs === null || entry.lengthMs <= 0 ? 1 : playedMs / entry.lengthMs;
    if (Math.abs(offsetMs) > windowOf(rules, entry)) return { ...base, outcome: 'moved', play: ref, matchedBy: pair.by, offsetSeconds, playedShare };
    const tolerance = entry.hardStart ? rules.hardStartToleranceMs : rules.onTimeToleranceMs;
    const timing = Math.abs(offsetMs) <= tolerance ? 'on_time' : offsetMs < 0 ? 'early' : 'late';
    const outcome: EntryOutcomeKind = playedShare < rules.minPlayedShare ? 'aired_partially' : 'aired';
    return { ...base, outcome: outcome as 'aired' | 'aired_partially', play: ref, matchedBy: pair.by, offsetSeconds, timing, playedShare };
  }
  const reported = reportedMissed.get(entry.id);
  if (reported) return { ...base, outcome: 'missed', reason: 'reported_missed', note: reported.note };
  const planned = entry.period ?? within(entry.startsAt, input.plannedPeriods)?.kind;
  if (planned) return { ...base, outcome: 'not_due', reason: planned };
  if (within(entry.startsAt, input.interruptions)) return { ...base, outcome: 'missed', reason: 'live_takeover', note: null };
  const onAir = anythingOnAir(plays, spans, { startsAt: entry.startsAt, endsAt: entry.startsAt + Math.max(1, entry.lengthMs) });
  return { ...base, outcome: 'missed', reason: onAir ? 'nothing_in_window' : 'playout_gap', note: null };
}
