// Hand edits to a built log on the log page (docs/log-editing.md): which edit the page is
// asking about (from the address, so a link opens it without JavaScript), what the API says
// of the day's edits and of the library items for a place, and a refused edit's words by field.

export type EditKind = 'insert' | 'delete' | 'move' | 'replace' | 'lock' | 'unlock';

/** What the panel of an entry asks for: the `do` of the address. */
export type EditChoice = 'insert-before' | 'insert-after' | 'replace' | 'move' | 'delete' | 'lock' | 'unlock';
export const EDIT_CHOICES: readonly EditChoice[] = ['insert-before', 'insert-after', 'replace', 'move', 'delete', 'lock', 'unlock'];

/** An insert puts a library item or a note (a live read, "talk up to the post"). */
export type InsertWhat = 'track' | 'note';

export interface EditPanelState {
  entryId: string;
  choice: EditChoice;
  what: InsertWhat;
  /** The library search: words in the title or artist, and the type of item. */
  q: string;
  type: string;
}

export const TRACK_TYPES = ['MUS', 'ADV', 'PSA', 'LIN', 'INT', 'PRO', 'BED', 'VT'] as const;

/** The panel asked for by the address, or none. */
export function editPanelOf(params: URLSearchParams): EditPanelState | null {
  const entryId = params.get('edit');
  const choice = params.get('do') as EditChoice | null;
  if (!entryId || !choice || !EDIT_CHOICES.includes(choice)) return null;
  const type = params.get('type') ?? '';
  return {
    entryId,
    choice,
    what: params.get('what') === 'note' ? 'note' : 'track',
    q: (params.get('q') ?? '').slice(0, 200),
    type: (TRACK_TYPES as readonly string[]).includes(type) ? type : '',
  };
}

/** Whether the panel searches the library (replace, or insert a library item). */
export const searchesLibrary = (panel: EditPanelState) => panel.choice === 'replace' || (panel.choice.startsWith('insert') && panel.what === 'track');

/** The address of an entry's panel; `#edit-panel` brings it into view without JavaScript too. */
export function panelHref(entryId: string, choice: EditChoice, extra: Record<string, string> = {}): string {
  return `?${new URLSearchParams({
    edit: entryId,
    do: choice,
    ...extra,
  }).toString()}#edit-panel`;
}

export interface Candidate {
  id: string;
  type: string;
  title: string;
  artist: string | null;
  lengthMs: number;
  /** The separation it would break at that place, in words. */
  warnings: string[];
}

export interface LogEdit {
  id: string;
  kind: EditKind;
  state: 'active' | 'dropped' | 'undone';
  entryId: string;
  summary: string;
  reason: string;
  madeBy: { id: string; name: string } | null;
  madeAt: string;
  madeInVersion: number;
  droppedBecause: string | null;
  droppedInVersion: number | null;
}

/** The fields of the edit forms, by name; a refusal's words are shown next to them. */
export type EditField = 'reason' | 'trackId' | 'noteText' | 'noteLength' | 'anchorEntryId';

/** An edit the API (or the page, first) refused: where and why, and what was typed, to show again. */
export interface EditFailure {
  entryId: string;
  choice: EditChoice;
  /** Why, about the edit as a whole (the entry is gone, the log changed, a hard start). */
  message: string;
  errors: Partial<Record<EditField, string>>;
  values: Partial<Record<EditField | 'placement', string>>;
}

/** "0:30", "1:05", "45" (seconds) or "1:02:05" → milliseconds; null when it is none of those. */
export function parseLength(text: string): number | null {
  const t = text.trim();
  const match = /^(?:(?:(\d+):)?(\d{1,2}):)?(\d{1,2})$/.exec(t) ?? /^(\d+)$/.exec(t);
  if (!match) return null;
  if (match.length === 2) return Number(match[1]) * 1000;
  const [, h, m, s] = match;
  if (m !== undefined && Number(s) > 59) return null;
  if (h !== undefined && Number(m) > 59) return null;
  return ((Number(h ?? 0) * 60 + Number(m ?? 0)) * 60 + Number(s)) * 1000;
}
