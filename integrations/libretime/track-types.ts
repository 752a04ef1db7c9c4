// LibreTime's track types (its "libraries": a code and a name per install) → LibreLog's track
// types. A station can map its own codes in its settings (`libretimeTrackTypes`); otherwise the
// common codes below are understood. A file without a track type is music — that is how most
// LibreTime libraries are filled. A code nobody mapped is not guessed: its files are skipped and
// the sync says which codes to map.
import { TRACK_TYPES, type TrackType } from '../../domain/vocabulary.js';

const COMMON_CODES: Record<string, TrackType> = {
  MUS: 'MUS',
  MUSIC: 'MUS',
  SONG: 'MUS',
  ADV: 'ADV',
  AD: 'ADV',
  ADS: 'ADV',
  COM: 'ADV',
  SPOT: 'ADV',
  PSA: 'PSA',
  LIN: 'LIN',
  ID: 'LIN',
  SID: 'LIN',
  LEGAL: 'LIN',
  INT: 'INT',
  INTERVIEW: 'INT',
  PRO: 'PRO',
  PROMO: 'PRO',
  BED: 'BED',
  VT: 'VT',
  VOICE: 'VT',
};

export type TrackTypeMapping = Record<string, TrackType>;

/** Our type for a LibreTime track type code, or undefined when the code is not mapped. */
export function trackTypeFor(code: string | null, stationMapping: TrackTypeMapping = {}): TrackType | undefined {
  if (code === null) return 'MUS';
  const upper = code.trim().toUpperCase();
  return stationMapping[code] ?? stationMapping[upper] ?? COMMON_CODES[upper];
}

/** A station's mapping from its settings, keeping only entries that name one of our types. */
export function stationTrackTypeMapping(settings: unknown): TrackTypeMapping {
  const raw = (settings as { libretimeTrackTypes?: unknown } | null)?.libretimeTrackTypes;
  if (typeof raw !== 'object' || raw === null) return {};
  return Object.fromEntries(Object.entries(raw).filter((pair): pair is [string, TrackType] => (TRACK_TYPES as readonly string[]).includes(pair[1] as string)));
}
