// Music (docs/log-rules.md §5), chosen after traffic and voice tracks: every open MUS slot gets a song
// from the library that fits the clock's rule set and the hour's daypart, keeps artist and
// title separation across hours and across midnight (earlier days' logs count), and rotates the
// library evenly (least recently played first, ties by the seeded random). The hour's last
// songs are chosen by length so each stretch ends at its hard start; timing fades or fills the
// few seconds left (§6). A clock
// whose music cannot fill its hour gets songs added or dropped. Where a rule cannot hold, the
// least important one is relaxed and the exception report says so (§10).
import { allowedIn } from './dayparts.js';
import { indexLibrary, tracksOfType } from './library-index.js';
import { createRandom } from './random.js';
import type { BroadcastHour, BuildInputs, EngineRuleSet, EngineTrack, LogException, Slot, SlotFill } from './types.js';

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
/** How many of the best songs by rotation are weighed for length when a song closes the hour. */
const FIT_CANDIDATES = 40;
/** How many are looked at for the other songs of the hour. */
const ROTATION_CANDIDATES = 24;
/** At most this many songs are added to one stretch of an hour. */
const MAX_ADDED = 24;
/** Song counts tried per stretch of an hour before the best one is kept. */
const MAX_ATTEMPTS = 6;
/** How much worse a stretch that comes up short is than one that runs long by as much. */
const SHORT_COST = 3;
/** Songs whose lengths describe a pool (typical length, usual range). */
const LENGTH_SAMPLE = 256;

/** Criteria levels, most to least strict: the rule set's criteria, genre only, any genre, any daypart. */
const CRITERIA_LEVELS = [0, 1, 2, 3] as const;
type CriteriaLevel = (typeof CRITERIA_LEVELS)[number];
/** Separation levels: [artist factor, title factor], most to least strict. */
const SEPARATION_LEVELS: readonly (readonly [number, number])[] = [
  [1, 1],
  [0.5, 1],
  [0, 1],
  [0, 0.5],
  [0, 0],
];

/** The rules a pick may bend, in the order they are given up. */
export type RelaxedMusicRule = 'artist_separation' | 'title_separation' | 'mood_tempo_energy' | 'genre' | 'track_daypart';

const norm = (text: string | null): string => (text ?? '').trim().toLowerCase();
const titleKey = (title: string, artist: string | null) => `${norm(title)}\u0000${norm(artist)}`;

interface RuleSet {
  source: EngineRuleSet;
  genres: Set<string>;
  moods: Set<string>;
  /** The rule set asks for more than a genre. */
  hasMoodTempoEnergy: boolean;
  artistSeparationMs: number;
  titleSeparationMs: number;
}

/** The songs a rule set allows in an hour, by place in the rotation (as it stood before this build). */
interface Pool {
  /** Places in the rotation, in order. */
  idx: Int32Array;
  /** 1 for the songs in the pool, by place in the rotation. */
  member: Uint8Array;
  stats: LengthStats | null;
}

interface LengthStats {
  low: number;
  median: number;
  high: number;
}

interface Pick {
  /** Position in the stretch's layout. */
  position: number;
  track: number;
  relaxed: RelaxedMusicRule[];
  artistSeparationMinutes: number;
  titleSeparationHours: number;
}

/** One stretch of an hour: from its top or a hard start to the next hard start or the hour's end. */
interface Stretch {
  slots: Slot[];
  /** Offset in the hour where it starts and where it should end. */
  startMs: number;
  endMs: number;
  isLast: boolean;
}

interface Attempt {
  songs: number;
  diff: number;
  layout: LayoutItem[];
  picks: Pick[];
}

/** A stretch as it would be built: its slots, with songs added or dropped. */
interface LayoutItem {
  slot: Slot;
  /** A song added after the clock's last music slot (n-th addition). */
  added: number | null;
  music: boolean;
}

export function scheduleMusic(inputs: BuildInputs, hours: BroadcastHour[], slots: Slot[]): { slots: Slot[]; exceptions: LogException[] } {
  const exceptions: LogException[] = [];
  const tolerance = Math.max(0, inputs.station.fillToleranceMs);

  // ---- The library, indexed once: music only, in rotation order as it stood before this build.
  const lastPlayedBefore = new Map<string, number>();
  const notePlayedBefore = (trackId: string, at: number) => {
    const previous = lastPlayedBefore.get(trackId);
    if (previous === undefined || at > previous) lastPlayedBefore.set(trackId, at);
  };
  for (const play of inputs.history) notePlayedBefore(play.trackId, play.startsAt);

  const hoursByIndex = new Map(hours.map((h) => [h.index, h]));
  const slotsByHour = new Map<number, Slot[]>();
  for (const slot of slots) {
    if (!hoursByIndex.has(slot.hourIndex)) continue;
    const list = slotsByHour.get(slot.hourIndex);
    if (list) list.push(slot);
    else slotsByHour.set(slot.hourIndex, [slot]);
  }
  for (const list of slotsByHour.values()) list.sort((a, b) => a.order - b.order);

  // Songs already in this day's log (an element naming a song) count like earlier plays.
  const fixedPlays: { trackId: string; title: string; artist: string | null; startsAt: number }[] = [];
  for (const [hourIndex, list] of slotsByHour) {
    const hour = hoursByIndex.get(hourIndex)!;
    const starts = estimateStarts(hour, list);
    list.forEach((slot, i) => {
      if (slot.fill?.type === 'MUS') {
        fixedPlays.push({ trackId: slot.fill.trackId, title: slot.fill.title, artist: slot.fill.artist, startsAt: starts[i]! });
        notePlayedBefore(slot.fill.trackId, starts[i]!);
      }
    });
  }

  // Songs are known by their place in the rotation (i); the filters read the library in its own
  // order (j), from flat columns filled in one pass: a shuffled walk over tens of thousands of
  // objects is several times slower.
  const library = indexLibrary(inputs.library);
  const columns = library.derived('music:columns', () => musicColumns(tracksOfType(library, 'MUS')));
  const { music, lengthOfSong, placeOf, artistOf, titleOf, artistCodes, titleCodes } = columns;
  const n = music.length;
  // Song-sized work arrays are the library's, reused build after build (a build runs to its end
  // without yielding, so no two builds share them at once): allocating them anew each time cost
  // more than the music itself.
  const scratch = library.derived('music:scratch', () => ({
    lastPlayed: new Float64Array(n),
    rank: new Int32Array(n),
    order: new Int32Array(n),
    lengths: new Float64Array(n),
    libraryPlace: new Int32Array(n),
    pickSeq: new Int32Array(n),
    members: new Map<string, Uint8Array>(),
  }));
  const lastPlayedOf = scratch.lastPlayed.fill(NaN);
  for (const [trackId, at] of lastPlayedBefore) {
    const j = placeOf.get(trackId);
    if (j !== undefined) lastPlayedOf[j] = at;
  }
  const rank = rotationRanks(lastPlayedOf, inputs.seed, scratch.order, scratch.rank);
  const lengths = scratch.lengths;
  /** Place in the library (j) of the song at each place in the rotation (i). */
  const libraryPlace = scratch.libraryPlace;
  for (let j = 0; j < n; j++) {
    const i = rank[j]!;
    lengths[i] = lengthOfSong[j]!;
    libraryPlace[i] = j;
  }
  const trackAt = (i: number): EngineTrack => music[libraryPlace[i]!]!;

  // ---- Plays that count for separation: earlier days' logs, songs already placed, and picks.
  // Artists and titles are known by small numbers (made once per library): a play by an artist
  // or of a title the library does not have cannot hold any of its songs apart, so it is skipped.
  const artistPlays: (number[] | undefined)[] = [];
  const titlePlays: (number[] | undefined)[] = [];
  const trackPlays: (number[] | undefined)[] = [];
  const listAt = (lists: (number[] | undefined)[], code: number): number[] => lists[code] ?? (lists[code] = []);
  const countPlay = (trackId: string, title: string, artist: string | null, at: number) => {
    const j = placeOf.get(trackId);
    const artistCode = j !== undefined ? artistOf[j]! : (artistCodes.get(norm(artist)) ?? -1);
    const titleCode = j !== undefined ? titleOf[j]! : (titleCodes.get(titleKey(title, artist)) ?? -1);
    if (artistCode >= 0) listAt(artistPlays, artistCode).push(at);
    if (titleCode >= 0) listAt(titlePlays, titleCode).push(at);
    if (j !== undefined) listAt(trackPlays, j).push(at);
  };
  for (const play of inputs.history) countPlay(play.trackId, play.title, play.artist, play.startsAt);
  for (const play of fixedPlays) countPlay(play.trackId, play.title, play.artist, play.startsAt);
  const artistAt = (i: number) => artistOf[libraryPlace[i]!]!;
  const titleAt = (i: number) => titleOf[libraryPlace[i]!]!;

  /** Picks of this build, in order; `pickSeq[i]` is the latest pick of song i (−1: none). */
  const picked: number[] = [];
  const pickSeq = scratch.pickSeq.fill(-1);
  /** Undo log for trial picks (each pushed one play on each of the song's lists, and one pick). */
  const journal: { track: number; previousSeq: number }[] = [];

  const play = (i: number, at: number) => {
    const j = libraryPlace[i]!;
    if (artistOf[j]! >= 0) listAt(artistPlays, artistOf[j]!).push(at);
    listAt(titlePlays, titleOf[j]!).push(at);
    listAt(trackPlays, j).push(at);
    journal.push({ track: i, previousSeq: pickSeq[i]! });
    pickSeq[i] = picked.length;
    picked.push(i);
  };
  const undoTo = (mark: number) => {
    while (journal.length > mark) {
      const { track: i, previousSeq } = journal.pop()!;
      const j = libraryPlace[i]!;
      if (artistOf[j]! >= 0) artistPlays[artistOf[j]!]!.pop();
      titlePlays[titleOf[j]!]!.pop();
      trackPlays[j]!.pop();
      picked.pop();
      pickSeq[i] = previousSeq;
    }
  };

  const farFrom = (list: number[] | undefined, at: number, ms: number): boolean => {
    if (list) for (let k = 0; k < list.length; k++) if (Math.abs(at - list[k]!) < ms) return false;
    return true;
  };
  const separated = (i: number, at: number, artistMs: number, titleMs: number): boolean => {
    const j = libraryPlace[i]!;
    const artist = artistOf[j]!;
    if (artistMs > 0 && artist >= 0 && !farFrom(artistPlays[artist], at, artistMs)) return false;
    return titleMs <= 0 || (farFrom(titlePlays[titleOf[j]!], at, titleMs) && farFrom(trackPlays[j], at, titleMs));
  };

  // ---- Rule sets and the pools of songs they allow, built once per rule set, level and daypart.
  const ruleSets = new Map<string, RuleSet>(
    inputs.ruleSets.map((rs) => [
      rs.id,
      {
        source: rs,
        genres: new Set(rs.genres.map(norm)),
        moods: new Set(rs.moods.map(norm)),
        hasMoodTempoEnergy: rs.moods.length > 0 || rs.minBpm !== null || rs.maxBpm !== null || rs.minEnergy !== null || rs.maxEnergy !== null,
        artistSeparationMs: Math.max(0, rs.artistSeparationMinutes) * MINUTE_MS,
        titleSeparationMs: Math.max(0, rs.titleSeparationHours) * HOUR_MS,
      },
    ]),
  );
  // A music element without a rule set plays any song, but keeps the separation a new rule set
  // starts with (an hour between plays of an artist, three between plays of a song).
  const anyMusic: RuleSet = {
    source: { id: '', name: 'any music', genres: [], moods: [], minBpm: null, maxBpm: null, minEnergy: null, maxEnergy: null, artistSeparationMinutes: 60, titleSeparationHours: 3, daypartIds: [] },
    genres: new Set(),
    moods: new Set(),
    hasMoodTempoEnergy: false,
    artistSeparationMs: 60 * MINUTE_MS,
    titleSeparationMs: 3 * HOUR_MS,
  };
  const ruleSetOf = (slot: Slot): RuleSet => (slot.ruleSetId === null ? anyMusic : (ruleSets.get(slot.ruleSetId) ?? anyMusic));

  const pools = new Map<string, Pool>();
  const daypartKeys = new Map<BroadcastHour, string>();
  const poolFor = (rs: RuleSet | null, level: CriteriaLevel, hour: BroadcastHour): Pool => {
    const criteriaLevel = rs ? Math.min(level, 2) : 2;
    let daypartKey = daypartKeys.get(hour);
    if (daypartKey === undefined) daypartKeys.set(hour, (daypartKey = [...hour.daypartIds].sort().join(',')));
    const key = `${rs?.source.id ?? ''}|${criteriaLevel}|${level === 3 ? '*' : daypartKey}`;
    let pool = pools.get(key);
    if (pool) return pool;
    // Which songs (by library order) the rule set allows here depends on the library alone:
    // worked out once per library, then put in this build's rotation order.
    const signature = rs ? ruleSetSignature(rs.source) : '';
    const allowed = library.derived(`music:pool:${signature}|${criteriaLevel}|${level === 3 ? '*' : daypartKey}`, () =>
      allowedPlaces(columns, rs?.source ?? null, criteriaLevel, level === 3 ? null : hour.daypartIds),
    );
    // Into this build's rotation order by one pass over the ranks (cheaper than sorting).
    let member = scratch.members.get(key);
    if (member) member.fill(0);
    else scratch.members.set(key, (member = new Uint8Array(n)));
    for (let k = 0; k < allowed.length; k++) member[rank[allowed[k]!]!] = 1;
    const idx = new Int32Array(allowed.length);
    for (let i = 0, k = 0; k < idx.length; i++) if (member[i] === 1) idx[k++] = i;
    pool = { idx, member, stats: null };
    pools.set(key, pool);
    return pool;
  };

  const statsOf = (pool: Pool): LengthStats | null => {
    if (pool.idx.length === 0) return null;
    if (!pool.stats) {
      const count = Math.min(LENGTH_SAMPLE, pool.idx.length);
      const sample = new Float64Array(count);
      for (let k = 0; k < count; k++) sample[k] = lengths[pool.idx[k]!]!;
      sample.sort();
      const at = (q: number) => sample[Math.min(sample.length - 1, Math.floor(q * sample.length))]!;
      pool.stats = { low: at(0.25), median: at(0.5), high: at(0.75) };
    }
    return pool.stats;
  };

  /** The best songs by rotation that keep the given separation, up to `limit`. */
  const collect = (pool: Pool, at: number, artistMs: number, titleMs: number, limit: number): number[] => {
    const out: number[] = [];
    const idx = pool.idx;
    for (let p = 0; p < idx.length && out.length < limit; p++) {
      const i = idx[p]!;
      if (pickSeq[i]! < 0 && separated(i, at, artistMs, titleMs)) out.push(i);
    }
    // Then the songs this build already played, longest ago first.
    if (out.length < limit) {
      for (let s = 0; s < picked.length && out.length < limit; s++) {
        const i = picked[s]!;
        if (pickSeq[i] === s && pool.member[i] === 1 && separated(i, at, artistMs, titleMs)) out.push(i);
      }
    }
    return out;
  };

  /** The candidates for a slot at `at`, relaxing the least important rule until there is one. */
  const candidatesFor = (rs: RuleSet | null, hour: BroadcastHour, at: number, limit: number): { songs: number[]; criteria: CriteriaLevel; separation: number; pool: Pool } | null => {
    let previousSize = -1;
    for (const level of CRITERIA_LEVELS) {
      const pool = poolFor(rs, level, hour);
      // A level that lets in no more songs than the one before gives the same answer.
      if (pool.idx.length === 0 || pool.idx.length === previousSize) continue;
      previousSize = pool.idx.length;
      let previous = '';
      for (let s = 0; s < SEPARATION_LEVELS.length; s++) {
        const [artistFactor, titleFactor] = SEPARATION_LEVELS[s]!;
        const artistMs = (rs?.artistSeparationMs ?? 0) * artistFactor;
        const titleMs = (rs?.titleSeparationMs ?? 0) * titleFactor;
        const signature = `${artistMs}|${titleMs}`;
        if (signature === previous) continue;
        previous = signature;
        const songs = collect(pool, at, artistMs, titleMs, limit);
        if (songs.length > 0) return { songs: s === 0 ? songs : leastRelaxed(songs, rs!, at), criteria: level, separation: s, pool };
      }
    }
    return null;
  };

  /** How far a song bends each separation at `at`: 0 kept, 1 halved, 2 dropped. */
  const bends = (i: number, rs: RuleSet, at: number): { artist: number; title: number } => {
    const artist = separated(i, at, rs.artistSeparationMs, 0) ? 0 : separated(i, at, rs.artistSeparationMs / 2, 0) ? 1 : 2;
    const title = separated(i, at, 0, rs.titleSeparationMs) ? 0 : separated(i, at, 0, rs.titleSeparationMs / 2) ? 1 : 2;
    return { artist, title };
  };
  /** Of candidates found with separation relaxed, those that bend it least (title before artist). */
  const leastRelaxed = (songs: number[], rs: RuleSet, at: number): number[] => {
    const score = songs.map((i) => {
      const bent = bends(i, rs, at);
      return bent.title * 3 + bent.artist;
    });
    const best = Math.min(...score);
    return songs.filter((_, k) => score[k] === best);
  };

  /**
   * Among candidates (best rotation first), the song for a slot with `remaining` budget and
   * `left` music slots still to fill after and including this one.
   */
  const chooseByLength = (songs: number[], budget: number, left: number, stats: LengthStats, window: number, artistMs: number): number => {
    if (left <= 1) {
      // The song that closes the stretch: the best fit, rotation breaking ties. Running a little
      // long costs less than coming up short: a few seconds faded at the end of a song beat a
      // promo squeezed in to fill.
      const cost = (i: number) => (lengths[i]! >= budget ? lengths[i]! - budget : (budget - lengths[i]!) * SHORT_COST);
      let best = songs[0]!;
      for (const i of songs) if (cost(i) < cost(best)) best = i;
      return best;
    }
    if (left === 2) {
      // The first song (by rotation) that leaves a gap another candidate closes.
      let best = songs[0]!;
      let bestError = Infinity;
      for (const c of songs) {
        const need = budget - lengths[c]!;
        let error = Infinity;
        for (const d of songs) {
          if (d === c || titleAt(d) === titleAt(c) || (artistMs > 0 && artistAt(d) >= 0 && artistAt(d) === artistAt(c))) continue;
          error = Math.min(error, Math.abs(need - lengths[d]!));
        }
        if (error === Infinity) error = Math.abs(need - stats.median);
        if (error <= window / 2) return c;
        if (error < bestError) {
          best = c;
          bestError = error;
        }
      }
      return best;
    }
    // Earlier songs: rotation decides, as long as what is left stays in the usual range of lengths.
    let best = songs[0]!;
    let bestDistance = Infinity;
    for (const c of songs) {
      const average = (budget - lengths[c]!) / (left - 1);
      if (average >= stats.low && average <= stats.high) return c;
      const distance = Math.abs(average - stats.median);
      if (distance < bestDistance) {
        best = c;
        bestDistance = distance;
      }
    }
    return best;
  };

  /** The rules a pick bent, least important first, and the separation it kept. */
  const relaxedFor = (i: number, rs: RuleSet | null, criteria: CriteriaLevel, at: number) => {
    const rules: RelaxedMusicRule[] = [];
    const bent = rs ? bends(i, rs, at) : { artist: 0, title: 0 };
    const kept = (bend: number, ms: number) => (bend === 0 ? ms : bend === 1 ? ms / 2 : 0);
    if (bent.artist > 0) rules.push('artist_separation');
    if (bent.title > 0) rules.push('title_separation');
    if (rs && criteria >= 1 && rs.hasMoodTempoEnergy) rules.push('mood_tempo_energy');
    if (rs && criteria >= 2 && rs.genres.size > 0) rules.push('genre');
    if (criteria >= 3) rules.push('track_daypart');
    return {
      relaxed: rules,
      artistSeparationMinutes: kept(bent.artist, rs?.artistSeparationMs ?? 0) / MINUTE_MS,
      titleSeparationHours: kept(bent.title, rs?.titleSeparationMs ?? 0) / HOUR_MS,
    };
  };

  // ---- Hour by hour, in the order they air.
  const replacements = new Map<Slot, Slot[]>();
  const sortedHours = [...hours].sort((a, b) => a.startsAt - b.startsAt);

  for (const hour of sortedHours) {
    const hourSlots = slotsByHour.get(hour.index);
    if (!hourSlots?.some((s) => s.type === 'MUS' && s.fill === null)) continue;
    const at = hour.label;

    // A clock whose rule set is not meant for this daypart: used anyway, and said once.
    const mismatched = new Map<string, EngineRuleSet>();
    for (const slot of hourSlots) {
      const rs = slot.type === 'MUS' && slot.fill === null ? ruleSetOf(slot) : null;
      if (rs && !allowedIn(rs.source.daypartIds, hour.daypartIds)) mismatched.set(rs.source.id, rs.source);
    }
    if (mismatched.size > 0) {
      const names = [...mismatched.values()].map((rs) => `"${rs.name}"`).join(', ');
      exceptions.push({
        kind: 'rule_relaxed',
        severity: 'info',
        hour: hour.hour,
        hourIndex: hour.index,
        slotKey: null,
        message: `Music rule set ${names} used at ${at}, outside its dayparts`,
        details: { rule: 'rule_set_daypart', ruleSetIds: [...mismatched.keys()], hourDaypartIds: hour.daypartIds },
      });
    }

    const hourExceptions: LogException[] = [];
    /** Exceptions about a slot whose key is known only once added songs are numbered. */
    const aboutItem = new Map<LogException, LayoutItem>();
    const finalLayout: LayoutItem[] = [];
    const fills = new Map<LayoutItem, SlotFill>();
    let addedInHour = 0;
    let droppedInHour = 0;

    for (const stretch of stretchesOf(hour, hourSlots)) {
      const openMusic = stretch.slots.filter((s) => s.type === 'MUS' && s.fill === null);
      if (openMusic.length === 0) {
        for (const slot of stretch.slots) finalLayout.push({ slot, added: null, music: false });
        continue;
      }
      const template = openMusic[openMusic.length - 1]!;
      const window = stretch.isLast ? tolerance : tolerance / 2;
      // Aim at the hard start itself: the timing step fades the song that runs a little long into
      // it (as a jock would), and fills a stretch that comes up short.
      const aim = stretch.endMs - stretch.startMs;
      const fixed = stretch.slots.reduce((sum, s) => (s.type === 'MUS' && s.fill === null ? sum : sum + lengthOf(s)), 0);
      const budget = aim - fixed;
      const typical = typicalLength(template);

      // Songs are dropped from the end of the clock's last music element (never all of it), and
      // added right after it.
      const lastElement = openMusic.filter((s) => s.elementId === template.elementId);
      const layoutFor = (songs: number): LayoutItem[] => {
        const dropped = new Set(lastElement.slice(Math.max(1, lastElement.length - Math.max(0, openMusic.length - songs))));
        const addAfter = lastElement[lastElement.length - 1 - dropped.size]!;
        const layout: LayoutItem[] = [];
        for (const slot of stretch.slots) {
          if (dropped.has(slot)) continue;
          layout.push({ slot, added: null, music: slot.type === 'MUS' && slot.fill === null });
          if (slot === addAfter) for (let a = 0; a < songs - openMusic.length; a++) layout.push({ slot, added: a, music: true });
        }
        return layout;
      };

      const mark = journal.length;
      const attempt = (songs: number): Attempt => {
        undoTo(mark);
        const layout = layoutFor(songs);
        const picks: Pick[] = [];
        const musicLeft = layout.filter((item) => item.music).length;
        let cursor = hour.startsAt + stretch.startMs;
        let remaining = budget;
        let left = musicLeft;
        layout.forEach((item, position) => {
          if (!item.music) {
            cursor += lengthOf(item.slot);
            return;
          }
          const rs = ruleSetOf(item.slot);
          const found = candidatesFor(rs, hour, cursor, left <= 2 ? FIT_CANDIDATES : ROTATION_CANDIDATES);
          if (!found) {
            cursor += item.slot.plannedLengthMs;
            remaining -= item.slot.plannedLengthMs;
            left--;
            picks.push({ position, track: -1, relaxed: [], artistSeparationMinutes: 0, titleSeparationHours: 0 });
            return;
          }
          const artistMs = (rs?.artistSeparationMs ?? 0) * SEPARATION_LEVELS[found.separation]![0];
          const stats = statsOf(found.pool)!;
          const track = chooseByLength(found.songs, remaining, left, stats, window, artistMs);
          const relaxed = found.criteria > 0 || found.separation > 0 ? relaxedFor(track, rs, found.criteria, cursor) : null;
          play(track, cursor);
          picks.push({ position, track, relaxed: [], artistSeparationMinutes: 0, titleSeparationHours: 0, ...relaxed });
          cursor += lengths[track]!;
          remaining -= lengths[track]!;
          left--;
        });
        return { songs, diff: -remaining, layout, picks };
      };

      // As many songs as the clock asks for, unless the typical song length says the hour needs
      // more (short by over half a song) or fewer (over by more than a song); then one more or
      // one less at a time while that gets closer to the end of the hour. The closest is kept.
      const clockCount = openMusic.length;
      const lowest = clockCount - (lastElement.length - 1);
      const highest = clockCount + MAX_ADDED;
      const gap = budget - clockCount * typical;
      let first = clockCount;
      if (n > 0 && gap > typical / 2 && gap > window) first = Math.min(highest, clockCount + Math.max(1, Math.round(gap / typical)));
      else if (n > 0 && gap < -typical && -gap > window) first = Math.max(lowest, clockCount - Math.max(1, Math.round(-gap / typical)));
      const tried = new Set<number>([first]);
      let best = attempt(first);
      let latest = best;
      for (let attempts = 1; attempts < MAX_ATTEMPTS && n > 0 && Math.abs(best.diff) > window; attempts++) {
        const next = best.diff < 0 ? best.songs + 1 : best.songs - 1;
        if (next < lowest || next > highest || tried.has(next)) break;
        tried.add(next);
        latest = attempt(next);
        if (Math.abs(latest.diff) < Math.abs(best.diff)) best = latest;
      }
      // The picks in place are the latest try's: build the best again if it was an earlier one.
      if (latest !== best) best = attempt(best.songs);

      const added = best.songs - clockCount;
      if (added > 0) addedInHour += added;
      else droppedInHour -= added;
      const keptLast = added < 0 ? lastElement[lastElement.length - 1 + added] : undefined;
      best.layout.forEach((item, position) => {
        finalLayout.push(item);
        const pick = best.picks.find((p) => p.position === position);
        if (!pick) return;
        if (pick.track < 0) {
          hourExceptions.push({
            kind: 'empty_slot',
            severity: 'error',
            hour: hour.hour,
            hourIndex: hour.index,
            slotKey: null,
            message: `No music in the library for ${at}: the music slot stays empty`,
            details: { ruleSetId: item.slot.ruleSetId, elementId: item.slot.elementId },
          });
          aboutItem.set(hourExceptions[hourExceptions.length - 1]!, item);
          return;
        }
        const track = trackAt(pick.track);
        const notes: string[] = [];
        if (item.added !== null) notes.push('Added to fill the hour');
        if (item.slot === keptLast) notes.push(`${-added} ${added === -1 ? 'song' : 'songs'} after this one dropped to fit the hour`);
        // The most important rule bent speaks for the pick.
        const bent = pick.relaxed[pick.relaxed.length - 1];
        if (bent) notes.push(`${RULE_WORDS[bent]} relaxed`);
        fills.set(item, {
          trackId: track.id,
          type: 'MUS',
          lengthMs: track.lengthMs,
          title: track.title,
          artist: track.artist,
          campaignId: null,
          makeGoodId: null,
          voiceTrackId: null,
          isFallback: false,
          fallbackReason: null,
          note: notes.length > 0 ? notes.join('; ') : null,
        });
        if (bent) {
          hourExceptions.push({
            kind: 'rule_relaxed',
            severity: 'warning',
            hour: hour.hour,
            hourIndex: hour.index,
            slotKey: null,
            message: relaxedMessage(bent, at, ruleSetOf(item.slot), pick),
            details: {
              rules: pick.relaxed,
              ruleSetId: item.slot.ruleSetId,
              trackId: track.id,
              artistSeparationMinutes: { required: (ruleSetOf(item.slot)?.artistSeparationMs ?? 0) / MINUTE_MS, used: pick.artistSeparationMinutes },
              titleSeparationHours: { required: (ruleSetOf(item.slot)?.titleSeparationMs ?? 0) / HOUR_MS, used: pick.titleSeparationHours },
            },
          });
          aboutItem.set(hourExceptions[hourExceptions.length - 1]!, item);
        }
      });
    }

    // ---- The hour's slots as they will be: filled copies, added songs, later orders moved on.
    const keys = addedKeys(hour.index, hourSlots, finalLayout);
    const keyOf = new Map<LayoutItem, string>();
    const kept = new Set<Slot>();
    let shift = 0;
    let lastOrder = -Infinity;
    for (const item of finalLayout) {
      const fill = fills.get(item) ?? null;
      if (item.added === null) {
        kept.add(item.slot);
        const order = item.slot.order + shift;
        lastOrder = order;
        keyOf.set(item, item.slot.key);
        replacements.set(item.slot, [fill !== null || shift !== 0 ? { ...item.slot, order, fill: fill ?? item.slot.fill } : item.slot]);
      } else {
        shift++;
        lastOrder += 1;
        const key = keys.get(item)!;
        keyOf.set(item, key);
        replacements.get(item.slot)!.push({ ...item.slot, key, order: lastOrder, startOffsetMs: null, startKind: null, fill });
      }
    }
    for (const slot of hourSlots) if (!kept.has(slot)) replacements.set(slot, []);
    for (const [exception, item] of aboutItem) exception.slotKey = keyOf.get(item) ?? null;
    exceptions.push(...hourExceptions);
    if (addedInHour > 0 || droppedInHour > 0) {
      const songs = (count: number) => `${count} ${count === 1 ? 'song' : 'songs'}`;
      const what = [addedInHour > 0 && `${songs(addedInHour)} added to fill the hour`, droppedInHour > 0 && `${songs(droppedInHour)} dropped to fit the hour`].filter(Boolean).join(', ');
      exceptions.push({
        kind: 'rule_relaxed',
        severity: 'info',
        hour: hour.hour,
        hourIndex: hour.index,
        slotKey: null,
        message: `${at}: ${what}`,
        details: { rule: 'clock_music_count', added: addedInHour, dropped: droppedInHour },
      });
    }
  }

  return { slots: slots.flatMap((slot) => replacements.get(slot) ?? [slot]), exceptions };

  /**
   * What a slot lasts before music is chosen: what fills it; an avail not yet filled by traffic
   * its planned length; a voice-track slot nobody recorded nothing (timing skips it).
   */
  function lengthOf(slot: Slot): number {
    if (slot.fill) return slot.fill.lengthMs;
    return slot.type === 'VT' ? 0 : slot.plannedLengthMs;
  }

  /** A song's typical length for a slot: the middle of what its rule set allows, else the plan. */
  function typicalLength(slot: Slot): number {
    const hour = hoursByIndex.get(slot.hourIndex)!;
    const rs = ruleSetOf(slot);
    for (const level of CRITERIA_LEVELS) {
      const stats = statsOf(poolFor(rs, level, hour));
      if (stats && stats.median > 0) return stats.median;
    }
    return Math.max(1, slot.plannedLengthMs);
  }
}

const RULE_WORDS: Record<RelaxedMusicRule, string> = {
  artist_separation: 'Artist separation',
  title_separation: 'Title separation',
  mood_tempo_energy: 'Mood, tempo and energy',
  genre: 'Genre',
  track_daypart: 'Song dayparts',
};

/** The exception's message, in the station's words, for the most important rule bent. */
function relaxedMessage(rule: RelaxedMusicRule, at: string, rs: RuleSet | null, pick: Pick): string {
  const name = rs ? `"${rs.source.name}"` : 'the clock';
  switch (rule) {
    case 'artist_separation':
      return pick.artistSeparationMinutes > 0
        ? `Artist separation relaxed to ${pick.artistSeparationMinutes} min at ${at}: no song by another artist was far enough from the last play`
        : `Artist separation relaxed at ${at}: no song by another artist was far enough from the last play`;
    case 'title_separation':
      return pick.titleSeparationHours > 0
        ? `Title separation relaxed to ${pick.titleSeparationHours} h at ${at}: every song ${name} allows played too recently`
        : `Title separation relaxed at ${at}: every song ${name} allows played too recently`;
    case 'mood_tempo_energy':
      return `Mood, tempo and energy of ${name} relaxed at ${at}: no song matching them could play`;
    case 'genre':
      return `Genre of ${name} relaxed at ${at}: no song of its genres could play`;
    case 'track_daypart':
      return `Song dayparts relaxed at ${at}: no song allowed in this daypart could play`;
  }
}

/** Estimated starts of an hour's slots (by order), as the timing step will place them. */
function estimateStarts(hour: BroadcastHour, hourSlots: Slot[]): number[] {
  let cursor = hour.startsAt;
  return hourSlots.map((slot) => {
    if (slot.startKind === 'hard' && slot.startOffsetMs !== null) cursor = hour.startsAt + slot.startOffsetMs;
    const start = cursor;
    cursor += slot.fill ? slot.fill.lengthMs : slot.plannedLengthMs;
    return start;
  });
}

/** An hour cut at its hard starts: each stretch should end where the next one is pinned. */
function stretchesOf(hour: BroadcastHour, hourSlots: Slot[]): Stretch[] {
  const stretches: Stretch[] = [];
  let current: Stretch = { slots: [], startMs: 0, endMs: hour.targetLengthMs, isLast: true };
  for (const slot of hourSlots) {
    if (slot.startKind === 'hard' && slot.startOffsetMs !== null) {
      if (current.slots.length > 0) {
        stretches.push({ ...current, endMs: Math.max(current.startMs, slot.startOffsetMs), isLast: false });
      }
      current = { slots: [], startMs: slot.startOffsetMs, endMs: hour.targetLengthMs, isLast: true };
    }
    current.slots.push(slot);
  }
  if (current.slots.length > 0) stretches.push(current);
  return stretches;
}

/** Keys for added songs: `${hourIndex}:${elementPosition}:${n}`, continuing the element's n. */
function addedKeys(hourIndex: number, hourSlots: Slot[], layout: LayoutItem[]): Map<LayoutItem, string> {
  const keys = new Map<LayoutItem, string>();
  const nextN = new Map<string, number>();
  for (const item of layout) {
    if (item.added === null) continue;
    const template = item.slot;
    let next = nextN.get(template.elementId);
    if (next === undefined) {
      next = 0;
      for (const slot of hourSlots) {
        if (slot.elementId !== template.elementId) continue;
        const n = Number(slot.key.split(':')[2]);
        next = Math.max(next, Number.isInteger(n) ? n + 1 : 0);
      }
    }
    const position = template.key.split(':')[1] ?? template.elementId;
    keys.set(item, `${hourIndex}:${position}:${next}`);
    nextN.set(template.elementId, next + 1);
  }
  return keys;
}

/**
 * Each song's place in the rotation as it stood before this build (by library order): never
 * played (NaN) first, in an order the seed shuffles, then the least recently played (ties in the
 * seed's order).
 */
function rotationRanks(lastPlayed: Float64Array, seed: number, order: Int32Array, rank: Int32Array): Int32Array {
  const random = createRandom(seed, 'music:rotation');
  let freshCount = 0;
  for (let j = 0; j < lastPlayed.length; j++) if (Number.isNaN(lastPlayed[j])) freshCount++;
  // `order` holds the fresh songs first, then the played ones.
  for (let j = 0, f = 0, p = freshCount; j < lastPlayed.length; j++) {
    if (Number.isNaN(lastPlayed[j])) order[f++] = j;
    else order[p++] = j;
  }
  const fresh = order.subarray(0, freshCount);
  const played = order.subarray(freshCount);
  shuffle(fresh, random);
  shuffle(played, random);
  // A stable sort keeps equal times in the seed's order.
  const byTime = Array.from(played).sort((a, b) => lastPlayed[a]! - lastPlayed[b]!);
  for (let place = 0; place < freshCount; place++) rank[fresh[place]!] = place;
  for (let place = 0; place < byTime.length; place++) rank[byTime[place]!] = freshCount + place;
  return rank;
}

/** The library's songs as flat columns, in library order (made once per library). */
function musicColumns(music: readonly EngineTrack[]) {
  const n = music.length;
  const lengthOfSong = Float64Array.from(music, (track) => track.lengthMs);
  const genreOf = new Int32Array(n);
  const moodOf = new Int32Array(n);
  const bpmOf = new Float64Array(n);
  const energyOf = new Float64Array(n);
  const daypartLimited = new Uint8Array(n);
  const genreTags = new TagCodes();
  const moodTags = new TagCodes();
  const placeOf = new Map<string, number>();
  // Separation keys, normalised once per library, as numbers: −1 for a song with no artist.
  const artistOf = new Int32Array(n);
  const titleOf = new Int32Array(n);
  const artistCodes = new Map<string, number>();
  const titleCodes = new Map<string, number>();
  const codeIn = (codes: Map<string, number>, key: string) => {
    let code = codes.get(key);
    if (code === undefined) codes.set(key, (code = codes.size));
    return code;
  };
  for (let j = 0; j < n; j++) {
    const track = music[j]!;
    const artistKey = norm(track.artist);
    artistOf[j] = artistKey === '' ? -1 : codeIn(artistCodes, artistKey);
    titleOf[j] = codeIn(titleCodes, titleKey(track.title, track.artist));
    genreOf[j] = genreTags.code(track.genre);
    moodOf[j] = moodTags.code(track.mood);
    bpmOf[j] = track.bpm ?? NaN;
    energyOf[j] = track.energy ?? NaN;
    daypartLimited[j] = track.daypartIds.length > 0 ? 1 : 0;
    if (!placeOf.has(track.id)) placeOf.set(track.id, j);
  }
  return { music, lengthOfSong, genreOf, moodOf, bpmOf, energyOf, daypartLimited, genreTags, moodTags, placeOf, artistOf, titleOf, artistCodes, titleCodes };
}

/** What a rule set asks of a song: its criteria, and the dayparts it is used in. */
export interface SongCriteria {
  genres: readonly string[];
  moods: readonly string[];
  minBpm: number | null;
  maxBpm: number | null;
  minEnergy: number | null;
  maxEnergy: number | null;
  /** Dayparts it is used in; empty = any. */
  daypartIds: readonly string[];
}

/**
 * The songs (places in library order) a rule set allows at a criteria level — 0: all its
 * criteria, 1: its genres only, 2: any song — in an hour of the dayparts `here` (null: at any
 * time, songs' own dayparts not asked). A missing bpm or energy fails any bound set on it.
 */
function allowedPlaces(columns: MusicColumns, rs: SongCriteria | null, criteriaLevel: number, here: readonly string[] | null): Int32Array {
  const { music, genreOf, moodOf, bpmOf, energyOf, daypartLimited, genreTags, moodTags } = columns;
  const full = rs && criteriaLevel === 0 ? rs : null;
  const genreOk = rs && criteriaLevel <= 1 && rs.genres.length > 0 ? genreTags.allowing(new Set(rs.genres.map(norm))) : null;
  const moodOk = full && full.moods.length > 0 ? moodTags.allowing(new Set(full.moods.map(norm))) : null;
  const minBpm = full?.minBpm ?? null;
  const maxBpm = full?.maxBpm ?? null;
  const minEnergy = full?.minEnergy ?? null;
  const maxEnergy = full?.maxEnergy ?? null;
  const places: number[] = [];
  for (let j = 0; j < music.length; j++) {
    if (genreOk && genreOk[genreOf[j]!] === 0) continue;
    if (moodOk && moodOk[moodOf[j]!] === 0) continue;
    if (minBpm !== null && !(bpmOf[j]! >= minBpm)) continue;
    if (maxBpm !== null && !(bpmOf[j]! <= maxBpm)) continue;
    if (minEnergy !== null && !(energyOf[j]! >= minEnergy)) continue;
    if (maxEnergy !== null && !(energyOf[j]! <= maxEnergy)) continue;
    if (here !== null && daypartLimited[j] === 1 && !allowedIn(music[j]!.daypartIds, here as string[])) continue;
    places.push(j);
  }
  return Int32Array.from(places);
}

/**
 * The songs of the library a rule set allows with none of its rules relaxed, by the same filter
 * the log's music uses: in an hour of one of its dayparts (any hour when it lists none). For the
 * rule-set editor's count; not kept with the library (each edit asks anew).
 */
export function songsAllowed(library: readonly EngineTrack[], rs: SongCriteria): EngineTrack[] {
  const columns = indexLibrary(library).derived('music:columns', () => musicColumns(tracksOfType(indexLibrary(library), 'MUS')));
  return Array.from(allowedPlaces(columns, rs, 0, rs.daypartIds.length ? rs.daypartIds : null), (j) => columns.music[j]!);
}

type MusicColumns = ReturnType<typeof musicColumns>;

/** What a rule set asks of a song, as a key: two rule sets asking the same share their pools. */
function ruleSetSignature(rs: SongCriteria): string {
  return JSON.stringify([rs.genres.map(norm).sort(), rs.moods.map(norm).sort(), rs.minBpm, rs.maxBpm, rs.minEnergy, rs.maxEnergy]);
}

/** Tags (genre, mood) as small numbers, one per distinct spelling, normalised once each. */
class TagCodes {
  private readonly byTag = new Map<string | null, number>();
  private readonly spellings: (string | null)[] = [];

  code(tag: string | null): number {
    let code = this.byTag.get(tag);
    if (code === undefined) {
      this.byTag.set(tag, (code = this.spellings.length));
      this.spellings.push(tag);
    }
    return code;
  }

  /** Which codes a rule set's list (normalised) allows. */
  allowing(wanted: Set<string>): Uint8Array {
    return Uint8Array.from(this.spellings, (tag) => (tag !== null && wanted.has(norm(tag)) ? 1 : 0));
  }
}

/** Fisher–Yates, in place. */
function shuffle(items: Int32Array, random: () => number): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const item = items[i]!;
    items[i] = items[j]!;
    items[j] = item;
  }
}
