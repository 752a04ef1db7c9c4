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
