// Concurrent edits don't lose work: versioned resources (stations, clocks, campaigns, logs)
// answer with an ETag of their version, and a write with a stale If-Match gets 412.
import type { Request, Response } from 'express';
import { Problem } from './problem.js';

export const etagOf = (version: number) => `"${version}"`;

export function setVersionTag(res: Response, version: number): void {
  res.setHeader('ETag', etagOf(version));
}

/** Refuses the write when If-Match names another version. Without If-Match the write goes ahead. */
export function checkIfMatch(req: Request, currentVersion: number): void {
  const header = req.get('If-Match');
  if (!header || header.trim() === '*') return;
  const tags = header.split(',').map((t) => t.trim().replace(/^W\//, ''));
  if (!tags.includes(etagOf(currentVersion))) {
    throw new Problem(412, 'Precondition Failed', `The resource has changed (now version ${currentVersion}); reload it and apply your change again`);
  }
}
