// What keeps a piece of programming or traffic from being deleted, in the station's words.
import { describe, expect, it } from 'vitest';
import { campaignBlockers, clockBlockers, daypartBlockers, refusalDetail, weeklyHoursText } from '../../domain/deletion.js';

const hours = (days: number[], list: number[]) => days.flatMap((weekday) => list.map((hour) => ({ weekday, hour })));

describe('the weekly grid in words', () => {
  it('puts days with the same hours together: Mon–Fri 06:00', () => {
    expect(weeklyHoursText(hours([1, 2, 3, 4, 5], [6]))).toEqual(['Mon–Fri 06:00']);
  });
  it('says runs of hours by where they start and end, and two days as a pair', () => {
    expect(weeklyHoursText([...hours([1, 2, 3, 4, 5], [0, 1, 2, 3, 4, 5, 7, 8]), ...hours([6, 7], [...Array(24).keys()])])).toEqual(['Mon–Fri 00:00–06:00 and 07:00–09:00', 'Sat, Sun 00:00–24:00']);
  });
  it('keeps days apart that are not next to each other', () => {
    expect(weeklyHoursText(hours([1, 3, 7], [22]))).toEqual(['Mon, Wed, Sun 22:00']);
  });
});

describe('what blocks a delete', () => {
  it('nothing, for a daypart nobody uses', () => {
    expect(daypartBlockers({ ruleSets: [], clocks: [], campaigns: [], tracks: 0, makeGoods: 0 })).toEqual([]);
  });

  it('a clock: the grid and logs from today on, never past logs', () => {
    const usage = {
      weekly: [],
      overrides: [],
      logs: [
        { date: '2026-12-01', status: 'reconciled' as const, entries: 20 },
        { date: '2026-12-05', status: 'approved' as const, entries: 20 },
      ],
      voiceTracks: [{ date: '2026-12-01', count: 2 }],
    };
    expect(clockBlockers(usage, '2026-12-04')).toEqual([{ path: 'logs', message: 'the log of 2026-12-05 has hours from it: change the grid, then rebuild that day' }]);
    expect(clockBlockers(usage, '2026-12-06')).toEqual([]);
  });

  it('a campaign: any log, past (the record of what aired) or to come, and make-goods still owed', () => {
    const blockers = campaignBlockers(
      {
        logs: [
          { date: '2026-12-01', status: 'reconciled', entries: 3 },
          { date: '2026-12-10', status: 'approved', entries: 1 },
        ],
        makeGoods: { owed: 1, scheduled: 1, aired: 4 },
      },
      '2026-12-04',
    );
    expect(blockers.map((b) => b.message)).toEqual([
      'the log of 2026-12-01 carries 3 spots of it, the record of what aired: cancel the campaign instead',
      'the log of 2026-12-10 to come carries 1 spot of it: cancel the campaign and rebuild that day',
      '2 make-goods are still owed: waive them, or cancel the campaign',
    ]);
    expect(refusalDetail('campaign', 'Fall Sale', blockers, 'cancel the campaign')).toBe('Campaign "Fall Sale" is still in use (3 uses, listed in errors): change those first, or cancel the campaign.');
  });
});
