// Make-goods a day's outcomes owe (docs/reconciliation.md §Make-goods owed): one for each spot
// of a campaign that was missed, substituted or cut short — never for a spot not due, never
// twice for one spot. Given what is owed already it says what is new and what a late as-run
// has shown aired after all, so running it again over the same day changes nothing.
import type { MAKE_GOOD_STATUSES } from '../vocabulary.js';
import type { EntryOutcome } from './types.js';

export type MakeGoodStatus = (typeof MAKE_GOOD_STATUSES)[number];

export interface OwedMakeGood {
  campaignId: string;
  /** The spot that did not air (the make_goods row's missed_entry_id). */
  missedEntryId: string;
  /** The make_goods row's reason. */
  reason: 'missed';
  /** What became of the spot. */
  outcome: 'missed' | 'substituted' | 'aired_partially';
  scheduledAt: number;
}

/** A make-good already recorded for a spot. */
export interface ExistingMakeGood {
  missedEntryId: string;
  status: MakeGoodStatus;
}

export interface MakeGoodChanges {
  /** Every make-good the day's outcomes owe, in position order. */
  owed: OwedMakeGood[];
  /** …of which nothing is recorded yet: record these. */
  newlyOwed: OwedMakeGood[];
  /** Recorded make-goods (owed or scheduled) whose spot the as-run now shows aired or not due: no longer owed. */
  noLongerOwed: ExistingMakeGood[];
}

const OWES: ReadonlySet<EntryOutcome['outcome']> = new Set(['missed', 'substituted', 'aired_partially']);

export function makeGoodsOwed(outcomes: readonly EntryOutcome[], existing: readonly ExistingMakeGood[] = []): MakeGoodChanges {
  const recorded = new Map(existing.map((m) => [m.missedEntryId, m]));
  const owed: OwedMakeGood[] = [];
  const seen = new Set<string>();
  const noLongerOwed: ExistingMakeGood[] = [];
  for (const o of [...outcomes].sort((a, b) => a.position - b.position)) {
    if (!o.campaignId || seen.has(o.entryId)) continue;
    seen.add(o.entryId);
    if (OWES.has(o.outcome)) {
      owed.push({ campaignId: o.campaignId, missedEntryId: o.entryId, reason: 'missed', outcome: o.outcome as OwedMakeGood['outcome'], scheduledAt: o.scheduledAt });
    } else {
      const before = recorded.get(o.entryId);
      if (before && (before.status === 'owed' || before.status === 'scheduled')) noLongerOwed.push(before);
    }
  }
  return { owed, newlyOwed: owed.filter((m) => !recorded.has(m.missedEntryId)), noLongerOwed };
}
