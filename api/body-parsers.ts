// The API's JSON bodies: bounded after inflation (body-parser's `limit` counts the inflated
// bytes, so a gzip bomb stops at the limit) and UTF-8 byte for byte, as JSON must be
// (RFC 8259 §8.1). Bytes that are not UTF-8 are refused with a 400 rather than decoded into
// U+FFFD and stored; a U+FFFD that was really sent (a title synced with broken tags) is kept.
import express, { type RequestHandler } from 'express';
import { isUtf8 } from 'node:buffer';
import { Problem } from './problem.js';

export function jsonBody(limit: string): RequestHandler {
  return express.json({
    limit,
    verify: (_req, _res, bytes) => {
      if (!isUtf8(bytes)) throw new Problem(400, 'Bad Request', 'The body is not UTF-8: JSON is sent as UTF-8 text', [{ path: 'body', message: 'must be UTF-8' }]);
    },
  });
}
