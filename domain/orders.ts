// What an order (campaign) is worth and how its copy is identified, as the affidavit and the
// invoice print them. Money is integer cents with an ISO 4217 currency code, never a float;
// an agency's commission is a percent to the hundredth. Pure code, no I/O.

/** The agency commission an order gets when an agency is named and no percent is given. */
export const DEFAULT_AGENCY_COMMISSION_PERCENT = 15;
/** The station's currency until stations carry their own. */
export const DEFAULT_CURRENCY = 'USD';

export interface OrderMoney {
  /** Spots the figures are for (ordered, or aired). */
  spots: number;
  rateCents: number;
  currency: string;
  /** spots × rate */
  grossCents: number;
  /** gross × the agency's percent, rounded half up to the cent */
  commissionCents: number;
  /** gross − commission */
  netCents: number;
}

/**
 * Percent to the hundredth as an integer number of hundredths (15 → 1500, 12.5 → 1250), so the
 * arithmetic below never multiplies by a binary fraction.
 */
function hundredthsOf(percent: number): bigint {
  if (!Number.isFinite(percent) || percent < 0 || percent > 100) throw new RangeError(`a commission is 0–100 percent, not ${percent}`);
  const hundredths = Math.round(percent * 100);
  if (Math.abs(hundredths - percent * 100) > 1e-6) throw new RangeError(`a commission is given to the hundredth of a percent, not ${percent}`);
  return BigInt(hundredths);
}

/**
 * Gross, agency commission and net of `spots` spots at `rateCents` each. The commission is
 * rounded to the cent half up, as agencies bill (a commission of $1.125 is $1.13); the net is
 * what is left of the gross, so gross = commission + net to the cent.
 */
export function orderMoney(order: { spots: number; rateCents: number; commissionPercent: number; currency?: string }): OrderMoney {
  const { spots, rateCents } = order;
  if (!Number.isSafeInteger(spots) || spots < 0) throw new RangeError(`spots are a whole number of 0 or more, not ${spots}`);
  if (!Number.isSafeInteger(rateCents) || rateCents < 0) throw new RangeError(`a rate is whole cents of 0 or more, not ${rateCents}`);
  const gross = BigInt(spots) * BigInt(rateCents);
  // gross × hundredths / 10 000, half up: add half the divisor before the integer division.
  const commission = (gross * hundredthsOf(order.commissionPercent) + 5_000n) / 10_000n;
  const grossCents = Number(gross);
  if (!Number.isSafeInteger(grossCents)) throw new RangeError('the order is worth more than can be counted in cents');
  return { spots, rateCents, currency: order.currency ?? DEFAULT_CURRENCY, grossCents, commissionCents: Number(commission), netCents: Number(gross - commission) };
}

/** The commission an order carries: none without an agency; the default when one is named without a percent. */
export function agencyCommission(agency: string | null | undefined, percent: number | null | undefined): number {
  if (!agency) return 0;
  return percent ?? DEFAULT_AGENCY_COMMISSION_PERCENT;
}

/** Cents typed as dollars and cents ("1,250.5", "$80", "80.00") → 125050, 8000; null when it is not an amount. */
export function centsFromAmount(typed: string): number | null {
  const text = typed.trim().replace(/^\$/, '').replace(/,(?=\d{3}(\D|$))/g, '');
  const match = /^(\d{1,9})(?:\.(\d{1,2}))?$/.exec(text);
  if (!match) return null;
  return Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
}

/** 125050 → "1250.50" (no grouping: what a form field shows back). */
export function amountFromCents(cents: number): string {
  return `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
}

/** 125050, "USD" → "$1,250.50", in the given locale. */
export function formatMoney(cents: number, currency: string = DEFAULT_CURRENCY, locale = 'en-US'): string {
  return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(cents / 100);
}

// ---- ISCI and Ad-ID ---------------------------------------------------------------------

export type SpotCodeKind = 'ISCI' | 'Ad-ID';
export type SpotCodeCheck = { ok: true; code: string; kind: SpotCodeKind } | { ok: false; problem: string };

/**
 * Checks a copy's commercial code and returns it in upper case. Two systems are accepted:
 *
 * - **ISCI** (the industry's code before Ad-ID, still on many radio orders): 8 characters,
 *   a 4-letter prefix then 4 digits (`ABCD1234`).
 * - **Ad-ID** (ad-id.org, "What is an example of an Ad-ID code?" and "Components of an Ad-ID
 *   code"): 11 characters — a 4-character prefix of letters and/or digits that does not start
 *   with zero, then 7 letters or digits (`ABCD1234000`) — and a 12th character only for HD or
 *   3D video, `H` or `D` (`ABCD1234000H`).
 *
 * Spaces around the code are dropped and letters made upper case; anything else that does not
 * fit says which rule it breaks.
 */
export function checkSpotCode(typed: string): SpotCodeCheck {
  const code = typed.trim().toUpperCase();
  if (code === '') return { ok: false, problem: 'an ISCI or Ad-ID code cannot be empty (leave it out, or send null, when there is none)' };
  const bad = /[^A-Z0-9]/.exec(code);
  if (bad) return { ok: false, problem: `"${typed}" has "${bad[0]}": ISCI and Ad-ID codes are letters and digits only` };
  if (code.length === 8) {
    if (!/^[A-Z]{4}/.test(code)) return { ok: false, problem: `"${code}" is not an ISCI code: an ISCI code starts with 4 letters (its prefix)` };
    if (!/^[A-Z]{4}[0-9]{4}$/.test(code)) return { ok: false, problem: `"${code}" is not an ISCI code: after its 4-letter prefix an ISCI code has 4 digits` };
    return { ok: true, code, kind: 'ISCI' };
  }
  if (code.length === 11 || code.length === 12) {
    if (code.startsWith('0')) return { ok: false, problem: `"${code}" is not an Ad-ID: an Ad-ID prefix (its first 4 characters) cannot start with zero` };
    if (code.length === 12 && !/[HD]$/.test(code)) {
      return { ok: false, problem: `"${code}" is not an Ad-ID: an Ad-ID is 11 characters, and its 12th may only be H (HD video) or D (3D video)` };
    }
    return { ok: true, code, kind: 'Ad-ID' };
  }
  return { ok: false, problem: `"${code}" is ${code.length} characters: an ISCI code is 8 (4 letters, 4 digits), an Ad-ID 11 (12 with H or D for HD or 3D video)` };
}

/** Where an order stands, in the station's words: before, during or after its flight, or held. */
export const FLIGHT_STATES = ['upcoming', 'running', 'ended', 'paused', 'cancelled'] as const;
export type FlightState = (typeof FLIGHT_STATES)[number];

/** A paused or cancelled order says so whatever the date; otherwise the flight decides (`today` at the station). */
export function flightState(order: { status: string; startsOn: string; endsOn: string }, today: string): FlightState {
  if (order.status === 'paused' || order.status === 'cancelled') return order.status;
  if (today < order.startsOn) return 'upcoming';
  return today > order.endsOn ? 'ended' : 'running';
}

export interface DeliveryDay {
  date: string;
  /** Spots the order asked for by the end of this day (spots per week: a seventh a day). */
  orderedToDate: number;
  placed: number;
  aired: number;
  placedToDate: number;
  airedToDate: number;
}

/**
 * An order's delivery over its flight, day by day: what it asked for by each day against what
 * the logs placed and the as-run shows aired, cumulative, as the campaign page draws it. The
 * flight's total ordered is the same as the campaign's `delivery.ordered` (rounded up).
 */
export function deliveryOverFlight(
  order: { startsOn: string; endsOn: string; spotsPerDay: number | null; spotsPerWeek: number | null },
  placed: ReadonlyMap<string, number>,
  aired: ReadonlyMap<string, number>,
): DeliveryDay[] {
  const days: DeliveryDay[] = [];
  let placedToDate = 0;
  let airedToDate = 0;
  const perDay = order.spotsPerDay ?? (order.spotsPerWeek ?? 0) / 7;
  let n = 0;
  for (let day = Date.parse(`${order.startsOn}T00:00:00Z`), end = Date.parse(`${order.endsOn}T00:00:00Z`); day <= end; day += 86_400_000) {
    const date = new Date(day).toISOString().slice(0, 10);
    n++;
    const p = placed.get(date) ?? 0;
    const a = aired.get(date) ?? 0;
    placedToDate += p;
    airedToDate += a;
    // Whole spots: what is owed by the end of the day, rounded up as the flight's total is.
    days.push({ date, orderedToDate: Math.ceil(perDay * n - 1e-9), placed: p, aired: a, placedToDate, airedToDate });
  }
  return days;
}
