// Measuring an uploaded track: its samples decoded in Node by audio-decode (audiojs: WAV, MP3,
// FLAC, Ogg Vorbis/Opus, AIFF, M4A/AAC, WebM …, all JavaScript and WebAssembly), then the pure
// measures of domain/audio-measures.ts and EBU R128 loudness (media/loudness.ts). Whatever could
// not be measured is said in `problems` and left unknown — never guessed.
import decode from 'audio-decode';
import { readFile } from 'node:fs/promises';
import { measureSamples } from '../domain/audio-measures.js';
import type { AudioFacts } from './audio.js';
import { integratedLoudness } from './loudness.js';

/** Longer files are not decoded whole (a 20-minute stereo track is about 400 MB of samples). */
export const MAX_MEASURED_MS = 20 * 60 * 1000;

export interface AudioAnalysis {
  lengthMs: number;
  cueInMs: number;
  cueOutMs: number;
  /** Not measured (domain/audio-measures.ts says why): set by ear in the library. */
  introMs: null;
  outroMs: null;
  /** EBU R128 integrated loudness, LUFS, to 0.1. */
  loudnessLufs: number | null;
  /** Sample peak, dBFS, to 0.1. */
  peakDbfs: number | null;
  /** What could not be measured, and why. */
  problems: string[];
}

const tenth = (value: number | null) => (value === null ? null : Math.round(value * 10) / 10);

/** The whole file as the header says, for what could not be decoded. */
function unmeasured(facts: AudioFacts, problem: string): AudioAnalysis {
  return { lengthMs: facts.lengthMs, cueInMs: 0, cueOutMs: facts.lengthMs, introMs: null, outroMs: null, loudnessLufs: null, peakDbfs: null, problems: [problem] };
}

export async function analyseAudio(filePath: string, facts: AudioFacts): Promise<AudioAnalysis> {
  if (facts.lengthMs > MAX_MEASURED_MS) {
    return unmeasured(facts, `not measured: the audio is longer than ${MAX_MEASURED_MS / 60000} minutes; cues are the file's start and end, loudness unknown`);
  }
  let audio;
  try {
    audio = await decode(await readFile(filePath));
  } catch (error) {
    return unmeasured(facts, `not measured: the ${facts.extension.toUpperCase()} audio could not be decoded (${error instanceof Error ? error.message : String(error)}); cues are the file's start and end, loudness unknown`);
  }
  const { channelData, sampleRate } = audio;
  if (!channelData.length || !channelData[0]?.length) return unmeasured(facts, 'not measured: the file decoded to no samples');
  const measured = measureSamples(channelData, sampleRate);
  const lengthMs = Math.max(1, measured.lengthMs);
  const problems: string[] = [];
  let cueInMs = 0;
  let cueOutMs = lengthMs;
  if (measured.bounds) {
    cueInMs = Math.min(measured.bounds.cueInMs, lengthMs - 1);
    cueOutMs = Math.max(cueInMs + 1, Math.min(measured.bounds.cueOutMs, lengthMs));
  } else problems.push('the audio is silent throughout (nothing above −50 dBFS): cues are the file\'s start and end');
  if (channelData.length > 2) problems.push(`loudness measured on the first two of ${channelData.length} channels (left and right)`);
  const loudnessLufs = measured.bounds ? tenth(integratedLoudness(channelData.slice(0, 2), sampleRate)) : null;
  if (measured.bounds && loudnessLufs === null) problems.push('loudness unknown: the audio is below EBU R128\'s −70 LUFS gate throughout');
  return { lengthMs, cueInMs, cueOutMs, introMs: null, outroMs: null, loudnessLufs, peakDbfs: tenth(measured.peakDbfs), problems };
}
