// What an uploaded audio file really is: read from its bytes with music-metadata, never from
// the name or the type the browser claimed. Voice tracks (and, later, LibreTalk recordings)
// go through here before anything is stored.
import { parseFile } from 'music-metadata';

/** Containers LibreLog takes, with the extension and media type it stores them under. */
const CONTAINERS: readonly { match: RegExp; extension: string; mediaType: string }[] = [
  { match: /^MPEG$/i, extension: 'mp3', mediaType: 'audio/mpeg' },
  { match: /^FLAC$/i, extension: 'flac', mediaType: 'audio/flac' },
  { match: /^Ogg$/i, extension: 'ogg', mediaType: 'audio/ogg' },
  { match: /^WAVE$/i, extension: 'wav', mediaType: 'audio/wav' },
  { match: /^AIFF/i, extension: 'aiff', mediaType: 'audio/aiff' },
  // MP4 audio (M4A/AAC): music-metadata names the brand, e.g. "M4A/mp42/isom".
  { match: /^(M4A|mp4|isom|mp42)/i, extension: 'm4a', mediaType: 'audio/mp4' },
  // What browsers' MediaRecorder produces.
  { match: /^(EBML\/)?webm$/i, extension: 'webm', mediaType: 'audio/webm' },
];

/** Types a client may declare for an upload; the bytes still decide. */
export const ACCEPTED_UPLOAD_TYPES = /^(audio\/[\w.+-]+|video\/webm|video\/ogg|application\/ogg|application\/octet-stream)$/i;

/** Longer than a clock's hour cannot be a voice track for one of its slots. */
export const MAX_VOICE_TRACK_MS = 60 * 60 * 1000;

export interface AudioFacts {
  lengthMs: number;
  extension: string;
  mediaType: string;
  codec: string | null;
  sampleRate: number | null;
  channels: number | null;
  title: string | null;
  artist: string | null;
  /** Tags the library takes from a file (voice tracks use title and artist only). */
  album: string | null;
  isrc: string | null;
  label: string | null;
  genre: string | null;
  bpm: number | null;
}

export class NotAudio extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotAudio';
  }
}

/** Reads the length, format and tags of an audio file; NotAudio when it is something else. */
export async function inspectAudio(filePath: string): Promise<AudioFacts> {
  let metadata;
  try {
    // duration: true scans the whole file when the header does not say (VBR MP3, MediaRecorder WebM).
    metadata = await parseFile(filePath, { duration: true, skipCovers: true });
  } catch (error) {
    throw new NotAudio(`The file is not audio LibreLog can read (${error instanceof Error ? error.message : String(error)})`);
  }
  const { format, common } = metadata;
  const container = CONTAINERS.find((c) => c.match.test(format.container ?? ''));
  if (!container || format.hasAudio === false) {
    throw new NotAudio(`${format.container ?? 'This format'} is not an audio format LibreLog takes (MP3, FLAC, Ogg, WAV, AIFF, M4A or WebM)`);
  }
  const seconds = format.duration;
  if (seconds === undefined || !Number.isFinite(seconds) || seconds <= 0) throw new NotAudio('The file has no audio LibreLog can measure (its length is unknown or zero)');
  return {
    lengthMs: Math.round(seconds * 1000),
    extension: container.extension,
    mediaType: container.mediaType,
    codec: format.codec ?? null,
    sampleRate: format.sampleRate ?? null,
    channels: format.numberOfChannels ?? null,
    title: common.title?.trim() || null,
    artist: common.artist?.trim() || null,
    album: common.album?.trim() || null,
    isrc: common.isrc?.[0]?.trim().toUpperCase() || null,
    label: common.label?.[0]?.trim() || null,
    genre: common.genre?.[0]?.trim() || null,
    bpm: typeof common.bpm === 'number' && Number.isFinite(common.bpm) ? Math.round(common.bpm) : null,
  };
}
