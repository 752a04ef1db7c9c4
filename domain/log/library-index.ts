// The library, indexed once per library rather than once per build. The worker's input loader
// hands every build of a station the same library array until the library changes, so a build
// (and each step of one) finds the lookups it needs already made. The library is treated as
// immutable: a changed library is a new array, with an index of its own.
import type { TrackType } from '../vocabulary.js';
import type { EngineTrack } from './types.js';

export interface LibraryIndex {
  /** The first track of each id, in library order. */
  byId: ReadonlyMap<string, EngineTrack>;
  /** Tracks of each type, in library order. */
  byType: ReadonlyMap<TrackType, readonly EngineTrack[]>;
  /** Something derived from the library alone, made on first use and kept with the index. */
  derived<T>(key: string, make: () => T): T;
}

const NONE: readonly EngineTrack[] = [];
const indexes = new WeakMap<readonly EngineTrack[], LibraryIndex>();

export function indexLibrary(library: readonly EngineTrack[]): LibraryIndex {
  let index = indexes.get(library);
  if (index) return index;
  const byId = new Map<string, EngineTrack>();
  const byType = new Map<TrackType, EngineTrack[]>();
  for (const track of library) {
    if (!byId.has(track.id)) byId.set(track.id, track);
    const list = byType.get(track.type);
    if (list) list.push(track);
    else byType.set(track.type, [track]);
  }
  const made = new Map<string, unknown>();
  index = {
    byId,
    byType,
    derived<T>(key: string, make: () => T): T {
      if (!made.has(key)) made.set(key, make());
      return made.get(key) as T;
    },
  };
  indexes.set(library, index);
  return index;
}

/** The tracks of one type (an empty list when there are none). */
export function tracksOfType(index: LibraryIndex, type: TrackType): readonly EngineTrack[] {
  return index.byType.get(type) ?? NONE;
}
