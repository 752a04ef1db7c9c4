// Measuring an uploaded track: its samples decoded in Node by audio-decode (audiojs: WAV, MP3,
// FLAC, Ogg Vorbis/Opus, AIFF, M4A/AAC, WebM …, all JavaScript and WebAssembly), then the pure
// measures of domain/audio-measures.ts and EBU R128 loudness (media/loudness.ts). Whatever could
// not be measured is said in `problems` and left unknown — never guessed.
import decode from 'audio-decode';
import { readFile } from 'node:fs/promises';
import { measureSamples } from '../domain/audio-measures.js';
import type { AudioFacts } from './audio.js';
import { measureIntroOutro } from './intro-outro.js';
import { integratedLoudness } from './loudness.js';

/** Longer files are not decoded whole (a 20-minute stereo track is about 400 MB of samples). */
export const MAX_MEASURED_MS = 20 * 60 * 1000;

export interface AudioAnalysis {
  lengthMs: number;
  cueInMs: number;
  cueOutMs: number;
  /**
   * Measured from the levels for music when asked (media/intro-outro.ts: from the cue-in to full
   * level, and from leaving it to the cue-out); null otherwise or when it could not be measured.
   */
  introMs: number | null;
  outroMs: number | null;
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

export interface AnalysisOptions {
  /** Measure the intro and outro (music: LibreLog does it for MUS tracks). */
  introOutro?: boolean;
}

export async function analyseAudio(filePath: string, facts: AudioFacts, options: AnalysisOptions = {}): Promise<AudioAnalysis> {
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
  let introOutro = null;
  if (options.introOutro && loudnessLufs !== null) {
    introOutro = measureIntroOutro(channelData, sampleRate, { cueInMs, cueOutMs }, loudnessLufs);
    if (!introOutro) problems.push('intro and outro not measured: the audio between the cues is too short or never reaches its full level');
  }
  return { lengthMs, cueInMs, cueOutMs, introMs: introOutro?.introMs ?? null, outroMs: introOutro?.outroMs ?? null, loudnessLufs, peakDbfs: tenth(measured.peakDbfs), problems };
}
