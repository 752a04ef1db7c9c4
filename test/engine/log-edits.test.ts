// Hand edits to a built log (docs/log-editing.md), over stations, dates (DST days among them)
// and seeds that fast-check makes up: after any insert, delete, move, replace or lock the log
// still adds up — in time order, back to back, hard starts exact, the day's content equal to the
// day — only the hours edited change, and a rebuild keeps the edits whose place still exists.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildLog } from '../../domain/log/build.js';
import { editSlotKey, editStoredLog, separationWarnings, type StoredEntry } from '../../domain/log/edits.js';
import { logEntryId } from '../../domain/log/entry-id.js';
import { measureLog } from '../../domain/log/quality.js';
import type { BuiltLog, LogEdit, LogEntryDraft, SlotFill } from '../../domain/log/types.js';
import { stationFrom, stationSpec } from './fixtures/property-station.js';

const stored = (entries: readonly LogEntryDraft[], locked: ReadonlySet<string> = new Set()): StoredEntry[] =>
  entries.map((e) => ({
    id: e.id,
    slotKey: e.slotKey,
    startsAt: e.startsAt,
    lengthMs: e.lengthMs,
    fadedEarlyMs: e.fadedEarlyMs,
    fadeOutMs: e.fadeOutMs,
    type: e.type,
    trackId: e.trackId,
    campaignId: e.campaignId,
    makeGoodId: e.makeGoodId,
    clockId: e.clockId,
    clockElementId: e.clockElementId,
    voiceTrackId: e.voiceTrackId,
    hour: e.hour,
    hourLabel: e.hourLabel,
    breakIndex: e.breakIndex,
    startKind: e.startKind,
    isFallback: e.isFallback,
    fallbackReason: e.fallbackReason,
    title: e.title,
    artist: e.artist,
    note: e.note,
    liveSource: e.liveSource ?? null,
    locked: locked.has(e.id),
  }));

const fillOf = (e: LogEntryDraft): SlotFill =>
  e.type === 'LIVE'
    ? { trackId: null, type: 'LIVE', liveSource: e.liveSource ?? 'live', lengthMs: e.lengthMs + e.fadedEarlyMs, title: e.title, artist: e.artist, campaignId: null, makeGoodId: null, voiceTrackId: null, isFallback: false, fallbackReason: null, note: null }
    : { trackId: e.trackId!, type: e.type, lengthMs: e.lengthMs + e.fadedEarlyMs, title: e.title, artist: e.artist, campaignId: e.campaignId, makeGoodId: null, voiceTrackId: null, isFallback: false, fallbackReason: null, note: null };

/** The log adds up: the same checks as a built log's (test/engine/log-invariants.test.ts). */
function expectAddsUp(log: BuiltLog, inputs: ReturnType<typeof stationFrom>) {
  const quality = measureLog(log, inputs.clocks, inputs.station.fillToleranceMs);
  expect(quality).toMatchObject({ overlaps: 0, outOfOrder: 0, gapMs: 0, startsAfterDayEnd: 0, hardStartsMissed: 0 });
  expect(quality.contentMs).toBe(quality.dayMs);
  log.entries.forEach((entry, i) => {
    expect(entry.position).toBe(i);
    if (i > 0) expect(entry.startsAt).toBe(log.entries[i - 1]!.startsAt + log.entries[i - 1]!.lengthMs);
    expect(entry.lengthMs).toBeGreaterThanOrEqual(0);
  });
}

const editChoice = fc.record({
  kind: fc.constantFrom('insert-song' as const, 'insert-note' as const, 'delete' as const, 'move' as const, 'replace' as const, 'lock' as const),
  target: fc.nat(),
  anchor: fc.nat(),
  song: fc.nat(),
  placement: fc.constantFrom('before' as const, 'after' as const),
  noteSeconds: fc.integer({ min: 0, max: 90 }),
});

describe('hand edits to a built log (property)', () => {
  it('any edit leaves a log that adds up, with only the hours it touched changed', () => {
    fc.assert(
      fc.property(stationSpec, editChoice, (spec, choice) => {
        const inputs = stationFrom(spec);
        const log = buildLog(inputs);
        // Edits act on what the log plays: not the fill timing chose, which every build chooses again.
        const editable = log.entries.filter((e) => !e.slotKey.includes(':fill:'));
        if (editable.length < 2) return;
        const target = editable[choice.target % editable.length]!;
        const anchor = editable[choice.anchor % editable.length]!;
        const songs = inputs.library.filter((t) => t.type === 'MUS');
        const song = songs[choice.song % songs.length]!;
        const songFill: SlotFill = { trackId: song.id, type: 'MUS', lengthMs: song.lengthMs, title: song.title, artist: song.artist, campaignId: null, makeGoodId: null, voiceTrackId: null, isFallback: false, fallbackReason: null, note: null };
        const id = '11111111-2222-4333-8444-555555555555';
        const edit: LogEdit =
          choice.kind === 'insert-song'
            ? { id, kind: 'insert', entryId: anchor.id, placement: choice.placement, anchorEntryId: null, content: songFill }
            : choice.kind === 'insert-note'
              ? { id, kind: 'insert', entryId: anchor.id, placement: choice.placement, anchorEntryId: null, content: { ...songFill, trackId: null, type: 'LIVE', liveSource: 'live', title: 'Live read: Rainbow Motors', artist: null, lengthMs: choice.noteSeconds * 1_000 } }
              : choice.kind === 'move'
                ? { id, kind: 'move', entryId: target.id, placement: choice.placement, anchorEntryId: anchor.id, content: null }
                : choice.kind === 'replace'
                  ? { id, kind: 'replace', entryId: target.id, placement: null, anchorEntryId: null, content: songFill }
                  : { id, kind: choice.kind, entryId: target.id, placement: null, anchorEntryId: null, content: null };

        const edited = editStoredLog(inputs, log.hours, stored(log.entries), edit);
        if ('why' in edited) {
          // Only a move next to itself, or of a hard start, is refused among these.
          expect(choice.kind).toBe('move');
          expect(anchor.id === target.id || target.startKind === 'hard').toBe(true);
          return;
        }
        expectAddsUp({ ...log, entries: edited.entries }, inputs);
        // Every hour the edit did not touch is exactly as it was.
        const untouched = (entries: readonly LogEntryDraft[]) => entries.filter((e) => !edited.hourIndexes.includes(e.hourIndex));
        expect(untouched(edited.entries).map(({ position: _, ...e }) => e)).toEqual(untouched(log.entries).map(({ position: _, ...e }) => e));
        // And the edit shows.
        const ids = new Set(edited.entries.map((e) => e.id));
        const dropped = (title: string) => edited.exceptions.some((x) => x.message.includes(`"${title}"`));
        if (choice.kind === 'delete') expect(ids.has(target.id)).toBe(false);
        if (choice.kind === 'insert-song' || choice.kind === 'insert-note') {
          const inserted = logEntryId(inputs.station.id, inputs.date, editSlotKey(anchor.hourIndex, id));
          const title = edit.content!.title;
          expect(ids.has(inserted) || dropped(title)).toBe(true);
          if (ids.has(inserted)) {
            const at = edited.entries.findIndex((e) => e.id === inserted);
            const beside = edited.entries[choice.placement === 'after' ? at - 1 : at + 1];
            // Beside its anchor, unless timing put fill between them or the anchor itself went.
            if (beside && ids.has(anchor.id) && !beside.slotKey.includes(':fill:')) expect(beside.id).toBe(anchor.id);
          }
        }
        if (choice.kind === 'move') {
          expect(ids.has(target.id)).toBe(false);
          const moved = logEntryId(inputs.station.id, inputs.date, editSlotKey(anchor.hourIndex, id));
          expect(ids.has(moved) || dropped(target.title)).toBe(true);
        }
        if (choice.kind === 'replace' && ids.has(target.id)) expect(edited.entries.find((e) => e.id === target.id)!.trackId).toBe(song.id);
        if (choice.kind === 'lock') expect(edited.entries.find((e) => e.id === target.id)?.trackId ?? null).toBe(target.trackId);
      }),
      { numRuns: 150, seed: 20261205 },
    );
  });

  it('a rebuild with another seed keeps a locked entry where it was, and drops an edit whose place is gone', () => {
    fc.assert(
      fc.property(stationSpec, fc.nat(), (spec, pick) => {
        const inputs = stationFrom(spec);
        const log = buildLog(inputs);
        const songs = log.entries.filter((e) => e.type === 'MUS' && !e.slotKey.includes(':fill:'));
        if (songs.length === 0) return;
        const locked = songs[pick % songs.length]!;
        const edits: LogEdit[] = [
          { id: 'a0000000-0000-4000-8000-000000000001', kind: 'lock', entryId: locked.id, entrySlotKey: locked.slotKey, placement: null, anchorEntryId: null, content: fillOf(locked) },
          { id: 'a0000000-0000-4000-8000-000000000002', kind: 'delete', entryId: '00000000-0000-4000-8000-0000000000ff', placement: null, anchorEntryId: null, content: null },
        ];
        const rebuilt = buildLog({ ...inputs, seed: inputs.seed + 1, edits });
        expectAddsUp(rebuilt, inputs);
        expect(rebuilt.edits.kept).toEqual([edits[0]!.id]);
        expect(rebuilt.edits.dropped).toEqual([{ id: edits[1]!.id, why: 'the entry it changed is no longer in the log' }]);
        const again = rebuilt.entries.find((e) => e.id === locked.id);
        // Locked: same song, same place in its hour; timing may fade it, never drop it.
        expect(again?.trackId).toBe(locked.trackId);
        expect(again?.hourIndex).toBe(locked.hourIndex);
      }),
      { numRuns: 60, seed: 42 },
    );
  });

  it('fill material is no place to edit: timing chooses it again around every edit', () => {
    fc.assert(
      fc.property(stationSpec, fc.nat(), (spec, pick) => {
        const inputs = stationFrom(spec);
        const log = buildLog(inputs);
        const fills = log.entries.filter((e) => e.slotKey.includes(':fill:'));
        const others = log.entries.filter((e) => !e.slotKey.includes(':fill:') && e.startKind !== 'hard');
        if (fills.length === 0 || others.length === 0) return;
        const fill = fills[pick % fills.length]!;
        const id = '22222222-2222-4333-8444-555555555555';
        for (const edit of [
          { id, kind: 'delete' as const, entryId: fill.id, placement: null, anchorEntryId: null, content: null },
          { id, kind: 'lock' as const, entryId: fill.id, placement: null, anchorEntryId: null, content: null },
          { id, kind: 'move' as const, entryId: others[0]!.id, placement: 'after' as const, anchorEntryId: fill.id, content: null },
        ]) {
          const edited = editStoredLog(inputs, log.hours, stored(log.entries), edit);
          expect('why' in edited && edited.why).toMatch(/fill material/);
        }
      }),
      { numRuns: 30, seed: 3 },
    );
  });

  it('separation warnings name what is too close, in words', () => {
    const at = Date.UTC(2027, 0, 1, 12);
    const plays = [
      { id: 'e1', trackId: 't1', title: 'Rain', artist: 'Lizzo', startsAt: at - 20 * 60_000 },
      { id: 'e2', trackId: 't2', title: 'Juice', artist: 'Lizzo', startsAt: at + 2 * 3_600_000 },
    ];
    expect(separationWarnings({ id: 't1', title: 'Rain', artist: 'Lizzo' }, at, plays, { artistMinutes: 60, titleHours: 3 })).toEqual([
      '"Rain" plays 20:00 away: the title separation is 3 h',
      'Lizzo plays 20:00 away: the artist separation is 60 min',
    ]);
    // The entry being replaced does not count against its replacement.
    expect(separationWarnings({ id: 't3', title: 'Other', artist: 'Lizzo' }, at, plays, { artistMinutes: 60, titleHours: 3 }, new Set(['e1']))).toEqual([]);
  });
});
