// Seeded randomness for the engine: the same seed and salt give the same choices, so a
// rebuild with unchanged inputs gives the same log.

/** A deterministic generator of floats in [0, 1) (mulberry32). */
export type Random = () => number;

/** FNV-1a: turns any text into a 32-bit number. */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A generator for one purpose (`salt`, e.g. "music" or a slot key) of one build (`seed`). */
export function createRandom(seed: number, salt = ''): Random {
  let state = (seed ^ hash32(salt)) >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Index chosen with probability proportional to `weights` (all > 0). */
export function weightedIndex(weights: number[], random: Random): number {
  const total = weights.reduce((a, b) => a + b, 0);
  let r = random() * total;
  for (let i = 0; i < weights.length; i++) {
    r -= weights[i]!;
    if (r < 0) return i;
  }
  return weights.length - 1;
}
