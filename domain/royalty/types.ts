// What the royalty and compliance files are written from (docs/royalty-formats.md): the
// station, the period and the plays that aired in it. Plain data the loader fills from the
// as-run and the library; the writers never read anything else and never invent a value —
// what a format needs and a play lacks is listed (MissingData), not made up.
// Instants are epoch milliseconds (UTC), lengths milliseconds, dates `YYYY-MM-DD`.
import { MUSIC_USAGES, STATION_BANDS, TRANSMISSION_CATEGORIES, type MusicUsage, type StationBand, type TrackType, type TransmissionCategory } from '../vocabulary.js';

// The station's words for these live in domain/vocabulary.ts; re-exported so a writer's caller needs one import.
export { MUSIC_USAGES, TRANSMISSION_CATEGORIES, type MusicUsage, type TransmissionCategory };
/** AM, FM, or online only (BMI writes OT). */
export const BANDS = STATION_BANDS;
export type Band = StationBand;

export interface StationContact {
  name: string | null;
  street: string | null;
  city: string | null;
  /** State or province. */
  region: string | null;
  postalCode: string | null;
  phone: string | null;
  email: string | null;
}

export interface ReportStation {
  /** KXYZ-FM */
  callLetters: string;
  /** KXYZ Community Radio */
  name: string;
  /** The NAME_OF_SERVICE SoundExchange knows the service by (call letters included, as registered). */
  soundExchangeServiceName: string;
  transmissionCategory: TransmissionCategory;
  band: Band;
  /** "91.5 MHz", "1340 kHz"; null online. */
  frequency: string | null;
  /** ISO 3166 alpha-2: US, CA. */
  country: string;
  /** The community of license, as the station identifies itself: "Flagstaff, Arizona". */
  communityOfLicense: string;
  /** IANA zone: every local date and time in the files is in it. */
  timezone: string;
  /** The id BMI gave the station; null: the call letters stand in. */
  bmiStationId: string | null;
  /** The station's format as BMI asks for it: Variety, Country, Jazz… */
  format: string;
  contact: StationContact;
  /**
   * The CRTC origin code of programmes the station produces itself, for programme segments
   * whose plays say none (docs/royalty-formats.md §CRTC); null: such segments are listed as missing it.
   */
  defaultOriginCode?: string | null;
}

/** Canadian content criteria: true, false, or null when the library does not say. */
export interface Mapl {
  music: boolean | null;
  artist: boolean | null;
  /** Performance or production. */
  performance: boolean | null;
  lyrics: boolean | null;
}

/** One play from the as-run with what the library knows of its track. */
export interface AiredPlay {
  /** The as-run play's id. */
  id: string;
  /** The library track, for "fix it" links; null for a play the library does not have. */
  trackId: string | null;
  startedAt: number;
  /** How long it aired, ms. */
  lengthMs: number;
  trackType: TrackType;
  title: string | null;
  /** The musical work's title when it differs from the recording's (SOCAN); null: the recording's title. */
  workTitle?: string | null;
  /** The featured artist / performer. */
  performer: string | null;
  album: string | null;
  /** The marketing label. */
  label: string | null;
  isrc: string | null;
  iswc: string | null;
  upc: string | null;
  /** Composers and lyricists, each a name. */
  writers: readonly string[];
  publishers: readonly string[];
  /** ISO 639-1 (en, fr) or the library's word for it; for a vocal the language it is sung in. */
  language: string | null;
  mapl: Mapl | null;
  /** null: not marked on the track (a MUS play is then a feature, a BED play background: docs). */
  usage: MusicUsage | null;
  instrumental?: boolean | null;
  /** A CRTC hit. */
  hit?: boolean | null;
  /** Audience at that moment (average or peak concurrent listeners, as the stream counts them); null: unknown. */
  listeners: number | null;
  /** CRTC content category: '12', '21', '22', '51'…; null: unknown (an ADV play is then 51, a commercial announcement). */
  contentCategory: string | null;
  /** CRTC origin code of the programme the play was part of; null: the station's default. */
  originCode?: string | null;
  /** ADV only. */
  advertiser?: string | null;
  product?: string | null;
  campaign?: string | null;
}

/** The report's days in the station's zone, both included. */
export interface ReportPeriod {
  from: string;
  to: string;
}

/** A file ready to send: its name, its MIME type, its bytes and how many data rows it carries. */
export interface RoyaltyFile {
  fileName: string;
  contentType: string;
  body: string | Buffer;
  /** Data rows (not headers or trailers). */
  rows: number;
}

/**
 * A play a format cannot report in full: which fields it lacks (AiredPlay's names; `isrc`
 * with `album` or `label` means "an ISRC, or else album and label").
 */
export interface MissingData {
  playId: string;
  trackId: string | null;
  title: string | null;
  startedAt: number;
  fields: string[];
}
