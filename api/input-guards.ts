// What every request's text and numbers must be before the validator and the routes see them,
// whatever the operation: rules the OpenAPI document cannot say once for all operations.
//   - No NUL character (U+0000) in any text: PostgreSQL cannot store it.
//   - Query and path text is percent-encoded UTF-8 (a JSON body's bytes are checked as they
//     are read, in ./body-parsers.ts).
//   - JSON nested at most MAX_DEPTH deep (the deepest document LibreLog takes is a bundle, 6).
// Each refusal is a 400 problem that names the field (`body.clocks[0].name`, `query.q`).
// The calendar dates and integer ranges are the document's (api/spec.ts adds what it lacks).
import type { RequestHandler } from 'express';
import { Problem, type ProblemField } from './problem.js';

/** How deep a JSON body may nest: far deeper than any document of the API, far shallower than the stack. */
export const MAX_DEPTH = 32;
/** Fields named at most in one answer. */
const MAX_NAMED = 20;

const NUL = '\u0000';

/** What is wrong with one piece of text, or undefined when it is fine. */
function textProblem(text: string): string | undefined {
  if (text.includes(NUL)) return 'must not contain the NUL character (U+0000)';
  return undefined;
}

const isIdentifier = (key: string) => /^[A-Za-z_$][\w$]*$/.test(key);
const member = (path: string, key: string) => (isIdentifier(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`);

/** Walks a parsed value without recursion (a hostile document may nest far deeper than the stack). */
function valueProblems(root: unknown, rootPath: string, problems: ProblemField[], maxDepth: number): void {
  const stack: { value: unknown; path: string; depth: number }[] = [{ value: root, path: rootPath, depth: 0 }];
  while (stack.length > 0 && problems.length < MAX_NAMED) {
    const { value, path, depth } = stack.pop()!;
    if (typeof value === 'string') {
      const problem = textProblem(value);
      if (problem) problems.push({ path, message: problem });
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    if (depth >= maxDepth) {
      problems.push({ path, message: `is nested too deeply (at most ${maxDepth} levels)` });
      continue;
    }
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push({ value: value[i] as unknown, path: `${path}[${i}]`, depth: depth + 1 });
      continue;
    }
    const entries = Object.entries(value as Record<string, unknown>);
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, child] = entries[i]!;
      const keyProblem = textProblem(key);
      if (keyProblem) problems.push({ path: `${path} (a key)`, message: keyProblem });
      else stack.push({ value: child, path: member(path, key), depth: depth + 1 });
    }
  }
}

/** `a%20b` → "a b"; undefined when it is not percent-encoded UTF-8. */
function decoded(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

/** The raw query string, parameter by parameter, as sent (Express's parser forgives bad encoding). */
function queryProblems(rawQuery: string, problems: ProblemField[]): void {
  for (const pair of rawQuery.split('&')) {
    if (!pair) continue;
    const at = pair.indexOf('=');
    const rawName = at < 0 ? pair : pair.slice(0, at);
    const rawValue = at < 0 ? '' : pair.slice(at + 1);
    const name = decoded(rawName.replace(/\+/g, ' '));
    const value = decoded(rawValue.replace(/\+/g, ' '));
    const field = `query.${name ?? rawName}`;
    if (name === undefined || value === undefined) problems.push({ path: field, message: 'is not percent-encoded UTF-8' });
    else {
      const problem = textProblem(name) ?? textProblem(value);
      if (problem) problems.push({ path: field, message: problem });
    }
  }
}

/** The path, segment by segment: each percent-encoded UTF-8 without NUL. */
function pathProblems(rawPath: string, problems: ProblemField[]): void {
  for (const segment of rawPath.split('/')) {
    if (!segment.includes('%')) continue;
    const text = decoded(segment);
    const problem = text === undefined ? 'is not percent-encoded UTF-8' : textProblem(text);
    if (problem) problems.push({ path: 'path', message: `segment "${segment.slice(0, 80)}" ${problem}` });
  }
}

/**
 * Refuses a request whose text or nesting no operation takes, before the OpenAPI validator
 * and the routes (which store text in PostgreSQL) see it. Runs after the body parsers; a
 * multipart body is parsed later, by the validator, and its fields are all formatted (dates,
 * ids), which NUL cannot pass.
 */
export function inputGuards(options: { maxDepth?: number } = {}): RequestHandler {
  const maxDepth = options.maxDepth ?? MAX_DEPTH;
  return (req, _res, next) => {
    const problems: ProblemField[] = [];
    const url = req.originalUrl;
    const queryAt = url.indexOf('?');
    pathProblems(queryAt < 0 ? url : url.slice(0, queryAt), problems);
    if (queryAt >= 0) queryProblems(url.slice(queryAt + 1), problems);
    if (req.body !== undefined && typeof req.body === 'object') valueProblems(req.body, 'body', problems, maxDepth);
    if (problems.length === 0) {
      next();
      return;
    }
    const first = problems[0]!;
    next(new Problem(400, 'Bad Request', `${first.path} ${first.message}${problems.length > 1 ? ` (and ${problems.length - 1} more)` : ''}`, problems));
  };
}
