// The LibreTalk socket (/api/v1/libretalk, `libretalk_socket` in the spec): for live voice
// tracking and break handling. A client follows one station: it gets the rundown of the
// published log (upcoming breaks and voice-track slots), a notice shortly before each, the
// slots of any day on request, and it can send a live voice track for a slot — stored,
// measured, attached to the log (a day not yet published is rebuilt with it, per voice
// priority). Same door and JWT as the live socket (./sockets.ts). Format: docs/libretalk.md.
import type { Client } from '@temporalio/client';
import type { Knex } from 'knex';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { DateTime } from 'luxon';
import type { WebSocket } from 'ws';
import type { FeedEvent, LogStatusFeed } from '../db/log-status-feed.js';
import type { StationRow } from '../db/log-inputs.js';
import { inspectAudio, MAX_VOICE_TRACK_MS, NotAudio } from '../media/audio.js';
import { voiceSlotsOf, type VoiceSlotView } from '../media/voice-slots.js';
import { replaceVoiceAudio, slotProblems, storeVoiceTrack, voiceTrackInSlot, type VoiceSlot } from '../media/voice-tracks.js';
import { recordAudit } from './audit.js';
import type { Principal } from './auth/principal.js';
import { mayCall } from './auth/scopes.js';
import { rebuildUnpublishedDay } from './day-rebuild.js';
import { stationForSocket } from './live-socket.js';
import { parseMessage, sendJson, type SocketEndpoint } from './sockets.js';

export const LIBRETALK_PATH = '/api/v1/libretalk';
/** How far ahead the rundown looks, and how long before a break or slot its notice comes. */
const RUNDOWN_HOURS = 3;
const NOTICE_MINUTES = 5;

export interface LibreTalkDeps {
  db: Knex;
  feed: LogStatusFeed;
  dataDir?: string | undefined;
  maxUploadBytes: number;
  broadcastDays?: { client: Client } | undefined;
  /** How often upcoming notices are checked (tests make it short). */
  noticeEveryMs?: number;
  log?: (error: unknown) => void;
}

interface Break {
  date: string;
  hour: number;
  /** "07:00"; the 25-hour day's two 01:00 hours are "01:00 EDT" and "01:00 EST", each with its own breaks. */
  hourLabel: string;
  breakIndex: number;
  startsAt: string;
  lengthMs: number;
  spots: { title: string; type: string; lengthMs: number; isFallback: boolean }[];
}

interface Upload {
  slot: VoiceSlot;
  title: string | null;
  declared: number;
  received: number;
  file: string;
  stream: WriteStream;
}

interface Connection {
  socket: WebSocket;
  principal: Principal;
  station?: StationRow;
  announced: Set<string>;
  upload?: Upload;
}

export function createLibreTalkSocket(deps: LibreTalkDeps): SocketEndpoint {
  const { db } = deps;
  const connections = new Set<Connection>();

  /** The published days that overlap the next hours: today and, near midnight, tomorrow. */
  async function publishedDays(station: StationRow, until: number): Promise<{ id: string; date: string }[]> {
    const today = DateTime.now().setZone(station.timezone);
    const dates = [today.toISODate()!, ...(DateTime.fromMillis(until).setZone(station.timezone).toISODate() !== today.toISODate() ? [today.plus({ days: 1 }).toISODate()!] : [])];
    return (await db('daily_logs').where({ stationId: station.id, status: 'published' }).whereIn('broadcastDate', dates).select('id', 'broadcastDate as date')) as { id: string; date: string }[];
  }

  async function rundown(station: StationRow): Promise<{ breaks: Break[]; voiceSlots: VoiceSlotView[]; from: string; to: string }> {
    const now = Date.now();
    const until = now + RUNDOWN_HOURS * 3_600_000;
    const days = await publishedDays(station, until);
    const breaks: Break[] = [];
    const voiceSlots: VoiceSlotView[] = [];
    for (const day of days) {
      const spots = (await db('log_entries')
        .where({ logId: day.id })
        .whereNotNull('breakIndex')
        .where('startsAt', '>=', new Date(now))
        .where('startsAt', '<', new Date(until))
        .orderBy('position')
        .select('hour', db.raw(`coalesce(hour_label, lpad(hour::text, 2, '0') || ':00') as "hourLabel"`), 'breakIndex', 'startsAt', 'lengthMs', 'title', 'type', 'isFallback')) as {
        hour: number;
        hourLabel: string;
        breakIndex: number;
        startsAt: Date;
        lengthMs: number;
        title: string;
        type: string;
        isFallback: boolean;
      }[];
      for (const spot of spots) {
        let current = breaks.at(-1);
        if (!current || current.date !== day.date || current.hourLabel !== spot.hourLabel || current.breakIndex !== spot.breakIndex) {
          current = { date: day.date, hour: spot.hour, hourLabel: spot.hourLabel, breakIndex: spot.breakIndex, startsAt: spot.startsAt.toISOString(), lengthMs: 0, spots: [] };
          breaks.push(current);
        }
        current.lengthMs += spot.lengthMs;
        current.spots.push({ title: spot.title, type: spot.type, lengthMs: spot.lengthMs, isFallback: spot.isFallback });
      }
      voiceSlots.push(...(await voiceSlotsOf(db, station, day.date)).filter((s) => s.startsAt && Date.parse(s.startsAt) >= now && Date.parse(s.startsAt) < until));
    }
    return { breaks, voiceSlots, from: new Date(now).toISOString(), to: new Date(until).toISOString() };
  }

  async function sendRundown(connection: Connection) {
    if (!connection.station) return;
    sendJson(connection.socket, { type: 'rundown', station: connection.station.slug, ...(await rundown(connection.station)) });
  }

  /** Notices for what starts within the next minutes, once per connection. */
  async function announce(connection: Connection) {
    if (!connection.station) return;
    const soon = Date.now() + NOTICE_MINUTES * 60_000;
    const { breaks, voiceSlots } = await rundown(connection.station);
    for (const b of breaks.filter((x) => Date.parse(x.startsAt) <= soon)) {
      const key = `break:${b.date}:${b.hourLabel}:${b.breakIndex}`;
      if (connection.announced.has(key)) continue;
      connection.announced.add(key);
      sendJson(connection.socket, { type: 'break.upcoming', station: connection.station.slug, ...b });
    }
    for (const s of voiceSlots.filter((x) => Date.parse(x.startsAt!) <= soon)) {
      const key = `slot:${s.date}:${s.hour}:${s.clockElementId}:${s.slotIndex}`;
      if (connection.announced.has(key)) continue;
      connection.announced.add(key);
      sendJson(connection.socket, { type: 'voice_slot.upcoming', station: connection.station.slug, ...s });
    }
  }

  const ticker = setInterval(() => {
    for (const connection of connections) announce(connection).catch((error: unknown) => deps.log?.(error));
  }, deps.noticeEveryMs ?? 15_000);
  ticker.unref();

  // A day published (or taken back) changes the rundown: send it again.
  const unsubscribeFeed = deps.feed.subscribe((event: FeedEvent) => {
    for (const connection of connections) {
      if (!connection.station) continue;
      if (event.kind === 'now_playing') continue;
      if (event.kind === 'change' && event.change.stationId !== connection.station.id) continue;
      sendRundown(connection).catch((error: unknown) => deps.log?.(error));
    }
  });

  const problem = (connection: Connection, status: number, detail: string, errors?: { path: string; message: string }[]) =>
    sendJson(connection.socket, { type: 'error', status, detail, ...(errors && { errors }) });

  async function abortUpload(connection: Connection) {
    const upload = connection.upload;
    if (!upload) return;
    connection.upload = undefined;
    upload.stream.destroy();
    await rm(upload.file, { force: true });
  }

  async function beginUpload(connection: Connection, message: Record<string, unknown>) {
    if (!connection.station) return problem(connection, 409, 'Subscribe to a station first');
    if (!mayCall(connection.principal, ['voice'], connection.station.id)) return problem(connection, 403, `Your roles at ${connection.station.slug} may not record voice tracks; it needs voice or admin`);
    if (!deps.dataDir) return problem(connection, 503, 'This API server has no data folder for audio');
    if (connection.upload) return problem(connection, 409, 'A voice track is already being sent on this socket; end or cancel it first');
    const { date, hour, clockElementId, slotIndex = 0, title = null, bytes } = message as { date?: unknown; hour?: unknown; clockElementId?: unknown; slotIndex?: unknown; title?: unknown; bytes?: unknown };
    const errors: { path: string; message: string }[] = [];
    if (typeof date !== 'string' || !DateTime.fromISO(date).isValid || !/^\d{4}-\d{2}-\d{2}$/.test(date)) errors.push({ path: 'date', message: 'a date, YYYY-MM-DD' });
    if (typeof hour !== 'number' || !Number.isInteger(hour) || hour < 0 || hour > 23) errors.push({ path: 'hour', message: 'an hour, 0–23' });
    if (typeof clockElementId !== 'string' || !/^[0-9a-f-]{36}$/i.test(clockElementId)) errors.push({ path: 'clockElementId', message: 'a clock element id' });
    if (typeof slotIndex !== 'number' || !Number.isInteger(slotIndex) || slotIndex < 0 || slotIndex > 99) errors.push({ path: 'slotIndex', message: 'a slot index, 0 or more' });
    if (title !== null && (typeof title !== 'string' || !title.trim() || title.length > 200)) errors.push({ path: 'title', message: 'a title of 1–200 characters' });
    if (typeof bytes !== 'number' || !Number.isInteger(bytes) || bytes <= 0) errors.push({ path: 'bytes', message: 'the size of the audio in bytes' });
    if (errors.length) return problem(connection, 400, 'The voice track cannot start', errors);
    if ((bytes as number) > deps.maxUploadBytes) return problem(connection, 413, `The audio is larger than this server takes (${Math.round(deps.maxUploadBytes / 1048576)} MB)`);
    const slot: VoiceSlot = { date: date as string, hour: hour as number, clockElementId: clockElementId as string, slotIndex: slotIndex as number };
    const slotErrors = await slotProblems(db, connection.station, slot, 'message');
    if (slotErrors.length) return problem(connection, 400, `There is no such slot on ${slot.date}`, slotErrors);
    const folder = path.join(deps.dataDir, 'uploads');
    await mkdir(folder, { recursive: true });
    const file = path.join(folder, `libretalk-${randomUUID()}`);
    connection.upload = { slot, title: title as string | null, declared: bytes as number, received: 0, file, stream: createWriteStream(file) };
    sendJson(connection.socket, { type: 'voice_track.ready', ...slot });
  }

  async function endUpload(connection: Connection) {
    const upload = connection.upload;
    if (!upload || !connection.station) return problem(connection, 409, 'No voice track is being sent');
    connection.upload = undefined;
    await new Promise<void>((resolve, reject) => upload.stream.end((error?: Error | null) => (error ? reject(error) : resolve())));
    try {
      if (upload.received !== upload.declared) return problem(connection, 400, `Received ${upload.received} bytes of the ${upload.declared} announced`);
      let facts;
      try {
        facts = await inspectAudio(upload.file);
      } catch (error) {
        if (error instanceof NotAudio) return problem(connection, 415, error.message);
        throw error;
      }
      if (facts.lengthMs > MAX_VOICE_TRACK_MS) return problem(connection, 422, 'A voice track fits in one hour of a clock');
      const station = connection.station;
      const principal = connection.principal;
      const audio = { tempPath: upload.file, originalFilename: null, bytes: upload.received, facts };
      const recordedBy = principal.kind === 'user' ? principal.id : null;
      // Live voice tracking replaces the take in the slot: the newest one is the one that airs.
      const existing = await voiceTrackInSlot(db, station.id, upload.slot);
      const voiceTrack = existing
        ? (await replaceVoiceAudio(db, deps.dataDir!, { stationId: station.id, id: existing, title: upload.title, audio, recordedBy }))!
        : await storeVoiceTrack(db, deps.dataDir!, { stationId: station.id, slot: upload.slot, title: upload.title, audio, recordedBy, recordedByName: principal.name });
      await recordAudit(db, principal, { action: existing ? 'voice_track.replace' : 'voice_track.create', entity: 'voice_track', entityId: voiceTrack.id, stationId: station.id, after: { ...voiceTrack, via: 'libretalk' } });
      const log = await rebuildUnpublishedDay(db, deps.broadcastDays?.client, station, upload.slot.date, { reason: `live voice track for ${String(upload.slot.hour).padStart(2, '0')}:00 (LibreTalk)`, requestedBy: principal.id });
      sendJson(connection.socket, { type: 'voice_track.stored', voiceTrack, log });
    } finally {
      await rm(upload.file, { force: true });
    }
  }

  async function onText(connection: Connection, message: { type: string } & Record<string, unknown>) {
    switch (message.type) {
      case 'ping':
        return sendJson(connection.socket, { type: 'pong' });
      case 'subscribe': {
        const station = await stationForSocket(db, connection.socket, connection.principal, message.station);
        if (!station) return;
        connection.station = station;
        connection.announced.clear();
        await sendRundown(connection);
        return announce(connection);
      }
      case 'slots': {
        if (!connection.station) return problem(connection, 409, 'Subscribe to a station first');
        const date = message.date;
        if (typeof date !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(date) || !DateTime.fromISO(date).isValid) return problem(connection, 400, '`date` is a day, YYYY-MM-DD');
        return sendJson(connection.socket, { type: 'slots', station: connection.station.slug, date, voiceSlots: await voiceSlotsOf(db, connection.station, date) });
      }
      case 'voice_track.begin':
        return beginUpload(connection, message);
      case 'voice_track.end':
        return endUpload(connection);
      case 'voice_track.cancel':
        await abortUpload(connection);
        return sendJson(connection.socket, { type: 'voice_track.cancelled' });
      default:
        return problem(connection, 400, `Unknown message type ${JSON.stringify(message.type)}; send subscribe, slots, voice_track.begin/end/cancel or ping`);
    }
  }

  function onAudio(connection: Connection, data: Buffer) {
    const upload = connection.upload;
    if (!upload) return problem(connection, 409, 'Audio arrived without voice_track.begin');
    upload.received += data.length;
    if (upload.received > upload.declared) {
      void abortUpload(connection);
      return problem(connection, 413, `More audio than the ${upload.declared} bytes announced; the voice track was dropped`);
    }
    upload.stream.write(data);
  }

  return {
    path: LIBRETALK_PATH,
    // Audio comes in frames of up to 1 MiB; the whole take is limited by maxUploadBytes.
    maxPayload: 1024 * 1024,
    open(socket, principal) {
      const connection: Connection = { socket, principal, announced: new Set() };
      connections.add(connection);
      // Messages are handled one after another: audio frames must be written in order.
      let queue = Promise.resolve();
      socket.on('message', (data, isBinary) => {
        queue = queue.then(async () => {
          try {
            if (isBinary) return onAudio(connection, Buffer.isBuffer(data) ? data : Buffer.concat(data as Buffer[]));
            const parsed = parseMessage(data, false);
            if ('error' in parsed) return problem(connection, 400, parsed.error);
            await onText(connection, parsed.message);
          } catch (error) {
            deps.log?.(error);
            problem(connection, 500, 'Something went wrong on our side; it has been logged.');
          }
        });
      });
      socket.on('close', () => {
        connections.delete(connection);
        void abortUpload(connection);
      });
    },
    close() {
      clearInterval(ticker);
      unsubscribeFeed();
      return Promise.resolve();
    },
  };
}
