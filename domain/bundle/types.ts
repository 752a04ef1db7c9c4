// TypeScript shape of a station bundle (see schema.ts for the rules of each field).
import type { StationContact } from '../station-identity.js';
import type { CopyRotation, CampaignStatus, ElementType, LiveSource, MusicUsage, StartKind, StationBand, TrackType, TransmissionCategory, WeekdayName } from '../vocabulary.js';

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
    /** What the reports print of the station; what is left out is not set. */
    identity?: BundleStationIdentity;
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

export interface BundleStationIdentity {
  callLetters?: string;
  frequency?: string;
  band?: StationBand;
  market?: string;
  communityOfLicense?: string;
  /** ISO 3166-1 alpha-2. */
  country?: string;
  /** SoundExchange NAME_OF_SERVICE. */
  serviceName?: string;
  transmissionCategory?: TransmissionCategory;
  bmiStationId?: string;
  musicFormat?: string;
  contact?: Partial<Record<keyof StationContact, string>>;
  signer?: { name?: string; title?: string };
}

export interface BundleClockElement {
  /** LIVE: a live show, network feed or outside programme (with `source`, `length` and a hard `start`). */
  type: ElementType;
  title?: string;
  source?: LiveSource;
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
  /** The marketing (record) label. */
  label?: string;
  /** Composers and lyricists. */
  writers?: string[];
  publishers?: string[];
  /** Older bundles: the writers in one string ("A / B"); read on import, never written. */
  composer?: string;
  /** Older bundles: the publishers in one string; read on import, never written. */
  publisher?: string;
  isrc?: string;
  iswc?: string;
  upc?: string;
  /** ISO 639-1/2. */
  language?: string;
  /** Canadian content; a flag left out is not known. */
  mapl?: { music?: boolean; artist?: boolean; performance?: boolean; lyrics?: boolean };
  usage?: MusicUsage;
  instrumental?: boolean;
  hit?: boolean;
  /** CRTC content category: "21", "22", "51" … */
  contentCategory?: string;
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
