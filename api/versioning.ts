// Concurrent edits don't lose work: versioned resources (stations, clocks, campaigns, logs)
// answer with an ETag of their version, and a write with a stale If-Match gets 412.
import type { Request, Response } from 'express';
import { Problem } from './problem.js';

export const etagOf = (version: number) => `"${version}"`;

export function setVersionTag(res: Response, version: number): void {
  res.setHeader('ETag', etagOf(version));
}

/**
 * The versions an If-Match header names. `"3"` and `W/"3"` name version 3, and so does a day's
 * log tag `W/"3-<changed>"`: that tag changes with every status change, while an action on the
 * log only cares that its entries are the ones the user saw.
 */
function versionsNamed(header: string): number[] {
  return header.split(',').flatMap((tag) => {
    const match = /^(?:W\/)?"(\d+)(?:-[^"]*)?"$/.exec(tag.trim());
    return match ? [Number(match[1])] : [];
  });
}

/** Refuses the write when If-Match names another version. Without If-Match the write goes ahead. */
export function checkIfMatch(req: Request, currentVersion: number): void {
  const header = req.get('If-Match');
  if (!header || header.trim() === '*') return;
  if (!versionsNamed(header).includes(currentVersion)) {
    throw new Problem(412, 'Precondition Failed', `The resource has changed (now version ${currentVersion}); reload it and apply your change again`);
  }
}
