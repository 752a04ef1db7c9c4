// Manual confirmation, the as-run of a station with no playout to ask (docs/reconciliation.md
// §Manual confirmation): an operator signs "aired as logged" for the day or some hours of it,
// naming the exceptions. It becomes plays (source `manual`) and reported misses, and the same
// matching runs on them.
import type { TrackType } from '../vocabulary.js';
import type { AsRunPlay, Period, ReportedMiss, ScheduledEntry } from './types.js';

export type ManualException =
  | { entryId: string; kind: 'missed'; note?: string | null }
  | {
      entryId: string;
      kind: 'substituted';
      /** What played instead (its type defaults to the entry's: "another spot ran in its place"). */
      by: { trackId?: string | null; title: string; artist?: string | null; type?: TrackType | null; lengthMs?: number | null };
    }
  | { entryId: string; kind: 'moved'; /** When it aired instead (epoch ms). */ to: number };

export interface ManualConfirmation {
  /** The confirmation's id: plays are `manual:<id>:<entry id>`, so a confirmation read twice gives the same plays. */
  id: string;
  /** The whole broadcast day, or some spans of it (hours, as instants: unambiguous on DST days). */
  covers: 'day' | readonly Period[];
  exceptions: readonly ManualException[];
}

export interface ManualAsRun {
  plays: AsRunPlay[];
  reportedMissed: ReportedMiss[];
  /** Exceptions that name no entry of the confirmed spans, said in words. */
  problems: string[];
}

/** The plays an operator's confirmation stands for: every entry of the confirmed spans aired as logged, but for the exceptions. */
export function confirmationToAsRun(confirmation: ManualConfirmation, entries: readonly ScheduledEntry[]): ManualAsRun {
  const covered = (e: ScheduledEntry) => confirmation.covers === 'day' || confirmation.covers.some((p) => e.startsAt >= p.startsAt && e.startsAt < p.endsAt);
  const inScope = new Map(entries.filter(covered).map((e) => [e.id, e]));
  const exceptions = new Map<string, ManualException>();
  const problems: string[] = [];
  for (const x of confirmation.exceptions) {
    if (!inScope.has(x.entryId)) problems.push(`exception for entry ${x.entryId}: no such entry in the confirmed ${confirmation.covers === 'day' ? 'day' : 'hours'}`);
    else if (exceptions.has(x.entryId)) problems.push(`entry ${x.entryId} has more than one exception`);
    else if (x.kind === 'moved' && !Number.isFinite(x.to)) problems.push(`entry ${x.entryId}: moved to an invalid time`);
    else exceptions.set(x.entryId, x);
  }
  const plays: AsRunPlay[] = [];
  const reportedMissed: ReportedMiss[] = [];
  for (const entry of [...inScope.values()].sort((a, b) => a.position - b.position)) {
    // A live programme is no play of playout's: confirming the day leaves it not due.
    if (entry.type === 'LIVE') continue;
    const id = `manual:${confirmation.id}:${entry.id}`;
    const asLogged: AsRunPlay = {
      id,
      source: 'manual',
      startedAt: entry.startsAt,
      durationMs: entry.lengthMs,
      entryId: entry.id,
      trackId: entry.trackId,
      type: entry.type,
      title: entry.title,
      artist: entry.artist,
    };
    const x = exceptions.get(entry.id);
    if (!x) plays.push(asLogged);
    else if (x.kind === 'missed') reportedMissed.push({ entryId: entry.id, note: x.note ?? null });
    else if (x.kind === 'moved') plays.push({ ...asLogged, startedAt: x.to });
    else {
      plays.push({
        id,
        source: 'manual',
        startedAt: entry.startsAt,
        durationMs: x.by.lengthMs ?? entry.lengthMs,
        entryId: null,
        trackId: x.by.trackId ?? null,
        type: x.by.type ?? entry.type,
        title: x.by.title,
        artist: x.by.artist ?? null,
      });
    }
  }
  return { plays, reportedMissed, problems };
}
