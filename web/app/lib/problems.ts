// The API names a field of a refused request by its path ("body.end", "body.copy[0].track");
// forms show the message next to the field of that name.
import type { ApiProblem } from './api.server.js';

export type FieldErrors = Record<string, string>;

/** "body.copy[0].track" → "copy"; the first message per field wins. */
export function fieldErrors(problem: ApiProblem): FieldErrors {
  const errors: FieldErrors = {};
  for (const e of problem.errors ?? []) {
    const field = e.path.replace(/^body\./, '').replace(/[[.].*$/, '');
    errors[field] ??= e.message;
  }
  return errors;
}

/**
 * The messages about the items of one list field, by the item's index: "body.stations[1].station"
 * → { 1: message } for `list` "stations" (the first message per item wins). fieldErrors keeps
 * calling all of them "stations"; this says which entry the API meant.
 */
export function itemErrors(problem: ApiProblem, list: string): Record<number, string> {
  const errors: Record<number, string> = {};
  const item = new RegExp(`^body\\.${list.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\[(\\d+)\\]`);
  for (const e of problem.errors ?? []) {
    const match = item.exec(e.path);
    if (match) errors[Number(match[1])] ??= e.message;
  }
  return errors;
}
