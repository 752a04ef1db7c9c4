// What the reports need to know of a track (shared/guide/reports.md, "Track data the reports
// need") and the rules its codes follow. One place for the API, the bundle, the library sync
// and the web app; the database keeps the values as text and does not check their shape.

/** ISRC (ISO 3901): country, registrant, year, designation — `USABC2400001`, or with hyphens `US-ABC-24-00001`. */
export const ISRC_PATTERN = '^[A-Z]{2}-?[A-Z0-9]{3}-?[0-9]{2}-?[0-9]{5}$';
/** ISWC (ISO 15707): `T`, nine digits, a check digit — `T-034.524.680-1` or `T0345246801`. */
export const ISWC_PATTERN = '^T-?[0-9]{3}\\.?[0-9]{3}\\.?[0-9]{3}-?[0-9]$';
/** UPC-A (12 digits) or EAN-13 (13), check digit last. */
export const UPC_PATTERN = '^[0-9]{12,13}$';
/** ISO 639-1 (`en`, `fr`) or 639-2 (`fra`, `crk`) language code, lower case. */
export const LANGUAGE_PATTERN = '^[a-z]{2,3}$';
/**
 * CRTC content categories (Radio Regulations; CRTC 2000-14): 11 news, 12 spoken word; 21 pop,
 * rock and dance, 22 country, 23 acoustic, 24 easy listening; 31 concert … 36 experimental;
 * 41 musical themes … 45 musical promotion of an announcer; 51 commercial announcement, 52
 * sponsor identification, 53 promotion with a sponsor mention.
 */
export const CONTENT_CATEGORY_PATTERN = '^(1[12]|2[1-4]|3[1-6]|4[1-5]|5[1-3])$';

export type CodeCheck = { ok: true } | { ok: false; problem: string };

const digitsOf = (code: string) => code.replace(/[^0-9]/g, '');

/** An ISWC's shape and its check digit (1 + Σ digit × position, mod 10, subtracted from 10). */
export function checkIswc(value: string): CodeCheck {
  if (!new RegExp(ISWC_PATTERN).test(value)) return { ok: false, problem: `"${value}" is not an ISWC: T, nine digits and a check digit (T-034.524.680-1)` };
  const digits = [...digitsOf(value)].map(Number);
  const sum = digits.slice(0, 9).reduce((total, d, i) => total + d * (i + 1), 1);
  const check = (10 - (sum % 10)) % 10;
  return check === digits[9] ? { ok: true } : { ok: false, problem: `"${value}" is not an ISWC: its check digit should be ${check}` };
}

/** A UPC-A or EAN-13's shape and check digit (GS1: weights 3 and 1 from the right). */
export function checkUpc(value: string): CodeCheck {
  if (!new RegExp(UPC_PATTERN).test(value)) return { ok: false, problem: `"${value}" is not a UPC: 12 digits (UPC-A) or 13 (EAN-13)` };
  const digits = [...value].map(Number);
  const body = digits.slice(0, -1).reverse();
  const sum = body.reduce((total, d, i) => total + d * (i % 2 === 0 ? 3 : 1), 0);
  const check = (10 - (sum % 10)) % 10;
  return check === digits.at(-1) ? { ok: true } : { ok: false, problem: `"${value}" is not a UPC: its check digit should be ${check}` };
}

export function checkIsrc(value: string): CodeCheck {
  return new RegExp(ISRC_PATTERN).test(value)
    ? { ok: true }
    : { ok: false, problem: `"${value}" is not an ISRC: 2 letters (country), 3 letters or digits (registrant), 2 digits (year), 5 digits (USABC2400001)` };
}

/**
 * Names from one line of text, in order, each once. Writers are split at " / ", ";", " & " and
 * line ends ("Lennon & McCartney" are two writers); publishers only at " / ", ";" and line ends,
 * because a company's name often has an "&" in it ("Bug & Co. Music"). A slash without spaces
 * ("AC/DC") and a comma ("Smith, Jane") stay inside a name.
 */
export function splitNames(text: string | null | undefined, kind: 'writers' | 'publishers' = 'writers'): string[] {
  if (!text) return [];
  const separator = kind === 'writers' ? /\s+\/\s+|\s*;\s*|\s+&\s+|\s*[\r\n]+\s*/ : /\s+\/\s+|\s*;\s*|\s*[\r\n]+\s*/;
  const names = text.split(separator).map((name) => name.trim()).filter(Boolean);
  return [...new Set(names)];
}

/** The same list of names, for a field that joins them (the old `composer` column, a text box). */
export const joinNames = (names: readonly string[]) => names.join(' / ');

export const sameNames = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((name, i) => name === b[i]);

/** Language names as tags and LibreTime files often carry them, to their ISO 639-1 code. */
const LANGUAGE_NAMES: Record<string, string> = {
  english: 'en', anglais: 'en', french: 'fr', français: 'fr', francais: 'fr', spanish: 'es', español: 'es', espanol: 'es',
  german: 'de', deutsch: 'de', italian: 'it', italiano: 'it', portuguese: 'pt', português: 'pt', portugues: 'pt',
  dutch: 'nl', japanese: 'ja', korean: 'ko', chinese: 'zh', mandarin: 'zh', cantonese: 'yue', arabic: 'ar', hindi: 'hi',
  russian: 'ru', swedish: 'sv', norwegian: 'no', danish: 'da', finnish: 'fi', polish: 'pl', greek: 'el', turkish: 'tr',
  hebrew: 'he', irish: 'ga', welsh: 'cy', tagalog: 'tl', vietnamese: 'vi', navajo: 'nv', cree: 'cr', inuktitut: 'iu',
  instrumental: 'zxx', none: 'zxx',
};

/**
 * A language code from what a file's tag says: a 2- or 3-letter code as it is (lower case), a
 * common language name as its code ("English" → en), anything else null (never a guess).
 * "Instrumental" is ISO 639-2 `zxx`, "no linguistic content".
 */
export function languageCode(text: string | null | undefined): string | null {
  const value = text?.trim().toLowerCase();
  if (!value) return null;
  const main = value.split(/[-_]/)[0]!; // "en-US", "fr_CA"
  if (new RegExp(LANGUAGE_PATTERN).test(main)) return main;
  return LANGUAGE_NAMES[value] ?? null;
}

/** The track fields the LibreTime library sync writes, by the names the sync compares. */
export const LIBRETIME_SYNCED_FIELDS = ['type', 'title', 'artist', 'album', 'genre', 'mood', 'bpm', 'isrc', 'writers', 'label', 'language', 'lengthMs', 'cueInMs', 'cueOutMs', 'removed'] as const;
/** What LibreTime alone owns: the file's length and cues are never a person's edit in LibreLog. */
export const LIBRETIME_OWNED_FIELDS: ReadonlySet<string> = new Set(['lengthMs', 'cueInMs', 'cueOutMs']);
/**
 * The synced fields a person may change in LibreLog: once changed here, the sync leaves them as
 * LibreLog has them (recorded in `tracks.edited_in_librelog`).
 */
export const EDITABLE_SYNCED_FIELDS: ReadonlySet<string> = new Set(LIBRETIME_SYNCED_FIELDS.filter((f) => !LIBRETIME_OWNED_FIELDS.has(f)));
