// Traffic (domain rule 4) and the ADV → PSA fallback (rule 5): fills the day's avails with
// campaign spots, then gives every avail left over, and every PSA element, a PSA.
//
// Placement, in short:
// - Each eligible campaign owes today its make-goods plus its quota (spots per day, or spots
//   per week spread over the days left in the ISO week). Its n spots get target times evenly
//   spaced over the hours it may air in (horizontal rotation); the phase moves from day to day
//   by the golden ratio, so a one-a-day order does not air at the same time every day.
// - Make-goods go first (higher priority first). Regular spots follow in four rounds (the first
//   quarter of every campaign's spots, then the second …), higher priority first within a round.
//   Rounds share out a sold-out day fairly between orders of equal priority (each loses the
//   same share, and what it keeps is still spread over the day); priority itself is kept by
//   preemption (below).
// - A spot takes the free eligible avail nearest its target, avoiding an hour where its campaign
//   already airs and preferring the break position (first/middle/last) it used least (vertical
//   rotation). Competitive separation is hard: one spot per advertiser and per product category
//   in a break.
// - A spot that finds every avail it could use taken (or blocked by separation) first makes
//   room: a spot there that can air elsewhere in its own dayparts moves (nobody loses a spot).
//   Failing that it preempts the lowest-priority regular spot there (never a make-good), which
//   tries again elsewhere (possibly preempting an even lower one) or is bumped.
// - Copy is chosen once the spots have settled, in air order: sequential continues from
//   `placedBefore`, weighted draws by weight.
// - Avails still empty get a PSA (rule 5), as do PSA elements: same category first, least
//   recently used (yesterday's log counts), seeded ties.
import { allowedIn } from './dayparts.js';
import { createRandom, weightedIndex } from './random.js';
import type { BroadcastHour, BuildInputs, EngineCampaign, EngineCampaignCopy, EngineDaypart, EngineTrack, LogException, Slot, SlotFill } from './types.js';
import type { FallbackReason, TrackType } from '../vocabulary.js';

export interface BumpedSpots {
  campaignId: string;
  count: number;
  reason: string;
}

export interface TrafficResult {
  slots: Slot[];
  exceptions: LogException[];
  bumped: BumpedSpots[];
}

/** Why spots were bumped, in the station's words. */
export const BUMP_REASONS = {
  makeGoodNotAirable: "make-good's campaign not airable today",
  copyMissing: 'no copy airable today',
  noAvail: 'no avail in its dayparts',
  reserved: 'the avails in its dayparts are reserved for other product categories',
  full: 'no avail left in its dayparts',
  separation: 'competitive separation',
} as const;

/** Rounds a campaign's regular spots are placed in (see the top of the file). */
const ROUNDS = 4;
/** Score added per spot the campaign already has in the hour: a second spot in an hour only when nothing else is free. */
const SAME_HOUR_PENALTY = 1000;
/** Score (in hours of distance from the target) added per earlier use of a break position. */
const POSITION_WEIGHT = 0.3;
const GOLDEN = 0.6180339887498949;
const DAY_MS = 86_400_000;

/** Where an avail sits in its break: 0 first, 1 middle, 2 last. */
type PositionClass = 0 | 1 | 2;

interface Avail {
  slotIndex: number;
  slot: Slot;
  hourIndex: number;
  hourDayparts: string[];
  breakId: number;
  positionClass: PositionClass;
  /** When the avail's break comes in its hour, 0–1. */
  hourFraction: number;
  spot: Spot | null;
}

/** Who is in a break already (one entry per spot), for competitive separation. */
interface BreakState {
  advertisers: string[];
  categories: (string | null)[];
}

/** Where campaigns with the same dayparts and product category may air today (shared between them). */
interface Eligibility {
  /** Eligible avails (indices into the day's avails, in air order) … */
  avails: number[];
  /** … and where each sits, in eligible-hour units (hour k of the campaign's hours = k … k+1), non-decreasing. */
  units: number[];
  hourCount: number;
  /** ADV avails in the campaign's hours whatever their category (tells "reserved" from "none"). */
  availsInHours: number;
  /** Does any hour of today fall in the campaign's dayparts? */
  airsToday: boolean;
  /** How many of the avails are free right now. */
  free: number;
}

interface Plan {
  campaign: EngineCampaign;
  label: string;
  /** Copy that may air today, in the order of the campaign's copy list. */
  copies: { copy: EngineCampaignCopy; track: EngineTrack }[];
  eligibility: Eligibility;
  /** The campaign's spots per hour index. */
  spotsInHour: Int32Array;
  positionUse: [number, number, number];
  tie: number;
  order: number;
  spotsToday: number;
}

interface Spot {
  plan: Plan;
  makeGoodId: string | null;
  /** Target position in the campaign's eligible-hour units. */
  target: number;
  round: number;
  fraction: number;
  seq: number;
  avail: number;
  preemptedBy: Plan | null;
}

interface Preemption {
  victim: Spot;
  by: Spot;
  avail: number;
}

/**
 * Places the day's campaign spots in the ADV avails (slots of type ADV not yet filled), gives
 * every remaining avail and every PSA element a PSA, and reports preempted and bumped spots.
 * Pure and deterministic: the same inputs and seed give the same traffic.
 */
export function placeTraffic(inputs: BuildInputs, hours: BroadcastHour[], slots: Slot[]): TrafficResult {
  const today = dayNumber(inputs.date);
  const hourByIndex = new Map<number, BroadcastHour>();
  for (const hour of hours) hourByIndex.set(hour.index, hour);
  const library = new Map<string, EngineTrack>();
  for (const track of inputs.library) if (!library.has(track.id)) library.set(track.id, track);
  const daypartsById = new Map<string, EngineDaypart>(inputs.dayparts.map((d) => [d.id, d]));
  const campaignsById = new Map<string, EngineCampaign>();
  for (const campaign of inputs.campaigns) if (!campaignsById.has(campaign.id)) campaignsById.set(campaign.id, campaign);

  const { avails, breaks } = collectAvails(slots, hourByIndex, campaignsById);
  const fills = new Map<number, SlotFill>();
  const bumps = new Map<string, Map<string, number>>();
  const bump = (campaignId: string, reason: string, count = 1): void => {
    if (count <= 0) return;
    let reasons = bumps.get(campaignId);
    if (!reasons) bumps.set(campaignId, (reasons = new Map<string, number>()));
    reasons.set(reason, (reasons.get(reason) ?? 0) + count);
  };

  // Make-goods by campaign, in the order they were given.
  const makeGoodsByCampaign = new Map<string, string[]>();
  for (const makeGood of inputs.makeGoods) {
    const list = makeGoodsByCampaign.get(makeGood.campaignId) ?? [];
    list.push(makeGood.id);
    makeGoodsByCampaign.set(makeGood.campaignId, list);
  }

  // Campaigns: who may air today, and what each owes.
  const plans: Plan[] = [];
  const spots: Spot[] = [];
  const copyMissing: Plan[] = [];
  const expired: EngineCampaign[] = [];
  const eligibilityCache = new Map<string, Eligibility>();
  const hourSpan = avails.reduce((max, a) => Math.max(max, a.hourIndex + 1), 1);
  let order = 0;
  for (const campaign of campaignsById.values()) {
    order++;
    const makeGoods = makeGoodsByCampaign.get(campaign.id) ?? [];
    const inFlight = campaign.status === 'active' && campaign.startsOn <= inputs.date && inputs.date <= campaign.endsOn;
    if (campaign.status === 'active' && campaign.endsOn < inputs.date) expired.push(campaign);
    if (!inFlight) {
      bump(campaign.id, BUMP_REASONS.makeGoodNotAirable, makeGoods.length);
      continue;
    }
    const eligibilityKey = JSON.stringify([campaign.daypartIds, campaign.categoryCode]);
    let eligibility = eligibilityCache.get(eligibilityKey);
    if (!eligibility) eligibilityCache.set(eligibilityKey, (eligibility = eligibilityOf(campaign, avails, hours)));
    const plan = planCampaign(campaign, order, inputs, library, eligibility, hourSpan);
    const quota = eligibility.airsToday ? quotaToday(campaign, today, daypartsById) : 0;
    if (plan.copies.length === 0) {
      bump(campaign.id, BUMP_REASONS.makeGoodNotAirable, makeGoods.length);
      bump(campaign.id, BUMP_REASONS.copyMissing, quota);
      plan.spotsToday = quota;
      if (quota > 0) copyMissing.push(plan);
      continue;
    }
    const n = makeGoods.length + quota;
    plan.spotsToday = n;
    if (n === 0) continue;
    if (eligibility.avails.length === 0) {
      const reason = eligibility.availsInHours > 0 ? BUMP_REASONS.reserved : BUMP_REASONS.noAvail;
      bump(campaign.id, reason, n);
      continue;
    }
    plans.push(plan);
    // Targets evenly spaced over the campaign's hours; the phase rotates from day to day.
    const phase = fractionalPart(createRandom(inputs.seed, `traffic:phase:${campaign.id}`)() + today * GOLDEN);
    const targets = Array.from({ length: n }, (_, k) => ((k + phase) * eligibility.hourCount) / n);
    const spread = spreadOrder(n);
    spread.forEach((k, j) => {
      const isMakeGood = j < makeGoods.length;
      const r = j - makeGoods.length;
      spots.push({
        plan,
        makeGoodId: isMakeGood ? (makeGoods[j] ?? null) : null,
        target: targets[k] ?? 0,
        round: isMakeGood ? -1 : Math.floor((r * ROUNDS) / quota),
        fraction: isMakeGood ? 0 : (r + 0.5) / quota,
        seq: j,
        avail: -1,
        preemptedBy: null,
      });
    });
  }
  // Make-goods owed to campaigns the station does not know.
  for (const [campaignId, list] of makeGoodsByCampaign) {
    if (!campaignsById.has(campaignId)) bump(campaignId, BUMP_REASONS.makeGoodNotAirable, list.length);
  }

  // Placement order: make-goods, then round by round; higher priority first; tighter orders first.
  spots.sort(
    (a, b) =>
      a.round - b.round ||
      b.plan.campaign.priority - a.plan.campaign.priority ||
      a.fraction - b.fraction ||
      a.plan.eligibility.avails.length / a.plan.spotsToday - b.plan.eligibility.avails.length / b.plan.spotsToday ||
      a.plan.tie - b.plan.tie ||
      a.plan.order - b.plan.order ||
      a.seq - b.seq,
  );

  // Which eligibility groups each avail belongs to, so every group knows how many of its avails are free.
  const groupsOfAvail: Eligibility[][] = avails.map(() => []);
  for (const group of eligibilityCache.values()) for (const index of group.avails) groupsOfAvail[index]!.push(group);

  const preemptions: Preemption[] = [];
  let free = avails.length;
  const lowestPriority = plans.reduce((min, plan) => Math.min(min, plan.campaign.priority), Infinity);
  const occupy = (spot: Spot, index: number): void => {
    const avail = avails[index]!;
    const campaign = spot.plan.campaign;
    const state = breaks[avail.breakId]!;
    avail.spot = spot;
    spot.avail = index;
    free--;
    for (const group of groupsOfAvail[index]!) group.free--;
    state.advertisers.push(campaign.advertiserId);
    state.categories.push(campaign.categoryCode);
    spot.plan.spotsInHour[avail.hourIndex]!++;
    spot.plan.positionUse[avail.positionClass]++;
  };
  const vacate = (spot: Spot): void => {
    const index = spot.avail;
    const avail = avails[index]!;
    const campaign = spot.plan.campaign;
    const state = breaks[avail.breakId]!;
    avail.spot = null;
    spot.avail = -1;
    free++;
    for (const group of groupsOfAvail[index]!) group.free++;
    state.advertisers.splice(state.advertisers.indexOf(campaign.advertiserId), 1);
    state.categories.splice(state.categories.indexOf(campaign.categoryCode), 1);
    spot.plan.spotsInHour[avail.hourIndex]!--;
    spot.plan.positionUse[avail.positionClass]--;
  };
  /** Distance from the target (in hours) plus what the campaign already has in that hour and break position. */
  const penalty = (plan: Plan, avail: Avail): number =>
    SAME_HOUR_PENALTY * plan.spotsInHour[avail.hourIndex]! + POSITION_WEIGHT * plan.positionUse[avail.positionClass];

  /**
   * The free avail with the lowest score for `spot` (−1 if none), searched outwards from its
   * target: score ≥ distance, so the search stops once the distance alone exceeds the best
   * score. `sawFree` tells "all taken" from "free but blocked by separation".
   */
  const bestFree = (spot: Spot, skipBreak: number): { index: number; sawFree: boolean } => {
    const plan = spot.plan;
    const { avails: eligible, units } = plan.eligibility;
    let best = -1;
    let bestScore = Infinity;
    let sawFree = false;
    if (plan.eligibility.free === 0) return { index: best, sawFree };
    const start = lowerBound(units, spot.target);
    for (let lo = start - 1, hi = start; lo >= 0 || hi < eligible.length; ) {
      const dLo = lo >= 0 ? spot.target - units[lo]! : Infinity;
      const dHi = hi < eligible.length ? units[hi]! - spot.target : Infinity;
      const i = dLo <= dHi ? lo-- : hi++;
      const distance = Math.min(dLo, dHi);
      if (distance > bestScore) break;
      const index = eligible[i]!;
      const avail = avails[index]!;
      if (avail.spot) continue;
      sawFree = true;
      if (avail.breakId === skipBreak || !separated(breaks[avail.breakId]!, plan.campaign, null)) continue;
      const score = distance + penalty(plan, avail);
      if (score < bestScore || (score === bestScore && index < best)) {
        bestScore = score;
        best = index;
      }
    }
    return { index: best, sawFree };
  };

  /** Visits the spot's eligible avails outwards from its target; stops when `visit` returns true. */
  const outwards = (spot: Spot, visit: (index: number, distance: number) => boolean): void => {
    const { avails: eligible, units } = spot.plan.eligibility;
    const start = lowerBound(units, spot.target);
    for (let lo = start - 1, hi = start; lo >= 0 || hi < eligible.length; ) {
      const dLo = lo >= 0 ? spot.target - units[lo]! : Infinity;
      const dHi = hi < eligible.length ? units[hi]! - spot.target : Infinity;
      const i = dLo <= dHi ? lo-- : hi++;
      if (visit(eligible[i]!, Math.min(dLo, dHi))) return;
    }
  };

  const placeOne = (spot: Spot, pending: Spot[]): void => {
    const plan = spot.plan;
    const campaign = plan.campaign;
    const found = bestFree(spot, -1);
    if (found.index >= 0) {
      occupy(spot, found.index);
      return;
    }
    // No free avail: move a spot that has room elsewhere in its own dayparts (nobody loses a spot).
    let moved = false;
    if (free > 0) {
      outwards(spot, (index) => {
        const avail = avails[index]!;
        const holder = avail.spot;
        if (!holder || holder.plan.eligibility.free === 0) return false;
        if (!separated(breaks[avail.breakId]!, campaign, holder.plan.campaign)) return false;
        const elsewhere = bestFree(holder, avail.breakId);
        if (elsewhere.index < 0) return false;
        vacate(holder);
        occupy(holder, elsewhere.index);
        occupy(spot, index);
        return (moved = true);
      });
    }
    if (moved) return;
    // Still nothing: preempt the lowest-priority regular spot there (nearest the target among those).
    let victimAvail = -1;
    let victimPriority = Infinity;
    let victimScore = Infinity;
    if (campaign.priority > lowestPriority) {
      outwards(spot, (index, distance) => {
        if (victimPriority === lowestPriority && distance > victimScore) return true;
        const avail = avails[index]!;
        const holder = avail.spot;
        if (!holder || holder.makeGoodId !== null) return false;
        const priority = holder.plan.campaign.priority;
        if (priority >= campaign.priority || priority > victimPriority) return false;
        if (!separated(breaks[avail.breakId]!, campaign, holder.plan.campaign)) return false;
        const score = distance + penalty(plan, avail);
        if (priority < victimPriority || score < victimScore || (score === victimScore && index < victimAvail)) {
          victimPriority = priority;
          victimScore = score;
          victimAvail = index;
        }
        return false;
      });
    }
    if (victimAvail >= 0) {
      const victim = avails[victimAvail]!.spot!;
      vacate(victim);
      victim.preemptedBy = plan;
      occupy(spot, victimAvail);
      preemptions.push({ victim, by: spot, avail: victimAvail });
      pending.push(victim);
      return;
    }
    bump(campaign.id, found.sawFree ? BUMP_REASONS.separation : BUMP_REASONS.full);
  };

  for (const spot of spots) {
    const pending = [spot];
    for (let next = pending.shift(); next; next = pending.shift()) placeOne(next, pending);
  }

  // Copy, in air order, once the spots have settled.
  const placedByPlan = new Map<Plan, Spot[]>();
  for (const spot of spots) {
    if (spot.avail < 0) continue;
    const list = placedByPlan.get(spot.plan) ?? [];
    list.push(spot);
    placedByPlan.set(spot.plan, list);
  }
  for (const [plan, placed] of placedByPlan) {
    placed.sort((a, b) => a.avail - b.avail);
    const campaign = plan.campaign;
    const random = createRandom(inputs.seed, `traffic:copy:${campaign.id}`);
    const positive = plan.copies.map((c) => (c.copy.weight > 0 ? c.copy.weight : 0));
    const weights = positive.some((w) => w > 0) ? positive : plan.copies.map(() => 1);
    const before = Number.isFinite(campaign.placedBefore) ? Math.max(0, Math.floor(campaign.placedBefore)) : 0;
    placed.forEach((spot, n) => {
      const index = campaign.rotation === 'weighted' ? weightedIndex(weights, random) : (before + n) % plan.copies.length;
      const { track } = plan.copies[index]!;
      const avail = avails[spot.avail]!;
      const notes = [spot.makeGoodId !== null ? 'make-good' : `spot ${n + 1} of ${placed.length} today`, `copy "${track.title}"`];
      if (spot.preemptedBy) notes.push(`moved here: preempted by ${spot.preemptedBy.label}`);
      fills.set(avail.slotIndex, {
        trackId: track.id,
        type: 'ADV',
        lengthMs: track.lengthMs,
        title: plan.label,
        artist: null,
        campaignId: campaign.id,
        makeGoodId: spot.makeGoodId,
        voiceTrackId: null,
        isFallback: false,
        fallbackReason: null,
        note: notes.join('; '),
      });
    });
  }

  // PSAs: PSA elements, and the ADV → PSA fallback for every avail left without a spot.
  const exceptions: LogException[] = [];
  const psa = psaPicker(inputs, library);
  const emptyAvailBySlot = new Map<number, Avail>();
  for (const avail of avails) if (!avail.spot) emptyAvailBySlot.set(avail.slotIndex, avail);
  const psaSlots = slots
    .map((slot, index) => ({ slot, index }))
    .filter(({ slot, index }) => slot.fill === null && (slot.type === 'PSA' || emptyAvailBySlot.has(index)))
    .sort((a, b) => a.slot.hourIndex - b.slot.hourIndex || a.slot.order - b.slot.order || a.index - b.index);
  for (const { slot, index } of psaSlots) {
    const hourDayparts = hourByIndex.get(slot.hourIndex)?.daypartIds ?? [];
    const isFallback = slot.type === 'ADV';
    const wanted: TrackType = isFallback && slot.fallback !== null && slot.fallback !== 'ADV' ? slot.fallback : 'PSA';
    const pick = psa.pick(wanted, slot.categoryCode, hourDayparts);
    const why = isFallback ? fallbackReason(slot, hourDayparts, copyMissing, expired) : null;
    if (!pick) {
      exceptions.push({
        kind: 'empty_slot',
        severity: 'error',
        hour: slot.hour,
        hourIndex: slot.hourIndex,
        slotKey: slot.key,
        message: isFallback
          ? `No spot and no PSA for the avail in the ${hourLabel(slot.hour)} hour: it will be dead air. Add PSAs to the library.`
          : `No PSA in the library for the PSA element in the ${hourLabel(slot.hour)} hour: it will be dead air.`,
        details: { slotKey: slot.key, slotType: slot.type, categoryCode: slot.categoryCode, fallbackReason: why?.reason ?? null },
      });
      continue;
    }
    const notes: string[] = [];
    if (why) notes.push(why.note);
    if (slot.categoryCode !== null && !pick.track.categoryCodes.includes(slot.categoryCode)) notes.push(`no ${slot.categoryCode} ${pick.track.type} in the library: any ${pick.track.type}`);
    fills.set(index, {
      trackId: pick.track.id,
      type: pick.track.type,
      lengthMs: pick.track.lengthMs,
      title: pick.track.title,
      artist: pick.track.artist,
      campaignId: null,
      makeGoodId: null,
      voiceTrackId: null,
      isFallback,
      fallbackReason: why?.reason ?? null,
      note: notes.length > 0 ? notes.join('; ') : null,
    });
  }

  // Exceptions: preemptions in the order they happened, then bumps per campaign.
  const preemptionExceptions = preemptions.map(({ victim, by, avail }): LogException => {
    const slot = avails[avail]!.slot;
    const movedTo = victim.avail >= 0 ? avails[victim.avail]!.slot : null;
    const outcome = movedTo ? `the spot moved to the ${hourLabel(movedTo.hour)} hour` : 'the spot was bumped';
    return {
      kind: 'spot_preempted',
      severity: 'warning',
      hour: slot.hour,
      hourIndex: slot.hourIndex,
      slotKey: slot.key,
      message: `${by.plan.label} (priority ${by.plan.campaign.priority}) preempted ${victim.plan.label} (priority ${victim.plan.campaign.priority}) in the ${hourLabel(slot.hour)} hour; ${outcome}.`,
      details: { campaignId: victim.plan.campaign.id, byCampaignId: by.plan.campaign.id, slotKey: slot.key, movedToSlotKey: movedTo?.key ?? null },
    };
  });
  const bumped: BumpedSpots[] = [];
  const bumpExceptions: LogException[] = [];
  for (const [campaignId, reasons] of bumps) {
    let count = 0;
    const words: string[] = [];
    for (const [reason, n] of reasons) {
      bumped.push({ campaignId, count: n, reason });
      count += n;
      words.push(`${n} ${reason}`);
    }
    const campaign = campaignsById.get(campaignId);
    const label = campaign ? campaignLabel(campaign) : `Campaign ${campaignId}`;
    bumpExceptions.push({
      kind: 'spot_bumped',
      severity: 'warning',
      hour: null,
      hourIndex: null,
      slotKey: null,
      message: `${label}: ${count} ${count === 1 ? 'spot' : 'spots'} bumped (${words.join('; ')}).`,
      details: { campaignId, count, reasons: Object.fromEntries(reasons) },
    });
  }

  return {
    slots: slots.map((slot, index) => {
      const fill = fills.get(index);
      return fill ? { ...slot, fill } : slot;
    }),
    exceptions: [...preemptionExceptions, ...bumpExceptions, ...exceptions],
    bumped,
  };
}

// ---------------------------------------------------------------------------------------------
// The day's avails and breaks

function collectAvails(slots: Slot[], hourByIndex: Map<number, BroadcastHour>, campaignsById: Map<string, EngineCampaign>): { avails: Avail[]; breaks: BreakState[] } {
  // A break: the ADV/PSA slots of one hour with the same breakIndex (a slot without one stands alone).
  const breakIds = new Map<string, number>();
  const members: { index: number; slot: Slot }[][] = [];
  slots.forEach((slot, index) => {
    if (slot.type !== 'ADV' && slot.type !== 'PSA') return;
    const key = slot.breakIndex === null ? `slot:${slot.key}` : `${slot.hourIndex}:${slot.breakIndex}`;
    let id = breakIds.get(key);
    if (id === undefined) {
      id = members.length;
      breakIds.set(key, id);
      members.push([]);
    }
    members[id]!.push({ index, slot });
  });

  const breaks: BreakState[] = members.map(() => ({ advertisers: [], categories: [] }));
  const availParts: Omit<Avail, 'hourFraction'>[] = [];
  members.forEach((list, breakId) => {
    list.sort((a, b) => (a.slot.breakPosition ?? a.slot.order) - (b.slot.breakPosition ?? b.slot.order) || a.slot.order - b.slot.order);
    list.forEach(({ index, slot }, rank) => {
      // Spots already in the break (put there before traffic ran) count for separation.
      if (slot.type === 'ADV' && slot.fill?.campaignId) {
        const campaign = campaignsById.get(slot.fill.campaignId);
        if (campaign) {
          breaks[breakId]!.advertisers.push(campaign.advertiserId);
          breaks[breakId]!.categories.push(campaign.categoryCode);
        }
      }
      if (slot.type !== 'ADV' || slot.fill !== null) return;
      const positionClass: PositionClass = rank === 0 ? 0 : rank === list.length - 1 ? 2 : 1;
      availParts.push({ slotIndex: index, slot, hourIndex: slot.hourIndex, hourDayparts: hourByIndex.get(slot.hourIndex)?.daypartIds ?? [], breakId, positionClass, spot: null });
    });
  });

  availParts.sort((a, b) => a.hourIndex - b.hourIndex || a.slot.order - b.slot.order || a.slotIndex - b.slotIndex);
  // A break is one moment of the hour: its avails share a time, (rank of the break + ½) / breaks.
  const breaksInHour = new Map<number, number[]>();
  for (const a of availParts) {
    const list = breaksInHour.get(a.hourIndex) ?? [];
    if (!list.includes(a.breakId)) list.push(a.breakId);
    breaksInHour.set(a.hourIndex, list);
  }
  const avails: Avail[] = availParts.map((a) => {
    const list = breaksInHour.get(a.hourIndex)!;
    return { ...a, hourFraction: (list.indexOf(a.breakId) + 0.5) / list.length };
  });
  return { avails, breaks };
}

/** Competitive separation: may `campaign` join the break (once `leaving`, if any, is taken out)? */
function separated(state: BreakState, campaign: EngineCampaign, leaving: EngineCampaign | null): boolean {
  let sameAdvertiser = leaving?.advertiserId === campaign.advertiserId ? -1 : 0;
  for (const advertiser of state.advertisers) if (advertiser === campaign.advertiserId) sameAdvertiser++;
  if (sameAdvertiser > 0) return false;
  if (campaign.categoryCode === null) return true;
  let sameCategory = leaving?.categoryCode === campaign.categoryCode ? -1 : 0;
  for (const category of state.categories) if (category === campaign.categoryCode) sameCategory++;
  return sameCategory <= 0;
}

/** First index whose value is ≥ x in a non-decreasing list. */
function lowerBound(values: number[], x: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (values[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

// ---------------------------------------------------------------------------------------------
// Campaigns

function planCampaign(campaign: EngineCampaign, order: number, inputs: BuildInputs, library: Map<string, EngineTrack>, eligibility: Eligibility, hourSpan: number): Plan {
  const copies: Plan['copies'] = [];
  for (const copy of campaign.copy) {
    const track = library.get(copy.trackId);
    if (!track || track.type !== 'ADV') continue;
    if (copy.startsOn !== null && copy.startsOn > inputs.date) continue;
    if (copy.endsOn !== null && copy.endsOn < inputs.date) continue;
    copies.push({ copy, track });
  }
  return {
    campaign,
    label: campaignLabel(campaign),
    copies,
    eligibility,
    spotsInHour: new Int32Array(hourSpan),
    positionUse: [0, 0, 0],
    tie: createRandom(inputs.seed, `traffic:tie:${campaign.id}`)(),
    order,
    spotsToday: 0,
  };
}

/** The avails a campaign may take: hours in its dayparts, avails not reserved for another product category. */
function eligibilityOf(campaign: EngineCampaign, avails: Avail[], hours: BroadcastHour[]): Eligibility {
  const allowedHours = new Set(hours.filter((h) => allowedIn(campaign.daypartIds, h.daypartIds)).map((h) => h.index));
  const eligible: number[] = [];
  const units: number[] = [];
  let availsInHours = 0;
  let hourCount = 0;
  let lastHour = Number.NaN;
  avails.forEach((avail, i) => {
    if (!allowedHours.has(avail.hourIndex)) return;
    availsInHours++;
    if (avail.slot.categoryCode !== null && avail.slot.categoryCode !== campaign.categoryCode) return;
    if (avail.hourIndex !== lastHour) {
      hourCount++;
      lastHour = avail.hourIndex;
    }
    eligible.push(i);
    units.push(hourCount - 1 + avail.hourFraction);
  });
  return { avails: eligible, units, hourCount, availsInHours, airsToday: allowedHours.size > 0, free: eligible.length };
}

/** Spots per day when set; else what is left of spots per week, spread over the days left of the ISO week in the flight. */
function quotaToday(campaign: EngineCampaign, today: number, daypartsById: Map<string, EngineDaypart>): number {
  if (campaign.spotsPerDay !== null) return Math.max(0, Math.floor(campaign.spotsPerDay));
  if (campaign.spotsPerWeek === null) return 0;
  const remaining = Math.max(0, campaign.spotsPerWeek - campaign.placedThisWeek);
  if (remaining === 0) return 0;
  const last = Math.min(today + 7 - isoWeekday(today), dayNumber(campaign.endsOn));
  let days = 1;
  for (let day = today + 1; day <= last; day++) if (airsOnWeekday(campaign, isoWeekday(day), daypartsById)) days++;
  return Math.ceil(remaining / days);
}

/** Does one of the campaign's dayparts fall on this weekday? (Days it cannot air do not share its weekly spots.) */
function airsOnWeekday(campaign: EngineCampaign, weekday: number, daypartsById: Map<string, EngineDaypart>): boolean {
  if (campaign.daypartIds.length === 0) return true;
  const known = campaign.daypartIds.flatMap((id) => daypartsById.get(id) ?? []);
  if (known.length === 0) return true;
  const previous = weekday === 1 ? 7 : weekday - 1;
  return known.some((d) => d.weekdays.includes(weekday) || (d.endMinute < d.startMinute && d.endMinute > 0 && d.weekdays.includes(previous)));
}

/** 0 … n−1 in an order where every prefix is spread over the range (the middle, then the gaps). */
function spreadOrder(n: number): number[] {
  if (n <= 0) return [];
  const order = [Math.floor((n - 1) / 2)];
  const distance = Array.from({ length: n }, (_, k) => Math.abs(k - order[0]!));
  while (order.length < n) {
    let best = -1;
    for (let k = 0; k < n; k++) if (distance[k]! > 0 && (best < 0 || distance[k]! > distance[best]!)) best = k;
    order.push(best);
    for (let k = 0; k < n; k++) distance[k] = Math.min(distance[k]!, Math.abs(k - best));
  }
  return order;
}

function campaignLabel(campaign: EngineCampaign): string {
  return `${campaign.advertiserName} — ${campaign.name}`;
}

// ---------------------------------------------------------------------------------------------
// PSAs and the fallback

function fallbackReason(slot: Slot, hourDayparts: string[], copyMissing: Plan[], expired: EngineCampaign[]): { reason: FallbackReason; note: string } {
  const fits = (campaign: EngineCampaign): boolean =>
    (slot.categoryCode === null || campaign.categoryCode === slot.categoryCode) && allowedIn(campaign.daypartIds, hourDayparts);
  // An order that should be on air today but has no copy is the most urgent reason: name it first.
  const noCopy = copyMissing.find((plan) => fits(plan.campaign));
  if (noCopy) return { reason: 'copy_missing', note: `PSA: ${noCopy.label} has no copy that may air today` };
  let latest: EngineCampaign | null = null;
  for (const campaign of expired) if (fits(campaign) && (!latest || campaign.endsOn > latest.endsOn)) latest = campaign;
  if (latest) return { reason: 'campaign_expired', note: `PSA: ${possessive(latest.advertiserName)} campaign ended ${latest.endsOn}` };
  return { reason: 'no_sale', note: slot.categoryCode === null ? 'PSA: avail not sold' : `PSA: avail for ${slot.categoryCode} not sold` };
}

/** Least recently used PSA (or other fallback type) of a category, then of any; yesterday's plays count. */
function psaPicker(inputs: BuildInputs, library: Map<string, EngineTrack>) {
  const byType = new Map<TrackType, EngineTrack[]>();
  for (const track of library.values()) {
    if (track.type === 'MUS' || track.type === 'ADV' || track.type === 'VT') continue;
    const list = byType.get(track.type) ?? [];
    list.push(track);
    byType.set(track.type, list);
  }
  const rank = new Map<string, number>();
  const random = createRandom(inputs.seed, 'traffic:psa');
  for (const list of byType.values()) for (const track of list) rank.set(track.id, random());
  // Last use: yesterday's plays in air order (negative), then today's picks (0, 1, 2 …).
  const lastUsed = new Map<string, number>();
  const history = inputs.history.filter((play) => rank.has(play.trackId)).sort((a, b) => a.startsAt - b.startsAt);
  history.forEach((play, i) => lastUsed.set(play.trackId, i - history.length));
  let uses = 0;

  const choose = (tracks: EngineTrack[]): EngineTrack | null => {
    let best: EngineTrack | null = null;
    let bestUsed = Infinity;
    let bestRank = Infinity;
    for (const track of tracks) {
      const used = lastUsed.get(track.id) ?? -Infinity;
      const r = rank.get(track.id) ?? 0;
      if (used < bestUsed || (used === bestUsed && r < bestRank)) {
        best = track;
        bestUsed = used;
        bestRank = r;
      }
    }
    return best;
  };

  return {
    pick(type: TrackType, categoryCode: string | null, hourDayparts: string[]): { track: EngineTrack } | null {
      for (const t of type === 'PSA' ? ['PSA' as const] : [type, 'PSA' as const]) {
        const all = byType.get(t) ?? [];
        if (all.length === 0) continue;
        const inDaypart = all.filter((track) => allowedIn(track.daypartIds, hourDayparts));
        const pool = inDaypart.length > 0 ? inDaypart : all;
        const ofCategory = categoryCode === null ? [] : pool.filter((track) => track.categoryCodes.includes(categoryCode));
        const track = choose(ofCategory.length > 0 ? ofCategory : pool);
        if (track) {
          lastUsed.set(track.id, uses++);
          return { track };
        }
      }
      return null;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Calendar

function dayNumber(date: string): number {
  const [y, m, d] = date.split('-').map(Number);
  return Math.round(Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1) / DAY_MS);
}

/** ISO weekday (1 = Monday) of a day number (days since 1970-01-01, a Thursday). */
function isoWeekday(day: number): number {
  return ((((day + 3) % 7) + 7) % 7) + 1;
}

function fractionalPart(x: number): number {
  return x - Math.floor(x);
}

/** "Rainbow Motors" → "Rainbow Motors'", "City Bank" → "City Bank's". */
function possessive(name: string): string {
  return /s$/i.test(name) ? `${name}'` : `${name}'s`;
}

function hourLabel(hour: number): string {
  return `${String(hour).padStart(2, '0')}:00`;
}

