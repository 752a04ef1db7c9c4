// A music rule set as its form sends it, read into what the API takes: lists of the boxes
// ticked, numbers where numbers were typed (an empty box is no bound). The editor's save and
// its live count read the form the same way.
import type { FieldErrors } from './problems.js';

export interface RuleSetBody {
  name: string;
  genres: string[];
  moods: string[];
  bpm: { min: number | null; max: number | null };
  energy: { min: number | null; max: number | null };
  dayparts: string[];
  artistSeparationMinutes?: number;
  titleSeparationHours?: number;
}

const strings = (form: FormData, name: string) => [...new Set(form.getAll(name).flatMap((v) => (typeof v === 'string' && v.trim() ? [v.trim()] : [])))];

export function readRuleSetForm(form: FormData): { body: RuleSetBody; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const number = (name: string, field: string, min: number, max: number, unit: string): number | null => {
    const value = form.get(name);
    const typed = typeof value === 'string' ? value.trim() : '';
    if (!typed) return null;
    const n = Number(typed);
    if (!Number.isInteger(n) || n < min || n > max) errors[field] ??= `${unit}: a whole number from ${min} to ${max}`;
    return Number.isInteger(n) ? n : null;
  };
  const name = form.get('name');
  const body: RuleSetBody = {
    name: typeof name === 'string' ? name.trim() : '',
    genres: strings(form, 'genres'),
    moods: strings(form, 'moods'),
    bpm: { min: number('bpmMin', 'bpm', 20, 300, 'Tempo (bpm)'), max: number('bpmMax', 'bpm', 20, 300, 'Tempo (bpm)') },
    energy: { min: number('energyMin', 'energy', 1, 10, 'Energy'), max: number('energyMax', 'energy', 1, 10, 'Energy') },
    dayparts: strings(form, 'dayparts'),
  };
  const artist = number('artistSeparationMinutes', 'artistSeparationMinutes', 0, 10080, 'Artist separation (minutes)');
  const title = number('titleSeparationHours', 'titleSeparationHours', 0, 720, 'Title separation (hours)');
  if (artist !== null) body.artistSeparationMinutes = artist;
  if (title !== null) body.titleSeparationHours = title;
  for (const field of ['bpm', 'energy'] as const) {
    const { min, max } = body[field];
    if (min !== null && max !== null && min > max) errors[field] ??= 'The lowest is above the highest.';
  }
  if (!body.name) errors.name = 'Give the rule set a name.';
  return { body, errors };
}
