// What an order is worth on the affidavit, the codes its copy carries, where it stands and how it delivers.
import { describe, expect, it } from 'vitest';
import { agencyCommission, amountFromCents, centsFromAmount, checkSpotCode, deliveryOverFlight, flightState, formatMoney, orderMoney } from '../../domain/orders.js';

describe('an order’s gross, commission and net', () => {
  it('forty spots at $80.00 through an agency at 15%: $3,200.00 gross, $480.00 commission, $2,720.00 net', () => {
    expect(orderMoney({ spots: 40, rateCents: 8_000, commissionPercent: 15 })).toEqual({
      spots: 40,
      rateCents: 8_000,
      currency: 'USD',
      grossCents: 320_000,
      commissionCents: 48_000,
      netCents: 272_000,
    });
  });

  it('a direct order (no agency) pays no commission: net is gross', () => {
    const money = orderMoney({ spots: 7, rateCents: 1_999, commissionPercent: agencyCommission(null, 15) });
    expect(money).toMatchObject({ grossCents: 13_993, commissionCents: 0, netCents: 13_993 });
  });

  it('rounds the commission to the cent half up, as agencies bill: 15% of $7.50 is $1.125 → $1.13', () => {
    expect(orderMoney({ spots: 1, rateCents: 750, commissionPercent: 15 })).toMatchObject({ grossCents: 750, commissionCents: 113, netCents: 637 });
    // Just under the half goes down: 15% of $7.49 is $1.1235 → $1.12.
    expect(orderMoney({ spots: 1, rateCents: 749, commissionPercent: 15 })).toMatchObject({ commissionCents: 112, netCents: 637 });
  });

  it('takes a commission to the hundredth of a percent without binary fractions: 12.5% of $33.33 × 3 is $12.49875 → $12.50', () => {
    expect(orderMoney({ spots: 3, rateCents: 3_333, commissionPercent: 12.5 })).toMatchObject({ grossCents: 9_999, commissionCents: 1_250, netCents: 8_749 });
    // 0.29 × 100 is 28.999999999999996 in floating point; the commission still is 0.29%.
    expect(orderMoney({ spots: 1, rateCents: 1_000_000, commissionPercent: 0.29 })).toMatchObject({ commissionCents: 2_900 });
  });

  it('gross always equals commission plus net, for a whole year of spots at a large rate', () => {
    const money = orderMoney({ spots: 200 * 366, rateCents: 99_999_999, commissionPercent: 17.65 });
    expect(money.grossCents).toBe(200 * 366 * 99_999_999);
    expect(money.commissionCents + money.netCents).toBe(money.grossCents);
  });

  it('refuses what no order can be: negative or fractional cents, a commission over 100%', () => {
    expect(() => orderMoney({ spots: 1, rateCents: -1, commissionPercent: 0 })).toThrow(/rate/);
    expect(() => orderMoney({ spots: 1, rateCents: 10.5, commissionPercent: 0 })).toThrow(/rate/);
    expect(() => orderMoney({ spots: -2, rateCents: 100, commissionPercent: 0 })).toThrow(/spots/);
    expect(() => orderMoney({ spots: 1, rateCents: 100, commissionPercent: 101 })).toThrow(/0–100/);
    expect(() => orderMoney({ spots: 1, rateCents: 100, commissionPercent: 15.125 })).toThrow(/hundredth/);
  });

  it('an agency named without a percent gets the usual 15%; no agency, nothing', () => {
    expect(agencyCommission('Desert Media', undefined)).toBe(15);
    expect(agencyCommission('Desert Media', 10)).toBe(10);
    expect(agencyCommission(null, 10)).toBe(0);
    expect(agencyCommission('', undefined)).toBe(0);
  });
});

describe('money typed and shown', () => {
  it('reads dollars and cents as typed into a form', () => {
    expect(centsFromAmount('80')).toBe(8_000);
    expect(centsFromAmount('80.5')).toBe(8_050);
    expect(centsFromAmount(' $1,250.05 ')).toBe(125_005);
    expect(centsFromAmount('0.07')).toBe(7);
    for (const bad of ['', '-5', '12.345', 'ten', '1.2.3', '1e3']) expect(centsFromAmount(bad)).toBeNull();
  });

  it('shows cents back as an amount and as money', () => {
    expect(amountFromCents(125_005)).toBe('1250.05');
    expect(amountFromCents(7)).toBe('0.07');
    expect(formatMoney(320_000)).toBe('$3,200.00');
    expect(formatMoney(113, 'CAD', 'en-CA')).toBe('$1.13');
  });
});

describe('ISCI and Ad-ID codes', () => {
  it('accepts an ISCI code (4 letters, 4 digits) and stores it in upper case', () => {
    expect(checkSpotCode('rbmo1234')).toEqual({ ok: true, code: 'RBMO1234', kind: 'ISCI' });
  });

  it('accepts an Ad-ID of 11 characters, and of 12 with H (HD) or D (3D); prefixes may hold digits', () => {
    expect(checkSpotCode('ABCD1234000')).toEqual({ ok: true, code: 'ABCD1234000', kind: 'Ad-ID' });
    expect(checkSpotCode(' abcd1234000h ')).toEqual({ ok: true, code: 'ABCD1234000H', kind: 'Ad-ID' });
    expect(checkSpotCode('ABCD45TEHJD')).toMatchObject({ ok: true, kind: 'Ad-ID' });
    expect(checkSpotCode('1A2B0001000')).toMatchObject({ ok: true, kind: 'Ad-ID' });
  });

  it('says which rule a bad code breaks', () => {
    const problem = (code: string) => {
      const check = checkSpotCode(code);
      return check.ok ? null : check.problem;
    };
    expect(problem('ABC12345')).toMatch(/ISCI code starts with 4 letters/);
    expect(problem('ABCD12X4')).toMatch(/4-letter prefix an ISCI code has 4 digits/);
    expect(problem('0BCD1234000')).toMatch(/prefix .* cannot start with zero/);
    expect(problem('ABCD1234000X')).toMatch(/12th may only be H .* or D/);
    expect(problem('ABCD-1234')).toMatch(/"-": ISCI and Ad-ID codes are letters and digits only/);
    expect(problem('ABCD123')).toMatch(/is 7 characters: an ISCI code is 8 .* an Ad-ID 11/);
    expect(problem('  ')).toMatch(/cannot be empty/);
  });
});

describe('where an order stands', () => {
  const order = { status: 'active', startsOn: '2026-12-01', endsOn: '2026-12-31' };
  it('is upcoming before its flight, running during it (both ends included) and ended after it', () => {
    expect(flightState(order, '2026-11-30')).toBe('upcoming');
    expect(flightState(order, '2026-12-01')).toBe('running');
    expect(flightState(order, '2026-12-31')).toBe('running');
    expect(flightState(order, '2027-01-01')).toBe('ended');
  });
  it('says paused or cancelled whatever the date (a finished flight is never "active")', () => {
    expect(flightState({ ...order, status: 'paused' }, '2026-12-10')).toBe('paused');
    expect(flightState({ ...order, status: 'cancelled' }, '2027-02-01')).toBe('cancelled');
  });
});

describe('delivery over the flight', () => {
  it('adds up day by day to what the order asked for and what the logs placed and the as-run aired', () => {
    const days = deliveryOverFlight({ startsOn: '2026-12-01', endsOn: '2026-12-03', spotsPerDay: 4, spotsPerWeek: null }, new Map([['2026-12-01', 4], ['2026-12-02', 3]]), new Map([['2026-12-01', 4], ['2026-12-02', 2]]));
    expect(days).toEqual([
      { date: '2026-12-01', orderedToDate: 4, placed: 4, aired: 4, placedToDate: 4, airedToDate: 4 },
      { date: '2026-12-02', orderedToDate: 8, placed: 3, aired: 2, placedToDate: 7, airedToDate: 6 },
      { date: '2026-12-03', orderedToDate: 12, placed: 0, aired: 0, placedToDate: 7, airedToDate: 6 },
    ]);
  });
  it('a weekly order owes a seventh a day, and the flight ends at the same total as the campaign’s ordered figure', () => {
    const days = deliveryOverFlight({ startsOn: '2026-12-01', endsOn: '2026-12-10', spotsPerDay: null, spotsPerWeek: 10 }, new Map(), new Map());
    expect(days.map((d) => d.orderedToDate)).toEqual([2, 3, 5, 6, 8, 9, 10, 12, 13, 15]);
    expect(days.at(-1)!.orderedToDate).toBe(Math.ceil((10 * 10) / 7));
  });
});
