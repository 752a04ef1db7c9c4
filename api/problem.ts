// Every error leaves the API as application/problem+json (RFC 9457): what is wrong and where,
// never a stack trace.
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { error as OpenApiError } from 'express-openapi-validator';

export interface ProblemField {
  path: string;
  message: string;
  /** The log exception it is about (an approval that does not acknowledge it). */
  exceptionId?: string;
}

export class Problem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail?: string,
    readonly errors?: ProblemField[],
    readonly type = `https://librelog.org/problems/${title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`,
  ) {
    super(detail ?? title);
    this.name = 'Problem';
  }
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** "/body/clocks/0/name" (the validator's path) → "body.clocks[0].name". */
function fieldPath(path: string): string {
  return path
    .replace(/^\//, '')
    .split('/')
    .map((part, i) => (/^\d+$/.test(part) ? `[${part}]` : i === 0 ? part : `.${part}`))
    .join('');
}

export const notFound: RequestHandler = (req, _res, next) => next(new Problem(404, 'Not Found', `Nothing at ${req.method} ${req.path}`));

/**
 * A response that breaks the API's own contract (express-openapi-validator's response check).
 * The validator reports it as the same InternalServerError it uses for a multipart body it
 * cannot parse; `validateResponses.onError` throws this instead, so the two are told apart.
 */
export class ResponseBreach extends Error {
  constructor(readonly breach: unknown) {
    super(breach instanceof Error ? breach.message : String(breach));
    this.name = 'ResponseBreach';
  }
}

/** For `validateResponses: { onError }`. */
export function reportResponseBreach(error: unknown): never {
  throw new ResponseBreach(error);
}

/** What a validator error item says, in words that say what the value must be. */
function fieldMessage(message: string | undefined): string {
  if (!message) return 'is not valid';
  if (message === 'must match format "date"') return 'must be a calendar date, YYYY-MM-DD (a day that exists)';
  if (message === 'must match format "date-time"') return 'must be a date and time with its offset, e.g. 2026-12-04T09:30:00Z';
  return message;
}

/** Methods in the validator's Allow header ("post, get") as HTTP spells them, in a steady order ("GET, POST"). */
function allowHeader(value: unknown): string | undefined {
  if (typeof value !== 'string' || !value.trim()) return undefined;
  const methods = new Set(value.split(',').map((m) => m.trim().toUpperCase()).filter(Boolean));
  const order = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
  return [...methods].sort((a, b) => (order.indexOf(a) + 1 || 99) - (order.indexOf(b) + 1 || 99)).join(', ');
}

export function problemHandler(log: (error: unknown) => void = console.error): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    let problem: Problem;
    if (error instanceof Problem) {
      problem = error;
    } else if (error instanceof ResponseBreach) {
      // A response that breaks the API's own contract: our bug, logged in full, reported plainly.
      log(error.breach);
      problem = new Problem(500, 'Internal Server Error', 'The server produced a response that does not match its API description.');
    } else if (error instanceof OpenApiError.InternalServerError && req.is('multipart/form-data')) {
      // The validator's multipart parser (multer, busboy) gave up on the body: the sender's.
      problem = new Problem(400, 'Bad Request', `The multipart/form-data body is malformed: ${error.message}`, [{ path: 'body', message: 'is not a well-formed multipart/form-data body' }]);
    } else if (isHttpError(error) && error.status < 500) {
      const errors = (error.errors ?? []).map((e) => ({ path: fieldPath(e.path ?? ''), message: fieldMessage(e.message) }));
      problem = new Problem(error.status, TITLES[error.status] ?? 'Bad Request', error.message, errors.length ? errors : undefined);
      const allow = error.status === 405 ? allowHeader(error.headers?.Allow) : undefined;
      if (allow) res.setHeader('Allow', allow);
    } else {
      log(error);
      problem = new Problem(500, 'Internal Server Error', 'Something went wrong on our side; it has been logged.');
    }
    res
      .status(problem.status)
      .type('application/problem+json')
      .json({
        type: problem.type,
        title: problem.title,
        status: problem.status,
        ...(problem.detail !== undefined && { detail: problem.detail }),
        instance: req.originalUrl,
        ...(problem.errors && { errors: problem.errors }),
      });
  };
}

function isHttpError(error: unknown): error is { status: number; message: string; errors?: { path?: string; message?: string }[]; headers?: Record<string, unknown> } {
  return typeof error === 'object' && error !== null && typeof (error as { status?: unknown }).status === 'number' && (error as { status: number }).status >= 400;
}
