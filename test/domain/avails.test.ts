// Avails and sell-out (docs/avails.md): the ADV avails the clocks give each day and daypart, what
// the orders in flight have sold there (or what the built log placed), and what is free — with
// made-up stations over many ranges, timezones and DST days (fast-check).
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { addDays } from '../../domain/calendar-date.js';
import { availsReport, OTHER_HOURS, spreadByWeight, type AvailsCampaign, type AvailsCounts, type AvailsDay, type AvailsInputs, type AvailsReport } from '../../domain/avails.js';
import type { EngineClock, EngineClockElement, EngineDaypart } from '../../domain/log/types.js';

const WEEKDAYS = [1, 2, 3, 4, 5];
const ALL_WEEK = [1, 2, 3, 4, 5, 6, 7];
const morning: EngineDaypart = { id: 'morning', name: 'morning drive', weekdays: WEEKDAYS, startMinute: 6 * 60, endMinute: 10 * 60 };
const afternoon: EngineDaypart = { id: 'afternoon', name: 'afternoon drive', weekdays: WEEKDAYS, startMinute: 15 * 60, endMinute: 19 * 60 };

function element(position: number, type: EngineClockElement['type'], count = 1, categoryCode: string | null = null): EngineClockElement {
  return { id: `e${position}`, position, type, title: null, count, fallback: null, categoryCode, ruleSetId: null, trackId: null, targetLengthMs: null, startOffsetMs: null, startKind: null };
}
const clock = (id: string, elements: EngineClockElement[]): EngineClock => ({ id, name: id, targetLengthMs: 3_600_000, elements });
/** LIN, music, a break of `adv` ADV (and a PSA), music. */
const hourClock = (id: string, adv: number, categoryCode: string | null = null) => clock(id, [element(0, 'LIN'), element(1, 'MUS', 4), element(2, 'ADV', adv, categoryCode), element(3, 'PSA'), element(4, 'MUS', 4)]);
/** Every hour of every weekday plays `clockId`. */
const everyHour = (clockId: string): Record<string, string> => Object.fromEntries(ALL_WEEK.flatMap((d) => [...Array(24).keys()].map((h) => [`${d}:${h}`, clockId])));

function order(id: string, fields: Partial<AvailsCampaign> = {}): AvailsCampaign {
  return { id, startsOn: '2026-01-01', endsOn: '2026-12-31', priority: 5, spotsPerDay: null, spotsPerWeek: null, categoryCode: null, daypartIds: [], status: 'active', ...fields };
}

function inputs(fields: Partial<AvailsInputs> = {}): AvailsInputs {
  return {
    station: { timezone: 'America/Phoenix', makeGoodSharePercent: 25 },
    from: '2026-12-07', // a Monday
    to: '2026-12-13',
    dayparts: [morning, afternoon],
    clocks: [hourClock('three', 3)],
    grid: everyHour('three'),
    overrides: {},
    campaigns: [],
    makeGoods: [],
    built: [],
    ...fields,
  };
}

const days = (r: AvailsReport): AvailsDay[] => r.weeks.flatMap((w) => w.days);
const day = (r: AvailsReport, date: string): AvailsDay => days(r).find((d) => d.date === date)!;
const cell = (r: AvailsReport, date: string, daypartId: string | null): AvailsCounts => day(r, date).dayparts.find((c) => c.daypartId === daypartId)!;

describe('avails', () => {
  it('a clock with three ADV every hour gives 72 avails a day, 12 of them in morning drive on a weekday and none there on Saturday', () => {
    const r = availsReport(inputs());
    expect(day(r, '2026-12-07').total).toMatchObject({ avails: 72, sold: 0, free: 72, oversold: 0, sellOutPercent: 0, level: 'open' });
    expect(cell(r, '2026-12-07', 'morning')).toMatchObject({ avails: 12, free: 12 });
    expect(cell(r, '2026-12-12', 'morning')).toMatchObject({ avails: 0, sold: 0, free: 0, sellOutPercent: null, level: 'none' });
    // The hours in no daypart are a column of their own, so the columns add up to the day.
    expect(r.dayparts).toEqual([
      { id: 'morning', name: 'morning drive' },
      { id: 'afternoon', name: 'afternoon drive' },
      { id: null, name: OTHER_HOURS },
    ]);
    expect(cell(r, '2026-12-07', null)).toMatchObject({ avails: 72 - 24 });
    expect(day(r, '2026-12-07')).toMatchObject({ weekday: 1, hours: 24, state: 'projected' });
  });

  it('a date override gives that hour its own clock (Christmas at 07:00)', () => {
    const r = availsReport(inputs({ from: '2026-12-25', to: '2026-12-25', clocks: [hourClock('three', 3), hourClock('none', 0)], overrides: { '2026-12-25': { '7': 'none' } } }));
    expect(cell(r, '2026-12-25', 'morning').avails).toBe(9);
  });

  it('an order of six spots a day in morning drive sells six there on weekdays and nothing at the weekend', () => {
    const r = availsReport(inputs({ campaigns: [order('fall-sale', { spotsPerDay: 6, daypartIds: ['morning'] })] }));
    expect(cell(r, '2026-12-08', 'morning')).toMatchObject({ avails: 12, sold: 6, free: 6, sellOutPercent: 50, level: 'selling' });
    expect(cell(r, '2026-12-08', null).sold).toBe(0);
    expect(day(r, '2026-12-12').total.sold).toBe(0);
    expect(r.weeks[0]!.total.sold).toBe(30);
  });

  it('spots per week are spread over the days of the week the order may air', () => {
    const r = availsReport(inputs({ campaigns: [order('weekly', { spotsPerWeek: 10, daypartIds: ['morning'] })] }));
    expect(days(r).map((d) => d.total.sold)).toEqual([2, 2, 2, 2, 2, 0, 0]);
  });

  it('spots per week count what the week’s built logs placed before the range', () => {
    // Mon and Tue were built with three spots each: the four left go over Wed–Fri, as the engine would.
    const placed = (date: string) => ({ date, avails: [7, 7, 8].map((hour) => ({ hour, utcOffsetMinutes: -420, campaignId: 'weekly', makeGood: false })) });
    const r = availsReport(inputs({ from: '2026-12-09', to: '2026-12-13', campaigns: [order('weekly', { spotsPerWeek: 10, daypartIds: ['morning'] })], built: [placed('2026-12-07'), placed('2026-12-08')] }));
    expect(days(r).map((d) => d.total.sold)).toEqual([2, 1, 1, 0, 0]);
  });

  it('an order with two dayparts spreads its spots over them in proportion to their avails', () => {
    const grid = { ...everyHour('none'), ...Object.fromEntries(WEEKDAYS.flatMap((d) => [6, 7, 8, 9].map((h) => [`${d}:${h}`, 'three']))), ...Object.fromEntries(WEEKDAYS.flatMap((d) => [15, 16, 17, 18].map((h) => [`${d}:${h}`, 'one']))) };
    const r = availsReport(inputs({ clocks: [hourClock('three', 3), hourClock('one', 1), hourClock('none', 0)], grid, campaigns: [order('both', { spotsPerDay: 8, daypartIds: ['morning', 'afternoon'] })] }));
    expect(cell(r, '2026-12-07', 'morning')).toMatchObject({ avails: 12, sold: 6 });
    expect(cell(r, '2026-12-07', 'afternoon')).toMatchObject({ avails: 4, sold: 2 });
  });

  it('an order with no dayparts spreads over the whole day', () => {
    const r = availsReport(inputs({ campaigns: [order('anytime', { spotsPerDay: 24 })] }));
    // 12 of 72 avails are in morning drive, 12 in afternoon drive, 48 in the other hours.
    expect(cell(r, '2026-12-07', 'morning').sold).toBe(4);
    expect(cell(r, '2026-12-07', 'afternoon').sold).toBe(4);
    expect(cell(r, '2026-12-07', null).sold).toBe(16);
    expect(cell(r, '2026-12-12', null).sold).toBe(24);
  });

  it('avails a clock reserves for a product category are sold only to orders of that category', () => {
    // Morning drive's breaks are reserved for auto dealers; a health order goes elsewhere.
    const grid = { ...everyHour('open'), ...Object.fromEntries(WEEKDAYS.flatMap((d) => [6, 7, 8, 9].map((h) => [`${d}:${h}`, 'auto']))) };
    const r = availsReport(
      inputs({
        clocks: [hourClock('open', 3), hourClock('auto', 3, 'auto')],
        grid,
        campaigns: [order('clinic', { spotsPerDay: 12, categoryCode: 'health' }), order('dealer', { spotsPerDay: 12, categoryCode: 'auto', daypartIds: ['morning'] })],
      }),
    );
    expect(cell(r, '2026-12-07', 'morning')).toMatchObject({ avails: 12, sold: 12, free: 0, level: 'sold_out' });
    expect(cell(r, '2026-12-07', 'morning').sold + cell(r, '2026-12-07', 'afternoon').sold + cell(r, '2026-12-07', null).sold).toBe(24);
  });

  it('more ordered than there are avails is oversold, never negative free', () => {
    const r = availsReport(inputs({ campaigns: [order('a', { spotsPerDay: 10, daypartIds: ['morning'] }), order('b', { spotsPerDay: 5, daypartIds: ['morning'] })] }));
    expect(cell(r, '2026-12-07', 'morning')).toMatchObject({ avails: 12, sold: 15, free: 0, oversold: 3, sellOutPercent: 125, level: 'oversold' });
  });

  it('paused, cancelled and out-of-flight orders sell nothing', () => {
    const r = availsReport(
      inputs({
        campaigns: [
          order('paused', { spotsPerDay: 5, status: 'paused' }),
          order('cancelled', { spotsPerDay: 5, status: 'cancelled' }),
          order('ended', { spotsPerDay: 5, endsOn: '2026-12-08' }),
          order('starts', { spotsPerDay: 5, startsOn: '2026-12-12' }),
        ],
      }),
    );
    expect(days(r).map((d) => d.total.sold)).toEqual([5, 5, 0, 0, 0, 5, 5]);
  });

  it('a built day counts what its log placed, and says so', () => {
    const avails = [
      { hour: 7, utcOffsetMinutes: -420, campaignId: 'fall-sale', makeGood: false },
      { hour: 7, utcOffsetMinutes: -420, campaignId: 'fall-sale', makeGood: true },
      { hour: 7, utcOffsetMinutes: -420, campaignId: null, makeGood: false },
      { hour: 22, utcOffsetMinutes: -420, campaignId: null, makeGood: false },
    ];
    const r = availsReport(inputs({ campaigns: [order('fall-sale', { spotsPerDay: 6, daypartIds: ['morning'] })], built: [{ date: '2026-12-07', avails }] }));
    expect(day(r, '2026-12-07')).toMatchObject({ state: 'built', total: { avails: 4, sold: 2, free: 2, makeGoods: 1 } });
    expect(cell(r, '2026-12-07', 'morning')).toMatchObject({ avails: 3, sold: 2, free: 1 });
    expect(day(r, '2026-12-08')).toMatchObject({ state: 'projected', total: { sold: 6 } });
  });

  it('make-goods owed take avails on the next days, at most the station’s share of a day', () => {
    // One ADV an hour: 24 avails; 5 % of them is one make-good a day.
    const makeGoods = ['m1', 'm2', 'm3'].map((id) => ({ id, campaignId: 'fall-sale', wantedOn: null, daypartId: null }));
    const r = availsReport(inputs({ station: { timezone: 'America/Phoenix', makeGoodSharePercent: 5 }, clocks: [hourClock('one', 1)], grid: everyHour('one'), campaigns: [order('fall-sale', { spotsPerDay: 2 })], makeGoods }));
    expect(days(r).map((d) => d.total.makeGoods)).toEqual([1, 1, 1, 0, 0, 0, 0]);
    expect(days(r).map((d) => d.total.sold)).toEqual([3, 3, 3, 2, 2, 2, 2]);
    expect(r.makeGoods).toEqual({ owed: 3, placed: 3 });
  });

  it('a make-good wanted on a later day waits for it, and one wanted in a daypart goes only there', () => {
    const makeGoods = [
      { id: 'later', campaignId: 'fall-sale', wantedOn: '2026-12-09', daypartId: null },
      { id: 'morning', campaignId: 'fall-sale', wantedOn: null, daypartId: 'morning' },
    ];
    const r = availsReport(inputs({ campaigns: [order('fall-sale', { spotsPerDay: 0 })], makeGoods }));
    expect(cell(r, '2026-12-07', 'morning').makeGoods).toBe(1);
    expect(days(r).map((d) => d.total.makeGoods)).toEqual([1, 0, 1, 0, 0, 0, 0]);
  });

  it('DST days have 23 and 25 hours of avails', () => {
    const spring = availsReport(inputs({ station: { timezone: 'America/New_York' }, from: '2026-03-07', to: '2026-03-09' }));
    expect(days(spring).map((d) => [d.hours, d.total.avails])).toEqual([
      [24, 72],
      [23, 69],
      [24, 72],
    ]);
    const fall = availsReport(inputs({ station: { timezone: 'America/New_York' }, from: '2026-11-01', to: '2026-11-01' }));
    expect(day(fall, '2026-11-01')).toMatchObject({ hours: 25, total: { avails: 75 } });
  });

  it('weeks run Monday to Sunday: a range from a Wednesday starts with a short week', () => {
    const r = availsReport(inputs({ from: '2026-12-09', to: addDays('2026-12-09', 27) }));
    expect(r.weeks.map((w) => [w.startsOn, w.endsOn, w.days.length])).toEqual([
      ['2026-12-09', '2026-12-13', 5],
      ['2026-12-14', '2026-12-20', 7],
      ['2026-12-21', '2026-12-27', 7],
      ['2026-12-28', '2027-01-03', 7],
      ['2027-01-04', '2027-01-05', 2],
    ]);
  });

  it('whole spots are spread by weight, the rest to the largest remainders and then the most room', () => {
    expect(spreadByWeight(8, [12, 4])).toEqual([6, 2]);
    expect(spreadByWeight(1, [1, 1], [0, 1])).toEqual([0, 1]);
    expect(spreadByWeight(3, [0, 0])).toEqual([0, 0]);
    expect(spreadByWeight(5, [1, 0, 1]).reduce((a, b) => a + b)).toBe(5);
  });
});

// ---------------------------------------------------------------------------------------------
// Properties

const ZONES = ['America/Phoenix', 'America/New_York', 'Europe/Berlin', 'Australia/Lord_Howe', 'Asia/Kolkata'];
const STARTS = ['2026-03-05', '2026-03-26', '2026-04-02', '2026-06-15', '2026-10-01', '2026-10-22', '2026-10-29'];

/** Dayparts that never overlap: consecutive spans of the day between cut hours, some in no daypart. */
const disjointDayparts = fc
  .record({ cuts: fc.uniqueArray(fc.integer({ min: 1, max: 23 }), { maxLength: 5 }), used: fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }), weekdays: fc.array(fc.subarray(ALL_WEEK, { minLength: 1 }), { minLength: 6, maxLength: 6 }) })
  .map(({ cuts, used, weekdays }) => {
    const bounds = [0, ...[...cuts].sort((a, b) => a - b), 24];
    const dayparts: EngineDaypart[] = [];
    for (let i = 0; i + 1 < bounds.length; i++) {
      if (used[i]) dayparts.push({ id: `dp${i}`, name: `daypart ${i}`, weekdays: weekdays[i]!, startMinute: bounds[i]! * 60, endMinute: bounds[i + 1]! * 60 });
    }
    return dayparts;
  });

/** Any dayparts, overlapping or crossing midnight. */
const anyDayparts = fc.array(
  fc.record({ weekdays: fc.subarray(ALL_WEEK, { minLength: 1 }), start: fc.integer({ min: 0, max: 23 }), end: fc.integer({ min: 1, max: 24 }) }).filter((d) => d.start !== d.end),
  { maxLength: 4 },
).map((list) => list.map((d, i): EngineDaypart => ({ id: `dp${i}`, name: `daypart ${i}`, weekdays: d.weekdays, startMinute: d.start * 60, endMinute: d.end * 60 })));

const station = (dayparts: fc.Arbitrary<EngineDaypart[]>) =>
  fc
    .record({
      zone: fc.constantFrom(...ZONES),
      from: fc.constantFrom(...STARTS),
      weeks: fc.integer({ min: 1, max: 3 }),
      dayparts,
      clocks: fc.array(fc.record({ adv: fc.integer({ min: 0, max: 4 }), reserved: fc.option(fc.constantFrom('auto', 'health')) }), { minLength: 1, maxLength: 3 }),
      gridPick: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 168, maxLength: 168 }),
      orders: fc.array(
        fc.record({
          perDay: fc.option(fc.integer({ min: 0, max: 30 })),
          perWeek: fc.integer({ min: 0, max: 120 }),
          dayparts: fc.subarray([0, 1, 2, 3, 4, 5]),
          category: fc.option(fc.constantFrom('auto', 'health')),
          startOffset: fc.integer({ min: -10, max: 15 }),
          length: fc.integer({ min: 0, max: 30 }),
          status: fc.constantFrom('active' as const, 'active' as const, 'paused' as const),
        }),
        { maxLength: 5 },
      ),
      makeGoods: fc.array(fc.record({ order: fc.integer({ min: 0, max: 4 }), wantedIn: fc.option(fc.integer({ min: 0, max: 10 })), daypart: fc.option(fc.integer({ min: 0, max: 5 })) }), { maxLength: 12 }),
      share: fc.integer({ min: 0, max: 50 }),
      builtDays: fc.integer({ min: 0, max: 3 }),
      builtFill: fc.array(fc.record({ hour: fc.integer({ min: 0, max: 23 }), order: fc.option(fc.integer({ min: 0, max: 4 })), makeGood: fc.boolean() }), { maxLength: 30 }),
    })
    .map((p): AvailsInputs => {
      const clocks = p.clocks.map((c, i) => hourClock(`c${i}`, c.adv, c.reserved));
      const grid: Record<string, string> = {};
      p.gridPick.forEach((pick, k) => {
        // A pick past the clocks leaves the hour without a clock.
        if (pick < clocks.length) grid[`${Math.floor(k / 24) + 1}:${k % 24}`] = clocks[pick]!.id;
      });
      const ids = p.dayparts.map((d) => d.id);
      const campaigns = p.orders.map((o, i) =>
        order(`o${i}`, {
          spotsPerDay: o.perDay,
          spotsPerWeek: o.perDay === null ? o.perWeek : null,
          daypartIds: o.dayparts.flatMap((k) => ids[k] ?? []),
          categoryCode: o.category,
          startsOn: addDays(p.from, o.startOffset),
          endsOn: addDays(p.from, o.startOffset + o.length),
          status: o.status,
          priority: i % 3,
        }),
      );
      const to = addDays(p.from, p.weeks * 7 - 1);
      return {
        station: { timezone: p.zone, makeGoodSharePercent: p.share },
        from: p.from,
        to,
        dayparts: p.dayparts,
        clocks,
        grid,
        overrides: {},
        campaigns,
        makeGoods: p.makeGoods.flatMap((m, i) =>
          campaigns[m.order] ? [{ id: `mg${i}`, campaignId: campaigns[m.order]!.id, wantedOn: m.wantedIn === null ? null : addDays(p.from, m.wantedIn), daypartId: m.daypart === null ? null : (ids[m.daypart] ?? null) }] : [],
        ),
        built: [...Array(p.builtDays).keys()].map((k) => ({
          date: addDays(p.from, k),
          avails: p.builtFill.map((f) => ({ hour: f.hour, utcOffsetMinutes: null, campaignId: f.order === null ? null : (campaigns[f.order]?.id ?? null), makeGood: f.makeGood })),
        })),
      };
    });

const everyCount = (r: AvailsReport): AvailsCounts[] => [r.total, ...r.weeks.flatMap((w) => [w.total, ...w.dayparts, ...w.days.flatMap((d) => [d.total, ...d.dayparts])])];
const sum = (list: AvailsCounts[], key: keyof Pick<AvailsCounts, 'avails' | 'sold' | 'free' | 'oversold' | 'makeGoods'>) => list.reduce((s, c) => s + c[key], 0);
const KEYS = ['avails', 'sold', 'free', 'oversold', 'makeGoods'] as const;

describe('avails, over made-up stations (properties)', () => {
  it('free + sold − oversold = avails in every cell, day, week and the total; nothing is negative', () => {
    fc.assert(
      fc.property(station(anyDayparts), (input) => {
        for (const c of everyCount(availsReport(input))) {
          expect(c.free + c.sold - c.oversold).toBe(c.avails);
          expect(Math.min(c.avails, c.sold, c.free, c.oversold, c.makeGoods)).toBeGreaterThanOrEqual(0);
          expect(c.makeGoods).toBeLessThanOrEqual(c.sold);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('where dayparts do not overlap, the dayparts (and the other hours) add up to the day, the days to the week, the weeks to the total', () => {
    fc.assert(
      fc.property(station(disjointDayparts), (input) => {
        const r = availsReport(input);
        expect(r.daypartsOverlap).toBe(false);
        for (const week of r.weeks) {
          for (const d of week.days) for (const key of KEYS) expect(sum(d.dayparts, key)).toBe(d.total[key]);
          for (const key of KEYS) {
            expect(sum(week.days.map((d) => d.total), key)).toBe(week.total[key]);
            expect(sum(week.dayparts, key)).toBe(week.total[key]);
          }
        }
        for (const key of KEYS) expect(sum(r.weeks.map((w) => w.total), key)).toBe(r.total[key]);
        expect(days(r)).toHaveLength(Math.round((Date.parse(input.to) - Date.parse(input.from)) / 86_400_000) + 1);
      }),
      { numRuns: 150 },
    );
  });

  it('DST days have 23 or 25 hours of avails: one clock every hour gives hours × its ADV count', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ZONES), fc.constantFrom(...STARTS), fc.integer({ min: 0, max: 5 }), (zone, from, adv) => {
        const r = availsReport(inputs({ station: { timezone: zone }, from, to: addDays(from, 13), clocks: [hourClock('c', adv)], grid: everyHour('c') }));
        for (const d of days(r)) {
          const start = DateTime.fromISO(d.date, { zone });
          const hours = Math.round(start.plus({ days: 1 }).diff(start, 'hours').hours);
          expect(d.hours).toBe(hours);
          expect(d.total.avails).toBe(hours * adv);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('a projected day sells exactly what the orders of spots per day in flight ask for, plus the make-goods it places', () => {
    fc.assert(
      fc.property(station(anyDayparts), (input) => {
        const daily = input.campaigns.map((c) => ({ ...c, spotsPerWeek: null, spotsPerDay: c.spotsPerDay ?? 3 }));
        const r = availsReport({ ...input, campaigns: daily, built: [] });
        for (const d of days(r)) {
          const asked = daily
            .filter((c) => c.status === 'active' && c.startsOn <= d.date && d.date <= c.endsOn)
            .filter((c) => c.daypartIds.length === 0 || hasDaypartHour(input, d.date, c.daypartIds))
            .reduce((s, c) => s + c.spotsPerDay!, 0);
          expect(d.total.sold - d.total.makeGoods).toBe(asked);
        }
      }),
      { numRuns: 100 },
    );
  });
});

/** Does some hour of the date fall in one of the dayparts (by the hour's local start)? */
function hasDaypartHour(input: AvailsInputs, date: string, daypartIds: string[]): boolean {
  const start = DateTime.fromISO(date, { zone: input.station.timezone }).startOf('day');
  const end = start.plus({ days: 1 });
  for (let t = start; t < end; t = t.plus({ hours: 1 })) {
    const weekday = t.weekday;
    const minute = t.hour * 60 + t.minute;
    const previous = weekday === 1 ? 7 : weekday - 1;
    for (const d of input.dayparts.filter((x) => daypartIds.includes(x.id))) {
      const inside = d.startMinute < d.endMinute ? d.weekdays.includes(weekday) && minute >= d.startMinute && minute < d.endMinute : (d.weekdays.includes(weekday) && minute >= d.startMinute) || (d.weekdays.includes(previous) && minute < d.endMinute);
      if (inside) return true;
    }
  }
  return false;
}
