// Intro and outro measured from a song's levels: where it reaches full level after the cue-in
// and where it leaves it before the cue-out (media/intro-outro.ts), on synthetic songs whose
// shape is known.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyseAudio } from '../../media/analysis.js';
import { inspectAudio } from '../../media/audio.js';
import { FULL_WITHIN_LU, gatedLoudness, measureIntroOutro } from '../../media/intro-outro.js';
import { integratedLoudness } from '../../media/loudness.js';
import { wavOf } from '../fixtures/audio.js';

const RATE = 44_100;

/** A song drawn as a level curve: segments of a 440 Hz + 1.1 kHz tone, each from one level to another (dBFS, linear in dB, as a fader moves). */
function song(segments: { ms: number; fromDb: number; toDb?: number }[], sampleRate = RATE): Float32Array {
  const total = segments.reduce((sum, s) => sum + Math.round((s.ms * sampleRate) / 1000), 0);
  const samples = new Float32Array(total);
  let i = 0;
  for (const s of segments) {
    const n = Math.round((s.ms * sampleRate) / 1000);
    for (let k = 0; k < n; k++, i++) {
      const db = s.fromDb + ((s.toDb ?? s.fromDb) - s.fromDb) * (k / n);
      const level = Number.isFinite(db) ? 10 ** (db / 20) : 0;
      samples[i] = level * 0.5 * (Math.sin((2 * Math.PI * 440 * i) / sampleRate) + Math.sin((2 * Math.PI * 1100 * i) / sampleRate));
    }
  }
  return samples;
}

const SILENT = -Infinity;

describe('the meter reads what ebur128 reads', () => {
  it('integrated loudness from our K-weighted 100 ms hops agrees with ebur128 to 0.01 LU', () => {
    const shaped = song([{ ms: 8000, fromDb: -60, toDb: -12 }, { ms: 20_000, fromDb: -12 }, { ms: 6000, fromDb: -12, toDb: -60 }]);
    const steady = song([{ ms: 10_000, fromDb: -20 }], 48_000);
    const right = song([{ ms: 3000, fromDb: SILENT }, { ms: 31_000, fromDb: -20 }]);
    for (const [channels, rate] of [[[shaped], RATE], [[shaped, right], RATE], [[steady], 48_000]] as const) {
      const ours = gatedLoudness(channels, rate)!;
      expect(Math.abs(ours - integratedLoudness(channels, rate)!)).toBeLessThan(0.01);
    }
  });
});

describe('intro and outro', () => {
  it('a song that fades in over 8 s, plays, and fades out over 6 s: intro about 8 s, outro about the fade', () => {
    const samples = song([{ ms: 1000, fromDb: SILENT }, { ms: 8000, fromDb: -60, toDb: -12 }, { ms: 20_000, fromDb: -12 }, { ms: 6000, fromDb: -12, toDb: -60 }, { ms: 1000, fromDb: SILENT }]);
    const cues = { cueInMs: 1000, cueOutMs: 35_000 };
    const measured = measureIntroOutro([samples], RATE, cues, integratedLoudness([samples], RATE)!)!;
    // Called over a little before the fade-in's top (in its last 6 LU, a second of this 6 dB/s fade), never after it.
    expect(measured.introMs).toBeGreaterThanOrEqual(6500);
    expect(measured.introMs).toBeLessThanOrEqual(8000);
    // The fade-out starts at 29 s, 6 s before the cue-out; the outro starts a little after it, never before.
    expect(measured.outroMs).toBeGreaterThanOrEqual(5000);
    expect(measured.outroMs).toBeLessThanOrEqual(6000);
  });

  it('a song at full level from its cue-in to its cue-out (a cold start and a cold end) has neither', () => {
    const samples = song([{ ms: 500, fromDb: SILENT }, { ms: 30_000, fromDb: -14 }, { ms: 500, fromDb: SILENT }]);
    const measured = measureIntroOutro([samples], RATE, { cueInMs: 500, cueOutMs: 30_500 }, integratedLoudness([samples], RATE)!);
    expect(measured).toEqual({ introMs: 0, outroMs: 0 });
  });

  it('a quiet 10 s intro (18 LU under the song) with one hit at the song\'s level in it: the hit does not end the intro', () => {
    const samples = song([{ ms: 4000, fromDb: -32 }, { ms: 100, fromDb: -14 }, { ms: 5900, fromDb: -32 }, { ms: 25_000, fromDb: -14 }]);
    const measured = measureIntroOutro([samples], RATE, { cueInMs: 0, cueOutMs: 35_000 }, integratedLoudness([samples], RATE)!)!;
    expect(measured.introMs).toBeGreaterThanOrEqual(9600);
    expect(measured.introMs).toBeLessThanOrEqual(10_000);
    expect(measured.outroMs).toBe(0);
  });

  it(`a verse a few LU under the chorus is still the song (full means within ${FULL_WITHIN_LU} LU of the integrated loudness)`, () => {
    const samples = song([{ ms: 15_000, fromDb: -18 }, { ms: 15_000, fromDb: -14 }, { ms: 15_000, fromDb: -18 }]);
    const measured = measureIntroOutro([samples], RATE, { cueInMs: 0, cueOutMs: 45_000 }, integratedLoudness([samples], RATE)!);
    expect(measured).toEqual({ introMs: 0, outroMs: 0 });
  });

  it('the cues bound what is read: sound outside them does not count, and the figures run from the cue-in and to the cue-out', () => {
    // Full level from 0 to 20 s, but the cue-in is set at 2 s and the cue-out at 15 s.
    const samples = song([{ ms: 20_000, fromDb: -14 }]);
    expect(measureIntroOutro([samples], RATE, { cueInMs: 2000, cueOutMs: 15_000 }, integratedLoudness([samples], RATE)!)).toEqual({ introMs: 0, outroMs: 0 });
    // A quiet first 5 s: measured from the cue-in at 1 s, the intro is about 4 s.
    const quietStart = song([{ ms: 5000, fromDb: -40 }, { ms: 20_000, fromDb: -14 }]);
    const measured = measureIntroOutro([quietStart], RATE, { cueInMs: 1000, cueOutMs: 25_000 }, integratedLoudness([quietStart], RATE)!)!;
    expect(measured.introMs).toBeGreaterThanOrEqual(3600);
    expect(measured.introMs).toBeLessThanOrEqual(4000);
  });

  it('a stereo song whose right channel comes in late: both channels count', () => {
    const left = song([{ ms: 20_000, fromDb: -40 }]);
    const right = song([{ ms: 6000, fromDb: SILENT }, { ms: 14_000, fromDb: -14 }]);
    const measured = measureIntroOutro([left, right], RATE, { cueInMs: 0, cueOutMs: 20_000 }, integratedLoudness([left, right], RATE)!)!;
    expect(measured.introMs).toBeGreaterThanOrEqual(5600);
    expect(measured.introMs).toBeLessThanOrEqual(6000);
  });

  it('less than one 400 ms block between the cues: not measured', () => {
    const samples = song([{ ms: 1000, fromDb: -14 }]);
    expect(measureIntroOutro([samples], RATE, { cueInMs: 0, cueOutMs: 300 }, -17)).toBeNull();
  });
});

describe('analysing an uploaded file', () => {
  it('a WAV song: intro and outro measured from the cue-in and to the cue-out when asked (music), left unknown otherwise', async () => {
    const folder = await mkdtemp(path.join(tmpdir(), 'librelog-intro-'));
    try {
      const file = path.join(folder, 'song.wav');
      // 2 s of silence, a 5 s fade-in from −50 dBFS, 15 s of song, a 4 s fade-out, 1 s of silence.
      await writeFile(file, wavOf([song([{ ms: 2000, fromDb: SILENT }, { ms: 5000, fromDb: -50, toDb: -12 }, { ms: 15_000, fromDb: -12 }, { ms: 4000, fromDb: -12, toDb: -50 }, { ms: 1000, fromDb: SILENT }], 22_050)], 22_050));
      const facts = await inspectAudio(file);
      const music = await analyseAudio(file, facts, { introOutro: true });
      expect(music.problems).toEqual([]);
      // The fade-in is silence (under −50 dBFS) for its first part: the cue-in is inside it.
      expect(music.cueInMs).toBeGreaterThan(2000);
      expect(music.cueInMs).toBeLessThan(3000);
      // Full level is reached at 7 s (called a little before: the fade-in's last 6 LU) and left at 22 s.
      expect(music.cueInMs + music.introMs!).toBeGreaterThanOrEqual(5700);
      expect(music.cueInMs + music.introMs!).toBeLessThanOrEqual(7000);
      expect(music.cueOutMs - music.outroMs!).toBeGreaterThanOrEqual(22_000);
      expect(music.cueOutMs - music.outroMs!).toBeLessThanOrEqual(23_000);
      expect(await analyseAudio(file, facts)).toMatchObject({ introMs: null, outroMs: null, cueInMs: music.cueInMs, cueOutMs: music.cueOutMs });
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});
