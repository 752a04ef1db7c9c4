// The log-building engine's data: what it reads (a snapshot of the station, plain JSON) and
// what it produces (timed entries and exceptions). Everything here is serialisable, so the
// same shapes travel through Temporal activities. Times are epoch milliseconds (UTC);
// lengths are milliseconds; dates are 'YYYY-MM-DD' in the station's timezone.
import type { CopyRotation, ElementType, ExceptionKind, ExceptionSeverity, FallbackReason, LiveSource, StartKind, TrackType } from '../vocabulary.js';

export interface EngineTrack {
  id: string;
  type: TrackType;
  title: string;
  artist: string | null;
  genre: string | null;
  mood: string | null;
  bpm: number | null;
  energy: number | null;
  /** What plays: cue out − cue in. */
  lengthMs: number;
  introMs: number | null;
  outroMs: number | null;
  categoryCodes: string[];
  /** Dayparts the track may play in; empty = any time. */
  daypartIds: string[];
}

export interface EngineDaypart {
  id: string;
  name: string;
  /** ISO weekdays (1 = Monday) on which the daypart starts. */
  weekdays: number[];
  startMinute: number;
  /** May be 1440; end < start crosses midnight into the next weekday. */
  endMinute: number;
}

export interface EngineRuleSet {
  id: string;
  name: string;
  genres: string[];
  moods: string[];
  minBpm: number | null;
  maxBpm: number | null;
  minEnergy: number | null;
  maxEnergy: number | null;
  artistSeparationMinutes: number;
  titleSeparationHours: number;
  /** Dayparts the rule set may be used in; empty = any. */
  daypartIds: string[];
}

export interface EngineClockElement {
  id: string;
  position: number;
  /** A track type, or LIVE: a live show, network feed or outside programme of `targetLengthMs` at a hard start. */
  type: ElementType;
  title: string | null;
  count: number;
  fallback: TrackType | null;
  categoryCode: string | null;
  ruleSetId: string | null;
  /** A specific library item named by the element. */
  trackId: string | null;
  targetLengthMs: number | null;
  startOffsetMs: number | null;
  startKind: StartKind | null;
  /** For a LIVE element: where its programme comes from. */
  liveSource?: LiveSource | null;
}

export interface EngineClock {
  id: string;
  name: string;
  targetLengthMs: number;
  elements: EngineClockElement[];
}

export interface EngineCampaignCopy {
  trackId: string;
  weight: number;
  startsOn: string | null;
  endsOn: string | null;
}

export interface EngineCampaign {
  id: string;
  advertiserId: string;
  advertiserName: string;
  name: string;
  startsOn: string;
  endsOn: string;
  priority: number;
  spotsPerDay: number | null;
  spotsPerWeek: number | null;
  spotLengthMs: number;
  categoryCode: string | null;
  /** Dayparts the spots may air in; empty = any time. */
  daypartIds: string[];
  rotation: CopyRotation;
  status: 'active' | 'paused' | 'cancelled';
  copy: EngineCampaignCopy[];
  /** Spots of this campaign already in other logs of the same ISO week (for spots per week). */
  placedThisWeek: number;
  /**
   * Where sequential copy rotation continues today: the number of copies of the list already
   * used in the current cycle, i.e. one past the copy placed last (0 when none was).
   */
  placedBefore: number;
}

/** A make-good owed to a campaign: placed before anything else in a later log. */
export interface EngineMakeGood {
  id: string;
  campaignId: string;
  /** Traffic wants it in this daypart: it takes an avail only there (or stays owed). */
  daypartId?: string | null;
}

/** A play that counts for separation: the previous day's log and anything already placed. */
export interface EnginePlay {
  trackId: string;
  title: string;
  artist: string | null;
  startsAt: number;
}

export interface EngineVoiceTrack {
  id: string;
  /** Local clock hour (0–23) of the slot. */
  hour: number;
  clockElementId: string | null;
  slotIndex: number;
  trackId: string;
  title: string;
  lengthMs: number;
}

export interface BuildInputs {
  station: {
    id: string;
    slug: string;
    timezone: string;
    fillToleranceMs: number;
    /** Types of fill material that close a gap before a hard start, in order of preference (default PRO, PSA, BED). */
    fillTypes?: TrackType[];
    /** The largest share of the day's ADV avails make-goods may take, in percent (default 25); the rest wait for later days. */
    makeGoodSharePercent?: number;
  };
  date: string;
  /** Same inputs and seed → the same log. */
  seed: number;
  dayparts: EngineDaypart[];
  clocks: EngineClock[];
  /** Clock id by `${isoWeekday}:${hour}` for the weekly grid. */
  grid: Record<string, string>;
  /** Clock id by local hour for this date's overrides (they win over the grid). */
  overrides: Record<string, string>;
  ruleSets: EngineRuleSet[];
  library: EngineTrack[];
  campaigns: EngineCampaign[];
  makeGoods: EngineMakeGood[];
  history: EnginePlay[];
  voiceTracks: EngineVoiceTrack[];
  /** The day's hand edits still active, in the order they were made: a build applies them again (domain/log/edits.ts). */
  edits?: LogEdit[];
}

/** A hand edit to a day's log, kept so that every rebuild applies it again (docs/log-editing.md). */
export interface LogEdit {
  id: string;
  kind: 'insert' | 'delete' | 'move' | 'replace' | 'lock';
  /** The entry edited; for an insert, the entry it goes before or after. */
  entryId: string;
  /** The slot key that entry's id is made from: a lock finds its place by it when music has not made it again. */
  entrySlotKey?: string | null;
  /** insert and move: on which side of the anchor (the entry itself for an insert). */
  placement: 'before' | 'after' | null;
  /** move: the entry it goes next to. */
  anchorEntryId: string | null;
  /** What the place plays afterwards (insert, replace, lock; move: what was moved). */
  content: SlotFill | null;
}

/**
 * One hour of the broadcast day. A normal day has 24; a DST day 23 or 25 (the repeated
 * local hour appears twice with different `startsAt`).
 */
export interface BroadcastHour {
  /** 0-based position of the hour in the day. */
  index: number;
  /** Local clock hour 0–23. */
  hour: number;
  /** "07:00"; on a 25-hour day the repeated hour says which it is: "01:00 EDT", "01:00 EST". */
  label: string;
  /** The station's offset from UTC during this hour, in minutes (−420 for Phoenix). */
  utcOffsetMinutes: number;
  startsAt: number;
  /** Where the next hour (or the day) starts: startsAt + one hour, or the day's end if sooner. */
  endsAt: number;
  /** Real length of the hour: always 3,600,000 except where the clock itself is shorter. */
  targetLengthMs: number;
  clockId: string | null;
  /** Daypart ids this hour belongs to (by the hour's local start). */
  daypartIds: string[];
}

/**
 * A slot: one position of the log to fill, from one clock element (an element with
 * count 3 gives three slots). The engine steps fill slots in; timing comes last.
 */
export interface Slot {
  /** Stable within a day: `${hourIndex}:${elementPosition}:${n}`; entry ids derive from it. */
  key: string;
  hourIndex: number;
  hour: number;
  clockId: string;
  elementId: string;
  /** Order in the hour. */
  order: number;
  /** The element's type (what the clock asks for). */
  type: ElementType;
  title: string | null;
  fallback: TrackType | null;
  categoryCode: string | null;
  ruleSetId: string | null;
  /** For ADV/PSA: which break (stopset) of the hour, counting consecutive ADV/PSA elements as one break; null otherwise. */
  breakIndex: number | null;
  /** Position inside its break (0 = first spot). */
  breakPosition: number | null;
  startOffsetMs: number | null;
  startKind: StartKind | null;
  /** What the slot is expected to last before it is filled (element target length, else a typical length for the type). */
  plannedLengthMs: number;
  /** Filled in by the steps: */
  fill: SlotFill | null;
  /** Kept by hand (a locked entry, docs/log-editing.md): timing may fade it but never drops it. */
  locked?: boolean;
}

/** What fills a slot: a library item (a track), or for a LIVE element the live programme itself. */
export type SlotFill = TrackFill | LiveFill;

interface FillDetails {
  lengthMs: number;
  title: string;
  artist: string | null;
  campaignId: string | null;
  makeGoodId: string | null;
  voiceTrackId: string | null;
  isFallback: boolean;
  fallbackReason: FallbackReason | null;
  note: string | null;
}

export interface TrackFill extends FillDetails {
  trackId: string;
  /** The type of what fills the slot (a PSA in an ADV slot, a VT over anything). */
  type: TrackType;
}

/** A live show, network feed or outside programme: no track, its element's fixed length at its hard start. */
export interface LiveFill extends FillDetails {
  trackId: null;
  type: 'LIVE';
  liveSource: LiveSource;
}

export interface LogException {
  kind: ExceptionKind;
  severity: ExceptionSeverity;
  /** Local clock hour it concerns, if any. */
  hour: number | null;
  hourIndex: number | null;
  /** The slot it concerns, if any. */
  slotKey: string | null;
  message: string;
  details: Record<string, unknown>;
}

export interface LogEntryDraft {
  /** Stable UUID derived from station, date and slot key: a rebuild keeps the ids of unchanged slots. */
  id: string;
  slotKey: string;
  position: number;
  startsAt: number;
  /** What airs: the track's length, less what is faded early. */
  lengthMs: number;
  /** How much earlier than its own end the entry is faded to meet a hard start (0: plays to its end). */
  fadedEarlyMs: number;
  /** The fade at the end of an entry faded early, ms (0 otherwise). */
  fadeOutMs: number;
  /** LIVE: a live show, network feed or outside programme LibreLog does not fill; playout leaves its time alone. */
  type: ElementType;
  trackId: string | null;
  campaignId: string | null;
  makeGoodId: string | null;
  clockId: string | null;
  clockElementId: string | null;
  voiceTrackId: string | null;
  hour: number;
  hourIndex: number;
  /** The hour as the station says it ("01:00 EST" on the repeated hour of a 25-hour day). */
  hourLabel: string;
  breakIndex: number | null;
  startKind: StartKind | null;
  isFallback: boolean;
  fallbackReason: FallbackReason | null;
  title: string;
  artist: string | null;
  note: string | null;
  /** For a LIVE entry: where its programme comes from (live, network, outside). */
  liveSource?: LiveSource | null;
}

export interface BuiltLog {
  stationId: string;
  date: string;
  seed: number;
  hours: BroadcastHour[];
  entries: LogEntryDraft[];
  exceptions: LogException[];
  /** Campaign spots that fit nowhere. */
  bumped: { campaignId: string; count: number; reason: string }[];
  /** The hand edits applied again, and those whose place this build no longer has. */
  edits: { kept: string[]; dropped: { id: string; why: string }[] };
}
