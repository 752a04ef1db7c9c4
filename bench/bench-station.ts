// A generated station at the scale the benchmarks promise: 20,000 songs, 300 campaigns
// running all year, 24 distinct hour clocks. Deterministic, so runs compare.
import type { BundleClockElement, StationBundle } from '../domain/bundle/types.js';
import { createRandom } from '../domain/log/random.js';

const GENRES = ['pop', 'dance', 'house', 'disco', 'synthpop', 'indie', 'r&b', 'soul', 'hip-hop', 'rock', 'electronic', 'latin'];
const MOODS = ['upbeat', 'chill', 'romantic', 'energetic', 'melancholy', 'empowering'];
const CATEGORIES = ['auto', 'food', 'retail', 'health', 'finance', 'legal', 'nightlife', 'travel', 'arts', 'community', 'education', 'safety'];
const ALL_DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

export function benchStationBundle(options: { songs?: number; campaigns?: number; slug?: string } = {}): StationBundle {
  const songs = options.songs ?? 20_000;
  const campaigns = options.campaigns ?? 300;
  const random = createRandom(2026, 'bench');
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const artists = Array.from({ length: Math.ceil(songs / 6) }, (_, i) => `Bench Artist ${i + 1}`);

  const library: NonNullable<StationBundle['library']> = [];
  for (let i = 0; i < songs; i++) {
    library.push({
      ref: `mus-${i}`,
      type: 'MUS',
      title: `Bench Song ${i + 1}`,
      artist: pick(artists),
      genre: GENRES[i % GENRES.length]!,
      mood: pick(MOODS),
      bpm: 80 + Math.floor(random() * 60),
      energy: 1 + Math.floor(random() * 10),
      length: 150 + Math.floor(random() * 180),
    });
  }
  for (let i = 0; i < 12; i++) library.push({ ref: `lin-${i}`, type: 'LIN', title: i === 0 ? 'Legal ID' : `Liner ${i}`, length: 10 });
  for (let i = 0; i < 60; i++) library.push({ ref: `psa-${i}`, type: 'PSA', title: `PSA ${i}`, length: i % 2 ? 60 : 30, categories: [CATEGORIES[i % CATEGORIES.length]!] });
  for (let i = 0; i < 20; i++) library.push({ ref: `pro-${i}`, type: 'PRO', title: `Promo ${i}`, length: 30 });

  const advertisers = Array.from({ length: 150 }, (_, i) => ({ name: `Bench Advertiser ${i + 1}`, category: CATEGORIES[i % CATEGORIES.length]! }));
  const campaignList: NonNullable<StationBundle['campaigns']> = [];
  for (let i = 0; i < campaigns; i++) {
    const advertiser = advertisers[i % advertisers.length]!;
    library.push({ ref: `adv-${i}`, type: 'ADV', title: `Spot ${i}`, length: i % 3 ? 30 : 60, categories: [advertiser.category] });
    campaignList.push({
      advertiser: advertiser.name,
      name: `Campaign ${i + 1}`,
      start: '2026-01-01',
      end: '2027-12-31',
      priority: 1 + (i % 10),
      // About 440 spots a day wanted for 288 avails: sold out, with preemption and bumps to work out.
      ...(i % 4 === 0 ? { spotsPerWeek: 7 + (i % 7) } : { spotsPerDay: 1 + (i % 2) }),
      spotLength: i % 3 ? 30 : 60,
      ...(i % 5 === 0 ? { dayparts: ['drive'] } : {}),
      rotation: i % 2 ? 'weighted' : 'sequential',
      copy: [{ track: `adv-${i}`, weight: 1 + (i % 3) }],
    });
  }

  const clocks: NonNullable<StationBundle['clocks']> = Array.from({ length: 24 }, (_, hour) => {
    const ruleSet = `rules ${hour % 6}`;
    // Four breaks of three avails: 288 avails a day.
    const elements: BundleClockElement[] = [
      { type: 'LIN', title: 'Legal ID', start: { at: '00:00', kind: 'hard' } },
      { type: 'MUS', count: 3, ruleSet },
      { type: 'ADV', count: 3, fallback: 'PSA' },
      { type: 'MUS', count: 3, ruleSet },
      { type: 'PRO' },
      { type: 'ADV', count: 3, fallback: 'PSA', ...(hour % 2 ? { category: CATEGORIES[hour % CATEGORIES.length]! } : {}) },
      { type: 'MUS', count: 3, ruleSet },
      { type: 'ADV', count: 3, fallback: 'PSA' },
      { type: 'MUS', count: 2, ruleSet },
      { type: 'ADV', count: 3, fallback: 'PSA' },
    ];
    return { name: `Bench ${String(hour).padStart(2, '0')}`, hour: `${String(hour).padStart(2, '0')}:00`, elements };
  });

  return {
    bundleVersion: 1,
    station: { slug: options.slug ?? 'bench', name: 'Benchmark FM', timezone: 'America/Phoenix', buildDaysAhead: 2, buildHour: 4, approvalLeadHours: 0 },
    categories: CATEGORIES.map((code) => ({ code })),
    dayparts: [{ name: 'drive', days: [...ALL_DAYS], start: '06:00', end: '10:00' }],
    ruleSets: Array.from({ length: 6 }, (_, i) => ({
      name: `rules ${i}`,
      genres: [GENRES[i * 2]!, GENRES[i * 2 + 1]!],
      artistSeparationMinutes: 60,
      titleSeparationHours: 6,
    })),
    clocks,
    grid: { weekly: Array.from({ length: 24 }, (_, hour) => ({ days: [...ALL_DAYS], hours: [hour], clock: `Bench ${String(hour).padStart(2, '0')}` })) },
    library,
    advertisers,
    campaigns: campaignList,
  };
}
