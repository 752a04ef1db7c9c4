// Reconciliation's data: a day's scheduled entries, what the as-run says played, and what
// became of each entry. Plain JSON, so the same shapes travel through Temporal activities.
// Instants are epoch milliseconds (UTC), lengths milliseconds. The rules: docs/reconciliation.md.
import type { AsRunPlaySource, EntryOutcomeKind, MissedReason, NotDueReason, UnscheduledReason } from '../vocabulary.js';
import type { ElementType, TrackType } from '../vocabulary.js';

/** One scheduled entry of the day's log, as reconciliation needs it. */
export interface ScheduledEntry {
  /** The entry's stable id (the UUID that follows it to playout). */
  id: string;
  position: number;
  /** LIVE: a live show, network feed or outside programme playout is not to air (give it a `period`). */
  type: ElementType;
  /** Scheduled start (epoch ms). */
  startsAt: number;
  /** What was to air, ms (the track's length less any early fade). */
  lengthMs: number;
  trackId: string | null;
  campaignId: string | null;
  title: string;
  artist: string | null;
  /**
   * The ids the entry's audio has in playout systems (an AzuraCast media id, a Rivendell cart
   * number, a LibreTime file id), as the caller spells them in plays' `mediaId`.
   */
  mediaIds?: readonly string[];
  /** For a make-good: the id of the missed entry it makes good (else null). */
  makeGoodOf?: string | null;
  hardStart?: boolean;
  /**
   * A planned period playout does not air (a live show whose host plays the spots in the studio,
   * a relay of another programme): the entry is `not_due` unless the as-run shows it aired.
   */
  period?: NotDueReason | null;
}

/** One play of the as-run, from any source. */
export interface AsRunPlay {
  /** Unique within the day's as-run (the source's own id, e.g. `history:123`); the last tie-break. */
  id: string;
  source: AsRunPlaySource;
  startedAt: number;
  /** When it stopped; else `durationMs`; else it runs until the next play starts (see docs). */
  endedAt?: number | null;
  durationMs?: number | null;
  /** The log entry playout says this was (LibreTime's schedule item, a CSV `entry_id`, a Rivendell event GUID). */
  entryId?: string | null;
  trackId?: string | null;
  /** The playout system's own id of the audio (see ScheduledEntry.mediaIds). */
  mediaId?: string | null;
  /** The type of what played, where known (from the library): substitutions need it. */
  type?: TrackType | null;
  title?: string | null;
  artist?: string | null;
}

/** A span of time (epoch ms, end exclusive). */
export interface Period {
  startsAt: number;
  endsAt: number;
}

/** A span playout reports it did not play the log: a live show took over, or playout was off air. */
export interface Interruption extends Period {
  kind: 'live_takeover';
}

/** A planned span of the day whose entries playout is not expected to air. */
export interface PlannedPeriod extends Period {
  kind: NotDueReason;
}

/** An entry an operator says did not air (manual confirmation). */
export interface ReportedMiss {
  entryId: string;
  note: string | null;
}

/** Tolerances and windows; every field has a station default (DEFAULT_RECONCILIATION_RULES). */
export interface ReconciliationRules {
  /** How far from its scheduled start a play may be and still match the entry, by the entry's type (± ms). */
  matchWindowMs: Record<TrackType, number>;
  /** Within this (± ms) an entry aired on time; beyond it, early or late. */
  onTimeToleranceMs: number;
  /** The same for hard-start entries (the legal ID, a news bed at :30). */
  hardStartToleranceMs: number;
  /** A play shorter than this share of the entry's length aired only partially (0.8 = 80 %). */
  minPlayedShare: number;
  /** A play of the same type starting this close (± ms) to an unmatched entry took its place. */
  substitutionWindowMs: number;
  /** A play with neither end nor duration runs until the next play, at most this long. */
  openPlayMaxMs: number;
}

export interface ReconcileDayInput {
  /** The broadcast day (start and end instants, see `broadcastDayPeriod`). */
  day: Period;
  entries: readonly ScheduledEntry[];
  /** Every play from every source that may concern the day (a little either side is fine). */
  plays: readonly AsRunPlay[];
  interruptions?: readonly Interruption[];
  plannedPeriods?: readonly PlannedPeriod[];
  reportedMissed?: readonly ReportedMiss[];
  rules?: Partial<ReconciliationRules>;
  /** How long after the day's end the as-run may take before the report warns (ms). */
  asRunGraceMs?: number;
  /** The time now, to say whether an awaited as-run is overdue. */
  now?: number;
}

/**
 * How a matched play was tied to its entry. `repeat`: AzuraCast keeps no history row for a song
 * played again straight after itself, so an entry that repeats the one before it, with nothing
 * else recorded while it was due, aired on that play's row (docs/reconciliation.md §Matching).
 */
export type MatchedBy = 'entry_id' | 'track_id' | 'media_id' | 'artist_title' | 'repeat';

/** What played, as outcomes quote it. */
export interface PlayRef {
  playId: string;
  source: AsRunPlaySource;
  startedAt: number;
  /** How long it played, ms (null where the as-run does not say). */
  playedMs: number | null;
  trackId: string | null;
  type: TrackType | null;
  title: string | null;
  artist: string | null;
}

interface OutcomeBase {
  entryId: string;
  position: number;
  type: ElementType;
  campaignId: string | null;
  makeGoodOf: string | null;
  scheduledAt: number;
  lengthMs: number;
}

export interface AiredOutcome extends OutcomeBase {
  outcome: 'aired' | 'aired_partially';
  play: PlayRef;
  matchedBy: MatchedBy;
  /** Play start − scheduled start, whole seconds (negative: early). */
  offsetSeconds: number;
  timing: 'on_time' | 'early' | 'late';
  /** Played length / scheduled length (1 when the as-run gives no length). */
  playedShare: number;
}

export interface MovedOutcome extends OutcomeBase {
  outcome: 'moved';
  play: PlayRef;
  matchedBy: MatchedBy;
  offsetSeconds: number;
  playedShare: number;
}

export interface SubstitutedOutcome extends OutcomeBase {
  outcome: 'substituted';
  /** What played in its place. */
  play: PlayRef;
  offsetSeconds: number;
}

export interface MissedOutcome extends OutcomeBase {
  outcome: 'missed';
  reason: MissedReason;
  note: string | null;
}

export interface NotDueOutcome extends OutcomeBase {
  outcome: 'not_due';
  reason: NotDueReason;
}

export type EntryOutcome = AiredOutcome | MovedOutcome | SubstitutedOutcome | MissedOutcome | NotDueOutcome;

export interface UnscheduledPlay {
  play: PlayRef;
  reason: UnscheduledReason;
}

export interface ReconciledDay {
  state: 'reconciled';
  /** One per entry, in position order. */
  outcomes: EntryOutcome[];
  /** Plays that started within the day and no entry asked for, in time order. */
  unscheduled: UnscheduledPlay[];
  /** The sources that delivered plays for the day. */
  sources: AsRunPlaySource[];
  counts: Record<EntryOutcomeKind, number> & { unscheduled: number };
}

export interface AwaitingAsRunDay {
  state: 'awaiting_as_run';
  /** After this instant the report warns that the as-run has not come. */
  deadline: number;
  /** Whether `now` is past the deadline (false when `now` was not given). */
  overdue: boolean;
}

export type DayReconciliation = ReconciledDay | AwaitingAsRunDay;

export type { AsRunPlaySource, EntryOutcomeKind, MissedReason, NotDueReason, UnscheduledReason };
