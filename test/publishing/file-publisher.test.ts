// The file publisher's two formats on the 25-hour day: the LibreTime JSON says which 01:00 hour
// each item is in, with its UTC offset; the Rivendell text log (fixed columns, no room for an
// offset) lists the 01:xx lines twice, in air order. Faded entries keep their shorter length.
import { describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createFilePublisher, libretimeSchedule, rivendellLog } from '../../activities/publishing/file-publisher.js';
import type { PublishableEntry, PublishableLog } from '../../activities/publishing/publisher.js';

const entry = (position: number, startsAt: string, hourLabel: string, utcOffsetMinutes: number, lengthMs = 3_600_000, fadeOutMs = 0): PublishableEntry => ({
  id: `00000000-0000-4000-8000-00000000000${position}`,
  position,
  startsAt,
  hourLabel,
  utcOffsetMinutes,
  lengthMs,
  type: 'MUS',
  title: `Hour ${position}`,
  artist: null,
  trackId: null,
  trackRef: null,
  libretimeFileId: 7,
  cueInMs: 0,
  cueOutMs: lengthMs,
  fadeOutMs,
  campaignId: null,
  isFallback: false,
});

// New York falls back on 2026-11-01: 01:00 comes twice, first in daylight time, then in standard time.
const fallBack: PublishableLog = {
  station: { id: '00000000-0000-4000-8000-0000000000aa', slug: 'wdst', name: 'WDST', timezone: 'America/New_York' },
  date: '2026-11-01',
  version: 1,
  entries: [
    entry(0, '2026-11-01T04:00:00.000Z', '00:00', -240),
    entry(1, '2026-11-01T05:00:00.000Z', '01:00 EDT', -240, 3_588_000, 2_000),
    entry(2, '2026-11-01T05:59:48.000Z', '01:00 EDT', -240, 12_000),
    entry(3, '2026-11-01T06:00:00.000Z', '01:00 EST', -300),
    entry(4, '2026-11-01T07:00:00.000Z', '02:00', -300),
  ],
};

describe('the file publisher on the 25-hour day', () => {
  it('writes each item with its hour label and UTC offset, and a faded entry with its aired length and fade', () => {
    const items = libretimeSchedule(fallBack).items;
    expect(items.map((i) => [i.hour_label, i.utc_offset_minutes])).toEqual([
      ['00:00', -240],
      ['01:00 EDT', -240],
      ['01:00 EDT', -240],
      ['01:00 EST', -300],
      ['02:00', -300],
    ]);
    expect(items[1]).toMatchObject({ length: '00:59:48.000000', cue_out: '00:59:48.000000', fade_out: '00:00:02.000000', ends_at: '2026-11-01T05:59:48.000Z' });
  });

  it('lists the repeated hour twice in the Rivendell log, in air order, with each entry id', () => {
    const lines = rivendellLog(fallBack).split('\r\n').filter(Boolean);
    expect(lines.map((l) => l.slice(0, 8))).toEqual(['00:00:00', '01:00:00', '01:59:48', '01:00:00', '02:00:00']);
    expect(lines[1]!.slice(60, 68)).toBe('00:59:48');
    expect(lines.every((l, i) => l.endsWith(fallBack.entries[i]!.id.replaceAll('-', '')))).toBe(true);
  });
});

describe('the file publisher after a worker was killed', () => {
  it('leaves no temporary file behind: the retry clears what the killed attempt left', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'librelog-files-'));
    try {
      const folder = path.join(dataDir, 'published', 'wdst');
      await mkdir(folder, { recursive: true });
      // What a worker killed between writing and renaming leaves.
      await writeFile(path.join(folder, '2026-11-01.libretime.json.4242.tmp'), '{"half": ');
      await writeFile(path.join(folder, '2026-11-01.rivendell.txt.4242.tmp'), 'half');
      await writeFile(path.join(folder, '2026-10-31.libretime.json'), '{}');
      await createFilePublisher(dataDir).publish(fallBack);
      expect((await readdir(folder)).sort()).toEqual(['2026-10-31.libretime.json', '2026-11-01.libretime.json', '2026-11-01.rivendell.txt']);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

describe('the file publisher with a live programme', () => {
  const live: PublishableEntry = { ...entry(1, '2026-11-01T05:00:00.000Z', '01:00 EDT', -240), type: 'LIVE', title: 'Queer Talk Live', libretimeFileId: null };
  const log: PublishableLog = { ...fallBack, entries: [fallBack.entries[0]!, live] };

  it('writes the live entry as a marked line with no audio', () => {
    const items = libretimeSchedule(log).items;
    expect(items[1]).toMatchObject({ type: 'LIVE', title: 'Queer Talk Live', file: null, live: true, length: '01:00:00.000000' });
    expect(items[0]).not.toHaveProperty('live');
    const lines = rivendellLog(log).split('\r\n').filter(Boolean);
    expect(lines[1]!.slice(10, 25).trim()).toBe('');
    expect(lines[1]!.slice(25, 59).trim()).toBe('LIVE: Queer Talk Live');
  });
});
