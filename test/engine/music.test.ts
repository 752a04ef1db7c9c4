import { describe, expect, it } from 'vitest';
import { scheduleMusic } from '../../domain/log/music.js';
import type { EnginePlay, EngineTrack, Slot } from '../../domain/log/types.js';
import { DAY_START, HOUR, MINUTE, clockSlots, contentMs, hour, hourSlots, inputs, musicIn, plays, ruleSet, song, songs } from './fixtures/music-fixtures.js';

const SEEDS = Array.from({ length: 12 }, (_, i) => i + 1);
const trackIds = (slots: Slot[]) => slots.filter((s) => s.type === 'MUS').map((s) => s.fill?.trackId ?? null);
const warnings = (exceptions: { severity: string }[]) => exceptions.filter((e) => e.severity !== 'info');

describe('music: songs from the clock’s rule set', () => {
  it('a song fills every music slot from the clock’s rule set', () => {
    const soft = ruleSet('soft', { genres: ['Pop'], moods: ['chill', 'romantic'], minBpm: 80, maxBpm: 120, minEnergy: 2, maxEnergy: 6, artistSeparationMinutes: 60 });
    const fits = songs(40, (i) => ({ genre: i % 2 ? 'POP ' : 'pop', mood: i % 3 ? 'chill' : 'Romantic', bpm: 80 + i, energy: 2 + (i % 5) }));
    const misfits = [
      song('rock', { genre: 'rock', mood: 'chill', bpm: 100, energy: 4 }),
      song('party', { genre: 'pop', mood: 'energetic', bpm: 100, energy: 4 }),
      song('fast', { genre: 'pop', mood: 'chill', bpm: 140, energy: 4 }),
      song('no-bpm', { genre: 'pop', mood: 'chill', bpm: null, energy: 4 }),
      song('loud', { genre: 'pop', mood: 'chill', bpm: 100, energy: 9 }),
      song('no-energy', { genre: 'pop', mood: 'chill', bpm: 100, energy: null }),
      song('spot', { type: 'ADV', genre: 'pop', mood: 'chill', bpm: 100, energy: 4 }),
    ];
    const h = hour(9);
    const slots = clockSlots(h, [{ type: 'LIN' }, { type: 'MUS', count: 7, ruleSetId: 'soft' }, { type: 'ADV', count: 3 }, { type: 'MUS', count: 7, ruleSetId: 'soft' }]);
    const before = structuredClone(slots);

    const result = scheduleMusic(inputs({ library: [...misfits, ...fits], ruleSets: [soft] }), [h], slots);

    const allowed = new Set(fits.map((t) => t.id));
    const music = musicIn(result.slots, 9);
    expect(music.length).toBeGreaterThanOrEqual(14);
    for (const slot of music) {
      expect(slot.fill).toMatchObject({ type: 'MUS', campaignId: null, isFallback: false });
      expect(allowed.has(slot.fill!.trackId!)).toBe(true);
    }
    // The other slots are left as they were, and nothing given is changed.
    expect(result.slots.filter((s) => s.type === 'LIN')).toEqual(before.filter((s) => s.type === 'LIN'));
    expect(result.slots.filter((s) => s.type === 'ADV').every((s) => s.fill === null)).toBe(true);
    expect(slots).toEqual(before);
    expect(warnings(result.exceptions)).toEqual([]);
  });

  it('a clock without a rule set takes any song', () => {
    const library = [song('a', { genre: 'jazz', bpm: null, energy: null, mood: null }), song('b', { genre: null }), song('spot', { type: 'ADV' })];
    const h = hour(3, { targetLengthMs: 2 * 210_000 });
    const result = scheduleMusic(inputs({ library }), [h], clockSlots(h, [{ type: 'MUS', count: 2 }]));
    expect(trackIds(result.slots).sort()).toEqual(['a', 'b']);
    expect(result.exceptions).toEqual([]);
  });

  it('a Club Mix restricted to evening never plays in the morning', () => {
    const club = ruleSet('club', { genres: ['house'], artistSeparationMinutes: 0, titleSeparationHours: 0 });
    const library = [
      song('club-mix', { title: 'Neon Nights (Club Mix)', genre: 'house', daypartIds: ['evening'] }),
      song('radio-edit', { title: 'Neon Nights (Radio Edit)', genre: 'house' }),
      song('deep', { title: 'Deep Water', genre: 'house' }),
    ];
    const morning = hour(8, { daypartIds: ['morning drive'], targetLengthMs: 2 * 210_000 });
    const evening = hour(20, { daypartIds: ['evening'], targetLengthMs: 2 * 210_000 });
    let eveningPlays = 0;
    for (const seed of SEEDS) {
      const slots = [...clockSlots(morning, [{ type: 'MUS', count: 2, ruleSetId: 'club' }]), ...clockSlots(evening, [{ type: 'MUS', count: 2, ruleSetId: 'club' }])];
      const result = scheduleMusic(inputs({ seed, library, ruleSets: [club] }), [morning, evening], slots);
      expect(trackIds(musicIn(result.slots, 8))).not.toContain('club-mix');
      if (trackIds(musicIn(result.slots, 20)).includes('club-mix')) eveningPlays++;
      expect(result.exceptions).toEqual([]);
    }
    // It is a real candidate where it is allowed.
    expect(eveningPlays).toBeGreaterThan(0);
  });

  it('a rule set used outside its dayparts is used anyway, noted once for the hour', () => {
    const late = ruleSet('late', { name: 'late-night club beats', daypartIds: ['evening', 'overnight'] });
    const h = hour(9, { daypartIds: ['morning drive'] });
    const result = scheduleMusic(inputs({ library: songs(60), ruleSets: [late] }), [h], clockSlots(h, [{ type: 'MUS', count: 8, ruleSetId: 'late' }, { type: 'ADV' }, { type: 'MUS', count: 7, ruleSetId: 'late' }]));
    expect(musicIn(result.slots, 9).every((s) => s.fill !== null)).toBe(true);
    const noted = result.exceptions.filter((e) => e.details.rule === 'rule_set_daypart');
    expect(noted).toEqual([
      expect.objectContaining({ kind: 'rule_relaxed', severity: 'info', hourIndex: 9, message: 'Music rule set "late-night club beats" used at 09:00, outside its dayparts' }),
    ]);
  });
});

describe('music: separation', () => {
  it('no artist twice within the artist separation, across the hour boundary', () => {
    const rs = ruleSet('mix', { artistSeparationMinutes: 60, titleSeparationHours: 24 });
    // 22 artists with three songs each: enough for an hour's worth of other artists, but
    // rotation alone would bring the same artist back within the hour.
    const library = songs(66, (i) => ({ artist: `Artist ${i % 22}`, title: `Song ${i}` }), 180_000, 260_000);
    const hours = [hour(0), hour(1)];
    for (const seed of SEEDS.slice(0, 6)) {
      const slots = hours.flatMap((h) => clockSlots(h, [{ type: 'LIN' }, { type: 'MUS', count: 8, ruleSetId: 'mix' }, { type: 'ADV', count: 2 }, { type: 'MUS', count: 7, ruleSetId: 'mix' }]));
      const result = scheduleMusic(inputs({ seed, library, ruleSets: [rs] }), hours, slots);
      const day = plays(hours, result.slots);
      let acrossTheHour = 0;
      for (const a of day) {
        for (const b of day) {
          if (a === b || a.artist !== b.artist) continue;
          expect(Math.abs(a.startsAt - b.startsAt)).toBeGreaterThanOrEqual(60 * MINUTE);
          if (a.key.startsWith('0:') && b.key.startsWith('1:')) acrossTheHour++;
        }
      }
      expect(acrossTheHour).toBeGreaterThan(0);
      expect(warnings(result.exceptions)).toEqual([]);
    }
  });

  it('yesterday’s late songs count for today’s first hour (across midnight)', () => {
    const rs = ruleSet('mix', { artistSeparationMinutes: 60, titleSeparationHours: 24 });
    const library = [
      song('a-old', { artist: 'Aria Vance', title: 'Old Flame' }),
      song('a-new', { artist: 'Aria Vance', title: 'New Dawn' }),
      song('b-old', { artist: 'Bo Lumen', title: 'Last Call' }),
      song('b-new', { artist: ' bo lumen ', title: 'First Light' }),
      ...['c', 'd', 'e', 'f'].map((x) => song(x, { artist: `Artist ${x}` })),
    ];
    const history: EnginePlay[] = [
      { trackId: 'a-old', title: 'Old Flame', artist: 'Aria Vance', startsAt: DAY_START - 12 * MINUTE },
      { trackId: 'b-old', title: 'Last Call', artist: 'Bo Lumen', startsAt: DAY_START - 4 * MINUTE },
    ];
    const midnight = hour(0, { targetLengthMs: 10_000 + 4 * 210_000 });
    const build = (seed: number, withHistory: boolean) =>
      scheduleMusic(inputs({ seed, library, ruleSets: [rs], history: withHistory ? history : [] }), [midnight], clockSlots(midnight, [{ type: 'LIN' }, { type: 'MUS', count: 4, ruleSetId: 'mix' }]));

    let withoutHistoryTheyWouldPlay = 0;
    for (const seed of SEEDS) {
      const first = trackIds(build(seed, true).slots);
      expect(first.filter((id) => id?.startsWith('a-') || id?.startsWith('b-'))).toEqual([]);
      if (trackIds(build(seed, false).slots).some((id) => id === 'a-new' || id === 'b-new')) withoutHistoryTheyWouldPlay++;
    }
    expect(withoutHistoryTheyWouldPlay).toBeGreaterThan(0);
  });

  it('a title does not repeat within the title separation', () => {
    const rs = ruleSet('mix', { artistSeparationMinutes: 0, titleSeparationHours: 24 });
    const library = [
      // The same song twice in the library (single and album version) counts as one title.
      song('bloom-single', { title: 'Desert Bloom', artist: 'Mara Vell' }),
      song('bloom-album', { title: 'desert bloom ', artist: 'MARA VELL' }),
      song('played', { title: 'Played Last Night', artist: 'Kit Orr' }),
      song('renamed', { title: 'Renamed Since', artist: 'Kit Orr' }),
      song('c', { title: 'Copper Sky' }),
      song('d', { title: 'Dust Devil' }),
      song('e', { title: 'Ember' }),
    ];
    // Played 3 hours before midnight, under the title the log had then.
    const history: EnginePlay[] = [
      { trackId: 'played', title: 'Played Last Night', artist: 'Kit Orr', startsAt: DAY_START - 3 * HOUR },
      { trackId: 'renamed', title: 'Old Working Title', artist: 'Kit Orr', startsAt: DAY_START - 2 * HOUR },
    ];
    const h = hour(0, { targetLengthMs: 4 * 210_000 });
    let bothVersions = 0;
    for (const seed of SEEDS) {
      const slots = clockSlots(h, [{ type: 'MUS', count: 4, ruleSetId: 'mix' }]);
      const ids = trackIds(scheduleMusic(inputs({ seed, library, ruleSets: [rs], history }), [h], slots).slots);
      expect(ids).not.toContain('played');
      expect(ids).not.toContain('renamed');
      expect(ids.includes('bloom-single') && ids.includes('bloom-album')).toBe(false);
      const free = trackIds(scheduleMusic(inputs({ seed, library, ruleSets: [ruleSet('mix', { artistSeparationMinutes: 0, titleSeparationHours: 0 })], history }), [h], slots).slots);
      if (free.includes('bloom-single') && free.includes('bloom-album')) bothVersions++;
    }
    // Without title separation, both versions do end up in the same hour.
    expect(bothVersions).toBeGreaterThan(0);
  });

  it('when separation cannot hold it is relaxed and the exception says so', () => {
    const rs = ruleSet('mix', { artistSeparationMinutes: 60, titleSeparationHours: 24 });
    const solo = [1, 2, 3].map((i) => song(`solo-${i}`, { artist: 'Solo Artist', title: `Track ${i}`, lengthMs: 200_000 }));
    const h = hour(14, { targetLengthMs: 3 * 200_000 });
    const result = scheduleMusic(inputs({ library: solo, ruleSets: [rs] }), [h], clockSlots(h, [{ type: 'MUS', count: 3, ruleSetId: 'mix' }]));

    expect(new Set(trackIds(result.slots)).size).toBe(3); // title separation still holds
    expect(result.exceptions).toEqual([
      expect.objectContaining({ kind: 'rule_relaxed', severity: 'warning', hour: 14, hourIndex: 14, slotKey: '14:0:1' }),
      expect.objectContaining({ kind: 'rule_relaxed', severity: 'warning', hour: 14, hourIndex: 14, slotKey: '14:0:2' }),
    ]);
    expect(result.exceptions[0]!.message).toBe('Artist separation relaxed at 14:00: no song by another artist was far enough from the last play');
    expect(result.exceptions[0]!.details).toMatchObject({ rules: ['artist_separation'], artistSeparationMinutes: { required: 60, used: 0 } });
    expect(musicIn(result.slots, 14)[1]!.fill!.note).toBe('Artist separation relaxed');

    // Two songs for three slots: the title comes back (and with it its artist), and the
    // exception speaks of the more important rule.
    const duo = [song('x', { lengthMs: 200_000 }), song('y', { lengthMs: 200_000 })];
    const again = scheduleMusic(inputs({ library: duo, ruleSets: [rs] }), [h], clockSlots(h, [{ type: 'MUS', count: 3, ruleSetId: 'mix' }]));
    expect(trackIds(again.slots).every((id) => id !== null)).toBe(true);
    expect(again.exceptions).toHaveLength(1);
    expect(again.exceptions[0]).toMatchObject({ kind: 'rule_relaxed', severity: 'warning', slotKey: '14:0:2', details: { rules: ['artist_separation', 'title_separation'] } });
    expect(again.exceptions[0]!.message).toMatch(/^Title separation relaxed at 14:00: every song "mix" allows played too recently$/);
  });

  it('criteria are relaxed before genre, and genre before a song’s dayparts', () => {
    const library = [song('pop-chill', { genre: 'pop', mood: 'chill' }), song('rock', { genre: 'rock', mood: 'angry' })];
    const h = hour(10, { targetLengthMs: 210_000, daypartIds: ['midday'] });
    const slots = clockSlots(h, [{ type: 'MUS', ruleSetId: 'rs' }]);

    const sad = scheduleMusic(inputs({ library, ruleSets: [ruleSet('rs', { name: 'sad pop', genres: ['pop'], moods: ['sad'] })] }), [h], slots);
    expect(trackIds(sad.slots)).toEqual(['pop-chill']);
    expect(sad.exceptions).toHaveLength(1);
    expect(sad.exceptions[0]).toMatchObject({ kind: 'rule_relaxed', severity: 'warning', details: { rules: ['mood_tempo_energy'] } });
    expect(sad.exceptions[0]!.message).toBe('Mood, tempo and energy of "sad pop" relaxed at 10:00: no song matching them could play');

    const jazz = scheduleMusic(inputs({ library, ruleSets: [ruleSet('rs', { name: 'jazz', genres: ['jazz'], moods: ['sad'] })] }), [h], slots);
    expect(jazz.slots[0]!.fill).not.toBeNull();
    expect(jazz.exceptions[0]!.details.rules).toEqual(['mood_tempo_energy', 'genre']);
    expect(jazz.exceptions[0]!.message).toBe('Genre of "jazz" relaxed at 10:00: no song of its genres could play');

    const eveningOnly = [song('late', { daypartIds: ['evening'] })];
    const late = scheduleMusic(inputs({ library: eveningOnly, ruleSets: [ruleSet('rs')] }), [h], slots);
    expect(trackIds(late.slots)).toEqual(['late']);
    expect(late.exceptions[0]!.details.rules).toEqual(['track_daypart']);
    expect(late.exceptions[0]!.message).toBe('Song dayparts relaxed at 10:00: no song allowed in this daypart could play');
  });

  it('an empty music library leaves the slot empty with an error exception', () => {
    const h = hour(6);
    const library: EngineTrack[] = [song('id', { type: 'LIN' }), song('spot', { type: 'ADV' })];
    const slots = clockSlots(h, [{ type: 'LIN' }, { type: 'MUS', count: 2, ruleSetId: 'mix' }, { type: 'ADV' }]);
    const result = scheduleMusic(inputs({ library, ruleSets: [ruleSet('mix')] }), [h], slots);
    expect(result.slots).toHaveLength(slots.length);
    expect(musicIn(result.slots, 6).map((s) => s.fill)).toEqual([null, null]);
    expect(result.exceptions).toEqual([
      expect.objectContaining({ kind: 'empty_slot', severity: 'error', hour: 6, hourIndex: 6, slotKey: '6:1:0', message: 'No music in the library for 06:00: the music slot stays empty' }),
      expect.objectContaining({ kind: 'empty_slot', severity: 'error', hour: 6, hourIndex: 6, slotKey: '6:1:1' }),
    ]);
  });
});

describe('music: rotation and the seed', () => {
  it('the least recently played eligible song wins (even rotation)', () => {
    const rs = ruleSet('mix', { artistSeparationMinutes: 0, titleSeparationHours: 0 });
    const library = ['two-days', 'yesterday', 'tonight', 'never'].map((id) => song(id, { lengthMs: 200_000 }));
    const history: EnginePlay[] = [
      { trackId: 'tonight', title: 'Song tonight', artist: 'Artist tonight', startsAt: DAY_START - 2 * HOUR },
      { trackId: 'two-days', title: 'Song two-days', artist: 'Artist two-days', startsAt: DAY_START - 48 * HOUR },
      { trackId: 'yesterday', title: 'Song yesterday', artist: 'Artist yesterday', startsAt: DAY_START - 20 * HOUR },
    ];
    const h = hour(0, { targetLengthMs: 5 * 200_000 });
    for (const seed of SEEDS.slice(0, 4)) {
      const result = scheduleMusic(inputs({ seed, library, ruleSets: [rs], history }), [h], clockSlots(h, [{ type: 'MUS', count: 5, ruleSetId: 'mix' }]));
      // Never played first, then the longest ago; the fifth song is the first again.
      expect(trackIds(result.slots)).toEqual(['never', 'two-days', 'yesterday', 'tonight', 'never']);
    }
  });

  it('every song plays once before any plays twice', () => {
    const rs = ruleSet('mix', { artistSeparationMinutes: 0, titleSeparationHours: 0 });
    const library = songs(20, () => ({}), 200_000, 200_000);
    const h = hour(0, { targetLengthMs: 30 * 200_000 });
    const ids = trackIds(scheduleMusic(inputs({ library, ruleSets: [rs] }), [h], clockSlots(h, [{ type: 'MUS', count: 30, ruleSetId: 'mix' }])).slots);
    expect(new Set(ids.slice(0, 20)).size).toBe(20);
    expect(ids.slice(20)).toEqual(ids.slice(0, 10));
  });

  it('the same seed gives the same music, another seed another', () => {
    const rs = ruleSet('mix', { artistSeparationMinutes: 45 });
    const library = songs(300, (i) => ({ artist: `Artist ${i % 90}` }));
    const hours = [hour(7), hour(8)];
    const slots = hours.flatMap((h) => clockSlots(h, [{ type: 'LIN' }, { type: 'MUS', count: 7, ruleSetId: 'mix' }, { type: 'ADV', count: 3 }, { type: 'MUS', count: 7, ruleSetId: 'mix' }]));
    const build = (seed: number) => scheduleMusic(inputs({ seed, library, ruleSets: [rs] }), hours, slots);
    expect(build(7)).toEqual(build(7));
    expect(trackIds(build(8).slots)).not.toEqual(trackIds(build(7).slots));
  });
});

describe('music: fill to time', () => {
  const rs = ruleSet('mix', { artistSeparationMinutes: 60 });
  const library = songs(400, (i) => ({ artist: `Artist ${i % 150}` }), 150_000, 330_000);
  // LIN 10 s, 14 songs, 6 ADV of 30 s: the clock's count is about right for the hour.
  const clock = [
    { type: 'LIN' as const },
    { type: 'MUS' as const, count: 5, ruleSetId: 'mix' },
    { type: 'ADV' as const, count: 3 },
    { type: 'MUS' as const, count: 5, ruleSetId: 'mix' },
    { type: 'ADV' as const, count: 3 },
    { type: 'MUS' as const, count: 4, ruleSetId: 'mix' },
  ];

  it('the hour ends within the fill tolerance by choosing song lengths (best fit)', () => {
    const hours = [hour(11), hour(12), hour(13)];
    for (const seed of SEEDS) {
      const slots = hours.flatMap((h) => clockSlots(h, clock));
      const result = scheduleMusic(inputs({ seed, library, ruleSets: [rs] }), hours, slots);
      for (const h of hours) {
        expect(Math.abs(contentMs(result.slots, h.index) - HOUR)).toBeLessThanOrEqual(30_000);
        expect(musicIn(result.slots, h.index)).toHaveLength(14); // by length, not by count
      }
      expect(result.exceptions).toEqual([]);
    }
  });

  it('a tighter tolerance is met too', () => {
    const h = hour(15);
    for (const seed of SEEDS.slice(0, 6)) {
      const station = { id: 'station-1', slug: 'test', timezone: 'America/Phoenix', fillToleranceMs: 5_000 };
      const result = scheduleMusic(inputs({ seed, station, library, ruleSets: [rs] }), [h], clockSlots(h, clock));
      expect(Math.abs(contentMs(result.slots, 15) - HOUR)).toBeLessThanOrEqual(5_000);
    }
  });

  it('a short clock gets extra songs to fill the hour', () => {
    const h = hour(16);
    const slots = clockSlots(h, [{ type: 'LIN' }, { type: 'MUS', count: 3, ruleSetId: 'mix' }, { type: 'ADV', count: 2 }, { type: 'MUS', count: 3, ruleSetId: 'mix' }, { type: 'ADV', count: 2 }]);
    const result = scheduleMusic(inputs({ library, ruleSets: [rs] }), [h], slots);

    const inHour = hourSlots(result.slots, 16);
    const added = inHour.filter((s) => !slots.some((o) => o.key === s.key));
    expect(added.length).toBeGreaterThanOrEqual(8);
    // Keys continue the last music element's count; orders stay unique and increasing, the
    // closing break after the added songs.
    expect(added.map((s) => s.key)).toEqual(added.map((_, i) => `16:3:${i + 3}`));
    expect(added.every((s) => s.type === 'MUS' && s.ruleSetId === 'mix' && s.fill?.note === 'Added to fill the hour')).toBe(true);
    expect(inHour.map((s) => s.key).slice(-2)).toEqual(['16:4:0', '16:4:1']);
    const orders = result.slots.filter((s) => s.hourIndex === 16).map((s) => s.order);
    expect(orders).toEqual([...orders].sort((a, b) => a - b));
    expect(new Set(orders).size).toBe(orders.length);
    expect(Math.abs(contentMs(result.slots, 16) - HOUR)).toBeLessThanOrEqual(30_000);
    expect(result.exceptions).toHaveLength(1);
    expect(result.exceptions[0]).toMatchObject({ kind: 'rule_relaxed', severity: 'info', hourIndex: 16, message: `16:00: ${added.length} songs added to fill the hour`, details: { added: added.length, dropped: 0 } });
    expect(slots).toHaveLength(11); // the clock's own slots are not touched
  });

  it('an overlong clock drops songs from its last music element', () => {
    const h = hour(17);
    const slots = clockSlots(h, [{ type: 'LIN' }, { type: 'MUS', count: 10, ruleSetId: 'mix' }, { type: 'ADV', count: 2 }, { type: 'MUS', count: 10, ruleSetId: 'mix' }]);
    const result = scheduleMusic(inputs({ library, ruleSets: [rs] }), [h], slots);
    const music = musicIn(result.slots, 17);
    expect(music.filter((s) => s.key.startsWith('17:1:'))).toHaveLength(10);
    const kept = music.filter((s) => s.key.startsWith('17:3:'));
    expect(kept.length).toBeLessThan(10);
    expect(kept.map((s) => s.key)).toEqual(kept.map((_, i) => `17:3:${i}`));
    expect(kept.at(-1)!.fill!.note).toMatch(/after this one dropped to fit the hour$/);
    expect(Math.abs(contentMs(result.slots, 17) - HOUR)).toBeLessThanOrEqual(30_000);
    expect(result.exceptions).toEqual([expect.objectContaining({ kind: 'rule_relaxed', severity: 'info', message: `17:00: ${10 - kept.length} songs dropped to fit the hour` })]);
  });

  it('music before a hard start ends within the tolerance of it (timing closes the rest)', () => {
    const h = hour(18);
    const slots = clockSlots(h, [
      { type: 'LIN', hardStartMs: 0 },
      { type: 'MUS', count: 7, ruleSetId: 'mix' },
      { type: 'BED', hardStartMs: 30 * MINUTE, lengthMs: 60_000 },
      { type: 'MUS', count: 7, ruleSetId: 'mix' },
    ]);
    for (const seed of SEEDS.slice(0, 6)) {
      const result = scheduleMusic(inputs({ seed, library, ruleSets: [rs] }), [h], slots);
      const firstHalf = hourSlots(result.slots, 18).filter((s) => s.type !== 'BED' && (s.key.startsWith('18:0:') || s.key.startsWith('18:1:')));
      const ends = firstHalf.reduce((sum, s) => sum + (s.fill?.lengthMs ?? s.plannedLengthMs), 0);
      expect(Math.abs(ends - 30 * MINUTE)).toBeLessThanOrEqual(30_000);
      expect(Math.abs(contentMs(result.slots, 18) - ends + 30 * MINUTE - HOUR)).toBeLessThanOrEqual(30_000);
    }
  });
});
