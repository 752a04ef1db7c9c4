// Tying plays to entries (docs/reconciliation.md §Matching): each pass pairs the entries and
// plays still free by one key, closest start first, so each play matches at most one entry
// and each entry at most one play. Ties go to the earlier entry (position), then the earlier
// play (start, then id): the same inputs in any order give the same pairs.
import { normaliseName } from './normalise.js';
import type { AsRunPlay, MatchedBy, ReconciliationRules, ScheduledEntry } from './types.js';

export interface Pair {
  entry: number;
  play: number;
  by: MatchedBy | 'substitute';
}

/** What matching works on: entries by position, plays by start then id, with the free ones marked. */
export interface MatchState {
  entries: readonly ScheduledEntry[];
  plays: readonly AsRunPlay[];
  rules: ReconciliationRules;
  entryPair: (Pair | undefined)[];
  playUsed: boolean[];
}

interface Candidate {
  entry: number;
  play: number;
  distance: number;
}

/** Pairs candidates closest first; a candidate whose entry or play is taken already is skipped. */
function assign(state: MatchState, candidates: Candidate[], by: Pair['by']): void {
  candidates.sort((a, b) => a.distance - b.distance || a.entry - b.entry || a.play - b.play);
  for (const c of candidates) {
    if (state.entryPair[c.entry] || state.playUsed[c.play]) continue;
    state.entryPair[c.entry] = { entry: c.entry, play: c.play, by };
    state.playUsed[c.play] = true;
  }
}

export const windowOf = (rules: ReconciliationRules, entry: ScheduledEntry) => (entry.type === 'LIVE' ? 0 : rules.matchWindowMs[entry.type]);

/**
 * Plays that carry an entry id are that entry's, wherever in its window or in the day they
 * started. Returns the plays that named an entry of the day and lost it to a closer play.
 */
export function matchByEntryId(state: MatchState, day: { startsAt: number; endsAt: number }): Set<number> {
  const byId = new Map<string, number>();
  state.entries.forEach((e, i) => byId.set(e.id, i));
  const candidates: Candidate[] = [];
  const named = new Set<number>();
  state.plays.forEach((play, p) => {
    if (!play.entryId) return;
    const e = byId.get(play.entryId);
    if (e === undefined) return;
    const entry = state.entries[e]!;
    const distance = Math.abs(play.startedAt - entry.startsAt);
    const inDay = play.startedAt >= day.startsAt && play.startedAt < day.endsAt;
    if (!inDay && distance > windowOf(state.rules, entry)) return;
    named.add(p);
    candidates.push({ entry: e, play: p, distance });
  });
  assign(state, candidates, 'entry_id');
  return new Set([...named].filter((p) => !state.playUsed[p]));
}

type KeyOf = (x: { trackId?: string | null; mediaIds?: readonly string[]; mediaId?: string | null; title?: string | null; artist?: string | null }) => string[];

const KEYS: Record<Exclude<MatchedBy, 'entry_id' | 'repeat'>, { entryKeys: (e: ScheduledEntry) => string[]; playKeys: (p: AsRunPlay) => string[]; also?: (e: ScheduledEntry, p: AsRunPlay) => boolean }> = {
  track_id: { entryKeys: (e) => (e.trackId ? [e.trackId] : []), playKeys: (p) => (p.trackId ? [p.trackId] : []) },
  media_id: { entryKeys: (e) => [...(e.mediaIds ?? [])], playKeys: (p) => (p.mediaId ? [p.mediaId] : []) },
  artist_title: {
    entryKeys: (e) => nameKey(e),
    playKeys: (p) => nameKey(p),
    also: (e, p) => {
      const a = normaliseName(e.artist);
      const b = normaliseName(p.artist);
      return !a || !b || a === b;
    },
  },
};

const nameKey: KeyOf = (x) => {
  const title = normaliseName(x.title);
  return title ? [title] : [];
};

export const MATCH_KEYS = ['track_id', 'media_id', 'artist_title'] as const;

/**
 * One pass by `by`: free plays to free entries with the same key, within each entry's match
 * window — or, with `anywhereIn`, anywhere in that span of the day (an entry that aired moved).
 */
export function matchByKey(state: MatchState, by: (typeof MATCH_KEYS)[number], anywhereIn?: { startsAt: number; endsAt: number }): void {
  const { entryKeys, playKeys, also } = KEYS[by];
  const free = new Map<string, number[]>();
  state.entries.forEach((entry, e) => {
    if (state.entryPair[e]) return;
    for (const key of entryKeys(entry)) {
      const list = free.get(key);
      if (list) list.push(e);
      else free.set(key, [e]);
    }
  });
  if (free.size === 0) return;
  const candidates: Candidate[] = [];
  state.plays.forEach((play, p) => {
    if (state.playUsed[p]) return;
    if (anywhereIn && (play.startedAt < anywhereIn.startsAt || play.startedAt >= anywhereIn.endsAt)) return;
    for (const key of playKeys(play)) {
      for (const e of free.get(key) ?? []) {
        const entry = state.entries[e]!;
        const distance = Math.abs(play.startedAt - entry.startsAt);
        if (!anywhereIn && distance > windowOf(state.rules, entry)) continue;
        if (also && !also(entry, play)) continue;
        candidates.push({ entry: e, play: p, distance });
      }
    }
  });
  assign(state, candidates, by);
}

/** A free play of the entry's type that started within the substitution window took the entry's place. */
export function matchSubstitutes(state: MatchState, day: { startsAt: number; endsAt: number }): void {
  const window = state.rules.substitutionWindowMs;
  const freePlays = state.plays.map((_, p) => p).filter((p) => !state.playUsed[p] && state.plays[p]!.type && state.plays[p]!.startedAt >= day.startsAt && state.plays[p]!.startedAt < day.endsAt);
  const candidates: Candidate[] = [];
  state.entries.forEach((entry, e) => {
    if (state.entryPair[e]) return;
    // Plays are in start order: look only at those within the window.
    let lo = lowerBound(state.plays, entry.startsAt - window, freePlays);
    for (; lo < freePlays.length; lo++) {
      const p = freePlays[lo]!;
      const play = state.plays[p]!;
      if (play.startedAt > entry.startsAt + window) break;
      if (play.type === entry.type) candidates.push({ entry: e, play: p, distance: Math.abs(play.startedAt - entry.startsAt) });
    }
  });
  assign(state, candidates, 'substitute');
}

/** First index in `order` (plays indexes in start order) whose play starts at or after `at`. */
export function lowerBound(plays: readonly AsRunPlay[], at: number, order: readonly number[]): number {
  let lo = 0;
  let hi = order.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (plays[order[mid]!]!.startedAt < at) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Sources whose history keeps one row for a song played again straight after itself. */
const COLLAPSES_REPEATS: ReadonlySet<string> = new Set(['azuracast']);

/**
 * AzuraCast's song history records a play only when the song changes: a song (or bed, or ID)
 * logged twice in a row leaves one row. An entry still unmatched whose previous entry is the
 * same audio, tied to such a row, aired on it — when no other play started between that row's
 * start and the middle of this entry's slot (something else recorded there means it did not).
 */
export function matchRepeats(state: MatchState): void {
  const { entries, plays, entryPair } = state;
  for (let e = 1; e < entries.length; e++) {
    const entry = entries[e]!;
    const before = entryPair[e - 1];
    if (entryPair[e] || !before || before.by === 'substitute' || !entry.trackId || entries[e - 1]!.trackId !== entry.trackId) continue;
    const play = plays[before.play]!;
    if (!COLLAPSES_REPEATS.has(play.source)) continue;
    const until = entry.startsAt + entry.lengthMs / 2;
    let other = false;
    for (let p = before.play + 1; p < plays.length && plays[p]!.startedAt < until; p++) {
      if (plays[p]!.startedAt > play.startedAt) {
        other = true;
        break;
      }
    }
    if (!other) entryPair[e] = { entry: e, play: before.play, by: 'repeat' };
  }
}
