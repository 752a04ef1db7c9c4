// TypeScript shape of a station bundle (see schema.ts for the rules of each field).
import type { CopyRotation, CampaignStatus, StartKind, TrackType, WeekdayName } from '../vocabulary.js';

/** Seconds, or "MM:SS" / "HH:MM:SS(.ffffff)". */
export type BundleDuration = number | string;

export interface StationBundle {
  $schema?: string;
  bundleVersion: 1;
  station: {
    slug: string;
    name: string;
    timezone: string;
    buildDaysAhead?: number;
    buildHour?: number;
    fillTolerance?: BundleDuration;
    approvalLeadHours?: number;
    trafficMayPublish?: boolean;
    /** Fill material, in order of preference (PRO, PSA, BED, LIN, INT or MUS). */
    fillTypes?: TrackType[];
  };
  categories?: { code: string; name?: string }[];
  dayparts?: { name: string; days: WeekdayName[]; start: string; end: string }[];
  ruleSets?: {
    name: string;
    genres?: string[];
    moods?: string[];
    bpm?: { min?: number; max?: number };
    energy?: { min?: number; max?: number };
    dayparts?: string[];
    artistSeparationMinutes?: number;
    titleSeparationHours?: number;
  }[];
  clocks?: BundleClock[];
  grid?: {
    weekly?: { days: WeekdayName[]; hours: number[]; clock: string }[];
    overrides?: { date: string; hours: number[]; clock: string; note?: string }[];
  };
  library?: BundleTrack[];
  advertisers?: { name: string; category?: string; contactName?: string; email?: string; phone?: string; notes?: string }[];
  campaigns?: BundleCampaign[];
}

export interface BundleClockElement {
  type: TrackType;
  title?: string;
  count?: number;
  fallback?: TrackType;
  category?: string;
  ruleSet?: string;
  track?: string;
  length?: BundleDuration;
  start?: { at: string; kind?: StartKind };
}

export interface BundleClock {
  name?: string;
  hour?: string;
  daypart?: string;
  targetLength?: BundleDuration;
  elements: BundleClockElement[];
}

export interface BundleTrack {
  ref: string;
  type: TrackType;
  title: string;
  artist?: string;
  album?: string;
  composer?: string;
  publisher?: string;
  isrc?: string;
  genre?: string;
  mood?: string;
  bpm?: number;
  energy?: number;
  length: BundleDuration;
  cueIn?: BundleDuration;
  cueOut?: BundleDuration;
  intro?: BundleDuration;
  outro?: BundleDuration;
  categories?: string[];
  dayparts?: string[];
  libretimeFileId?: number;
  azuracastMediaId?: string;
}

export interface BundleCampaign {
  advertiser: string;
  name: string;
  start: string;
  end: string;
  priority?: number;
  spotsPerDay?: number;
  spotsPerWeek?: number;
  spotLength?: BundleDuration;
  category?: string;
  dayparts?: string[];
  rotation?: CopyRotation;
  status?: CampaignStatus;
  orderNumber?: string;
  agency?: string;
  /** Percent of the gross, to the hundredth; only with an agency (default 15). */
  agencyCommission?: number;
  /** Integer cents of `currency`. */
  ratePerSpotCents?: number;
  /** ISO 4217; default USD. */
  currency?: string;
  copy: { track: string; weight?: number; start?: string; end?: string; isci?: string }[];
}
