// Generates db/seed/demo-station.bundle.json: the demo station "GayPHX Radio", large enough
// to schedule a real week and to exercise every rule of a day's log (shared/guide/domain.md).
// Run: npm run demo-bundle. The output is deterministic: every random choice comes from a
// seeded PRNG (one stream per section, so editing one table does not reshuffle the others),
// and no date is read from the clock: flight dates are fixed around ANCHOR.
// Every name, title, business and person in here is invented.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BundleCampaign, BundleClock, BundleClockElement, BundleTrack, StationBundle } from '../domain/bundle/types.js';
import type { TrackType, WeekdayName } from '../domain/vocabulary.js';
import { durationToMs } from '../domain/durations.js';

const OUT = fileURLToPath(new URL('../db/seed/demo-station.bundle.json', import.meta.url));
const ANCHOR = '2026-11-23'; // "today" of the demo: campaigns are expired, active, or future relative to it
const DEMO_END = '2027-12-31'; // active campaigns run until here, so the demo has ads for a year
const MUSIC_TRACKS = 2400;

// ---------------------------------------------------------------- seeded randomness
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
/** One independent stream per label (FNV-1a of the label is the seed). */
function prng(label: string) {
  let h = 0x811c9dc5;
  for (const ch of `gayphx:${label}`) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193);
  const next = mulberry32(h);
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!;
  const chance = (p: number) => next() < p;
  const weighted = <K extends string>(weights: Partial<Record<K, number>>): K => {
    const entries = Object.entries(weights) as [K, number][];
    let r = next() * entries.reduce((sum, [, w]) => sum + w, 0);
    for (const [key, w] of entries) if ((r -= w) < 0) return key;
    return entries[entries.length - 1]![0];
  };
  return { next, int, pick, chance, weighted };
}
type Rng = ReturnType<typeof prng>;

const round1 = (x: number) => Math.round(x * 10) / 10;
const mmss = (s: number) => `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
const slug = (s: string) => s.toLowerCase().replace(/&/g, 'and').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
const range = (lo: number, hi: number) => Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);

// ---------------------------------------------------------------- station, categories, dayparts
const ALL_DAYS: WeekdayName[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const WEEKDAYS: WeekdayName[] = ['mon', 'tue', 'wed', 'thu', 'fri'];
const WEEKEND: WeekdayName[] = ['sat', 'sun'];

const CATEGORIES: Record<string, string> = {
  health: 'Health & wellness', arts: 'Arts & culture', community: 'Community', safety: 'Public safety',
  education: 'Education', auto: 'Automotive', food: 'Food & dining', retail: 'Retail', legal: 'Legal services',
  finance: 'Banking & finance', nightlife: 'Bars & nightlife', travel: 'Travel',
};

// Together these cover all 168 hours: weekdays 0-5-6-10-15-19-24, weekends 0-5-6-19-24.
const DAYPARTS = [
  { name: 'overnight', days: ALL_DAYS, start: '00:00', end: '05:00' },
  { name: 'early morning', days: ALL_DAYS, start: '05:00', end: '06:00' },
  { name: 'morning drive', days: WEEKDAYS, start: '06:00', end: '10:00' },
  { name: 'midday', days: WEEKDAYS, start: '10:00', end: '15:00' },
  { name: 'afternoon drive', days: WEEKDAYS, start: '15:00', end: '19:00' },
  { name: 'weekend daytime', days: WEEKEND, start: '06:00', end: '19:00' },
  { name: 'evening', days: ALL_DAYS, start: '19:00', end: '24:00' },
];

// ---------------------------------------------------------------- music: genres, moods, rule sets
type Mood = 'upbeat' | 'chill' | 'romantic' | 'energetic' | 'melancholy' | 'empowering' | 'dreamy' | 'euphoric';
/** How a mood pushes a track's energy away from what its tempo suggests. */
const MOOD_ENERGY: Record<Mood, number> = { upbeat: 0.5, chill: -1.5, romantic: -0.5, energetic: 1.5, melancholy: -1.5, empowering: 0.5, dreamy: -1, euphoric: 1.5 };

type ArtistKind = 'solo' | 'mono' | 'dj' | 'duo' | 'band';
interface Genre { weight: number; bpm: [number, number]; energy: [number, number]; len: [number, number]; introMax: number; moods: Partial<Record<Mood, number>>; kinds: Partial<Record<ArtistKind, number>> }
// Tempo, energy and length ranges are typical of each genre, so rule sets filter the way a
// programmer expects (club beats are 118-130 bpm and long, singer-songwriter is slow and calm).
const GENRES: Record<string, Genre> = {
  pop: { weight: 16, bpm: [96, 126], energy: [4, 8], len: [170, 250], introMax: 15, moods: { upbeat: 4, romantic: 2, empowering: 2, chill: 1, melancholy: 1, euphoric: 1 }, kinds: { solo: 5, mono: 2, duo: 1, band: 1 } },
  dance: { weight: 10, bpm: [118, 130], energy: [6, 10], len: [190, 330], introMax: 30, moods: { energetic: 4, euphoric: 3, upbeat: 2, empowering: 1 }, kinds: { dj: 3, mono: 2, solo: 2, duo: 1 } },
  house: { weight: 8, bpm: [118, 128], energy: [5, 9], len: [220, 360], introMax: 30, moods: { energetic: 3, euphoric: 2, upbeat: 2, chill: 1, dreamy: 1 }, kinds: { dj: 4, duo: 1, mono: 1 } },
  disco: { weight: 8, bpm: [110, 128], energy: [6, 9], len: [200, 330], introMax: 20, moods: { upbeat: 4, euphoric: 2, empowering: 2, romantic: 1 }, kinds: { band: 2, solo: 3, duo: 2, dj: 1 } },
  synthpop: { weight: 8, bpm: [100, 128], energy: [4, 8], len: [190, 290], introMax: 16, moods: { dreamy: 2, upbeat: 2, melancholy: 2, romantic: 1, energetic: 1 }, kinds: { duo: 2, band: 2, solo: 2, mono: 1 } },
  indie: { weight: 8, bpm: [80, 130], energy: [3, 7], len: [180, 280], introMax: 10, moods: { chill: 2, melancholy: 2, dreamy: 2, upbeat: 2 }, kinds: { band: 4, solo: 2, duo: 1 } },
  'r&b': { weight: 8, bpm: [68, 104], energy: [3, 7], len: [180, 270], introMax: 14, moods: { romantic: 4, chill: 2, empowering: 1, melancholy: 1 }, kinds: { solo: 4, mono: 2, duo: 1 } },
  soul: { weight: 7, bpm: [70, 112], energy: [3, 7], len: [170, 280], introMax: 12, moods: { romantic: 3, empowering: 2, melancholy: 2, upbeat: 1 }, kinds: { solo: 4, band: 1, duo: 1 } },
  'hip-hop': { weight: 6, bpm: [80, 100], energy: [5, 9], len: [170, 260], introMax: 12, moods: { empowering: 3, energetic: 3, upbeat: 2, chill: 1 }, kinds: { mono: 3, solo: 2, duo: 1 } },
  rock: { weight: 6, bpm: [100, 150], energy: [5, 9], len: [180, 290], introMax: 12, moods: { energetic: 3, empowering: 2, upbeat: 2, melancholy: 1 }, kinds: { band: 5, solo: 1, duo: 1 } },
  electronic: { weight: 6, bpm: [90, 126], energy: [2, 7], len: [210, 360], introMax: 28, moods: { dreamy: 3, chill: 3, euphoric: 1, melancholy: 1 }, kinds: { dj: 2, mono: 2, duo: 1 } },
  'singer-songwriter': { weight: 6, bpm: [66, 112], energy: [1, 5], len: [170, 290], introMax: 8, moods: { melancholy: 3, chill: 3, romantic: 2, empowering: 1 }, kinds: { solo: 6, duo: 1 } },
  latin: { weight: 6, bpm: [90, 124], energy: [5, 9], len: [180, 270], introMax: 15, moods: { upbeat: 3, romantic: 2, energetic: 2, euphoric: 1 }, kinds: { solo: 4, mono: 2, band: 1 } },
};

interface RuleSet { name: string; genres: string[]; moods: Mood[]; bpm: { min: number; max: number }; energy: { min: number; max: number }; dayparts: string[]; artistSeparationMinutes: number; titleSeparationHours: number }
// "Smart blocks", one or two per daypart. Specials use no dayparts (= usable anywhere).
const RULE_SETS: RuleSet[] = [
  { name: 'overnight chill', genres: ['electronic', 'singer-songwriter', 'soul', 'indie', 'r&b', 'synthpop'], moods: ['chill', 'dreamy', 'melancholy', 'romantic'], bpm: { min: 66, max: 118 }, energy: { min: 1, max: 5 }, dayparts: ['overnight', 'early morning'], artistSeparationMinutes: 90, titleSeparationHours: 24 },
  { name: 'early riser', genres: ['pop', 'soul', 'singer-songwriter', 'indie', 'r&b'], moods: ['chill', 'upbeat', 'romantic', 'empowering'], bpm: { min: 70, max: 120 }, energy: { min: 2, max: 6 }, dayparts: ['early morning', 'morning drive', 'weekend daytime'], artistSeparationMinutes: 60, titleSeparationHours: 24 },
  { name: 'morning soft pop', genres: ['pop', 'synthpop', 'indie', 'soul', 'r&b', 'disco', 'singer-songwriter'], moods: ['upbeat', 'romantic', 'empowering', 'chill'], bpm: { min: 80, max: 126 }, energy: { min: 3, max: 7 }, dayparts: ['morning drive', 'midday', 'weekend daytime'], artistSeparationMinutes: 60, titleSeparationHours: 18 },
  { name: 'midday mix', genres: ['pop', 'indie', 'rock', 'r&b', 'soul', 'latin', 'singer-songwriter', 'synthpop'], moods: ['upbeat', 'chill', 'romantic', 'empowering', 'dreamy'], bpm: { min: 70, max: 130 }, energy: { min: 3, max: 7 }, dayparts: ['midday', 'afternoon drive'], artistSeparationMinutes: 60, titleSeparationHours: 18 },
  { name: 'afternoon drive hits', genres: ['pop', 'dance', 'disco', 'hip-hop', 'latin', 'synthpop', 'rock'], moods: ['upbeat', 'energetic', 'empowering', 'euphoric'], bpm: { min: 85, max: 130 }, energy: { min: 5, max: 9 }, dayparts: ['afternoon drive', 'evening', 'weekend daytime'], artistSeparationMinutes: 60, titleSeparationHours: 18 },
  { name: 'evening groove', genres: ['r&b', 'soul', 'hip-hop', 'disco', 'synthpop', 'pop', 'latin'], moods: ['romantic', 'upbeat', 'empowering', 'energetic', 'dreamy'], bpm: { min: 70, max: 126 }, energy: { min: 4, max: 8 }, dayparts: ['evening'], artistSeparationMinutes: 60, titleSeparationHours: 24 },
  { name: 'late-night club beats', genres: ['dance', 'house', 'electronic', 'disco'], moods: ['energetic', 'euphoric', 'upbeat', 'dreamy'], bpm: { min: 115, max: 130 }, energy: { min: 5, max: 10 }, dayparts: ['evening', 'overnight'], artistSeparationMinutes: 45, titleSeparationHours: 24 },
  { name: 'weekend brunch', genres: ['pop', 'disco', 'soul', 'latin', 'indie', 'singer-songwriter', 'r&b'], moods: ['upbeat', 'chill', 'romantic', 'empowering'], bpm: { min: 80, max: 126 }, energy: { min: 3, max: 8 }, dayparts: ['weekend daytime'], artistSeparationMinutes: 60, titleSeparationHours: 24 },
  { name: 'weekend party', genres: ['pop', 'dance', 'house', 'disco', 'latin', 'hip-hop'], moods: ['upbeat', 'energetic', 'euphoric', 'empowering'], bpm: { min: 90, max: 130 }, energy: { min: 6, max: 10 }, dayparts: ['weekend daytime', 'evening'], artistSeparationMinutes: 60, titleSeparationHours: 24 },
  { name: 'pride anthems', genres: ['pop', 'dance', 'disco', 'house', 'synthpop'], moods: ['empowering', 'upbeat', 'euphoric', 'energetic'], bpm: { min: 100, max: 130 }, energy: { min: 6, max: 10 }, dayparts: [], artistSeparationMinutes: 45, titleSeparationHours: 12 },
  { name: 'holiday warmth', genres: ['soul', 'singer-songwriter', 'pop', 'r&b', 'indie'], moods: ['romantic', 'chill', 'upbeat', 'empowering'], bpm: { min: 66, max: 120 }, energy: { min: 2, max: 7 }, dayparts: [], artistSeparationMinutes: 60, titleSeparationHours: 12 },
];

// ---------------------------------------------------------------- words for invented names
const FIRST = ['Jax', 'Rosa', 'Marisol', 'Teo', 'Kiki', 'Dev', 'Noor', 'Sasha', 'Remy', 'Ezra', 'Lupe', 'Indigo', 'Sable', 'Rio', 'Zuri', 'Kai', 'Nico', 'Ari', 'Juno', 'Vale', 'Bex', 'Cass', 'Dario', 'Elio', 'Fenn', 'Gia', 'Hollis', 'Isla', 'Jules', 'Koa', 'Lark', 'Mireya', 'Nova', 'Oren', 'Paz', 'Quinn', 'Rune', 'Sol', 'Tamsin', 'Uma', 'Wren', 'Xiomara', 'Yael', 'Zev', 'Anouk', 'Bastian', 'Cielo', 'Dree', 'Emrys', 'Fable', 'Gael', 'Ines', 'Jovi', 'Kestrel', 'Mako', 'Odette', 'Pilar', 'Reno', 'Sunny', 'Tavi', 'Vesper', 'Ximena', 'Amara', 'Beto', 'Cyrus', 'Delphine', 'Esme', 'Harlow', 'Lio', 'Marlo'];
const SUR_A = ['Vel', 'Mar', 'Cor', 'Dal', 'Esp', 'Fen', 'Gal', 'Hal', 'Lor', 'Mon', 'Nar', 'Or', 'Pel', 'Quin', 'Ros', 'Sar', 'Tal', 'Val', 'Wyn', 'Zan', 'Bel', 'Cas', 'Dor', 'Lum', 'Syl', 'Ren', 'Ash', 'Kel', 'Mer', 'Tor'];
const SUR_B = ['ardo', 'lowe', 'avie', 'mont', 'ette', 'ington', 'ova', 'enza', 'ari', 'ix', 'ley', 'ara', 'win', 'ero', 'ane', 'ith', 'oso', 'elle', 'ain', 'ander', 'esse', 'ada', 'ito', 'una', 'rey', 'field', 'cott', 'mera'];
const MONO_A = ['Za', 'Lu', 'Mi', 'Ko', 'Ve', 'Sa', 'Ri', 'No', 'Ta', 'Ely', 'Ora', 'Xa', 'Bri', 'Ju', 'Cae', 'Dae', 'Qui', 'Ama'];
const MONO_B = ['vi', 'meo', 'ra', 'lix', 'na', 'zo', 'ndra', 'lee', 'ssa', 'ri', 'vo', 'nix', 'lani', 'sette', 'rio', 'ko', 'zelle', 'quin'];
const ADJ = ['Velvet', 'Neon', 'Golden', 'Silver', 'Electric', 'Midnight', 'Desert', 'Crystal', 'Lavender', 'Cosmic', 'Tender', 'Wild', 'Secret', 'Borrowed', 'Burning', 'Satin', 'Sugar', 'Violet', 'Copper', 'Paper', 'Glass', 'Hollow', 'Lucky', 'Restless', 'Slow', 'Honey', 'Sapphire', 'Mirrored', 'Sunlit', 'Feral', 'Gentle', 'Brave', 'Dizzy', 'Radiant', 'Quiet', 'Cherry', 'Marble', 'Static', 'Analog', 'Hazy', 'Dusty', 'Sequined', 'Glowing', 'Patient', 'Reckless', 'Weightless', 'Turquoise', 'Magenta', 'Phosphor'];
const NOUN = ['Mesa', 'Monsoon', 'Saguaro', 'Mirage', 'Skyline', 'Horizon', 'Signal', 'Parade', 'Ballroom', 'Arcade', 'Comet', 'Canyon', 'Satellite', 'Lantern', 'Echo', 'Compass', 'Fever', 'Carousel', 'Highway', 'Orchard', 'Postcard', 'Riot', 'River', 'Frequency', 'Garden', 'Telephone', 'Hologram', 'Prism', 'Daydream', 'Firefly', 'Wildfire', 'Galaxy', 'Sidewalk', 'Heatwave', 'Dust Storm', 'Ocotillo', 'Tumbleweed', 'Glitter', 'Sequins', 'Lipstick', 'Mixtape', 'Rooftop', 'Moonrise', 'Motel', 'Swimming Pool', 'Mirrorball', 'Polaroid', 'Thunderhead', 'Wishbone', 'Kaleidoscope', 'Pinwheel', 'Jukebox', 'Sundress', 'Runway', 'Neon Sign'];
const PLACE = ['in Tempe', 'on Roosevelt Row', 'on Seventh Avenue', 'in Slow Motion', 'in Technicolor', 'in the Rearview', 'at the Drive-In', 'Under the Ramada', 'by the Canal', 'at Sunrise', 'in July', 'on Camelback', 'in the Monsoon', 'on Melrose'];
const VERB = ['Chase', 'Paint', 'Hold', 'Dance Through', 'Light Up', 'Follow', 'Outrun', 'Break', 'Call', 'Wear', 'Borrow', 'Catch', 'Rewind', 'Unfold', 'Carry', 'Trace', 'Spin', 'Steal'];
const SUFFIX = ['Season', 'Theory', 'Club', 'Radio', 'Summer', 'Protocol', 'Weather', 'Tapes', 'Nights', 'Hymn'];
const ES_NOUN = ['Luna', 'Noche', 'Fuego', 'Corazón', 'Lluvia', 'Estrella', 'Cielo', 'Baile', 'Verano', 'Camino', 'Sueño', 'Ritmo', 'Frontera', 'Arena'];
const ES_OF = ['Verano', 'Neón', 'Medianoche', 'Terciopelo', 'Cristal', 'Monzón', 'Oro', 'Plata', 'Azúcar', 'Desierto', 'Colores', 'Saguaro'];
const ES_PLACE = ['Tempe', 'Glendale', 'Mesa', 'Tucson', 'la Ciudad', 'el Barrio', 'Technicolor', 'Camelback'];
const PLURAL = ['Coyotes', 'Javelinas', 'Roadrunners', 'Monsoons', 'Mirages', 'Saguaros', 'Geckos', 'Comets', 'Satellites', 'Lanterns', 'Prisms', 'Valentines', 'Daydreamers', 'Sidewinders', 'Hummingbirds', 'Quails', 'Tumbleweeds', 'Palominos', 'Sunbirds', 'Dust Devils', 'Night Owls', 'Moonflowers', 'Cactus Wrens'];
const GROUP = ['Social Club', 'Collective', 'Choir', 'Sound System', 'Orchestra', 'Society', 'Ensemble', 'Revue', 'Syndicate', 'Quartet'];
const PUBLISHERS = ['Saguaro Sky Music (ASCAP)', 'Velvet Monsoon Songs (BMI)', 'Melrose Mile Publishing (BMI)', 'Lavender Mesa Music (ASCAP)', 'Prism Canyon Tunes (SESAC)', 'Roadrunner Rhythm Publishing (BMI)', 'Copper Glitter Songs (ASCAP)', 'Ocotillo Sound Works (BMI)', 'Neon Javelina Music (ASCAP)', 'Desert Bloom Songs (GMR)', 'Sonoran Echo Publishing (BMI)', 'Bright Kite Music (ASCAP)'];

// Invented record labels; the bigger ones release more of the library.
const LABELS = ['Sonoran Sound Records', 'Camelback Audio', 'Monsoon Season Records', 'Copper State Music', 'Desert Bloom Recordings', 'Neon Saguaro Records', 'Roosevelt Row Records', 'Dust Devil Discs'];
const LABEL_WEIGHTS: Record<string, number> = { 'Sonoran Sound Records': 5, 'Camelback Audio': 4, 'Monsoon Season Records': 3, 'Copper State Music': 3, 'Desert Bloom Recordings': 2, 'Neon Saguaro Records': 2, 'Roosevelt Row Records': 1, 'Dust Devil Discs': 1 };

const person = (r: Rng) => `${r.pick(FIRST)} ${r.pick(SUR_A)}${r.pick(SUR_B)}`;
const mono = (r: Rng) => `${r.pick(MONO_A)}${r.pick(MONO_B)}`;
function artistName(r: Rng, kind: ArtistKind): string {
  switch (kind) {
    case 'solo': return person(r);
    case 'mono': return r.chance(0.15) ? `MC ${mono(r)}` : mono(r);
    case 'dj': return r.chance(0.5) ? `DJ ${mono(r)}` : `${mono(r)} ${r.pick(['Sound', 'Deluxe', 'Machine', 'Nights', 'Circuit'])}`;
    case 'duo': return r.chance(0.6) ? `${r.pick(FIRST)} & ${r.pick(FIRST)}` : `${mono(r)} & ${mono(r)}`;
    case 'band': {
      const style = r.int(1, 10);
      if (style <= 5) return `The ${r.pick(ADJ)} ${r.pick(PLURAL)}`;
      if (style <= 8) return `${r.pick(NOUN)} ${r.pick(GROUP)}`;
      return `${r.pick(FIRST)} & the ${r.pick(ADJ)} ${r.pick(PLURAL)}`;
    }
  }
}
function songTitle(r: Rng, genre: string): string {
  if (genre === 'latin' && r.chance(0.6)) return r.chance(0.6) ? `${r.pick(ES_NOUN)} de ${r.pick(ES_OF)}` : `${r.pick(ES_NOUN)} en ${r.pick(ES_PLACE)}`;
  switch (r.weighted({ adjNoun: 4, verb: 2, place: 2, your: 1, pair: 1, suffix: 1, dont: 1 })) {
    case 'adjNoun': return `${r.pick(ADJ)} ${r.pick(NOUN)}`;
    case 'verb': return `${r.pick(VERB)} the ${r.pick(NOUN)}`;
    case 'place': return `${r.pick(NOUN)} ${r.pick(PLACE)}`;
    case 'your': return `Your ${r.pick(ADJ)} ${r.pick(NOUN)}`;
    case 'pair': return `${r.pick(NOUN)} & ${r.pick(NOUN)}`;
    case 'suffix': return `${r.pick(NOUN)} ${r.pick(SUFFIX)}`;
    default: return `Don't ${r.pick(VERB)} My ${r.pick(NOUN)}`;
  }
}
const albumTitle = (r: Rng) => r.pick([() => `${r.pick(ADJ)} ${r.pick(NOUN)}`, () => `Songs from the ${r.pick(NOUN)}`, () => `${r.pick(NOUN)} ${r.pick(SUFFIX)}`, () => `${r.pick(ADJ)} ${r.pick(PLURAL)}`])();

// ---------------------------------------------------------------- the music library
interface Artist { name: string; genre: string; alt: string | undefined; writers: string[]; publisher: string; albums: { title: string; year: number }[]; tracks: number }

function makeArtists(): Artist[] {
  const r = prng('artists');
  const names = new Set<string>();
  const artists: Artist[] = [];
  const genreWeights = Object.fromEntries(Object.entries(GENRES).map(([g, p]) => [g, p.weight]));
  // Most artists have a few songs, a handful have up to ten: the skew makes artist separation bite.
  for (let total = 0; total < MUSIC_TRACKS; ) {
    const genre = r.weighted(genreWeights);
    const kind = r.weighted(GENRES[genre]!.kinds);
    let name = artistName(r, kind);
    while (names.has(name)) name = artistName(r, kind);
    names.add(name);
    const writers = kind === 'solo' ? [name] : kind === 'band' || kind === 'duo' ? [person(r), person(r)] : [person(r)];
    if (r.chance(0.3)) writers.push(person(r)); // a co-writer
    const tracks = Math.min(1 + Math.floor(r.next() ** 2 * 10), MUSIC_TRACKS - total);
    const albums: { title: string; year: number }[] = [];
    for (let year = r.int(2012, 2024), n = Math.min(3, 1 + Math.floor((tracks - 1) / 4)); albums.length < n; year = Math.min(2026, year + r.int(1, 3))) {
      albums.push({ title: albumTitle(r), year });
    }
    const alt = r.chance(0.3) ? r.pick(Object.keys(GENRES).filter((g) => g !== genre)) : undefined;
    artists.push({ name, genre, alt, writers, publisher: r.pick(PUBLISHERS), albums, tracks });
    total += tracks;
  }
  return artists;
}

/** A code's GS1 check digit (UPC-A, EAN-13): weights 3 and 1 from the right. */
const gs1Check = (digits: string) => (10 - ([...digits].reverse().reduce((sum, d, i) => sum + Number(d) * (i % 2 === 0 ? 3 : 1), 0) % 10)) % 10;
/** An ISWC's check digit: 1 + Σ digit × position, mod 10, from 10. */
const iswcCheck = (digits: string) => (10 - ([...digits].reduce((sum, d, i) => sum + Number(d) * (i + 1), 1) % 10)) % 10;

/**
 * What the royalty reports read of each song (issue 14): the label that released its album and
 * the album's UPC, the work's writers, publishers and ISWC, its language and how it is used.
 * Its own random stream, so the songs themselves stay as they were. A few songs lack a writer or
 * an ISWC, as real libraries do: the reports list them instead of inventing them.
 */
function addReportData(artists: Artist[], tracks: BundleTrack[]): void {
  const r = prng('report-data');
  const labelOf = new Map(artists.map((a) => [a.name, r.weighted(LABEL_WEIGHTS)]));
  const upcOf = new Map<string, string>();
  let work = 0;
  for (const t of tracks) {
    const artist = artists.find((a) => a.name === t.artist)!;
    const albumKey = `${t.artist}|${t.album}`;
    if (!upcOf.has(albumKey)) {
      const body = `8${String(LABELS.indexOf(labelOf.get(artist.name)!)).padStart(2, '0')}7410${String(upcOf.size + 1).padStart(4, '0')}`;
      upcOf.set(albumKey, `${body}${gs1Check(body)}`);
    }
    const iswc = String(300_000_000 + ++work * 7);
    const instrumental = ['house', 'electronic'].includes(t.genre ?? '') && r.chance(0.2);
    const spanish = t.genre === 'latin' && /\b(de|en)\b/.test(t.title);
    Object.assign(t, {
      label: labelOf.get(artist.name),
      upc: upcOf.get(albumKey),
      ...(!r.chance(0.02) && { writers: artist.writers, publishers: r.chance(0.15) ? [artist.publisher, r.pick(PUBLISHERS.filter((p) => p !== artist.publisher))] : [artist.publisher] }),
      ...(!r.chance(0.1) && { iswc: `T-${iswc.slice(0, 3)}.${iswc.slice(3, 6)}.${iswc.slice(6)}-${iswcCheck(iswc)}` }),
      language: instrumental ? 'zxx' : spanish ? 'es' : 'en',
      ...(instrumental && { instrumental: true }),
      usage: 'feature',
    } satisfies Partial<BundleTrack>);
  }
}

function makeMusic(artists: Artist[]): BundleTrack[] {
  const r = prng('music');
  const titles = new Set<string>();
  const isrcPerYear = new Map<number, number>();
  const tracks: BundleTrack[] = [];
  for (const artist of artists) {
    for (let i = 0; i < artist.tracks; i++) {
      const genre = artist.alt && r.chance(0.25) ? artist.alt : artist.genre;
      const g = GENRES[genre]!;
      const mood = r.weighted(g.moods);
      const bpm = r.int(g.bpm[0], g.bpm[1]);
      const tempo = (bpm - g.bpm[0]) / (g.bpm[1] - g.bpm[0]); // 0 = slowest of the genre, 1 = fastest
      const energy = Math.max(1, Math.min(10, Math.round(g.energy[0] + (g.energy[1] - g.energy[0]) * (0.5 * tempo + 0.5 * r.next()) + MOOD_ENERGY[mood])));
      // Extended club mixes of dance music only suit the night: the track carries that restriction.
      const clubMix = ['dance', 'house'].includes(genre) && r.chance(0.08);
      let title = songTitle(r, genre);
      while (titles.has(title)) title = songTitle(r, genre);
      titles.add(title);
      const seconds = clubMix ? r.int(300, 360) : r.int(g.len[0], g.len[1]);
      const album = artist.albums[Math.min(artist.albums.length - 1, Math.floor(i / 4))]!;
      const serial = (isrcPerYear.get(album.year) ?? 0) + 1;
      isrcPerYear.set(album.year, serial);
      const cueIn = round1(r.next() * 1.2);
      tracks.push({
        ref: `mus-${String(tracks.length + 1).padStart(4, '0')}`,
        type: 'MUS',
        title: clubMix ? `${title} (Club Mix)` : title,
        artist: artist.name,
        album: album.title,
        isrc: `QZ-GPX-${String(album.year % 100).padStart(2, '0')}-${String(serial).padStart(5, '0')}`,
        genre,
        mood,
        bpm,
        energy,
        length: mmss(seconds),
        cueIn,
        cueOut: round1(seconds - r.next() * 2.5), // trims the silence at the end; never past the length
        intro: r.chance(0.12) ? 0 : r.int(2, g.introMax), // talk-over time; 0 = cold vocal start
        outro: r.chance(0.25) ? 0 : r.int(3, Math.min(20, g.introMax + 5)), // 0 = cold ending
        ...(clubMix && { dayparts: ['evening', 'overnight'] }),
      });
    }
  }
  addReportData(artists, tracks);
  return tracks;
}

// ---------------------------------------------------------------- imaging, talk and PSAs
// [ref, title, seconds]. Titles used by clocks must match these exactly.
const LINERS: [string, string, number][] = [
  ['lin-legal-01', 'Legal ID — GayPHX Radio, Phoenix', 8],
  ['lin-legal-02', 'Legal ID — GayPHX Radio, Phoenix (Morning)', 9],
  ['lin-legal-03', 'Legal ID — GayPHX Radio, Phoenix (Night)', 10],
  ['lin-legal-04', 'Legal ID — GayPHX Radio, Phoenix (Weekend)', 9],
  ['lin-legal-05', 'Legal ID — GayPHX Radio, Phoenix (Pride)', 10],
  ['lin-legal-06', 'Legal ID — GayPHX Radio, Phoenix (Holiday)', 10],
  ['lin-top-of-hour', 'Top-of-Hour ID', 7], // the spec's 06:00 clock asks for it by this title; it is a legal ID
  ['lin-liner-01', 'Liner — Phoenix’s Queer Radio', 6],
  ['lin-liner-02', 'Liner — More Music, Less Talk', 5],
  ['lin-liner-03', 'Liner — Late Night Club Beats', 7],
  ['lin-liner-04', 'Liner — Brunch Mode', 6],
  ['lin-liner-05', 'Liner — Request Line', 8],
];
const BEDS: [string, string, number][] = [
  ['bed-news', 'News Bed', 300], ['bed-news-drive', 'News Bed — Drive', 180], ['bed-weather-traffic', 'Weather & Traffic Bed', 90],
  ['bed-calendar', 'Community Calendar Bed', 120], ['bed-talk-soft', 'Talk Bed — Soft', 240], ['bed-talk-upbeat', 'Talk Bed — Upbeat', 240],
  ['bed-sports', 'Sports Bed', 120], ['bed-holiday', 'Holiday Bed', 180],
];
const INTERVIEWS: [string, string, number][] = [
  ['int-morning-interview', 'Morning Interview', 720], ['int-community-calendar', 'Community Calendar', 180], ['int-health-check-in', 'Health Check-In', 300],
  ['int-drive-time-spotlight', 'Drive-Time Spotlight', 480], ['int-arts-beat', 'Arts Beat', 360], ['int-small-business', 'Small Business Spotlight', 240],
  ['int-queer-history', 'Queer History Minute', 180], ['int-desert-dispatch', 'Desert Dispatch', 420],
  ['int-sunday-1', 'Sunday Community Hour — Part 1', 720], ['int-sunday-2', 'Sunday Community Hour — Part 2', 690], ['int-sunday-3', 'Sunday Community Hour — Part 3', 600],
  ['int-pride-live', 'Pride Live Report', 300], ['int-holiday-stories', 'Holiday Stories', 600], ['int-youth-voices', 'Youth Voices', 420],
  ['int-elder-pride', 'Elder Pride Stories', 540], ['int-trans-joy', 'Trans Joy Profiles', 480], ['int-valley-eats', 'Valley Eats Review', 300],
  ['int-monsoon-talk', 'Monsoon Season Safety Talk', 240], ['int-book-club', 'Book Club on Air', 660], ['int-neighbours', 'Meet the Neighbours', 360],
];
const PROMOS: [string, string, number][] = [
  ['pro-morning-drive', 'Promo — Mornings with Jax & Rosa', 30], ['pro-midday', 'Promo — Midday Mix with Marisol', 30], ['pro-afternoon', 'Promo — Afternoon Drive with Dev & Kiki', 30],
  ['pro-club-beats', 'Promo — Late Night Club Beats', 30], ['pro-brunch', 'Promo — Weekend Brunch', 30], ['pro-sunday-hour', 'Promo — Sunday Community Hour', 60],
  ['pro-pride', 'Promo — Phoenix Pride Weekend', 60], ['pro-holiday', 'Promo — Holiday Special', 30], ['pro-new-year', 'Promo — New Year Party', 30],
  ['pro-arts-beat', 'Promo — Arts Beat', 30], ['pro-queer-history', 'Promo — Queer History Minute', 30], ['pro-request-line', 'Promo — Request Line', 15],
  ['pro-podcast', 'Promo — GayPHX Podcast', 30], ['pro-volunteer', 'Promo — Volunteer With Us', 60], ['pro-app', 'Promo — GayPHX Radio App', 15],
];
// PSA titles per category, voiced for invented local non-profits.
const PSAS: Record<string, { org: string; titles: string[] }> = {
  health: { org: 'Valley Health Alliance', titles: ['Free HIV Testing Saturdays', 'PrEP Is for Everyone', 'Beat the Heat: Hydrate', '988 Crisis Line', 'Flu Shots at Community Clinics', 'Mpox Vaccine Info', 'Sunscreen Every Day', 'Sober Curious Support Groups'] },
  arts: { org: 'Melrose Arts Council', titles: ['First Friday Art Walk', 'Desert Queer Film Festival', 'Tip Your Local Drag Artists', 'Community Mural Project', 'Youth Theater Scholarships', 'Poetry Nights at the Library', 'Valley Rainbow Chorus Auditions', 'Sonoran Craft Fair'] },
  community: { org: 'Phoenix Pride Community Center', titles: ['Volunteer at the Center', 'Holiday Food Bank Drive', 'Register to Vote', 'Queer Elders Lunch Program', 'Trans Resource Fair', 'Adopt a Shelter Pet', 'Neighborhood Cleanup Day', 'Youth Drop-In Center'] },
  safety: { org: 'Valley Safety Coalition', titles: ['Monsoon Safety: Turn Around', 'Hot Cars Kill', 'Pick a Designated Driver', 'Dust Storm: Pull Aside', 'Night Out Buddy System', 'Report Hate Incidents', 'Pool Safety Watch', 'Test Your Smoke Alarm'] },
  education: { org: 'Sonoran Learning Network', titles: ['Free GED Classes', 'Scholarships for LGBTQ+ Students', 'Get a Library Card', 'ESL Classes Enrolling Now', 'Financial Literacy Workshops', 'Coding Bootcamp Info Night', 'Know Your Rights Workshop', 'Adult Literacy Tutors Needed'] },
};

function makeProduction(): BundleTrack[] {
  const tracks: BundleTrack[] = [];
  const add = (type: TrackType, list: [string, string, number][], artist: string, asTime: boolean) =>
    list.forEach(([ref, title, s]) => tracks.push({ ref, type, title, artist, length: asTime ? mmss(s) : s }));
  add('LIN', LINERS, 'GayPHX Imaging', false);
  add('BED', BEDS, 'GayPHX Imaging', true);
  // The station's own production music: its beds play under talk, as background.
  for (const t of tracks) if (t.type === 'BED') Object.assign(t, { label: 'GayPHX Radio', writers: ['Rosa Velamar'], publishers: ['GayPHX Radio'], usage: 'background', instrumental: true, language: 'zxx' });
  add('PRO', PROMOS, 'GayPHX Imaging', false);
  add('INT', INTERVIEWS, 'GayPHX Radio', true);
  for (const [category, { org, titles }] of Object.entries(PSAS)) {
    titles.forEach((title, i) => {
      const seconds = i % 2 === 0 ? 30 : 60;
      tracks.push({ ref: `psa-${category}-${String(i + 1).padStart(2, '0')}`, type: 'PSA', title: `${title} :${seconds}`, artist: org, length: seconds, categories: [category] });
    });
  }
  return tracks;
}

// ---------------------------------------------------------------- advertisers and campaigns
// Two of several categories (auto, food, health, finance, retail) so competitive separation matters.
// Phone numbers are in the fictional 555-01xx range; e-mail domains are reserved (.example).
const ADVERTISERS = [
  { name: 'Desert Rainbow Auto', category: 'auto', contactName: 'Marisol Ortega-Finch', notes: 'Queer-owned used-car lot on Indian School Rd; drive time only.' },
  { name: 'Camelback Motors', category: 'auto', contactName: 'Hollis Tarrant', notes: 'New and certified pre-owned; competes with Desert Rainbow Auto.' },
  { name: 'Saguaro Slice Pizza', category: 'food', contactName: 'Beto Lanzarri', notes: 'Open until 3 a.m. on Seventh Ave.' },
  { name: 'The Velvet Fork Bistro', category: 'food', contactName: 'Delphine Oduya', notes: 'Weekend drag brunch; Valentine’s prix fixe.' },
  { name: 'Out in the Valley Law Group', category: 'legal', contactName: 'Quinn Espardo', notes: 'Estate planning, name changes, family law.' },
  { name: 'Prism Valley Credit Union', category: 'finance', contactName: 'Amara Fenwick', notes: 'Copy refresh is often late; check the copy dates.' },
  { name: 'Bluebonnet Tax & Books', category: 'finance', contactName: 'Cyrus Halvey', notes: 'Seasonal: tax season only.' },
  { name: 'Sonoran Pride Health Clinic', category: 'health', contactName: 'Dr. Noor Castellane', notes: 'Sexual health, PrEP, gender-affirming care.' },
  { name: 'Sunstone Fitness', category: 'health', contactName: 'Jules Marrow', notes: 'Gym chain, three Valley locations.' },
  { name: 'Glitterbox Boutique', category: 'retail', contactName: 'Kiki Sarvette', notes: 'Clothing and costume; big Pride push.' },
  { name: 'Hacienda Hardware', category: 'retail', contactName: 'Reno Galindo', notes: 'Family hardware store in Glendale.' },
  { name: 'The Neon Coyote Lounge', category: 'nightlife', contactName: 'Sable Dorwin', notes: 'Dance bar on Melrose; club nights and drag brunch.' },
  { name: 'Cactus Flower Travel', category: 'travel', contactName: 'Ezra Pelmont', notes: 'LGBTQ+ group trips; campaign paused while they rebook.' },
  { name: 'Mesa Glass Studio', category: 'arts', contactName: 'Lark Valenza', notes: 'Glass-blowing classes and gallery.' },
].map((a, i) => ({ ...a, email: `${slug(a.contactName.replace(/^Dr\. /, '')).split('-')[0]}@${slug(a.name).replace(/^the-/, '')}.example`, phone: `(602) 555-01${String(10 + i * 3).padStart(2, '0')}` }));

interface CampaignSpec extends Omit<BundleCampaign, 'copy' | 'spotLength'> { key: string; spotLength: 30 | 60; copy: { weight?: number; start?: string; end?: string }[] }
// Flights around ANCHOR (2026-11-23): 11 active (all through DEMO_END), 3 expired, 5 future, 1 paused.
const CAMPAIGNS: CampaignSpec[] = [
  { key: 'desert-auto-holiday', advertiser: 'Desert Rainbow Auto', name: 'Holiday Sales Event', start: '2026-11-01', end: DEMO_END, priority: 8, spotsPerDay: 8, spotLength: 30, dayparts: ['morning drive', 'afternoon drive'], rotation: 'weighted', copy: [{ weight: 50 }, { weight: 30 }, { weight: 20 }] },
  { key: 'camelback-clearance', advertiser: 'Camelback Motors', name: 'Year-End Clearance', start: '2026-10-15', end: DEMO_END, priority: 7, spotsPerDay: 6, spotLength: 60, dayparts: ['morning drive', 'midday', 'afternoon drive'], rotation: 'sequential', copy: [{}, {}] },
  { key: 'camelback-summer-service', advertiser: 'Camelback Motors', name: 'Summer Service Special', start: '2026-06-01', end: '2026-08-31', priority: 5, spotsPerDay: 4, spotLength: 30, rotation: 'sequential', copy: [{}] },
  { key: 'saguaro-slice-late', advertiser: 'Saguaro Slice Pizza', name: 'Late Night Slices', start: '2026-09-01', end: DEMO_END, priority: 4, spotsPerDay: 6, spotLength: 30, dayparts: ['evening', 'overnight'], rotation: 'sequential', copy: [{}, {}] },
  { key: 'velvet-fork-brunch', advertiser: 'The Velvet Fork Bistro', name: 'Drag Brunch Club', start: '2026-10-01', end: DEMO_END, priority: 6, spotsPerWeek: 24, spotLength: 60, dayparts: ['weekend daytime', 'midday'], rotation: 'weighted', copy: [{ weight: 70 }, { weight: 30 }] },
  { key: 'velvet-fork-valentine', advertiser: 'The Velvet Fork Bistro', name: 'Valentine’s Prix Fixe', start: '2027-01-25', end: '2027-02-14', priority: 9, spotsPerDay: 6, spotLength: 30, dayparts: ['afternoon drive', 'evening'], rotation: 'sequential', copy: [{}, {}] },
  { key: 'out-valley-estate', advertiser: 'Out in the Valley Law Group', name: 'Estate Planning for Every Family', start: '2026-07-01', end: DEMO_END, priority: 3, spotsPerWeek: 21, spotLength: 60, dayparts: ['morning drive', 'midday'], rotation: 'sequential', copy: [{}] },
  // Copy rotation must skip copy A, which ended a week before ANCHOR; copy B carries on.
  { key: 'prism-certificates', advertiser: 'Prism Valley Credit Union', name: 'Share Certificate Special', start: '2026-10-01', end: DEMO_END, priority: 5, spotsPerDay: 4, spotLength: 30, rotation: 'sequential', copy: [{ end: '2026-11-15' }, { start: '2026-11-16' }] },
  // Active flight whose only copy has expired: every one of its spots is "copy missing" → PSA fallback.
  { key: 'prism-holiday-loan', advertiser: 'Prism Valley Credit Union', name: 'Holiday Loan', start: '2026-11-01', end: DEMO_END, priority: 6, spotsPerDay: 3, spotLength: 30, dayparts: ['midday', 'afternoon drive'], rotation: 'sequential', copy: [{ end: '2026-11-20' }] },
  { key: 'bluebonnet-tax', advertiser: 'Bluebonnet Tax & Books', name: 'Tax Season 2027', start: '2027-01-15', end: '2027-04-15', priority: 7, spotsPerDay: 5, spotLength: 30, dayparts: ['morning drive', 'afternoon drive'], rotation: 'weighted', copy: [{ weight: 60 }, { weight: 40 }] },
  { key: 'sonoran-health-prep', advertiser: 'Sonoran Pride Health Clinic', name: 'PrEP & Sexual Health', start: '2026-09-15', end: DEMO_END, priority: 5, spotsPerDay: 6, spotLength: 30, rotation: 'weighted', copy: [{ weight: 40 }, { weight: 40 }, { weight: 20 }] },
  { key: 'sunstone-new-year', advertiser: 'Sunstone Fitness', name: 'New Year, New You', start: '2027-01-01', end: '2027-02-28', priority: 6, spotsPerDay: 5, spotLength: 30, dayparts: ['morning drive', 'early morning', 'afternoon drive'], rotation: 'sequential', copy: [{}, {}] },
  { key: 'glitterbox-fall', advertiser: 'Glitterbox Boutique', name: 'Fall Fashion', start: '2026-09-01', end: '2026-10-31', priority: 2, spotsPerWeek: 14, spotLength: 30, rotation: 'sequential', copy: [{}] },
  { key: 'glitterbox-pride', advertiser: 'Glitterbox Boutique', name: 'Pride Collection', start: '2027-09-15', end: '2027-10-17', priority: 10, spotsPerDay: 8, spotLength: 30, rotation: 'weighted', copy: [{ weight: 50 }, { weight: 25 }, { weight: 25 }] },
  { key: 'hacienda-monsoon', advertiser: 'Hacienda Hardware', name: 'Monsoon Prep', start: '2027-06-01', end: '2027-08-31', priority: 3, spotsPerWeek: 21, spotLength: 60, dayparts: ['morning drive', 'weekend daytime'], rotation: 'sequential', copy: [{}] },
  { key: 'neon-coyote-club', advertiser: 'The Neon Coyote Lounge', name: 'Club Nights', start: '2026-08-01', end: DEMO_END, priority: 5, spotsPerWeek: 42, spotLength: 30, dayparts: ['evening', 'overnight'], rotation: 'sequential', copy: [{}, {}, {}] },
  // The bar also sells brunch: this campaign is in another category than its advertiser.
  { key: 'neon-coyote-brunch', advertiser: 'The Neon Coyote Lounge', name: 'Sunday Drag Brunch', start: '2026-11-01', end: DEMO_END, priority: 4, spotsPerWeek: 10, spotLength: 30, category: 'food', dayparts: ['weekend daytime'], rotation: 'sequential', copy: [{}] },
  { key: 'cactus-flower-getaways', advertiser: 'Cactus Flower Travel', name: 'Pride Getaways', start: '2026-10-01', end: '2027-05-31', priority: 4, spotsPerDay: 3, spotLength: 60, status: 'paused', rotation: 'sequential', copy: [{}, {}] },
  { key: 'cactus-flower-spring', advertiser: 'Cactus Flower Travel', name: 'Spring Break Cruises', start: '2026-02-01', end: '2026-04-15', priority: 3, spotsPerDay: 3, spotLength: 60, rotation: 'sequential', copy: [{}] },
  { key: 'mesa-glass-classes', advertiser: 'Mesa Glass Studio', name: 'Glass Classes All Year', start: '2026-11-15', end: DEMO_END, priority: 1, spotsPerWeek: 14, spotLength: 30, dayparts: ['midday', 'weekend daytime'], rotation: 'sequential', copy: [{}] },
];

function makeCampaigns(): { copyTracks: BundleTrack[]; campaigns: BundleCampaign[] } {
  const categoryOf = new Map(ADVERTISERS.map((a) => [a.name, a.category]));
  const copyTracks: BundleTrack[] = [];
  const campaigns = CAMPAIGNS.map(({ key, copy, ...c }) => {
    const letters = 'abc';
    const entries = copy.map((window, i) => {
      const ref = `adv-${key}-${c.spotLength}${letters[i]}`;
      const category = c.category ?? categoryOf.get(c.advertiser)!;
      copyTracks.push({ ref, type: 'ADV', title: `${c.advertiser} — ${c.name} :${c.spotLength} ${letters[i]!.toUpperCase()}`, artist: c.advertiser, length: c.spotLength, categories: [category] });
      return { track: ref, ...window };
    });
    return { ...c, copy: entries };
  });
  return { copyTracks, campaigns };
}

// ---------------------------------------------------------------- clocks
type Plan = BundleClockElement | { music: number }; // music: this run's share of the hour's songs
const HOUR = 3600;

function makeClocks(library: BundleTrack[]): BundleClock[] {
  const seconds = (t: BundleTrack) => (typeof t.length === 'number' ? t.length : Number(t.length.slice(0, 2)) * 60 + Number(t.length.slice(3)));
  const byTitle = new Map(library.map((t) => [`${t.type}|${t.title}`, t]));
  const avg = (ts: BundleTrack[]) => ts.reduce((s, t) => s + seconds(t), 0) / ts.length;
  const avgOfType = (type: TrackType) => avg(library.filter((t) => t.type === type));
  const title = (type: TrackType, ref: string) => {
    const t = library.find((x) => x.ref === ref && x.type === type);
    if (!t) throw new Error(`clock refers to missing ${type} ${ref}`);
    return t.title;
  };
  // A voice-track slot takes time only once someone records it: count it as nothing.
  const estimate = (e: BundleClockElement) => (e.type === 'VT' ? 0 : e.type === 'LIVE' ? durationToMs(e.length ?? 0) / 1000 : (e.count ?? 1) * (e.title ? seconds(byTitle.get(`${e.type}|${e.title}`)!) : avgOfType(e.type)));

  const id = (ref: string): Plan => ({ type: 'LIN', title: title('LIN', ref), start: { at: '00:00', kind: 'hard' } });
  const el = (type: TrackType, ref?: string, at?: string): Plan => ({ type, ...(ref ? { title: title(type, ref) } : {}), ...(at ? { start: { at, kind: 'soft' as const } } : {}) });
  const brk = (count: number, category?: string): Plan => ({ type: 'ADV', count, fallback: 'PSA', ...(category ? { category } : {}) });
  const m = (share: number): Plan => ({ music: share });
  /** A slot for the host's recorded link (voice tracking), between songs. */
  const vt = (title: string): Plan => ({ type: 'VT', title });

  // Song counts are derived, not guessed: what the talk, imaging and breaks leave of the hour,
  // divided by the rule set's average song length, shared out over the music runs.
  const clock = (name: string, hour: number | undefined, daypart: string | undefined, ruleSetName: string, plan: Plan[]): BundleClock => {
    const rs = RULE_SETS.find((x) => x.name === ruleSetName)!;
    const pool = library.filter((t) => matches(t, rs));
    const fixed = plan.reduce((s, p) => s + ('music' in p ? 0 : estimate(p)), 0);
    const songs = Math.max(1, Math.round((HOUR - fixed) / avg(pool)));
    const shares = plan.flatMap((p) => ('music' in p ? [p.music] : []));
    const total = shares.reduce((a, b) => a + b, 0);
    // Largest remainder, so the runs keep the proportions the plan asked for.
    const exact = shares.map((s) => (songs * s) / total);
    const counts = exact.map(Math.floor);
    const byRemainder = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((p, q) => q[0] - p[0] || p[1] - q[1]);
    for (let j = 0; counts.reduce((x, y) => x + y, 0) < songs; j++) counts[byRemainder[j % byRemainder.length]![1]]! += 1;
    let k = 0;
    const elements = plan.map((p): BundleClockElement => ('music' in p ? { type: 'MUS', count: counts[k++]!, ruleSet: rs.name } : p));
    return { name, ...(hour !== undefined ? { hour: `${String(hour).padStart(2, '0')}:00` } : {}), ...(daypart ? { daypart } : {}), elements };
  };

  const clocks: BundleClock[] = [];
  for (const h of range(0, 23)) {
    const hh = String(h).padStart(2, '0');
    if (h <= 4) clocks.push(clock(`Overnight ${hh}`, h, 'overnight', 'overnight chill', [id('lin-legal-03'), m(4), brk(2), m(4), h % 2 ? el('PRO') : el('LIN', 'lin-liner-02'), m(3), brk(3), m(3), { type: 'PSA', category: h % 2 ? 'community' : 'health' }]));
    else if (h === 5) clocks.push(clock('Early Morning 05', h, 'early morning', 'early riser', [id('lin-legal-02'), el('BED', 'bed-news-drive'), m(4), brk(2), el('INT', 'int-community-calendar'), m(4), brk(2, 'health'), m(3)]));
    else if (h === 6) {
      // The spec's example, verbatim (its name defaults to "06:00"). It is short of an hour on
      // purpose: the log builder adds songs to fill it and says so.
      clocks.push({ hour: '06:00', elements: [{ type: 'LIN', title: 'Top-of-Hour ID' }, { type: 'BED', title: 'News Bed' }, { type: 'INT', title: 'Morning Interview' }, { type: 'ADV', fallback: 'PSA' }, { type: 'MUS', count: 3 }] });
    } else if (h <= 9) {
      const talk: Record<number, string> = { 7: 'int-health-check-in', 8: 'int-drive-time-spotlight', 9: 'int-arts-beat' };
      clocks.push(clock(`Morning Drive ${hh}`, h, 'morning drive', 'morning soft pop', [id('lin-legal-02'), el('BED', 'bed-news-drive'), m(3), vt('Morning link'), brk(3), m(3), el('BED', 'bed-weather-traffic', '30:00'), el('INT', talk[h]), brk(4), m(2), vt('Back-sell'), el('PRO', 'pro-morning-drive'), m(2), brk(2)]));
    } else if (h <= 14) {
      clocks.push(clock(`Midday ${hh}`, h, 'midday', 'midday mix', [id('lin-legal-01'), m(4), brk(3), m(3), ...(h === 12 ? [el('INT', 'int-small-business')] : [el('PRO')]), m(3), brk(4, h === 12 ? 'food' : undefined), m(3), brk(3), m(2), el('LIN', h % 2 ? 'lin-liner-02' : 'lin-liner-01')]));
    } else if (h <= 18) {
      const talk = ({ 15: 'int-community-calendar', 16: 'int-queer-history', 18: 'int-desert-dispatch' } as Record<number, string | undefined>)[h];
      clocks.push(clock(`Afternoon Drive ${hh}`, h, 'afternoon drive', 'afternoon drive hits', [id('lin-legal-01'), el('BED', 'bed-news-drive'), m(3), vt('Afternoon link'), brk(3), m(3), el('BED', 'bed-weather-traffic', '30:00'), ...(talk ? [el('INT', talk)] : []), brk(4, h === 17 ? 'auto' : undefined), m(3), el('PRO', 'pro-afternoon'), m(2), brk(2)]));
    } else if (h <= 21) {
      clocks.push(clock(`Evening ${hh}`, h, 'evening', 'evening groove', [id('lin-legal-01'), m(4), vt('Evening link'), brk(3), m(3), h === 20 ? el('LIN', 'lin-liner-05') : el('PRO'), m(3), brk(3, h === 21 ? 'nightlife' : undefined), m(3), brk(2), m(2)]));
    } else {
      clocks.push(clock(`Late Night ${hh}`, h, 'evening', 'late-night club beats', [id('lin-legal-03'), m(5), brk(3, 'nightlife'), m(4), el('LIN', 'lin-liner-03'), m(3), brk(2)]));
    }
  }
  // Weekend daytime and specials: named clocks without an hour, placed by the grid.
  clocks.push(clock('Weekend Brunch', undefined, 'weekend daytime', 'weekend brunch', [id('lin-legal-04'), m(4), brk(3, 'food'), m(3), el('PRO', 'pro-brunch'), m(3), brk(3), m(3), brk(2), m(2), el('LIN', 'lin-liner-04')]));
  clocks.push(clock('Weekend Afternoon', undefined, 'weekend daytime', 'weekend party', [id('lin-legal-04'), m(4), brk(3), m(4), el('LIN', 'lin-liner-01'), m(3), brk(4), m(3), brk(2), m(2)]));
  clocks.push(clock('Sunday Community Hour', undefined, 'weekend daytime', 'weekend brunch', [id('lin-legal-04'), el('INT', 'int-sunday-1'), brk(2, 'community'), el('INT', 'int-sunday-2', '20:00'), brk(2), el('INT', 'int-sunday-3', '40:00'), el('PRO', 'pro-sunday-hour'), m(1)]));
  clocks.push(clock('Holiday Special', undefined, undefined, 'holiday warmth', [id('lin-legal-06'), el('INT', 'int-holiday-stories'), m(4), brk(2), m(4), el('PRO', 'pro-holiday'), m(3), brk(2)]));
  clocks.push(clock('New Year Party', undefined, undefined, 'late-night club beats', [id('lin-legal-06'), el('PRO', 'pro-new-year'), m(6), brk(2, 'nightlife'), m(6)]));
  clocks.push(clock('Pride Weekend', undefined, undefined, 'pride anthems', [id('lin-legal-05'), el('INT', 'int-pride-live'), m(4), brk(4, 'nightlife'), m(3), el('PRO', 'pro-pride'), m(3), brk(3), m(2)]));
  return clocks;
}

function matches(t: BundleTrack, rs: RuleSet): boolean {
  return t.type === 'MUS' && rs.genres.includes(t.genre!) && (rs.moods as string[]).includes(t.mood!) && t.bpm! >= rs.bpm.min && t.bpm! <= rs.bpm.max && t.energy! >= rs.energy.min && t.energy! <= rs.energy.max;
}

// ---------------------------------------------------------------- grid
const hh = (h: number) => String(h).padStart(2, '0');
const HOUR_CLOCK = (h: number) =>
  h <= 4 ? `Overnight ${hh(h)}` : h === 5 ? 'Early Morning 05' : h === 6 ? '06:00' : h <= 9 ? `Morning Drive ${hh(h)}` : h <= 14 ? `Midday ${hh(h)}` : h <= 18 ? `Afternoon Drive ${hh(h)}` : h <= 21 ? `Evening ${hh(h)}` : `Late Night ${hh(h)}`;
const GRID: NonNullable<StationBundle['grid']> = {
  // Every hour of every day gets its hour clock; later rules then give the weekend its own daytime.
  weekly: [
    ...range(0, 23).map((h) => ({ days: ALL_DAYS, hours: [h], clock: HOUR_CLOCK(h) })),
    { days: WEEKEND, hours: range(6, 11), clock: 'Weekend Brunch' },
    { days: WEEKEND, hours: range(12, 18), clock: 'Weekend Afternoon' },
    { days: ['sun'], hours: [10], clock: 'Sunday Community Hour' },
  ],
  overrides: [
    { date: '2026-12-25', hours: range(6, 21), clock: 'Holiday Special', note: 'Christmas Day: holiday programming all day' },
    { date: '2026-12-31', hours: [22, 23], clock: 'New Year Party', note: 'New Year’s Eve countdown' },
    { date: '2027-01-01', hours: [0, 1], clock: 'New Year Party', note: 'New Year party runs past midnight' },
    { date: '2027-01-01', hours: range(10, 17), clock: 'Holiday Special', note: 'New Year’s Day' },
    { date: '2027-10-16', hours: range(10, 21), clock: 'Pride Weekend', note: 'Phoenix Pride Festival, Saturday' },
    { date: '2027-10-17', hours: range(10, 21), clock: 'Pride Weekend', note: 'Phoenix Pride Festival, Sunday' },
  ],
};

// ---------------------------------------------------------------- assemble, check, write
function build(): StationBundle {
  const artists = makeArtists();
  const { copyTracks, campaigns } = makeCampaigns();
  const library = [...makeMusic(artists), ...makeProduction(), ...copyTracks];
  return {
    $schema: '../../docs/station-bundle.schema.json',
    bundleVersion: 1,
    station: {
      slug: 'demo',
      name: 'GayPHX Radio',
      timezone: 'America/Phoenix',
      buildDaysAhead: 2,
      buildHour: 4,
      // What the royalty and compliance reports print of the station (invented, like the rest).
      identity: {
        callLetters: 'KGPX-LP',
        frequency: '99.5 MHz',
        band: 'FM',
        market: 'Phoenix, AZ',
        communityOfLicense: 'Phoenix, Arizona',
        country: 'US',
        serviceName: 'KGPX-LP GayPHX Radio',
        transmissionCategory: 'B',
        bmiStationId: 'KGPXLP',
        musicFormat: 'Variety',
        contact: { name: 'Rosa Velamar', street: '1101 N Central Ave', city: 'Phoenix', region: 'AZ', postalCode: '85004', phone: '(602) 555-0100', email: 'traffic@gayphx.example' },
        signer: { name: 'Rosa Velamar', title: 'Station Manager' },
      },
    },
    categories: Object.entries(CATEGORIES).map(([code, name]) => ({ code, name })),
    dayparts: DAYPARTS,
    ruleSets: RULE_SETS,
    clocks: makeClocks(library),
    grid: GRID,
    library,
    advertisers: ADVERTISERS,
    campaigns,
  };
}

/** What the demo promises: every hour covered, titles that clocks ask for exist, flights on every side of ANCHOR. */
function check(b: StationBundle): void {
  const fail = (msg: string) => { throw new Error(`demo bundle: ${msg}`); };
  const library = b.library!;
  const titles = new Set(library.map((t) => `${t.type}|${t.title}`));
  for (const c of b.clocks!) for (const e of c.elements) if (e.title && e.type !== 'VT' && !titles.has(`${e.type}|${e.title}`)) fail(`clock ${c.name ?? c.hour} asks for missing ${e.type} "${e.title}"`);
  const refs = new Set(library.map((t) => t.ref));
  if (refs.size !== library.length) fail('duplicate track refs');
  const covered = new Set<string>();
  for (const w of b.grid!.weekly!) for (const d of w.days) for (const h of w.hours) covered.add(`${d}${h}`);
  if (covered.size !== 168) fail(`grid covers ${covered.size} of 168 hours`);
  const cs = b.campaigns!;
  const live = (c: BundleCampaign) => c.status !== 'paused' && c.start <= ANCHOR && c.end >= ANCHOR;
  if (cs.filter((c) => c.end < ANCHOR).length < 2 || cs.filter((c) => c.start > ANCHOR).length < 2 || !cs.some((c) => c.status === 'paused')) fail('needs expired, future and paused campaigns');
  if (!cs.some((c) => live(c) && c.copy.every((k) => k.end !== undefined && k.end < ANCHOR))) fail('needs an active campaign whose copy has expired');
  for (const rs of RULE_SETS) if (library.filter((t) => matches(t, rs)).length < 150) fail(`rule set "${rs.name}" matches too few songs`);
}

/** One section per top-level key, one array item per line, so diffs of the seed stay readable. */
function render(b: StationBundle): string {
  const list = (items: unknown[], indent: string, item = (x: unknown) => JSON.stringify(x)) => `[\n${items.map((x) => `${indent}  ${item(x)}`).join(',\n')}\n${indent}]`;
  const clockLine = (x: unknown) => {
    const { elements, ...head } = x as BundleClock;
    return `${JSON.stringify(head).slice(0, -1)},"elements":${list(elements, '    ')}}`;
  };
  const section = ([key, value]: [string, unknown]) => {
    if (key === 'clocks') return `  "clocks": ${list(value as unknown[], '  ', clockLine)}`;
    if (key === 'grid') return `  "grid": {\n${Object.entries(value as object).map(([k, v]) => `    "${k}": ${list(v as unknown[], '    ')}`).join(',\n')}\n  }`;
    return `  ${JSON.stringify(key)}: ${Array.isArray(value) ? list(value, '  ') : JSON.stringify(value)}`;
  };
  return `{\n${Object.entries(b).map(section).join(',\n')}\n}\n`;
}

const bundle = build();
check(bundle);
mkdirSync(dirname(OUT), { recursive: true });
writeFileSync(OUT, render(bundle));

const count = (type: TrackType) => bundle.library!.filter((t) => t.type === type).length;
console.log(`wrote ${OUT}`);
console.log(`tracks: ${(['MUS', 'PSA', 'ADV', 'LIN', 'BED', 'PRO', 'INT'] as const).map((t) => `${t} ${count(t)}`).join(', ')}; artists ${new Set(bundle.library!.map((t) => (t.type === 'MUS' ? t.artist : undefined)).filter(Boolean)).size}`);
const flights = { active: 0, expired: 0, future: 0, paused: 0 };
for (const c of bundle.campaigns!) flights[c.status === 'paused' ? 'paused' : c.end < ANCHOR ? 'expired' : c.start > ANCHOR ? 'future' : 'active'] += 1;
console.log(`clocks ${bundle.clocks!.length}, advertisers ${bundle.advertisers!.length}, campaigns ${bundle.campaigns!.length} at ${ANCHOR}: ${JSON.stringify(flights)}`);
for (const rs of RULE_SETS) {
  const pool = bundle.library!.filter((t) => matches(t, rs));
  console.log(`  rule set ${rs.name.padEnd(22)} ${String(pool.length).padStart(4)} songs by ${new Set(pool.map((t) => t.artist)).size} artists`);
}
