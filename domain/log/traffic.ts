// Traffic (docs/log-rules.md §2) and the ADV → PSA fallback (§3): fills the day's avails with
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
// - Avails still empty get a PSA (§3), as do PSA elements: same category first, least
//   recently used (yesterday's log counts), seeded ties.
//
// A heavily oversold day asks for several times more spots than there are avails, so most spots
// fail every search: the searches keep to indexes (the day's free avails, regular spots by
// priority, free avails nobody could use) and remember a campaign's failed searches until the
// placement changes, so a bumped spot costs little. They find exactly what a scan of all the
// campaign's avails would.
import { airsOnWeekday, allowedIn } from './dayparts.js';
import { indexLibrary, tracksOfType, type LibraryIndex } from './library-index.js';
import { createRandom, weightedIndex } from './random.js';
import type { BroadcastHour, BuildInputs, EngineCampaign, EngineCampaignCopy, EngineDaypart, EngineMakeGood, EngineTrack, LogException, Slot, SlotFill } from './types.js';
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
  wantedDaypartFull: 'no avail left in the daypart wanted for it',
  separation: 'competitive separation',
} as const;

/** Rounds a campaign's regular spots are placed in (see the top of the file). */
const ROUNDS = 4;
/** Score added per spot the campaign already has in the hour: a second spot in an hour only when nothing else is free. */
const SAME_HOUR_PENALTY = 1000;
/** Score (in hours of distance from the target) added per earlier use of a break position. */
const POSITION_WEIGHT = 0.3;
/** A spot's search looks at just the day's free avails when at most 1/FEW_FREE of its avails are free. */
const FEW_FREE = 4;
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
  /** Where each of the day's avails sits in `avails` (−1: not eligible). */
  positionOf: Int32Array;
  /** How many of the avails are free right now. */
  free: number;
  /** The campaigns with spots to place that share these avails … */
  plans: Plan[];
  /** … and how many of them there are per advertiser, per product category and per both. */
  perAdvertiser: Map<string, number>;
  perCategory: Map<string, number>;
  perBoth: Map<string, Map<string, number>>;
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
  /** The placement state (see `version`) in which no spot of this campaign found a free avail … */
  noFreeAt: number;
  /** … or could make room by moving another … */
  noMoveAt: number;
  /** … or could preempt one: nothing has changed since, so the search would find nothing again. */
  noVictimAt: number;
  /** Index of the campaign's priority among the distinct priorities of the day, lowest first. */
  level: number;
  /** Where the campaign's spots could move to, as of `movesAt`: −1 nowhere, −2 several breaks, else the one break. */
  moves: number;
  movesAt: number;
}

interface Spot {
  plan: Plan;
  makeGoodId: string | null;
  /** A make-good traffic wants in a daypart takes an avail only in that daypart's hours. */
  daypartId: string | null;
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

/** The share of a day's ADV avails make-goods may take when the station does not say (percent). */
export const DEFAULT_MAKE_GOOD_SHARE_PERCENT = 25;

/**
 * Places the day's campaign spots in the ADV avails (slots of type ADV not yet filled), gives
 * every remaining avail and every PSA element a PSA, and reports preempted and bumped spots.
 * Pure and deterministic: the same inputs and seed give the same traffic.
 */
export function placeTraffic(inputs: BuildInputs, hours: BroadcastHour[], slots: Slot[]): TrafficResult {
  const today = dayNumber(inputs.date);
  const hourByIndex = new Map<number, BroadcastHour>();
  for (const hour of hours) hourByIndex.set(hour.index, hour);
  const labelOf = (slot: Slot) => hourByIndex.get(slot.hourIndex)?.label ?? hourLabel(slot.hour);
  const library = indexLibrary(inputs.library);
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

  // Make-goods by campaign, in the order they were given (those wanted today first, then the
  // oldest): never more than the station's share of the day's avails, so paid spots keep their
  // room — but at least one while the share is not 0, so a day with few avails still makes
  // good; the others stay owed for a later day.
  const share = inputs.station.makeGoodSharePercent ?? DEFAULT_MAKE_GOOD_SHARE_PERCENT;
  const makeGoodRoom = share > 0 ? Math.max(1, Math.floor((avails.length * share) / 100)) : 0;
  const inFlight = new Set(inputs.campaigns.filter((c) => c.status === 'active' && c.startsOn <= inputs.date && inputs.date <= c.endsOn).map((c) => c.id));
  const heldForLater = new Set(
    inputs.makeGoods
      .filter((m) => inFlight.has(m.campaignId))
      .slice(makeGoodRoom)
      .map((m) => m.id),
  );
  const makeGoodsByCampaign = new Map<string, EngineMakeGood[]>();
  for (const makeGood of inputs.makeGoods) {
    if (heldForLater.has(makeGood.id)) continue;
    const list = makeGoodsByCampaign.get(makeGood.campaignId) ?? [];
    list.push(makeGood);
    makeGoodsByCampaign.set(makeGood.campaignId, list);
  }

  // Campaigns: who may air today, and what each owes.
  const plans: Plan[] = [];
  const spots: Spot[] = [];
  const copyMissing: Plan[] = [];
  const expired: EngineCampaign[] = [];
  const eligibilityCache = new Map<string, Eligibility>();
  const hoursKeyByDayparts = new Map<string, string>();
  const reservedCategories = new Set<string>();
  for (const avail of avails) if (avail.slot.categoryCode !== null) reservedCategories.add(avail.slot.categoryCode);
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
    // Campaigns whose dayparts allow the same hours and whose category has the same avails
    // reserved for it (none, for most) may take the same avails: they share one eligibility.
    const daypartKey = campaign.daypartIds.length === 0 ? '' : JSON.stringify(campaign.daypartIds);
    let hoursKey = hoursKeyByDayparts.get(daypartKey);
    if (hoursKey === undefined) hoursKeyByDayparts.set(daypartKey, (hoursKey = hours.map((h) => (allowedIn(campaign.daypartIds, h.daypartIds) ? '1' : '0')).join('')));
    const category = campaign.categoryCode !== null && reservedCategories.has(campaign.categoryCode) ? campaign.categoryCode : null;
    const eligibilityKey = category === null ? hoursKey : `${hoursKey}:${category}`;
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
    addPlan(eligibility, plan);
    // Targets evenly spaced over the campaign's hours; the phase rotates from day to day.
    const phase = fractionalPart(createRandom(inputs.seed, `traffic:phase:${campaign.id}`)() + today * GOLDEN);
    const spread = spreadOrder(n);
    spread.forEach((k, j) => {
      const isMakeGood = j < makeGoods.length;
      const r = j - makeGoods.length;
      spots.push({
        plan,
        makeGoodId: isMakeGood ? (makeGoods[j]?.id ?? null) : null,
        daypartId: isMakeGood ? (makeGoods[j]?.daypartId ?? null) : null,
        target: ((k + phase) * eligibility.hourCount) / n,
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
  /** The day's free avails, in no particular order, and where each sits in the list (−1: taken). */
  const freeList = avails.map((_, index) => index);
  const freeAt = Int32Array.from(freeList);
  /** Counts changes to who sits where: a search that failed in one version fails again until it changes. */
  let version = 0;
  /** The same per break (separation depends on nothing else). */
  const breakVersion = new Int32Array(breaks.length);
  const lowestPriority = plans.reduce((min, plan) => Math.min(min, plan.campaign.priority), Infinity);
  // Regular spots in place by priority, for preemption: `holding[level]` lists the avails held by
  // spots of the level-th lowest priority (in no particular order); `holdingAt` where each sits.
  const levels = [...new Set(plans.map((plan) => plan.campaign.priority))].sort((a, b) => a - b);
  const levelOf = new Map(levels.map((priority, level) => [priority, level]));
  for (const plan of plans) plan.level = levelOf.get(plan.campaign.priority) ?? 0;
  const holding: number[][] = levels.map(() => []);
  const holdingAt = new Int32Array(avails.length).fill(-1);

  /** Removes `index` from an unordered list whose positions `at` keeps. */
  const removeAt = (list: number[], at: Int32Array, index: number): void => {
    const position = at[index]!;
    const last = list.pop()!;
    if (last !== index) {
      list[position] = last;
      at[last] = position;
    }
    at[index] = -1;
  };
  const addAt = (list: number[], at: Int32Array, index: number): void => {
    at[index] = list.length;
    list.push(index);
  };

  const occupy = (spot: Spot, index: number): void => {
    const avail = avails[index]!;
    const plan = spot.plan;
    const campaign = plan.campaign;
    const state = breaks[avail.breakId]!;
    avail.spot = spot;
    spot.avail = index;
    version++;
    breakVersion[avail.breakId]!++;
    removeAt(freeList, freeAt, index);
    for (const group of groupsOfAvail[index]!) group.free--;
    if (spot.makeGoodId === null) addAt(holding[plan.level]!, holdingAt, index);
    state.advertisers.push(campaign.advertiserId);
    state.categories.push(campaign.categoryCode);
    plan.spotsInHour[avail.hourIndex]!++;
    plan.positionUse[avail.positionClass]++;
  };
  const vacate = (spot: Spot): void => {
    const index = spot.avail;
    const avail = avails[index]!;
    const plan = spot.plan;
    const campaign = plan.campaign;
    const state = breaks[avail.breakId]!;
    avail.spot = null;
    spot.avail = -1;
    version++;
    breakVersion[avail.breakId]!++;
    addAt(freeList, freeAt, index);
    for (const group of groupsOfAvail[index]!) group.free++;
    if (spot.makeGoodId === null) removeAt(holding[plan.level]!, holdingAt, index);
    state.advertisers.splice(state.advertisers.indexOf(campaign.advertiserId), 1);
    state.categories.splice(state.categories.indexOf(campaign.categoryCode), 1);
    plan.spotsInHour[avail.hourIndex]!--;
    plan.positionUse[avail.positionClass]--;
  };
  /** Distance from the target (in hours) plus what the campaign already has in that hour and break position. */
  const penalty = (plan: Plan, avail: Avail): number =>
    SAME_HOUR_PENALTY * plan.spotsInHour[avail.hourIndex]! + POSITION_WEIGHT * plan.positionUse[avail.positionClass];
  /** How far avail `index` (one of the plan's eligible avails) is from the target, in the plan's hour units. */
  const distanceOf = (group: Eligibility, index: number, target: number): number => {
    const unit = group.units[group.positionOf[index]!]!;
    return unit < target ? target - unit : unit - target;
  };

  /**
   * The free avail with the lowest score for `spot` (ties: the earliest), −1 if none. Score ≥
   * distance, so when many of its avails are free the search goes outwards from the target and
   * stops once the distance alone exceeds the best score; when few are (a sold-out day), it
   * looks at just the day's free avails.
   */
  const bestFree = (spot: Spot, skipBreak: number): number => {
    const plan = spot.plan;
    const group = plan.eligibility;
    const { avails: eligible, units } = group;
    const campaign = plan.campaign;
    const target = spot.target;
    let best = -1;
    let bestScore = Infinity;
    if (group.free === 0) return best;
    if (group.free * FEW_FREE <= eligible.length) {
      for (let k = 0, seen = 0; k < freeList.length && seen < group.free; k++) {
        const index = freeList[k]!;
        if (group.positionOf[index]! < 0) continue;
        seen++;
        const distance = distanceOf(group, index, target);
        if (distance > bestScore) continue;
        const avail = avails[index]!;
        if (avail.breakId === skipBreak || !separated(breaks[avail.breakId]!, campaign, null)) continue;
        if (spot.daypartId !== null && !avail.hourDayparts.includes(spot.daypartId)) continue;
        const score = distance + penalty(plan, avail);
        if (score < bestScore || (score === bestScore && index < best)) {
          bestScore = score;
          best = index;
        }
      }
      return best;
    }
    const start = lowerBound(units, target);
    for (let lo = start - 1, hi = start; lo >= 0 || hi < eligible.length; ) {
      const dLo = lo >= 0 ? target - units[lo]! : Infinity;
      const dHi = hi < eligible.length ? units[hi]! - target : Infinity;
      const i = dLo <= dHi ? lo-- : hi++;
      const distance = Math.min(dLo, dHi);
      if (distance > bestScore) break;
      const index = eligible[i]!;
      const avail = avails[index]!;
      if (avail.spot || avail.breakId === skipBreak || !separated(breaks[avail.breakId]!, campaign, null)) continue;
      if (spot.daypartId !== null && !avail.hourDayparts.includes(spot.daypartId)) continue;
      const score = distance + penalty(plan, avail);
      if (score < bestScore || (score === bestScore && index < best)) {
        bestScore = score;
        best = index;
      }
    }
    return best;
  };

  /** Could a spot of `plan` move to a free avail outside break `leaving`? (Then `bestFree` finds one.) */
  const canMove = (plan: Plan, leaving: number): boolean => {
    if (plan.movesAt !== version) {
      let where = -1;
      const group = plan.eligibility;
      for (let k = 0, seen = 0; k < freeList.length && seen < group.free; k++) {
        const index = freeList[k]!;
        if (group.positionOf[index]! < 0) continue;
        seen++;
        const breakId = avails[index]!.breakId;
        if (breakId === where || !separated(breaks[breakId]!, plan.campaign, null)) continue;
        if (where !== -1) {
          where = -2;
          break;
        }
        where = breakId;
      }
      plan.moves = where;
      plan.movesAt = version;
    }
    return plan.moves === -2 || (plan.moves >= 0 && plan.moves !== leaving);
  };

  /**
   * May some campaign with spots take free avail `index`, as its break stands? (Often not on a
   * sold-out day: an avail reserved for a category whose break already has a spot of it.)
   */
  const usedAt = new Int32Array(avails.length).fill(-1);
  const usable = new Uint8Array(avails.length);
  const ofUse = (index: number): boolean => {
    const breakId = avails[index]!.breakId;
    if (usedAt[index] !== breakVersion[breakId]) {
      usedAt[index] = breakVersion[breakId]!;
      usable[index] = groupsOfAvail[index]!.some((group) => group.plans.length > keptOut(group, breaks[breakId]!)) ? 1 : 0;
    }
    return usable[index] === 1;
  };
  /** Is any free avail of use to someone? If not, no spot can move to make room. */
  let anyOfUseAt = -1;
  let anyOfUse = false;
  const someFreeOfUse = (): boolean => {
    if (anyOfUseAt !== version) {
      anyOfUseAt = version;
      anyOfUse = freeList.some(ofUse);
    }
    return anyOfUse;
  };

  const placeOne = (spot: Spot, pending: Spot[]): void => {
    const plan = spot.plan;
    const campaign = plan.campaign;
    // (Whether a free avail, a spot to move or one to preempt exists does not depend on the
    // spot's target: a search that found none finds none for the campaign's other spots until
    // the placement changes.)
    if (spot.daypartId !== null) {
      // A make-good wanted in a daypart: a free avail there, or it stays owed for another day
      // (what fails for it says nothing about the campaign's other spots).
      const there = bestFree(spot, -1);
      if (there >= 0) occupy(spot, there);
      else bump(campaign.id, BUMP_REASONS.wantedDaypartFull);
      return;
    }
    const found = plan.noFreeAt === version ? -1 : bestFree(spot, -1);
    if (found >= 0) {
      occupy(spot, found);
      return;
    }
    plan.noFreeAt = version;
    // No free avail: move a spot that has room elsewhere in its own dayparts (nobody loses a
    // spot), the one nearest the target.
    if (plan.noMoveAt !== version && someFreeOfUse()) {
      const { avails: eligible, units } = plan.eligibility;
      const target = spot.target;
      const start = lowerBound(units, target);
      for (let lo = start - 1, hi = start; lo >= 0 || hi < eligible.length; ) {
        const dLo = lo >= 0 ? target - units[lo]! : Infinity;
        const dHi = hi < eligible.length ? units[hi]! - target : Infinity;
        const index = eligible[dLo <= dHi ? lo-- : hi++]!;
        const avail = avails[index]!;
        const holder = avail.spot;
        if (!holder || !canMove(holder.plan, avail.breakId)) continue;
        if (!separated(breaks[avail.breakId]!, campaign, holder.plan.campaign)) continue;
        const elsewhere = bestFree(holder, avail.breakId);
        if (elsewhere < 0) continue;
        vacate(holder);
        occupy(holder, elsewhere);
        occupy(spot, index);
        return;
      }
      plan.noMoveAt = version;
    }
    // Still nothing: preempt the lowest-priority regular spot there (nearest the target among
    // those, then the earliest), lowest priority level first.
    if (campaign.priority > lowestPriority && plan.noVictimAt !== version) {
      const group = plan.eligibility;
      let victimAvail = -1;
      let victimScore = Infinity;
      for (let level = 0; level < levels.length && levels[level]! < campaign.priority && victimAvail < 0; level++) {
        for (const index of holding[level]!) {
          if (group.positionOf[index]! < 0) continue;
          const avail = avails[index]!;
          if (!separated(breaks[avail.breakId]!, campaign, avail.spot!.plan.campaign)) continue;
          const score = distanceOf(group, index, spot.target) + penalty(plan, avail);
          if (score < victimScore || (score === victimScore && index < victimAvail)) {
            victimScore = score;
            victimAvail = index;
          }
        }
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
      plan.noVictimAt = version;
    }
    // Free avails it could not use (the state is as at the first search): separation, not a full day.
    bump(campaign.id, plan.eligibility.free > 0 ? BUMP_REASONS.separation : BUMP_REASONS.full);
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
    const why = isFallback ? fallbackReason(slot, hourDayparts, copyMissing, expired) : null;
    // The PSA stands in for the ad that would have aired: its category first, then the avail's.
    const categories = [why?.categoryCode ?? null, slot.categoryCode].filter((c, i, all): c is string => c !== null && all.indexOf(c) === i);
    const pick = psa.pick(wanted, categories, hourDayparts);
    if (!pick) {
      exceptions.push({
        kind: 'empty_slot',
        severity: 'error',
        hour: slot.hour,
        hourIndex: slot.hourIndex,
        slotKey: slot.key,
        message: isFallback
          ? `No spot and no PSA for the avail in the ${labelOf(slot)} hour: it will be dead air. Add PSAs to the library.`
          : `No PSA in the library for the PSA element in the ${labelOf(slot)} hour: it will be dead air.`,
        details: { slotKey: slot.key, slotType: slot.type, categoryCode: slot.categoryCode, fallbackReason: why?.reason ?? null },
      });
      continue;
    }
    const notes: string[] = [];
    if (why) notes.push(why.note);
    const wantedCategory = categories[0];
    if (wantedCategory !== undefined && !categories.some((c) => pick.track.categoryCodes.includes(c))) notes.push(`no ${wantedCategory} ${pick.track.type} in the library: any ${pick.track.type}`);
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
    const outcome = movedTo ? `the spot moved to the ${labelOf(movedTo)} hour` : 'the spot was bumped';
    return {
      kind: 'spot_preempted',
      severity: 'warning',
      hour: slot.hour,
      hourIndex: slot.hourIndex,
      slotKey: slot.key,
      message: `${by.plan.label} (priority ${by.plan.campaign.priority}) preempted ${victim.plan.label} (priority ${victim.plan.campaign.priority}) in the ${labelOf(slot)} hour; ${outcome}.`,
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
    const hourFraction = (list.indexOf(a.breakId) + 0.5) / list.length;
    return { slotIndex: a.slotIndex, slot: a.slot, hourIndex: a.hourIndex, hourDayparts: a.hourDayparts, breakId: a.breakId, positionClass: a.positionClass, hourFraction, spot: null };
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

/** How many of the group's campaigns competitive separation keeps out of the break. */
function keptOut(group: Eligibility, state: BreakState): number {
  const { advertisers, categories } = state;
  let count = 0;
  advertisers.forEach((advertiser, i) => {
    if (advertisers.indexOf(advertiser) === i) count += group.perAdvertiser.get(advertiser) ?? 0;
  });
  categories.forEach((category, j) => {
    if (category === null || categories.indexOf(category) !== j) return;
    count += group.perCategory.get(category) ?? 0;
    // Kept out by both advertiser and category: counted twice.
    advertisers.forEach((advertiser, i) => {
      if (advertisers.indexOf(advertiser) === i) count -= group.perBoth.get(advertiser)?.get(category) ?? 0;
    });
  });
  return count;
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

function planCampaign(campaign: EngineCampaign, order: number, inputs: BuildInputs, library: LibraryIndex, eligibility: Eligibility, hourSpan: number): Plan {
  const copies: Plan['copies'] = [];
  for (const copy of campaign.copy) {
    // Copy is an ADV track: a map of those alone (a library is mostly songs) is quicker to search.
    const track = library.derived('traffic:copy', () => new Map(tracksOfType(library, 'ADV').map((t) => [t.id, t]))).get(copy.trackId);
    if (!track) continue;
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
    noFreeAt: -1,
    noMoveAt: -1,
    noVictimAt: -1,
    level: 0,
    moves: -1,
    movesAt: -1,
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
  const positionOf = new Int32Array(avails.length).fill(-1);
  eligible.forEach((index, position) => (positionOf[index] = position));
  return { avails: eligible, units, hourCount, availsInHours, airsToday: allowedHours.size > 0, positionOf, free: eligible.length, plans: [], perAdvertiser: new Map(), perCategory: new Map(), perBoth: new Map() };
}

function addPlan(group: Eligibility, plan: Plan): void {
  const { advertiserId, categoryCode } = plan.campaign;
  group.plans.push(plan);
  group.perAdvertiser.set(advertiserId, (group.perAdvertiser.get(advertiserId) ?? 0) + 1);
  if (categoryCode === null) return;
  group.perCategory.set(categoryCode, (group.perCategory.get(categoryCode) ?? 0) + 1);
  let byCategory = group.perBoth.get(advertiserId);
  if (!byCategory) group.perBoth.set(advertiserId, (byCategory = new Map<string, number>()));
  byCategory.set(categoryCode, (byCategory.get(categoryCode) ?? 0) + 1);
}

/**
 * Spots per day when set; else what is left of spots per week, spread over the days left of the
 * ISO week in the flight. `today` is a day number (`dayNumber`). The avails projection
 * (domain/avails.ts) asks the same question for the days ahead.
 */
export function quotaToday(
  campaign: Pick<EngineCampaign, 'spotsPerDay' | 'spotsPerWeek' | 'placedThisWeek' | 'endsOn' | 'daypartIds'>,
  today: number,
  daypartsById: ReadonlyMap<string, EngineDaypart>,
): number {
  if (campaign.spotsPerDay !== null) return Math.max(0, Math.floor(campaign.spotsPerDay));
  if (campaign.spotsPerWeek === null) return 0;
  const remaining = Math.max(0, campaign.spotsPerWeek - campaign.placedThisWeek);
  if (remaining === 0) return 0;
  const last = Math.min(today + 7 - isoWeekday(today), dayNumber(campaign.endsOn));
  const known = campaign.daypartIds.flatMap((id) => daypartsById.get(id) ?? []);
  let days = 1;
  for (let day = today + 1; day <= last; day++) if (airsOnWeekday(known, isoWeekday(day))) days++;
  return Math.ceil(remaining / days);
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

/** Why an avail gets a PSA, and the product category of the order that would have aired there (if one would have). */
function fallbackReason(slot: Slot, hourDayparts: string[], copyMissing: Plan[], expired: EngineCampaign[]): { reason: FallbackReason; note: string; categoryCode: string | null } {
  const fits = (campaign: EngineCampaign): boolean =>
    (slot.categoryCode === null || campaign.categoryCode === slot.categoryCode) && allowedIn(campaign.daypartIds, hourDayparts);
  // An order that should be on air today but has no copy is the most urgent reason: name it first.
  const noCopy = copyMissing.find((plan) => fits(plan.campaign));
  if (noCopy) return { reason: 'copy_missing', note: `PSA: ${noCopy.label} has no copy that may air today`, categoryCode: noCopy.campaign.categoryCode };
  let latest: EngineCampaign | null = null;
  for (const campaign of expired) if (fits(campaign) && (!latest || campaign.endsOn > latest.endsOn)) latest = campaign;
  if (latest) return { reason: 'campaign_expired', note: `PSA: ${possessive(latest.advertiserName)} campaign ended ${latest.endsOn}`, categoryCode: latest.categoryCode };
  return { reason: 'no_sale', note: slot.categoryCode === null ? 'PSA: avail not sold' : `PSA: avail for ${slot.categoryCode} not sold`, categoryCode: null };
}

/** May the track stand in for an avail or fill a PSA element (a PSA, promo, ID …, not music, a spot or a voice track)? */
function isFallbackType(type: TrackType): boolean {
  return type !== 'MUS' && type !== 'ADV' && type !== 'VT';
}

/** Least recently used PSA (or other fallback type) of a category, then of any; yesterday's plays count. */
function psaPicker(inputs: BuildInputs, library: LibraryIndex) {
  const byType = new Map<TrackType, readonly EngineTrack[]>();
  for (const [type, list] of library.byType) if (isFallbackType(type)) byType.set(type, list);
  const rank = new Map<string, number>();
  const random = createRandom(inputs.seed, 'traffic:psa');
  for (const list of byType.values()) for (const track of list) rank.set(track.id, random());
  // Last use: yesterday's plays in air order (negative), then today's picks (0, 1, 2 …).
  const lastUsed = new Map<string, number>();
  const history = inputs.history.filter((play) => rank.has(play.trackId)).sort((a, b) => a.startsAt - b.startsAt);
  history.forEach((play, i) => lastUsed.set(play.trackId, i - history.length));
  let uses = 0;

  const choose = (tracks: readonly EngineTrack[]): EngineTrack | null => {
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

  // The tracks of a type to choose from: in the hour's dayparts if any (else all), of the
  // category if any (else all of those). Hours share their dayparts list, so most slots hit the cache.
  const pools = new Map<string[], Map<string, readonly EngineTrack[]>>();
  const poolOf = (all: readonly EngineTrack[], type: TrackType, categoryCode: string | null, hourDayparts: string[]): readonly EngineTrack[] => {
    let byKey = pools.get(hourDayparts);
    if (!byKey) pools.set(hourDayparts, (byKey = new Map<string, readonly EngineTrack[]>()));
    const key = categoryCode === null ? type : `${type}:${categoryCode}`;
    let pool = byKey.get(key);
    if (!pool) {
      const inDaypart = all.filter((track) => allowedIn(track.daypartIds, hourDayparts));
      const ofDaypart = inDaypart.length > 0 ? inDaypart : all;
      const ofCategory = categoryCode === null ? [] : ofDaypart.filter((track) => track.categoryCodes.includes(categoryCode));
      byKey.set(key, (pool = ofCategory.length > 0 ? ofCategory : ofDaypart));
    }
    return pool;
  };

  return {
    /** Of the first category that has one, else of any: `categories` in order of preference. */
    pick(type: TrackType, categories: string[], hourDayparts: string[]): { track: EngineTrack } | null {
      for (const t of type === 'PSA' ? ['PSA' as const] : [type, 'PSA' as const]) {
        const all = byType.get(t) ?? [];
        if (all.length === 0) continue;
        const categoryCode = categories.find((c) => poolOf(all, t, c, hourDayparts).some((track) => track.categoryCodes.includes(c))) ?? null;
        const track = choose(poolOf(all, t, categoryCode, hourDayparts));
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

/** Days since 1970-01-01 of a date 'YYYY-MM-DD'. */
export function dayNumber(date: string): number {
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

