import { describe, expect, it } from 'vitest';
import { broadcastHours, expandClocks } from '../../domain/log/clock-expansion.js';
import { timeEntries } from '../../domain/log/timing.js';
import { overlayVoiceTracks } from '../../domain/log/voice.js';
import { buildLog } from '../../domain/log/build.js';
import { clock, dayInputs, element, track } from './fixtures/day.js';

const HOUR = 3_600_000;

describe('clock expansion', () => {
  it('gives a normal day 24 hours starting at local midnight', () => {
    const hours = broadcastHours(dayInputs());
    expect(hours.map((h) => h.hour)).toEqual([...Array(24).keys()]);
    expect(new Date(hours[0]!.startsAt).toISOString()).toBe('2026-11-25T07:00:00.000Z'); // Phoenix is UTC−7
  });

  it('gives the 25-hour day in November 25 hours of log, the repeated hour twice', () => {
    const inputs = dayInputs({ date: '2026-11-01', station: { ...dayInputs().station, timezone: 'America/New_York' } });
    const hours = broadcastHours(inputs);
    expect(hours).toHaveLength(25);
    expect(hours.map((h) => h.hour).slice(0, 4)).toEqual([0, 1, 1, 2]);
    const built = buildLog(inputs);
    expect(new Set(built.entries.map((e) => e.hourIndex)).size).toBe(25);
    const last = built.entries.at(-1)!;
    expect(last.startsAt).toBeLessThan(hours[0]!.startsAt + 25 * HOUR);
  });

  it('gives the 23-hour day in March 23 hours, with no 02:00', () => {
    const hours = broadcastHours(dayInputs({ date: '2026-03-08', station: { ...dayInputs().station, timezone: 'America/New_York' } }));
    expect(hours).toHaveLength(23);
    expect(hours.map((h) => h.hour)).not.toContain(2);
  });

  it('takes a date override before the weekly grid', () => {
    const holiday = clock('Holiday Special', [element({ type: 'LIN', title: 'Legal ID' }), element({ type: 'MUS', count: 14 })]);
    const base = dayInputs();
    const inputs = { ...base, clocks: [...base.clocks, holiday], overrides: { '9': holiday.id } };
    const hours = broadcastHours(inputs);
    expect(hours[9]!.clockId).toBe(holiday.id);
    expect(hours[8]!.clockId).toBe(base.clocks[0]!.id);
  });

  it('reports an hour the grid has no clock for, as an error', () => {
    const base = dayInputs();
    const grid = { ...base.grid };
    delete grid['3:5']; // Wednesday 05:00 (2026-11-25 is a Wednesday)
    const { exceptions } = expandClocks({ ...base, grid }, broadcastHours({ ...base, grid }));
    expect(exceptions).toEqual([expect.objectContaining({ kind: 'missing_clock', severity: 'error', hour: 5 })]);
  });

  it('turns an element with count 3 into three slots, and consecutive ADV/PSA elements into one break', () => {
    const hourClock = clock('Talk', [
      element({ type: 'LIN', title: 'Legal ID' }),
      element({ type: 'ADV', count: 2, fallback: 'PSA' }),
      element({ type: 'PSA', categoryCode: 'health' }),
      element({ type: 'MUS', count: 3 }),
      element({ type: 'ADV', count: 1, fallback: 'PSA' }),
    ]);
    const inputs = dayInputs({ hourClock });
    const { slots } = expandClocks(inputs, broadcastHours(inputs));
    const first = slots.filter((s) => s.hourIndex === 0);
    expect(first.map((s) => s.type)).toEqual(['LIN', 'ADV', 'ADV', 'PSA', 'MUS', 'MUS', 'MUS', 'ADV']);
    expect(first.map((s) => s.breakIndex)).toEqual([null, 0, 0, 0, null, null, null, 1]);
    expect(first.map((s) => s.breakPosition)).toEqual([null, 0, 1, 2, null, null, null, 0]);
  });

  it('fills a named element by its title: the spec clock’s news bed and morning interview', () => {
    const bed = track({ type: 'BED', title: 'News Bed', lengthMs: 90_000 });
    const otherBed = track({ type: 'BED', title: 'Weather Bed', lengthMs: 60_000 });
    const interview = track({ type: 'INT', title: 'Morning Interview', lengthMs: 600_000 });
    const hourClock = clock('06:00', [
      element({ type: 'LIN', title: 'Top-of-Hour ID' }),
      element({ type: 'BED', title: 'News Bed' }),
      element({ type: 'INT', title: 'Morning Interview' }),
      element({ type: 'ADV', fallback: 'PSA' }),
      element({ type: 'MUS', count: 3 }),
    ]);
    const base = dayInputs({ hourClock });
    const inputs = { ...base, library: [...base.library, otherBed, bed, interview] };
    const { slots } = expandClocks(inputs, broadcastHours(inputs));
    expect(slots.slice(0, 3).map((s) => s.fill?.title)).toEqual(['Legal ID — KQTR Phoenix', 'News Bed', 'Morning Interview']);
  });
});

describe('timing', () => {
  const noOverlapsOrGaps = (built: ReturnType<typeof buildLog>) => {
    for (let i = 1; i < built.entries.length; i++) expect(built.entries[i]!.startsAt).toBe(built.entries[i - 1]!.startsAt + built.entries[i - 1]!.lengthMs);
  };

  it('keeps a hard start exact: what runs into it and cannot be faded is cut, and says so', () => {
    const hourClock = clock('News at :30', [
      element({ type: 'LIN', title: 'Legal ID' }),
      element({ type: 'INT', title: 'Long Interview' }),
      element({ type: 'BED', title: 'News Bed', startOffsetMs: 30 * 60_000, startKind: 'hard' }),
      element({ type: 'MUS', count: 7 }),
    ]);
    const base = dayInputs({ hourClock });
    const library = [...base.library, track({ type: 'BED', title: 'News Bed', lengthMs: 120_000 }), track({ type: 'INT', title: 'Long Interview', lengthMs: 35 * 60_000 })];
    const built = buildLog({ ...base, library });
    const news = built.entries.filter((e) => e.title === 'News Bed');
    expect(news).toHaveLength(24);
    expect(news.every((e, i) => e.startsAt === built.hours[i]!.startsAt + 30 * 60_000)).toBe(true);
    const interview = built.entries.find((e) => e.title === 'Long Interview')!;
    expect(interview).toMatchObject({ lengthMs: 30 * 60_000 - 10_000, fadedEarlyMs: 5 * 60_000 + 10_000, fadeOutMs: 2_000 });
    const cut = built.exceptions.find((x) => x.kind === 'hour_overrun' && x.slotKey !== null);
    expect(cut?.message).toBe('00:00: "Long Interview" cut 5:10 short for the hard start of "News Bed" at 00:30: nothing before it may be faded');
    noOverlapsOrGaps(built);
  });

  it('fades the song that runs into a hard start, and the entry says so', () => {
    const base = dayInputs();
    const built = buildLog(base);
    const faded = built.entries.filter((e) => e.fadedEarlyMs > 0);
    expect(faded.length).toBeGreaterThan(0);
    for (const entry of faded) {
      expect(entry.type).toBe('MUS');
      // Every song here is 4:00, so an hour can be up to half a song over; the fade keeps most of it.
      expect(entry.fadedEarlyMs).toBeLessThanOrEqual(entry.lengthMs);
      expect(entry.note).toMatch(/faded \d+:\d\d early for the \d\d:00 legal ID|faded \d+:\d\d early for the end of the broadcast day/);
    }
    noOverlapsOrGaps(built);
  });

  it('fills a stretch that comes up short from the fill material, and says when the clock is short', () => {
    const hourClock = clock('News at :30', [
      element({ type: 'LIN', title: 'Legal ID', startOffsetMs: 0, startKind: 'hard' }),
      element({ type: 'INT', title: 'Short Interview' }),
      element({ type: 'BED', title: 'News Bed', startOffsetMs: 30 * 60_000, startKind: 'hard' }),
      element({ type: 'MUS', count: 7 }),
    ]);
    const base = dayInputs({ hourClock });
    const promos = Array.from({ length: 30 }, (_, i) => track({ type: 'PRO', title: `Promo ${i}`, lengthMs: i % 2 ? 15_000 : 30_000 }));
    const library = [...base.library, ...promos, track({ type: 'BED', title: 'News Bed', lengthMs: 120_000 }), track({ type: 'INT', title: 'Short Interview', lengthMs: 20 * 60_000 })];
    const built = buildLog({ ...base, library });
    const fills = built.entries.filter((e) => e.hour === 0 && e.slotKey.includes(':fill:') && e.startsAt < built.hours[0]!.startsAt + 30 * 60_000);
    expect(fills.length).toBeGreaterThan(0);
    expect(fills.every((e) => e.note!.startsWith('fill for the hard start of "News Bed" at 00:30'))).toBe(true);
    const short = built.exceptions.find((x) => x.kind === 'hour_underrun' && x.hour === 0);
    expect(short).toMatchObject({ severity: 'warning' });
    expect(short!.message).toMatch(/^00:00: 9:50 before the hard start of "News Bed" at 00:30 filled with \d+ items of fill material: the clock comes up short$/);
    expect(built.exceptions.filter((x) => x.severity === 'error')).toEqual([]);
    noOverlapsOrGaps(built);
  });

  it('reports dead air as an error only where no fill material fits', () => {
    const hourClock = clock('Short', [element({ type: 'LIN', title: 'Legal ID' }), element({ type: 'MUS', count: 1 })]);
    const inputs = { ...dayInputs({ hourClock }), library: dayInputs().library.filter((t) => t.type !== 'PSA') };
    const { slots } = expandClocks(inputs, broadcastHours(inputs));
    const filled = slots.map((s) => (s.type === 'MUS' ? { ...s, fill: { trackId: 'x', type: 'MUS' as const, lengthMs: 240_000, title: 'One Song', artist: null, campaignId: null, makeGoodId: null, voiceTrackId: null, isFallback: false, fallbackReason: null, note: null } } : s));
    const { exceptions } = timeEntries(inputs, broadcastHours(inputs), filled);
    const deadAir = exceptions.filter((x) => x.kind === 'hour_underrun');
    expect(deadAir).toHaveLength(24);
    expect(deadAir.every((x) => x.severity === 'error')).toBe(true);
    expect(deadAir[0]!.message).toBe("00:00: 55:50 of dead air before the 01:00 hour: no fill material fits (add promos, PSAs or beds, or set the station's fill types)");
    expect(deadAir[23]!.message).toMatch(/before the end of the broadcast day/);
  });

  it('shows an hour without a legal ID near the top as an error', () => {
    const hourClock = clock('No ID', [element({ type: 'MUS', count: 15 })]);
    const built = buildLog(dayInputs({ hourClock }));
    const missing = built.exceptions.filter((x) => x.kind === 'missing_legal_id');
    expect(missing).toHaveLength(24);
    expect(missing[0]).toMatchObject({ severity: 'error', message: '00:00 has no legal ID: every hour needs one near the top of the hour' });
  });

  it('gives every entry a stable id that a rebuild keeps', () => {
    const inputs = dayInputs();
    const first = buildLog(inputs);
    const again = buildLog({ ...inputs, seed: 99 });
    expect(again.entries.map((e) => e.id)).toEqual(first.entries.map((e) => e.id));
    expect(new Set(first.entries.map((e) => e.id)).size).toBe(first.entries.length);
    expect(first.entries[0]!.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('builds the same log from the same inputs and seed', () => {
    const inputs = dayInputs();
    const strip = (log: ReturnType<typeof buildLog>) => log.entries.map((e) => [e.id, e.trackId, e.startsAt]);
    expect(strip(buildLog({ ...inputs, seed: 42 }))).toEqual(strip(buildLog(structuredClone({ ...inputs, seed: 42 }))));
    expect(strip(buildLog({ ...inputs, seed: 42 }))).not.toEqual(strip(buildLog({ ...inputs, seed: 43 })));
  });
});

describe('voice priority', () => {
  it('puts a voice track over the slot’s content, and music is fitted around its real length', () => {
    const base = dayInputs();
    const musicElement = base.clocks[0]!.elements[1]!;
    const without = buildLog(base);
    const voiced = { ...base, voiceTracks: [{ id: 'vt-1', hour: 7, clockElementId: musicElement.id, slotIndex: 2, trackId: 'vt-track', title: 'Link into the 7 o’clock set', lengthMs: 25_000 }] };
    const withVoice = buildLog(voiced);
    const before = without.entries.filter((e) => e.hour === 7);
    const after = withVoice.entries.filter((e) => e.hour === 7);
    const vt = after.find((e) => e.type === 'VT')!;
    expect(vt).toMatchObject({ voiceTrackId: 'vt-1', lengthMs: 25_000, title: 'Link into the 7 o’clock set', slotKey: before[3]!.slotKey });
    expect(vt.note).toBe('Voice track fills the MUS slot');
    // The hour still ends on the next hour's legal ID.
    const last = after[after.length - 1]!;
    expect(last.startsAt + last.lengthMs).toBe(withVoice.hours[8]!.startsAt);
  });

  it('says so when a voice track has no slot to go to', () => {
    const inputs = dayInputs();
    const { exceptions } = overlayVoiceTracks(
      { ...inputs, voiceTracks: [{ id: 'vt-2', hour: 9, clockElementId: 'no-such-element', slotIndex: 0, trackId: 't', title: 'Orphan link', lengthMs: 10_000 }] },
      expandClocks(inputs, broadcastHours(inputs)).slots,
    );
    expect(exceptions).toEqual([expect.objectContaining({ kind: 'empty_slot', message: expect.stringContaining('Orphan link') as string })]);
  });
});
