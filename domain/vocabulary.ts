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
export const MAKE_GOOD_STATUSES = ['owed', 'scheduled', 'aired', 'waived'] as const;

export const PLAYOUT_TARGETS = ['file', 'libretime'] as const;
export type PlayoutTarget = (typeof PLAYOUT_TARGETS)[number];

export const AS_RUN_SOURCES = ['libretime', 'azuracast', 'manual'] as const;

export const ACTOR_TYPES = ['user', 'api_client', 'system'] as const;

/** ISO weekday numbers (1 = Monday … 7 = Sunday) by the short names bundles use. */
export const WEEKDAYS = { mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6, sun: 7 } as const;
export type WeekdayName = keyof typeof WEEKDAYS;
