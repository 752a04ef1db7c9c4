// The station's words (../shared/guide/domain.md), defined once and imported everywhere:
// migrations, models, the bundle schema, the API and the web app.

export const TRACK_TYPES = ['MUS', 'ADV', 'PSA', 'LIN', 'INT', 'PRO', 'BED', 'VT'] as const;
export type TrackType = (typeof TRACK_TYPES)[number];

export const TRACK_TYPE_NAMES: Record<TrackType, string> = {
  MUS: 'Music',
  ADV: 'Advertisement',
  PSA: 'Public service announcement',
  LIN: 'Liner / legal ID',
  INT: 'Interview / programme segment',
  PRO: 'Promo',
  BED: 'Music bed',
  VT: 'Voice track',
};

/**
 * What a clock element (and so a log entry) can be: a track type, or LIVE — a live show,
 * network feed or outside programme that LibreLog does not fill and playout leaves alone
 * (docs/log-rules.md §1). A live element is not a track: tracks are only TRACK_TYPES.
 */
export const ELEMENT_TYPES = [...TRACK_TYPES, 'LIVE'] as const;
export type ElementType = (typeof ELEMENT_TYPES)[number];

export const ELEMENT_TYPE_NAMES: Record<ElementType, string> = {
  ...TRACK_TYPE_NAMES,
  LIVE: 'Live or outside programme',
};

export const isTrackType = (type: string): type is TrackType => (TRACK_TYPES as readonly string[]).includes(type);

/** Where a LIVE element's programme comes from: the station's studio, a network feed, an outside broadcast. */
export const LIVE_SOURCES = ['live', 'network', 'outside'] as const;
export type LiveSource = (typeof LIVE_SOURCES)[number];

export const LIVE_SOURCE_NAMES: Record<LiveSource, string> = {
  live: 'Live from the studio',
  network: 'Network feed',
  outside: 'Outside broadcast',
};

/** A live element lasts at most its hour: it starts at its offset and ends by the top of the next hour. */
export const LIVE_MAX_LENGTH_MS = 3_600_000;

export const USER_ROLES = ['admin', 'traffic', 'programming', 'voice', 'viewer'] as const;
export type UserRole = (typeof USER_ROLES)[number];

/** A day's log moves through these, in order; `failed` can happen at any step. */
export const LOG_STATUSES = [
  'building',
  'awaiting_approval',
  'approved',
  'publishing',
  'published',
  'reconciling',
  'reconciled',
  'failed',
] as const;
export type LogStatus = (typeof LOG_STATUSES)[number];

/** Why an ADV slot carries a PSA instead of a spot. */
export const FALLBACK_REASONS = ['no_sale', 'campaign_expired', 'copy_missing'] as const;
export type FallbackReason = (typeof FALLBACK_REASONS)[number];

export const EXCEPTION_KINDS = [
  'rule_relaxed',
  'spot_bumped',
  'spot_preempted',
  'hour_underrun',
  'hour_overrun',
  'empty_slot',
  'missing_legal_id',
  'missing_clock',
  'approval_at_risk',
  'build_failed',
  'publish_failed',
  'reconciliation',
  'log_edit',
] as const;
export type ExceptionKind = (typeof EXCEPTION_KINDS)[number];

export const EXCEPTION_SEVERITIES = ['info', 'warning', 'error'] as const;
export type ExceptionSeverity = (typeof EXCEPTION_SEVERITIES)[number];

export const START_KINDS = ['soft', 'hard'] as const;
export type StartKind = (typeof START_KINDS)[number];

export const COPY_ROTATIONS = ['sequential', 'weighted'] as const;
export type CopyRotation = (typeof COPY_ROTATIONS)[number];

export const CAMPAIGN_STATUSES = ['active', 'paused', 'cancelled'] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

export const MAKE_GOOD_REASONS = ['missed', 'preempted'] as const;
export const MAKE_GOOD_STATUSES = ['owed', 'scheduled', 'aired', 'waived', 'expired'] as const;
export type MakeGoodStatus = (typeof MAKE_GOOD_STATUSES)[number];

export const PLAYOUT_TARGETS = ['file', 'libretime'] as const;
export type PlayoutTarget = (typeof PLAYOUT_TARGETS)[number];

export const AS_RUN_SOURCES = ['libretime', 'azuracast', 'manual', 'file'] as const;

export const ACTOR_TYPES = ['user', 'api_client', 'system'] as const;

/** ISO weekday numbers (1 = Monday … 7 = Sunday) by the short names bundles use. */
export const WEEKDAYS = { mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6, sun: 7 } as const;
export type WeekdayName = keyof typeof WEEKDAYS;

/**
 * Where a play of the as-run came from, for reconciliation (docs/reconciliation.md). `file` is
 * an as-run file import (LibreLog CSV, Rivendell reconciliation export), `manual` an
 * operator's confirmation; the database's `as_run_source` enum has them all (AS_RUN_SOURCES).
 */
export const AS_RUN_PLAY_SOURCES = ['libretime', 'azuracast', 'file', 'manual'] as const;
export type AsRunPlaySource = (typeof AS_RUN_PLAY_SOURCES)[number];

/** What became of a scheduled entry after air (docs/reconciliation.md). */
export const ENTRY_OUTCOMES = ['aired', 'aired_partially', 'substituted', 'moved', 'missed', 'not_due'] as const;
export type EntryOutcomeKind = (typeof ENTRY_OUTCOMES)[number];

/** Why an entry that playout should have aired did not. */
export const MISSED_REASONS = ['nothing_in_window', 'playout_gap', 'live_takeover', 'reported_missed'] as const;
export type MissedReason = (typeof MISSED_REASONS)[number];

/** Why an entry was not expected from playout at all. */
export const NOT_DUE_REASONS = ['live_show', 'outside_programme'] as const;
export type NotDueReason = (typeof NOT_DUE_REASONS)[number];

/** Why a play of the as-run is tied to no entry. */
export const UNSCHEDULED_REASONS = ['not_in_log', 'played_again'] as const;
export type UnscheduledReason = (typeof UNSCHEDULED_REASONS)[number];

/** Whether a day's as-run has come (`awaiting_as_run`: no source delivered anything yet). */
export const AS_RUN_STATES = ['awaiting_as_run', 'reconciled'] as const;
export type AsRunState = (typeof AS_RUN_STATES)[number];

/**
 * How a piece of music is used on air (the PROs pay a feature differently from a theme or a
 * bed; BMI's EMR codes F1, TO, TC, TT, B, JP). A track's `usage`; null: not said.
 */
export const MUSIC_USAGES = ['feature', 'theme_open', 'theme_close', 'theme', 'background', 'jingle'] as const;
export type MusicUsage = (typeof MUSIC_USAGES)[number];

/** How a station goes out: its band on air, or online only. */
export const STATION_BANDS = ['AM', 'FM', 'online'] as const;
export type StationBand = (typeof STATION_BANDS)[number];

/**
 * SoundExchange transmission categories (37 CFR 370.4): A non-subscription webcast, B simulcast
 * of a broadcast, C non-music programming, H/I/J the same for new subscription services, K
 * business establishment.
 */
export const TRANSMISSION_CATEGORIES = ['A', 'B', 'C', 'H', 'I', 'J', 'K'] as const;
export type TransmissionCategory = (typeof TRANSMISSION_CATEGORIES)[number];

/** What a hand edit to a built log does (docs/log-editing.md). */
export const LOG_EDIT_KINDS = ['insert', 'delete', 'move', 'replace', 'lock', 'unlock'] as const;
export type LogEditKind = (typeof LOG_EDIT_KINDS)[number];

/** An edit applies to every rebuild while active; dropped: its place is gone; undone: a lock unlocked. */
export const LOG_EDIT_STATES = ['active', 'dropped', 'undone'] as const;
export type LogEditState = (typeof LOG_EDIT_STATES)[number];
