// Orders left short by bumping or preemption owe make-goods at the end of each week of their
// flight (docs/reconciliation.md §Orders left short).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { flightWeekEndingOn, orderedInWeek, shortfallChanges, weekShortfall, type WeeklyOrder } from '../../domain/reconciliation/index.js';

const order = (over: Partial<WeeklyOrder> = {}): WeeklyOrder => ({
  campaignId: 'rainbow-motors',
  status: 'active',
  startsOn: '2026-11-26', // a Thursday
  endsOn: '2026-12-16', // a Wednesday
  spotsPerDay: 4,
  spotsPerWeek: null,
  dayparts: [],
  ...over,
});
const days = (from: string, to: string): Set<string> => {
  const out = new Set<string>();
  for (let d = Date.parse(`${from}T00:00:00Z`); d <= Date.parse(`${to}T00:00:00Z`); d += 86_400_000) out.add(new Date(d).toISOString().slice(0, 10));
  return out;
};
const everyDay = days('2026-11-01', '2026-12-31');
const weekdaysOnly = [{ id: 'drive', name: 'Morning drive', weekdays: [1, 2, 3, 4, 5], startMinute: 360, endMinute: 600 }];

describe('the weeks of a flight', () => {
  it('end on each Sunday and on the flight’s last day; the first week starts with the flight', () => {
    expect(flightWeekEndingOn(order(), '2026-11-29')).toEqual({ startsOn: '2026-11-26', endsOn: '2026-11-29' });
    expect(flightWeekEndingOn(order(), '2026-12-06')).toEqual({ startsOn: '2026-11-30', endsOn: '2026-12-06' });
    expect(flightWeekEndingOn(order(), '2026-12-16')).toEqual({ startsOn: '2026-12-14', endsOn: '2026-12-16' });
  });

  it('do not end on a weekday inside the flight, nor outside the flight', () => {
    expect(flightWeekEndingOn(order(), '2026-12-02')).toBeNull();
    expect(flightWeekEndingOn(order(), '2026-11-22')).toBeNull();
    expect(flightWeekEndingOn(order(), '2026-12-20')).toBeNull();
  });
});

describe('what an order asked for in a week', () => {
  it('spots per day: that many on each logged day it may air', () => {
    expect(orderedInWeek(order(), { startsOn: '2026-11-30', endsOn: '2026-12-06' }, everyDay)).toBe(28);
    expect(orderedInWeek(order({ dayparts: weekdaysOnly }), { startsOn: '2026-11-30', endsOn: '2026-12-06' }, everyDay)).toBe(20);
  });

  it('a day LibreLog built no log for ordered nothing from it', () => {
    expect(orderedInWeek(order(), { startsOn: '2026-11-30', endsOn: '2026-12-06' }, days('2026-12-03', '2026-12-06'))).toBe(16);
  });

  it('spots per week: all of them in a whole week, a share (rounded down) in a week the flight cuts short', () => {
    const weekly = order({ spotsPerDay: null, spotsPerWeek: 10 });
    expect(orderedInWeek(weekly, { startsOn: '2026-11-30', endsOn: '2026-12-06' }, everyDay)).toBe(10);
    // Thursday to Sunday: 4 of 7 days → 5.71 → 5.
    expect(orderedInWeek(weekly, { startsOn: '2026-11-26', endsOn: '2026-11-29' }, everyDay)).toBe(5);
    // Weekdays only, Monday to Wednesday: 3 of its 5 days → 6.
    expect(orderedInWeek({ ...weekly, dayparts: weekdaysOnly }, { startsOn: '2026-12-14', endsOn: '2026-12-16' }, everyDay)).toBe(6);
  });

  it('a paused or cancelled order asked for nothing', () => {
    expect(orderedInWeek(order({ status: 'paused' }), { startsOn: '2026-11-30', endsOn: '2026-12-06' }, everyDay)).toBe(0);
    expect(orderedInWeek(order({ status: 'cancelled' }), { startsOn: '2026-11-30', endsOn: '2026-12-06' }, everyDay)).toBe(0);
  });
});

describe('a week left short', () => {
  it('owes the spots never placed, and nothing when the logs placed them all (or more)', () => {
    expect(weekShortfall(order(), '2026-12-06', everyDay, 25)).toMatchObject({ ordered: 28, placed: 25, short: 3 });
    expect(weekShortfall(order(), '2026-12-06', everyDay, 30)).toMatchObject({ short: 0 });
    expect(weekShortfall(order(), '2026-12-03', everyDay, 0)).toBeNull();
  });

  it('reconciled again, records only the difference; a rebuild that placed more withdraws what is only owed', () => {
    expect(shortfallChanges({ short: 3 }, { owed: 0, total: 0 })).toEqual({ add: 3, withdraw: 0 });
    expect(shortfallChanges({ short: 3 }, { owed: 3, total: 3 })).toEqual({ add: 0, withdraw: 0 });
    expect(shortfallChanges({ short: 1 }, { owed: 3, total: 3 })).toEqual({ add: 0, withdraw: 2 });
    // Two of them already placed in a later log: those stay (they air as bonus spots).
    expect(shortfallChanges({ short: 0 }, { owed: 1, total: 3 })).toEqual({ add: 0, withdraw: 1 });
  });

  it('for any order and placement, recorded make-goods end at the shortfall unless placed ones exceed it', () => {
    fc.assert(
      fc.property(fc.nat(40), fc.nat(40), fc.nat(40), (short, owed, scheduled) => {
        const { add, withdraw } = shortfallChanges({ short }, { owed, total: owed + scheduled });
        const after = owed + scheduled + add - withdraw;
        expect(add === 0 || withdraw === 0).toBe(true);
        expect(withdraw).toBeLessThanOrEqual(owed);
        expect(after).toBe(Math.max(short, scheduled));
      }),
    );
  });
});
