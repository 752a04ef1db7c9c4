// Intro and outro of a song, measured from its levels (pure functions over decoded samples).
//
// What radio calls the intro is the time from the cue-in to the vocal, and the outro the time from
// the end of the vocal to the cue-out: the announcer may talk over both. A voice cannot be told
// from the instruments by level alone, so LibreLog measures what levels can tell — where the song
// reaches its full level and where it leaves it:
//
// - the level is EBU R128 loudness (ITU-R BS.1770 K-weighting), read as momentary loudness
//   (400 ms blocks) and short-term loudness (3 s), every 100 ms, as a loudness meter shows them;
// - "full" is within FULL_WITHIN_LU (6 LU) of the track's integrated loudness (the EBU R128
//   figure measured with ebur128, media/loudness.ts);
// - the **intro** ends at the first 400 ms block after the cue-in that is full and from which the
//   next 3 s are full as well (one drum hit in a quiet intro is not the song arriving);
// - the **outro** starts at the end of the last 400 ms block before the cue-out that is full and
//   to which the 3 s before it are full too; the outro is the time from there to the cue-out.
//
// Both err towards the inside of the song: a fade-in is called over a little before its top and
// a fade-out begins a little before the outro does, so the announcer stops a moment early and
// starts a moment late rather than over the full song. A song that starts or ends at full level
// has an intro or outro of 0. A quiet sung opening counts as intro (levels cannot hear the
// voice), so the figures are for a person to check by ear and correct in the library.

/** Full level: within this many LU of the integrated loudness. */
export const FULL_WITHIN_LU = 6;
/** Loudness is read every HOP_MS, over MOMENTARY_MS (momentary) and SHORT_TERM_MS (short-term) windows. */
export const HOP_MS = 100;
export const MOMENTARY_MS = 400;
export const SHORT_TERM_MS = 3000;

interface Biquad {
  b0: number;
  b1: number;
  b2: number;
  a1: number;
  a2: number;
}

/**
 * The two stages of the BS.1770 K-weighting filter (a high shelf, then a high pass) for any sample
 * rate: the analogue prototypes' corner, gain and Q as libebur128 derives them, bilinear-transformed.
 * At 48 kHz they give BS.1770's published coefficients.
 */
export function kWeighting(sampleRate: number): [Biquad, Biquad] {
  let f0 = 1681.974450955533;
  const gainDb = 3.999843853973347;
  let q = 0.7071752369554196;
  let k = Math.tan((Math.PI * f0) / sampleRate);
  const vh = 10 ** (gainDb / 20);
  const vb = vh ** 0.4996667741545416;
  let a0 = 1 + k / q + k * k;
  const shelf: Biquad = {
    b0: (vh + (vb * k) / q + k * k) / a0,
    b1: (2 * (k * k - vh)) / a0,
    b2: (vh - (vb * k) / q + k * k) / a0,
    a1: (2 * (k * k - 1)) / a0,
    a2: (1 - k / q + k * k) / a0,
  };
  f0 = 38.13547087602444;
  q = 0.5003270373238773;
  k = Math.tan((Math.PI * f0) / sampleRate);
  a0 = 1 + k / q + k * k;
  const highPass: Biquad = { b0: 1, b1: -2, b2: 1, a1: (2 * (k * k - 1)) / a0, a2: (1 - k / q + k * k) / a0 };
  return [shelf, highPass];
}

/**
 * The K-weighted energy of each HOP_MS of the samples, summed over the channels (BS.1770 weighs
 * left and right 1.0; like the integrated figure, only the first two channels are read).
 */
export function hopEnergies(channels: readonly Float32Array[], sampleRate: number, from = 0, to = channels[0]?.length ?? 0): Float64Array {
  const hop = Math.max(1, Math.round((sampleRate * HOP_MS) / 1000));
  const hops = Math.max(0, Math.floor((Math.min(to, channels[0]?.length ?? 0) - from) / hop));
  const energies = new Float64Array(hops);
  const [shelf, highPass] = kWeighting(sampleRate);
  for (const channel of channels.slice(0, 2)) {
    // Direct form I, both stages, in double precision.
    let x1 = 0, x2 = 0, y1 = 0, y2 = 0, z1 = 0, z2 = 0;
    for (let h = 0; h < hops; h++) {
      let sum = 0;
      for (let i = from + h * hop; i < from + (h + 1) * hop; i++) {
        const x = channel[i]!;
        const y = shelf.b0 * x + shelf.b1 * x1 + shelf.b2 * x2 - shelf.a1 * y1 - shelf.a2 * y2;
        x2 = x1;
        x1 = x;
        const z = y - 2 * y1 + y2 - highPass.a1 * z1 - highPass.a2 * z2;
        y2 = y1;
        y1 = y;
        z2 = z1;
        z1 = z;
        sum += z * z;
      }
      energies[h] = energies[h]! + sum / hop;
    }
  }
  return energies;
}

/** Mean energy of hops [from, to) as loudness, LUFS (−Infinity for silence). */
function loudnessOf(prefix: Float64Array, from: number, to: number): number {
  const mean = (prefix[to]! - prefix[from]!) / Math.max(1, to - from);
  return mean > 0 ? -0.691 + 10 * Math.log10(mean) : -Infinity;
}

const prefixSums = (energies: Float64Array) => {
  const prefix = new Float64Array(energies.length + 1);
  for (let i = 0; i < energies.length; i++) prefix[i + 1] = prefix[i]! + energies[i]!;
  return prefix;
};

/**
 * BS.1770 integrated loudness from the same hops (400 ms blocks every 100 ms, the −70 LUFS
 * absolute gate and the −10 LU relative gate); null below the gate. LibreLog's figure comes from
 * ebur128 (media/loudness.ts); this one shows that the meter here reads what ebur128 reads.
 */
export function gatedLoudness(channels: readonly Float32Array[], sampleRate: number): number | null {
  const energies = hopEnergies(channels, sampleRate);
  const prefix = prefixSums(energies);
  const per = MOMENTARY_MS / HOP_MS;
  const blocks: number[] = [];
  for (let h = 0; h + per <= energies.length; h++) blocks.push((prefix[h + per]! - prefix[h]!) / per);
  const toLufs = (e: number) => -0.691 + 10 * Math.log10(e);
  const absolute = blocks.filter((e) => e > 0 && toLufs(e) > -70);
  if (!absolute.length) return null;
  const relative = toLufs(absolute.reduce((s, e) => s + e, 0) / absolute.length) - 10;
  const gated = absolute.filter((e) => toLufs(e) > relative);
  return toLufs(gated.reduce((s, e) => s + e, 0) / gated.length);
}

export interface IntroOutro {
  /** From the cue-in to where the song is at full level, ms. */
  introMs: number;
  /** From where the song leaves full level to the cue-out, ms. */
  outroMs: number;
}

/**
 * The intro and outro of the part between the cues (ms from the file's start), by the rule at the
 * top of this file; `integratedLufs` is the track's EBU R128 integrated loudness. Null when the
 * part is shorter than one 400 ms block or never reaches full level.
 */
export function measureIntroOutro(channels: readonly Float32Array[], sampleRate: number, cues: { cueInMs: number; cueOutMs: number }, integratedLufs: number): IntroOutro | null {
  // The hops from the cue-in; the last part-hop before the cue-out is left out.
  const toSample = (ms: number) => Math.round((ms * sampleRate) / 1000);
  const energies = hopEnergies(channels, sampleRate, toSample(cues.cueInMs), toSample(cues.cueOutMs));
  const end = energies.length;
  const per = MOMENTARY_MS / HOP_MS;
  const span = SHORT_TERM_MS / HOP_MS;
  if (end < per) return null;
  const prefix = prefixSums(energies);
  const full = integratedLufs - FULL_WITHIN_LU;
  const fullFrom = (h: number) => loudnessOf(prefix, h, h + per) >= full && loudnessOf(prefix, h, Math.min(end, h + span)) >= full;
  const fullTo = (h: number) => loudnessOf(prefix, h - per, h) >= full && loudnessOf(prefix, Math.max(0, h - span), h) >= full;
  let start = -1;
  for (let h = 0; h + per <= end && start < 0; h++) if (fullFrom(h)) start = h;
  if (start < 0) return null;
  let stop = -1;
  for (let h = end; h - per >= start && stop < 0; h--) if (fullTo(h)) stop = h;
  if (stop < 0) return null;
  const played = cues.cueOutMs - cues.cueInMs;
  const introMs = start * HOP_MS;
  return { introMs, outroMs: Math.max(0, Math.min(played - stop * HOP_MS, played - introMs)) };
}
