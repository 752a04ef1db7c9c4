// The file publisher: writes each approved log as LibreTime-ready JSON and as a text log in
// Rivendell's standard import layout, under <data>/published/<station>/. Writing goes to a
// temporary file first and is renamed into place, so publishing again replaces the old copy.
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DateTime } from 'luxon';
import { msToInterval } from '../../domain/durations.js';
import type { PublishableLog, PublishReceipt, Publisher } from './publisher.js';

const NO_FADE = msToInterval(0);

/** Schedule items as LibreTime's `POST /api/v2/schedule` takes them (instance filled in at import). */
export function libretimeSchedule(log: PublishableLog) {
  return {
    station: log.station.slug,
    date: log.date,
    version: log.version,
    timezone: log.station.timezone,
    items: log.entries.map((e) => {
      const starts = Date.parse(e.startsAt);
      return {
        librelog_entry_id: e.id,
        starts_at: new Date(starts).toISOString(),
        ends_at: new Date(starts + e.lengthMs).toISOString(),
        file: e.libretimeFileId,
        length: msToInterval(e.lengthMs),
        cue_in: msToInterval(e.cueInMs),
        cue_out: msToInterval(e.cueOutMs),
        fade_in: NO_FADE,
        // Never null (playout fails on a null fade); a short fade where the entry is faded early.
        fade_out: msToInterval(e.fadeOutMs ?? 0),
        position: e.position,
        position_status: 1,
        broadcasted: 0,
        type: e.type,
        title: e.title,
        artist: e.artist,
        // A live show, network feed or outside programme: no audio here, its time is the studio's.
        ...(e.type === 'LIVE' && { live: true }),
        // The hour as the station says it, so the 25-hour day's two 01:00 hours stay apart.
        hour_label: e.hourLabel ?? null,
        utc_offset_minutes: e.utcOffsetMinutes ?? null,
      };
    }),
  };
}

/**
 * Rivendell's "Rivendell Standard Import" traffic/music layout: start HH:MM:SS at column 0,
 * cart number at 10 (6), title at 25 (34), length HH:MM:SS at 60, and a data field at 69 (32)
 * that carries the entry id so the as-run can be matched back to the log. The layout has no
 * room for a UTC offset: on the 25-hour day the 01:xx:xx lines come twice, in air order.
 */
export function rivendellLog(log: PublishableLog): string {
  const lines = log.entries.map((e) => {
    const start = DateTime.fromISO(e.startsAt, { zone: log.station.timezone }).toFormat('HH:mm:ss');
    const cart = e.trackRef && /^\d{1,6}$/.test(e.trackRef) ? e.trackRef.padStart(6, '0') : '      ';
    const length = msToInterval(e.lengthMs).slice(0, 8);
    // A live programme is a marked line with no cart: nothing for Rivendell to play.
    const title = `${e.type === 'LIVE' ? 'LIVE: ' : ''}${e.title}${e.artist ? ` - ${e.artist}` : ''}`.replace(/[\r\n]+/g, ' ');
    return `${start.padEnd(10)}${cart.padEnd(15)}${title.slice(0, 34).padEnd(35)}${length} ${e.id.replaceAll('-', '')}`;
  });
  return `${lines.join('\r\n')}\r\n`;
}

async function replaceFile(file: string, content: string): Promise<void> {
  const temporary = `${file}.${process.pid}.tmp`;
  // A worker killed between writing and renaming left its temporary file behind: the retry
  // (another process, another name) clears what earlier attempts left of this file.
  const folder = path.dirname(file);
  const base = path.basename(file);
  for (const name of await readdir(folder)) {
    if (name.startsWith(`${base}.`) && name.endsWith('.tmp') && path.join(folder, name) !== temporary) await rm(path.join(folder, name), { force: true });
  }
  await writeFile(temporary, content);
  await rename(temporary, file);
}

export function createFilePublisher(dataDir: string): Publisher {
  return {
    target: 'file',
    async publish(log): Promise<PublishReceipt> {
      const folder = path.join(dataDir, 'published', log.station.slug);
      await mkdir(folder, { recursive: true });
      const json = path.join(folder, `${log.date}.libretime.json`);
      await replaceFile(json, `${JSON.stringify(libretimeSchedule(log), null, 2)}\n`);
      await replaceFile(path.join(folder, `${log.date}.rivendell.txt`), rivendellLog(log));
      return { target: 'file', location: folder, items: log.entries.length };
    },
  };
}
