// Per-campaign figures from a day's (or a period's) outcomes (docs/reconciliation.md §Campaign totals).
import type { EntryOutcome } from './types.js';

export interface CampaignTotals {
  campaignId: string;
  /** Spots the order asks for in the period (given by the caller; else the spots placed). */
  ordered: number;
  /** The campaign's own spots in the logs (make-goods not counted). */
  placed: number;
  /** Placed spots that aired in full (on time, early or late). */
  aired: number;
  /** Placed spots that aired, but outside their window (same day). */
  moved: number;
  /** Placed spots cut short (less than the share of their length the station requires). */
  partiallyAired: number;
  /** Placed spots that did not air: missed, or another item played in their place. */
  missed: number;
  /** …of which another item played in their place. */
  substituted: number;
  /** Placed spots in a live show or outside programme: playout was not to air them. */
  notDue: number;
  /** Make-good spots in the logs. */
  makeGoodsPlaced: number;
  /** Make-good spots that aired (in full, on time or moved). */
  madeGood: number;
}

/**
 * Totals per campaign, in campaign id order. For every campaign:
 * placed = aired + moved + partiallyAired + missed + notDue (substituted is part of missed).
 */
export function campaignTotals(outcomes: readonly EntryOutcome[], ordered: Readonly<Record<string, number>> = {}): CampaignTotals[] {
  const totals = new Map<string, CampaignTotals>();
  const of = (campaignId: string) => {
    let t = totals.get(campaignId);
    if (!t) {
      t = { campaignId, ordered: 0, placed: 0, aired: 0, moved: 0, partiallyAired: 0, missed: 0, substituted: 0, notDue: 0, makeGoodsPlaced: 0, madeGood: 0 };
      totals.set(campaignId, t);
    }
    return t;
  };
  for (const o of outcomes) {
    if (!o.campaignId) continue;
    const t = of(o.campaignId);
    if (o.makeGoodOf) {
      t.makeGoodsPlaced++;
      if (o.outcome === 'aired' || o.outcome === 'moved') t.madeGood++;
      continue;
    }
    t.placed++;
    if (o.outcome === 'aired') t.aired++;
    else if (o.outcome === 'moved') t.moved++;
    else if (o.outcome === 'aired_partially') t.partiallyAired++;
    else if (o.outcome === 'not_due') t.notDue++;
    else {
      t.missed++;
      if (o.outcome === 'substituted') t.substituted++;
    }
  }
  for (const campaignId of Object.keys(ordered)) of(campaignId);
  return [...totals.values()]
    .map((t) => ({ ...t, ordered: ordered[t.campaignId] ?? t.placed }))
    .sort((a, b) => (a.campaignId < b.campaignId ? -1 : a.campaignId > b.campaignId ? 1 : 0));
}
