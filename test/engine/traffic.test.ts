import { describe, expect, it } from 'vitest';
import { BUMP_REASONS, placeTraffic } from '../../domain/log/traffic.js';
import type { BuildInputs, Slot } from '../../domain/log/types.js';
import { breakOf, campaign, copyTracks, deepFreeze, hoursOf, inputsOf, psa, slotsOf, spotsOf, track } from './fixtures/traffic-fixtures.js';

const hours = hoursOf();

function run(inputs: BuildInputs, slots: Slot[] = slotsOf(hours)) {
  return placeTraffic(inputs, hours, slots);
}

function availsOf(slots: Slot[]): Slot[] {
  return slots.filter((s) => s.type === 'ADV');
}

describe('traffic: ADV → PSA fallback', () => {
  it("an expired campaign's slot gets a PSA of the same category", () => {
    const rainbow = campaign('rainbow', { advertiserName: 'Rainbow Motors', categoryCode: 'auto', startsOn: '2026-10-01', endsOn: '2026-10-31' });
    const slots = slotsOf(hours, { hours: [8], breaks: 1, avails: 1, category: () => 'auto' });
    const inputs = inputsOf({ campaigns: [rainbow], library: [...copyTracks([rainbow]), psa('psa-health', 'health'), psa('psa-drive-safe', 'auto')] });
    const { slots: out, exceptions } = run(inputs, slots);
    const [avail] = availsOf(out);
    expect(avail?.fill).toMatchObject({ trackId: 'psa-drive-safe', type: 'PSA', isFallback: true, fallbackReason: 'campaign_expired', campaignId: null });
    expect(avail?.fill?.note).toContain("Rainbow Motors' campaign ended 2026-10-31");
    expect(exceptions).toEqual([]);
  });

  it("an avail of no category gets a PSA of the expired order's category (rule §3), else the avail's, else any", () => {
    const rainbow = campaign('rainbow', { advertiserName: 'Rainbow Motors', categoryCode: 'auto', startsOn: '2026-10-01', endsOn: '2026-10-31' });
    const library = [...copyTracks([rainbow]), psa('psa-health', 'health'), psa('psa-drive-safe', 'auto'), psa('psa-arts', 'arts')];
    // The avail has no category: the PSA stands in for the car dealer's spot.
    const open = run(inputsOf({ campaigns: [rainbow], library }), slotsOf(hours, { hours: [8], breaks: 1, avails: 1 }));
    expect(availsOf(open.slots)[0]?.fill).toMatchObject({ trackId: 'psa-drive-safe', fallbackReason: 'campaign_expired' });
    // No PSA of the order's category: the avail's own category comes next.
    const noAuto = library.filter((t) => t.id !== 'psa-drive-safe');
    const arts = run(inputsOf({ campaigns: [{ ...rainbow, categoryCode: 'auto' }], library: noAuto }), slotsOf(hours, { hours: [8], breaks: 1, avails: 1, category: () => 'arts' }));
    // (An arts avail does not fit the auto order, so nothing expired stands behind it: no sale, arts PSA.)
    expect(availsOf(arts.slots)[0]?.fill).toMatchObject({ trackId: 'psa-arts', fallbackReason: 'no_sale' });
    const open2 = run(inputsOf({ campaigns: [rainbow], library: noAuto }), slotsOf(hours, { hours: [8], breaks: 1, avails: 1 }));
    expect(availsOf(open2.slots)[0]?.fill).toMatchObject({ type: 'PSA', fallbackReason: 'campaign_expired' });
    expect(availsOf(open2.slots)[0]?.fill?.note).toContain('no auto PSA in the library: any PSA');
  });

  it("an order with no copy today gives its avail a PSA of the order's category", () => {
    const bank = campaign('bank', { advertiserName: 'City Bank', categoryCode: 'finance', spotsPerDay: 1, copy: [{ trackId: 'bank-copy', weight: 1, startsOn: null, endsOn: '2026-11-01' }] });
    const library = [psa('psa-health', 'health'), psa('psa-money-smarts', 'finance')];
    const { slots: out } = run(inputsOf({ campaigns: [bank], library }), slotsOf(hours, { hours: [9], breaks: 1, avails: 1 }));
    expect(availsOf(out)[0]?.fill).toMatchObject({ trackId: 'psa-money-smarts', fallbackReason: 'copy_missing' });
  });

  it('a slot with no sale gets any PSA when none of its category exists', () => {
    const slots = slotsOf(hours, { hours: [14], breaks: 1, avails: 1, category: () => 'travel' });
    const { slots: out } = run(inputsOf({ library: [psa('psa-health', 'health')] }), slots);
    const [avail] = availsOf(out);
    expect(avail?.fill).toMatchObject({ trackId: 'psa-health', type: 'PSA', isFallback: true, fallbackReason: 'no_sale' });
    expect(avail?.fill?.note).toMatch(/no travel PSA/);
  });

  it('a campaign whose copy has expired falls back with copy missing', () => {
    const bank = campaign('bank', {
      advertiserName: 'City Bank',
      spotsPerDay: 2,
      copy: [{ trackId: 'bank-copy', weight: 1, startsOn: null, endsOn: '2026-11-01' }],
    });
    const slots = slotsOf(hours, { hours: [9, 10], breaks: 1, avails: 1 });
    const { slots: out, bumped, exceptions } = run(inputsOf({ campaigns: [bank] }), slots);
    for (const avail of availsOf(out)) {
      expect(avail.fill).toMatchObject({ type: 'PSA', isFallback: true, fallbackReason: 'copy_missing' });
      expect(avail.fill?.note).toContain('City Bank');
    }
    // The order is owed two spots today: they are bumped, not silently dropped.
    expect(bumped).toEqual([{ campaignId: 'bank', count: 2, reason: BUMP_REASONS.copyMissing }]);
    expect(exceptions).toMatchObject([{ kind: 'spot_bumped', severity: 'warning', details: { campaignId: 'bank', count: 2 } }]);
  });

  it('PSA elements rotate the least recently used PSA, of their category first', () => {
    const slots = slotsOf(hours, { hours: [6, 7, 8], breaks: 2, avails: 0, psaElement: true });
    const library = [psa('a'), psa('b'), psa('c')];
    const { slots: out } = run(inputsOf({ library }), slots);
    const played = out.filter((s) => s.type === 'PSA').map((s) => s.fill?.trackId);
    expect(played).toHaveLength(6);
    expect(new Set(played.slice(0, 3)).size).toBe(3);
    expect(played.slice(3)).toEqual(played.slice(0, 3));
    for (const s of out.filter((x) => x.type === 'PSA')) expect(s.fill).toMatchObject({ type: 'PSA', isFallback: false, fallbackReason: null });
  });

  it("an avail falls back to what its element names (a promo), else a PSA", () => {
    const slots = slotsOf(hours, { hours: [11], breaks: 2, avails: 1 }).map((s) =>
      s.type !== 'ADV' ? s : { ...s, fallback: s.breakIndex === 0 ? ('PRO' as const) : null },
    );
    const library = [psa('psa-health', 'health'), track('promo-contest', 'PRO', { title: 'Win tickets' })];
    const { slots: out } = run(inputsOf({ library }), slots);
    expect(availsOf(out).map((s) => [s.fill?.type, s.fill?.trackId, s.fill?.isFallback])).toEqual([
      ['PRO', 'promo-contest', true],
      ['PSA', 'psa-health', true],
    ]);
  });

  it("yesterday's last PSA is not the first one today", () => {
    const slots = slotsOf(hours, { hours: [0], breaks: 1, avails: 0, psaElement: true });
    const library = [psa('a'), psa('b')];
    const yesterday = Date.parse('2026-11-04T23:50:00Z');
    for (const last of ['a', 'b']) {
      const history = [
        { trackId: last === 'a' ? 'b' : 'a', title: 'x', artist: null, startsAt: yesterday - 3_600_000 },
        { trackId: last, title: 'x', artist: null, startsAt: yesterday },
      ];
      const { slots: out } = run(inputsOf({ library, history }), slots);
      expect(out.find((s) => s.type === 'PSA')?.fill?.trackId).not.toBe(last);
    }
  });

  it('an avail with neither spot nor PSA is an error in the exception report', () => {
    const slots = slotsOf(hours, { hours: [3], breaks: 1, avails: 1 });
    const { slots: out, exceptions } = run(inputsOf({ library: [] }), slots);
    expect(availsOf(out)[0]?.fill).toBeNull();
    expect(exceptions).toMatchObject([{ kind: 'empty_slot', severity: 'error', hour: 3, slotKey: availsOf(out)[0]?.key }]);
  });
});

describe('traffic: competitive separation', () => {
  it('no two car dealers in one break', () => {
    const dealers = ['rainbow', 'sunset', 'valley', 'metro'].map((id) => campaign(id, { categoryCode: 'auto', spotsPerDay: 12 }));
    const { slots: out } = run(inputsOf({ campaigns: dealers }));
    const autoByBreak = new Map<string, number>();
    let placed = 0;
    for (const s of out) {
      if (!s.fill?.campaignId) continue;
      placed++;
      autoByBreak.set(breakOf(s), (autoByBreak.get(breakOf(s)) ?? 0) + 1);
    }
    expect(placed).toBe(48);
    expect(Math.max(...autoByBreak.values())).toBe(1);
  });

  it('no advertiser twice in one break', () => {
    // One advertiser, two orders (different products) competing for very few breaks.
    const a = campaign('spring-sale', { advertiserId: 'adv-mart', spotsPerDay: 4, categoryCode: 'retail' });
    const b = campaign('pharmacy', { advertiserId: 'adv-mart', spotsPerDay: 4, categoryCode: 'health' });
    const slots = slotsOf(hours, { hours: [10, 11], breaks: 2, avails: 3 });
    const { slots: out, bumped } = run(inputsOf({ campaigns: [a, b] }), slots);
    const breaks = out.filter((s) => s.fill?.campaignId).map(breakOf);
    expect(breaks).toHaveLength(4);
    expect(new Set(breaks).size).toBe(4);
    expect(bumped.reduce((n, x) => n + x.count, 0)).toBe(4);
    expect(bumped.every((x) => x.reason === BUMP_REASONS.separation)).toBe(true);
  });
});

describe('traffic: priority, make-goods and bumps', () => {
  it('higher priority preempts lower and the preempted spot is recorded', () => {
    const high = campaign('high', { advertiserName: 'Rainbow Motors', priority: 5, spotsPerDay: 2 });
    const low = campaign('low', { advertiserName: 'Corner Cafe', priority: 1, spotsPerDay: 1 });
    const slots = slotsOf(hours, { hours: [8], breaks: 2, avails: 1 });
    const { slots: out, exceptions, bumped } = run(inputsOf({ campaigns: [high, low] }), slots);
    expect(spotsOf(out, 'high')).toHaveLength(2);
    expect(spotsOf(out, 'low')).toHaveLength(0);
    const preempted = exceptions.filter((e) => e.kind === 'spot_preempted');
    expect(preempted).toMatchObject([{ severity: 'warning', hour: 8, details: { campaignId: 'low', byCampaignId: 'high' } }]);
    expect(preempted[0]?.message).toMatch(/Rainbow Motors .* preempted Corner Cafe .* bumped/);
    expect(bumped).toEqual([{ campaignId: 'low', count: 1, reason: BUMP_REASONS.full }]);
  });

  it('a preempted spot tries again elsewhere, preempting a lower one if it must', () => {
    // Priority 5 may only air in morning drive, priority 1 only at midday, priority 3 anywhere.
    const high = campaign('high', { advertiserName: 'Rainbow Motors', priority: 5, spotsPerDay: 2, daypartIds: ['morning-drive'] });
    const middle = campaign('middle', { advertiserName: 'Corner Cafe', priority: 3, spotsPerDay: 1 });
    const low = campaign('low', { advertiserName: 'City Bank', priority: 1, spotsPerDay: 1, daypartIds: ['midday'] });
    const slots = slotsOf(hours, { hours: [8, 13], breaks: 2, avails: 1 }).filter((s) => s.key !== '13:3:0');
    const { slots: out, exceptions, bumped } = run(inputsOf({ campaigns: [high, middle, low] }), slots);
    expect(spotsOf(out, 'high').map((s) => s.hour)).toEqual([8, 8]);
    expect(spotsOf(out, 'middle').map((s) => s.hour)).toEqual([13]);
    expect(spotsOf(out, 'middle')[0]?.fill.note).toMatch(/preempted by Rainbow Motors/);
    expect(bumped).toEqual([{ campaignId: 'low', count: 1, reason: BUMP_REASONS.full }]);
    const preempted = exceptions.filter((x) => x.kind === 'spot_preempted');
    expect(preempted).toMatchObject([
      { hour: 8, details: { campaignId: 'middle', byCampaignId: 'high', movedToSlotKey: '13:1:0' } },
      { hour: 13, details: { campaignId: 'low', byCampaignId: 'middle', movedToSlotKey: null } },
    ]);
    expect(preempted[0]?.message).toMatch(/moved to the 13:00 hour/);
  });

  it('a spot that can air elsewhere makes room instead of being preempted', () => {
    // The any-time order took the only morning avail first; it moves to midday, nobody is bumped.
    const morning = campaign('morning', { priority: 1, spotsPerDay: 2, daypartIds: ['morning-drive'] });
    const anytime = campaign('anytime', { priority: 1, spotsPerDay: 2 });
    const slots = slotsOf(hours, { hours: [8, 13], breaks: 2, avails: 1 });
    const { slots: out, exceptions, bumped } = run(inputsOf({ campaigns: [morning, anytime] }), slots);
    expect(spotsOf(out, 'morning').map((s) => s.hour)).toEqual([8, 8]);
    expect(spotsOf(out, 'anytime').map((s) => s.hour)).toEqual([13, 13]);
    expect(bumped).toEqual([]);
    expect(exceptions).toEqual([]);
  });

  it('make-goods are placed first', () => {
    const small = campaign('small', { priority: 1, spotsPerDay: 0 });
    const big = campaign('big', { priority: 9, spotsPerDay: 2 });
    const gone = campaign('gone', { status: 'paused' });
    const slots = slotsOf(hours, { hours: [7], breaks: 2, avails: 1 });
    const inputs = inputsOf({
      campaigns: [small, big, gone],
      makeGoods: [
        { id: 'mg-1', campaignId: 'small' },
        { id: 'mg-2', campaignId: 'gone' },
      ],
    });
    const { slots: out, bumped, exceptions } = run(inputs, slots);
    expect(spotsOf(out, 'small').map((s) => s.fill.makeGoodId)).toEqual(['mg-1']);
    expect(spotsOf(out, 'small')[0]?.fill.note).toMatch(/make-good/);
    // The priority-9 order cannot preempt a make-good.
    expect(spotsOf(out, 'big')).toHaveLength(1);
    expect(exceptions.filter((e) => e.kind === 'spot_preempted')).toEqual([]);
    expect(bumped).toEqual(
      expect.arrayContaining([
        { campaignId: 'gone', count: 1, reason: "make-good's campaign not airable today" },
        { campaignId: 'big', count: 1, reason: BUMP_REASONS.full },
      ]),
    );
  });

  it("make-goods take at most the station's share of the day's avails; the rest wait, wanted ones first", () => {
    const owedTo = campaign('owed-to', { priority: 5, spotsPerDay: 0 });
    const paying = campaign('paying', { priority: 5, spotsPerDay: 4 });
    // 4 hours × 2 breaks × 1 avail = 8 avails; 25 % of them is 2.
    const slots = slotsOf(hours, { hours: [6, 7, 8, 9], breaks: 2, avails: 1 });
    const makeGoods = ['mg-wanted', 'mg-a', 'mg-b', 'mg-c', 'mg-d'].map((id) => ({ id, campaignId: 'owed-to' }));
    const { slots: out, bumped } = run(inputsOf({ campaigns: [owedTo, paying], makeGoods }), slots);
    expect(spotsOf(out, 'owed-to').map((s) => s.fill.makeGoodId).sort()).toEqual(['mg-a', 'mg-wanted']);
    expect(spotsOf(out, 'paying')).toHaveLength(4);
    // Held for later is not bumped: they stay owed.
    expect(bumped.filter((b) => b.campaignId === 'owed-to')).toEqual([]);
    const none = run(inputsOf({ campaigns: [owedTo, paying], makeGoods, station: { ...inputsOf().station, makeGoodSharePercent: 0 } }), slots);
    expect(spotsOf(none.slots, 'owed-to')).toEqual([]);
  });

  it('a make-good traffic wants in afternoon drive airs there, and stays owed when afternoon drive is full', () => {
    const owedTo = campaign('owed-to', { priority: 5, spotsPerDay: 0 });
    const slots = slotsOf(hours, { hours: [7, 12, 16, 17], breaks: 1, avails: 1 });
    const makeGoods = [
      { id: 'mg-drive', campaignId: 'owed-to', daypartId: 'afternoon-drive' },
      { id: 'mg-any', campaignId: 'owed-to' },
    ];
    const station = { ...inputsOf().station, makeGoodSharePercent: 100 };
    const { slots: out } = run(inputsOf({ campaigns: [owedTo], makeGoods, station }), slots);
    const placed = spotsOf(out, 'owed-to');
    expect(placed.find((s) => s.fill.makeGoodId === 'mg-drive')?.hour).toBeOneOf([16, 17]);
    expect(placed.map((s) => s.fill.makeGoodId).sort()).toEqual(['mg-any', 'mg-drive']);

    // Three wanted in afternoon drive, two avails there: the third waits, even with the morning free.
    const three = ['a', 'b', 'c'].map((k) => ({ id: `mg-${k}`, campaignId: 'owed-to', daypartId: 'afternoon-drive' }));
    const full = run(inputsOf({ campaigns: [owedTo], makeGoods: three, station }), slots);
    expect(spotsOf(full.slots, 'owed-to').map((s) => s.hour).sort()).toEqual([16, 17]);
    expect(full.bumped).toEqual([{ campaignId: 'owed-to', count: 1, reason: BUMP_REASONS.wantedDaypartFull }]);
  });

  it('spots that fit nowhere are bumped and listed', () => {
    const greedy = campaign('greedy', { advertiserName: 'Mega Mattress', spotsPerDay: 30, daypartIds: ['morning-drive'] });
    const weekend = campaign('weekend-only', { spotsPerDay: 3, daypartIds: ['weekend'] });
    const reserved = campaign('reserved', { spotsPerDay: 1, categoryCode: 'food' });
    const slots = slotsOf(hours, { hours: [6, 7, 8, 9, 20], breaks: 2, avails: 3, category: (h) => (h === 20 ? 'legal' : null) });
    const { bumped, exceptions, slots: out } = run(inputsOf({ campaigns: [greedy, weekend, reserved] }), slots);
    // Four morning hours × two breaks, one Mega Mattress spot per break.
    expect(spotsOf(out, 'greedy')).toHaveLength(8);
    expect(bumped).toContainEqual({ campaignId: 'greedy', count: 22, reason: BUMP_REASONS.separation });
    // A weekend order owes nothing on a Thursday; an order whose only avails are reserved for others is bumped.
    expect(bumped.find((b) => b.campaignId === 'weekend-only')).toBeUndefined();
    expect(spotsOf(out, 'reserved')).toHaveLength(1);
    const bumpedException = exceptions.find((e) => e.kind === 'spot_bumped' && e.details.campaignId === 'greedy');
    expect(bumpedException).toMatchObject({ severity: 'warning', details: { campaignId: 'greedy', count: 22 } });
    expect(bumpedException?.message).toMatch(/Mega Mattress .*22 spots bumped .*competitive separation/);

    const onlyLegal = slotsOf(hours, { hours: [20], breaks: 1, avails: 2, category: () => 'legal' });
    const again = run(inputsOf({ campaigns: [reserved] }), onlyLegal);
    expect(again.bumped).toEqual([{ campaignId: 'reserved', count: 1, reason: BUMP_REASONS.reserved }]);
  });

  it('a paused campaign or one not yet started gets no spots', () => {
    const campaigns = [
      campaign('paused', { status: 'paused' }),
      campaign('cancelled', { status: 'cancelled' }),
      campaign('future', { startsOn: '2026-11-06' }),
      campaign('ended', { endsOn: '2026-11-04' }),
      campaign('live', { spotsPerDay: 2 }),
    ];
    const { slots: out, bumped } = run(inputsOf({ campaigns }));
    const placed = new Set(out.flatMap((s) => (s.fill?.campaignId ? [s.fill.campaignId] : [])));
    expect([...placed]).toEqual(['live']);
    expect(bumped).toEqual([]);
  });
});

describe('traffic: a heavily oversold day', () => {
  // 120 orders from 40 advertisers want 2–4 spots each (≈360) of 144 avails; break 1 of every
  // third hour is reserved for auto, so some of its avails stay empty (one auto spot per break).
  const categories = [null, 'auto', 'food', 'retail', 'legal', 'health'];
  const dayparts = [[], [], ['morning-drive'], ['evening', 'overnight'], ['midday', 'afternoon-drive']];
  const orders = Array.from({ length: 120 }, (_, i) =>
    campaign(`o${i}`, {
      advertiserId: `adv-${i % 40}`,
      priority: 1 + (i % 5),
      spotsPerDay: 2 + (i % 3),
      categoryCode: categories[i % categories.length] ?? null,
      daypartIds: dayparts[(i * 7) % dayparts.length] ?? [],
    }),
  );
  const makeGoods = [3, 17, 17, 42].map((n, k) => ({ id: `mg-${k}`, campaignId: `o${n}` }));
  const slots = slotsOf(hours, { breaks: 2, avails: 3, category: (h, b) => (b === 1 && h % 3 === 0 ? 'auto' : null) });
  const inputs = inputsOf({ campaigns: orders, makeGoods });

  it('places or bumps every spot owed, keeps separation, dayparts and priority, and is deterministic', () => {
    const result = run(inputs, slots);
    const { slots: out, bumped, exceptions } = result;
    for (const c of orders) {
      const owed = (c.spotsPerDay ?? 0) + makeGoods.filter((m) => m.campaignId === c.id).length;
      const placed = spotsOf(out, c.id);
      const lost = bumped.filter((b) => b.campaignId === c.id).reduce((n, b) => n + b.count, 0);
      expect(placed.length + lost).toBe(owed);
      const allowed = new Set(hours.filter((h) => c.daypartIds.length === 0 || c.daypartIds.some((d) => h.daypartIds.includes(d))).map((h) => h.hour));
      for (const s of placed) expect(allowed.has(s.hour)).toBe(true);
    }
    expect(out.filter((s) => s.fill?.makeGoodId).map((s) => s.fill?.makeGoodId).sort()).toEqual(['mg-0', 'mg-1', 'mg-2', 'mg-3']);
    const byBreak = new Map<string, { advertisers: string[]; categories: string[] }>();
    for (const s of out) {
      if (!s.fill?.campaignId) continue;
      const c = orders.find((o) => o.id === s.fill?.campaignId)!;
      const entry = byBreak.get(breakOf(s)) ?? { advertisers: [], categories: [] };
      entry.advertisers.push(c.advertiserId);
      if (c.categoryCode) entry.categories.push(c.categoryCode);
      byBreak.set(breakOf(s), entry);
    }
    for (const { advertisers, categories: codes } of byBreak.values()) {
      expect(new Set(advertisers).size).toBe(advertisers.length);
      expect(new Set(codes).size).toBe(codes.length);
    }
    // Every avail is aired: a spot, else a PSA with its reason (the reserved ones auto cannot fill).
    const avails = availsOf(out);
    expect(avails.every((s) => s.fill !== null)).toBe(true);
    expect(avails.filter((s) => s.fill?.isFallback).every((s) => s.categoryCode === 'auto' && s.fill?.fallbackReason === 'no_sale')).toBe(true);
    const priority = new Map(orders.map((o) => [o.id, o.priority]));
    const preempted = exceptions.filter((e) => e.kind === 'spot_preempted');
    expect(preempted.length).toBeGreaterThan(0);
    for (const e of preempted) expect(priority.get(String(e.details.byCampaignId))!).toBeGreaterThan(priority.get(String(e.details.campaignId))!);
    expect(run(inputs, slots)).toEqual(result);
  });
});

describe('traffic: quotas and rotation', () => {
  it('a spots-per-day campaign gets exactly that many spots spread across its dayparts (not all in one hour)', () => {
    const drive = campaign('drive', { spotsPerDay: 6, daypartIds: ['morning-drive', 'afternoon-drive'] });
    const filler = ['a', 'b', 'c'].map((id) => campaign(id, { spotsPerDay: 20 }));
    const { slots: out } = run(inputsOf({ campaigns: [drive, ...filler] }));
    const spots = spotsOf(out, 'drive');
    expect(spots).toHaveLength(6);
    const hoursAired = spots.map((s) => s.hour);
    expect(new Set(hoursAired).size).toBe(6);
    expect(hoursAired.filter((h) => h >= 6 && h < 10).length).toBe(3);
    expect(hoursAired.filter((h) => h >= 15 && h < 19).length).toBe(3);
    expect(spotsOf(out, 'a')).toHaveLength(20);
  });

  it('spots only air in the campaign\'s dayparts', () => {
    const campaigns = [
      campaign('overnight', { spotsPerDay: 5, daypartIds: ['overnight'] }),
      campaign('midday', { spotsPerDay: 4, daypartIds: ['midday'] }),
      campaign('evening', { spotsPerDay: 8, daypartIds: ['evening'] }),
    ];
    const { slots: out } = run(inputsOf({ campaigns }));
    expect(spotsOf(out, 'overnight').every((s) => s.hour < 6)).toBe(true);
    expect(spotsOf(out, 'midday').every((s) => s.hour >= 10 && s.hour < 15)).toBe(true);
    expect(spotsOf(out, 'evening').every((s) => s.hour >= 19)).toBe(true);
    expect(spotsOf(out, 'overnight')).toHaveLength(5);
    expect(spotsOf(out, 'midday')).toHaveLength(4);
    expect(spotsOf(out, 'evening')).toHaveLength(8);
  });

  it('a 25-hour day (clocks go back) spreads spots over both 01:00 hours', () => {
    const day: typeof hours = Array.from({ length: 25 }, (_, index) => ({
      ...hours[0]!,
      index,
      hour: index <= 1 ? index : index - 1,
      startsAt: hours[0]!.startsAt + index * 3_600_000,
      daypartIds: [],
    }));
    const c = campaign('c', { spotsPerDay: 25 });
    const { slots: out } = placeTraffic(inputsOf({ campaigns: [c] }), day, slotsOf(day, { breaks: 2, avails: 2 }));
    const byIndex = spotsOf(out, 'c').map((s) => s.hourIndex);
    expect(byIndex).toHaveLength(25);
    expect(new Set(byIndex).size).toBe(25);
  });

  it('spots per week are spread over the rest of the week', () => {
    // Thursday: Thu, Fri, Sat, Sun left. 10 a week, 4 already placed → 6 over 4 days → 2 today.
    const weekly = campaign('weekly', { spotsPerDay: null, spotsPerWeek: 10, placedThisWeek: 4 });
    // Flight ends Friday: 6 over 2 days → 3 today.
    const endsFriday = campaign('ends-friday', { spotsPerDay: null, spotsPerWeek: 10, placedThisWeek: 4, endsOn: '2026-11-06' });
    // Weekday dayparts only: Thu and Fri share the rest → 3 today.
    const weekdays = campaign('weekdays', { spotsPerDay: null, spotsPerWeek: 10, placedThisWeek: 4, daypartIds: ['morning-drive'] });
    const done = campaign('done', { spotsPerDay: null, spotsPerWeek: 5, placedThisWeek: 7 });
    const { slots: out, bumped } = run(inputsOf({ campaigns: [weekly, endsFriday, weekdays, done] }));
    expect(spotsOf(out, 'weekly')).toHaveLength(2);
    expect(spotsOf(out, 'ends-friday')).toHaveLength(3);
    expect(spotsOf(out, 'weekdays')).toHaveLength(3);
    expect(spotsOf(out, 'done')).toHaveLength(0);
    expect(bumped).toEqual([]);
  });

  it('sequential copy rotation continues from yesterday (placedBefore)', () => {
    const copy = ['a', 'b', 'c'].map((x) => ({ trackId: `furniture-${x}`, weight: 1, startsOn: null, endsOn: null }));
    const furniture = campaign('furniture', { spotsPerDay: 5, placedBefore: 4, copy });
    const { slots: out } = run(inputsOf({ campaigns: [furniture] }));
    expect(spotsOf(out, 'furniture').map((s) => s.fill.trackId)).toEqual(['furniture-b', 'furniture-c', 'furniture-a', 'furniture-b', 'furniture-c']);
  });

  it('copy only airs within its own dates', () => {
    const copy = [
      { trackId: 'old', weight: 1, startsOn: null, endsOn: '2026-11-04' },
      { trackId: 'current', weight: 1, startsOn: '2026-11-01', endsOn: null },
      { trackId: 'next', weight: 1, startsOn: '2026-11-06', endsOn: null },
    ];
    const c = campaign('c', { spotsPerDay: 4, copy });
    const { slots: out } = run(inputsOf({ campaigns: [c] }));
    expect(spotsOf(out, 'c').map((s) => s.fill.trackId)).toEqual(['current', 'current', 'current', 'current']);
  });

  it('weighted rotation follows the weights over many spots (roughly)', () => {
    const copy = [
      { trackId: 'sale-main', weight: 3, startsOn: null, endsOn: null },
      { trackId: 'sale-tag', weight: 1, startsOn: null, endsOn: null },
    ];
    const sale = campaign('sale', { spotsPerDay: 24, rotation: 'weighted', copy });
    let main = 0;
    let total = 0;
    for (let seed = 1; seed <= 20; seed++) {
      const { slots: out } = run(inputsOf({ campaigns: [sale], seed }));
      for (const s of spotsOf(out, 'sale')) {
        total++;
        if (s.fill.trackId === 'sale-main') main++;
      }
    }
    expect(total).toBe(480);
    expect(main / total).toBeGreaterThan(0.68);
    expect(main / total).toBeLessThan(0.82);
  });

  it('vertical rotation varies the break position', () => {
    const c = campaign('c', { spotsPerDay: 12 });
    const { slots: out } = run(inputsOf({ campaigns: [c] }), slotsOf(hours, { breaks: 1, avails: 3 }));
    const positions = spotsOf(out, 'c').map((s) => s.breakPosition);
    expect(positions).toHaveLength(12);
    for (const p of [0, 1, 2]) expect(positions.filter((x) => x === p).length).toBe(4);
  });

  it('the fill names the advertiser, the campaign and the copy', () => {
    const c = campaign('rainbow', { advertiserName: 'Rainbow Motors', name: 'Fall Sale', spotsPerDay: 1 });
    const library = [track('rainbow-copy', 'ADV', { lengthMs: 29_500, title: 'Fall Sale 30' }), psa('p')];
    const { slots: out } = run(inputsOf({ campaigns: [c], library }));
    expect(spotsOf(out, 'rainbow')[0]?.fill).toEqual({
      trackId: 'rainbow-copy',
      type: 'ADV',
      lengthMs: 29_500,
      title: 'Rainbow Motors — Fall Sale',
      artist: null,
      campaignId: 'rainbow',
      makeGoodId: null,
      voiceTrackId: null,
      isFallback: false,
      fallbackReason: null,
      note: 'spot 1 of 1 today; copy "Fall Sale 30"',
    });
  });
});

describe('traffic: determinism and the contract', () => {
  const campaigns = [
    campaign('a', { spotsPerDay: 10, categoryCode: 'auto' }),
    campaign('b', { spotsPerDay: 8, categoryCode: 'auto', priority: 3 }),
    campaign('c', { spotsPerDay: 14, rotation: 'weighted', daypartIds: ['morning-drive', 'afternoon-drive'] }),
    campaign('d', { spotsPerDay: null, spotsPerWeek: 21 }),
  ];

  it('the same seed gives the same traffic', () => {
    const first = run(inputsOf({ campaigns, seed: 7 }));
    const second = run(inputsOf({ campaigns, seed: 7 }));
    expect(second).toEqual(first);
    const other = run(inputsOf({ campaigns, seed: 8 }));
    expect(other.slots).not.toEqual(first.slots);
  });

  it('leaves its inputs alone and keeps the slots in order', () => {
    const inputs = deepFreeze(inputsOf({ campaigns, makeGoods: [{ id: 'mg', campaignId: 'a' }] }));
    const slots = deepFreeze(slotsOf(hours, { psaElement: true }));
    const { slots: out } = placeTraffic(inputs, deepFreeze(hoursOf()), slots);
    expect(out.map((s) => s.key)).toEqual(slots.map((s) => s.key));
    expect(out.map(({ fill: _fill, ...rest }) => rest)).toEqual(slots.map(({ fill: _fill, ...rest }) => rest));
    expect(out.filter((s) => s.type === 'MUS').every((s) => s.fill === null)).toBe(true);
    expect(out.filter((s) => s.type === 'ADV' || s.type === 'PSA').every((s) => s.fill !== null)).toBe(true);
  });

  it('slots already filled (a voice track) are not touched', () => {
    const slots = slotsOf(hours, { hours: [9], breaks: 1, avails: 2 });
    const voiced = slots.map((s, i) =>
      i === 1 ? { ...s, fill: { trackId: 'vt-1', type: 'VT' as const, lengthMs: 12_000, title: 'VT', artist: null, campaignId: null, makeGoodId: null, voiceTrackId: 'vt-1', isFallback: false, fallbackReason: null, note: null } } : s,
    );
    const { slots: out } = run(inputsOf({ campaigns: [campaign('x', { spotsPerDay: 2 })] }), voiced);
    expect(out[1]).toBe(voiced[1]);
    expect(spotsOf(out, 'x')).toHaveLength(1);
  });
});
