// Measuring a track from its samples: where the sound starts and ends (silence trimmed), its
// sample peak, and EBU R128 loudness — the figures the library shows for an uploaded file.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { measureSamples, soundBounds } from '../../domain/audio-measures.js';
import { analyseAudio } from '../../media/analysis.js';
import { inspectAudio } from '../../media/audio.js';
import { integratedLoudness } from '../../media/loudness.js';
import { silenceToneSilence, wavOf } from '../fixtures/audio.js';

describe('cue-in and cue-out', () => {
  it('1.5 s of silence, 3 s of tone, 2 s of silence: the cues sit at the tone within a few ms', () => {
    const samples = silenceToneSilence(48_000, 1500, 3000, 2000);
    const bounds = soundBounds([samples], 48_000)!;
    expect(Math.abs(bounds.cueInMs - 1500)).toBeLessThanOrEqual(3);
    expect(Math.abs(bounds.cueOutMs - 4500)).toBeLessThanOrEqual(3);
  });

  it('a quiet tone under −50 dBFS is silence; a tone just over it is sound', () => {
    expect(soundBounds([silenceToneSilence(44_100, 200, 1000, 200, -56)], 44_100)).toBeNull();
    const bounds = soundBounds([silenceToneSilence(44_100, 200, 1000, 200, -40)], 44_100)!;
    expect(Math.abs(bounds.cueInMs - 200)).toBeLessThanOrEqual(3);
    expect(Math.abs(bounds.cueOutMs - 1200)).toBeLessThanOrEqual(3);
  });

  it('a click in the lead-in silence does not move the cue-in', () => {
    const samples = silenceToneSilence(48_000, 1000, 1000, 500);
    samples[4_800] = 0.05; // one sample at −26 dBFS, 100 ms in: its window's RMS stays under −50 dBFS
    expect(soundBounds([samples], 48_000)!.cueInMs).toBeGreaterThanOrEqual(997);
  });

  it('a stereo file: the sound of either channel counts', () => {
    const left = silenceToneSilence(44_100, 800, 1000, 1200);
    const right = silenceToneSilence(44_100, 300, 2000, 700);
    const bounds = soundBounds([left, right], 44_100)!;
    expect(Math.abs(bounds.cueInMs - 300)).toBeLessThanOrEqual(3);
    expect(Math.abs(bounds.cueOutMs - 2300)).toBeLessThanOrEqual(3);
  });

  it('digital silence has no cues and no peak', () => {
    expect(measureSamples([new Float32Array(48_000)], 48_000)).toEqual({ lengthMs: 1000, bounds: null, peakDbfs: null });
  });
});

describe('loudness and peak', () => {
  it('a 1 kHz sine peaking at −20 dBFS reads −23 LUFS in mono and −20 LUFS in stereo, its peak −20 dBFS', () => {
    const tone = silenceToneSilence(48_000, 0, 10_000, 0, -20);
    expect(integratedLoudness([tone], 48_000)!).toBeCloseTo(-23, 1);
    expect(integratedLoudness([tone, tone], 48_000)!).toBeCloseTo(-20, 1);
    expect(measureSamples([tone], 48_000).peakDbfs!).toBeCloseTo(-20, 1);
  });

  it('silence is below the R128 gate: no loudness', () => {
    expect(integratedLoudness([new Float32Array(48_000 * 3)], 48_000)).toBeNull();
  });
});

describe('analysing a file', () => {
  const folder = mkdtemp(path.join(tmpdir(), 'librelog-analysis-'));
  afterAll(async () => rm(await folder, { recursive: true, force: true }));

  it('a WAV with 1 s of silence around a −23 LUFS tone: length, cues, loudness and peak from the audio', async () => {
    const file = path.join(await folder, 'tone.wav');
    const tone = silenceToneSilence(44_100, 1000, 8000, 1000, -20);
    await writeFile(file, wavOf([tone], 44_100, { title: 'Tone', artist: 'Test' }));
    const analysis = await analyseAudio(file, await inspectAudio(file));
    expect(analysis.lengthMs).toBe(10_000);
    expect(Math.abs(analysis.cueInMs - 1000)).toBeLessThanOrEqual(3);
    expect(Math.abs(analysis.cueOutMs - 9000)).toBeLessThanOrEqual(3);
    expect(analysis.loudnessLufs!).toBeGreaterThan(-23.3);
    expect(analysis.loudnessLufs!).toBeLessThan(-22.7);
    expect(analysis.peakDbfs).toBe(-20);
    expect(analysis).toMatchObject({ introMs: null, outroMs: null, problems: [] });
  });

  it('a silent file keeps its whole length as cues and says why', async () => {
    const file = path.join(await folder, 'silent.wav');
    await writeFile(file, wavOf([new Float32Array(22_050)], 22_050));
    const analysis = await analyseAudio(file, await inspectAudio(file));
    expect(analysis).toMatchObject({ lengthMs: 1000, cueInMs: 0, cueOutMs: 1000, loudnessLufs: null, peakDbfs: null });
    expect(analysis.problems).toEqual([expect.stringContaining('silent')]);
  });
});
