// Titles and artists as different systems spell them, made comparable: "Beyoncé feat. JAY-Z"
// and "beyonce" are one artist, "The Weeknd" and "Weeknd" too, "Don't Stop (feat. X)" and
// "Dont Stop" one title.

// "feat. X", "ft X", "(featuring X)" and what follows; never at the very start ("Feat of Clay").
const FEATURING = /(?:\s+[([]?|[([])\s*(?:feat|ft|featuring)\b\.?\s.*$/;

/** A title or artist for comparison: lower case, no accents, no "feat. …", no leading "the", no punctuation. */
export function normaliseName(text: string | null | undefined): string {
  if (!text) return '';
  let s = text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
  s = s.replace(/&/g, ' and ').replace(/[’'`´]/g, '');
  s = s.replace(FEATURING, '');
  s = s.replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
  s = s.replace(/^the (?=.)/, '');
  return s.replace(/ +/g, ' ');
}

/** Whether two plays name the same recording: equal titles, and equal artists where both give one. */
export function sameRecording(a: { title?: string | null; artist?: string | null }, b: { title?: string | null; artist?: string | null }): boolean {
  const titleA = normaliseName(a.title);
  if (!titleA || titleA !== normaliseName(b.title)) return false;
  const artistA = normaliseName(a.artist);
  const artistB = normaliseName(b.artist);
  return !artistA || !artistB || artistA === artistB;
}
