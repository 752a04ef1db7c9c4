// The voice-track slots of a day, for whoever records them (the web app, a LibreTalk client):
// every slot of the VT elements in the clocks that play that day, with the talk-over window —
// what ends before it (and its outro) and what starts after it (and its intro) in the day's
// log — and the voice track already recorded for it, if any.
import type { Knex } from 'knex';
import { DateTime } from 'luxon';

export interface TalkOverNeighbour {
  title: string;
  artist: string | null;
  /** When it starts, ISO 8601. */
  startsAt: string;
  lengthMs: number;
  /** Talk-over time at its start (intro) or end (outro), when the library knows it. */
  talkOverMs: number | null;
}

export interface VoiceSlotView {
  date: string;
  hour: number;
  clockId: string;
  clock: string;
  clockElementId: string;
  slotIndex: number;
  title: string | null;
  /** Target length of the element, when the clock gives one. */
  lengthMs: number | null;
  /** When the link airs in the built log (estimated from its neighbours when it is not in it yet); null without a log. */
  startsAt: string | null;
  before: TalkOverNeighbour | null;
  after: TalkOverNeighbour | null;
  voiceTrackId: string | null;
}

/** Which clock plays each hour of a date: the date's overrides first, then the weekly grid. */
export async function clocksOfDay(db: Knex, station: { id: string; timezone: string }, date: string): Promise<Map<number, string>> {
  const weekday = DateTime.fromISO(date, { zone: station.timezone }).weekday;
  const [weekly, overrides] = await Promise.all([
    db('grid_slots').where({ stationId: station.id, weekday }).select('hour', 'clockId') as Promise<{ hour: number; clockId: string }[]>,
    db('grid_overrides').where({ stationId: station.id, date }).select('hour', 'clockId') as Promise<{ hour: number; clockId: string }[]>,
  ]);
  const clocks = new Map(weekly.map((g) => [g.hour, g.clockId]));
  for (const o of overrides) clocks.set(o.hour, o.clockId);
  return clocks;
}

export async function voiceSlotsOf(db: Knex, station: { id: string; timezone: string }, date: string): Promise<VoiceSlotView[]> {
  const clocks = await clocksOfDay(db, station, date);
  const elements = (await db('clock_elements')
    .join('clocks', 'clocks.id', 'clock_elements.clock_id')
    .whereIn('clock_elements.clock_id', [...new Set(clocks.values())])
    .where('clock_elements.type', 'VT')
    .orderBy('clock_elements.position')
    .select('clock_elements.id', 'clock_elements.clock_id as clockId', 'clocks.name as clock', 'clock_elements.position', 'clock_elements.count', 'clock_elements.title', 'clock_elements.target_length_ms as lengthMs')) as {
    id: string;
    clockId: string;
    clock: string;
    position: number;
    count: number;
    title: string | null;
    lengthMs: number | null;
  }[];
  if (!elements.length) return [];

  const log = (await db('daily_logs').where({ stationId: station.id, broadcastDate: date }).first('id')) as { id: string } | undefined;
  const entries = log
    ? ((await db('log_entries')
        .leftJoin('clock_elements', 'clock_elements.id', 'log_entries.clock_element_id')
        .leftJoin('tracks', 'tracks.id', 'log_entries.track_id')
        .where('log_entries.log_id', log.id)
        .orderBy('log_entries.position')
        .select(
          'log_entries.hour',
          'log_entries.starts_at as startsAt',
          'log_entries.length_ms as lengthMs',
          'log_entries.title',
          'log_entries.voice_track_id as voiceTrackId',
          'log_entries.clock_element_id as elementId',
          'clock_elements.position as elementPosition',
          'tracks.artist',
          'tracks.intro_ms as introMs',
          'tracks.outro_ms as outroMs',
        )) as {
        hour: number;
        startsAt: Date;
        lengthMs: number;
        title: string;
        voiceTrackId: string | null;
        elementId: string | null;
        elementPosition: number | null;
        artist: string | null;
        introMs: number | null;
        outroMs: number | null;
      }[])
    : [];
  const recorded = (await db('voice_tracks').where({ stationId: station.id, broadcastDate: date }).select('id', 'hour', 'clockElementId', 'slotIndex')) as {
    id: string;
    hour: number;
    clockElementId: string | null;
    slotIndex: number;
  }[];
  const neighbour = (e: (typeof entries)[number], talkOverMs: number | null): TalkOverNeighbour => ({
    title: e.title,
    artist: e.artist,
    startsAt: e.startsAt.toISOString(),
    lengthMs: e.lengthMs,
    talkOverMs,
  });

  const slots: VoiceSlotView[] = [];
  for (const [hour, clockId] of [...clocks].sort((a, b) => a[0] - b[0])) {
    const inHour = entries.filter((e) => e.hour === hour && e.elementPosition !== null);
    for (const element of elements.filter((e) => e.clockId === clockId)) {
      for (let slotIndex = 0; slotIndex < element.count; slotIndex++) {
        const voiceTrackId = recorded.find((v) => v.hour === hour && v.clockElementId === element.id && v.slotIndex === slotIndex)?.id ?? null;
        const own = voiceTrackId ? inHour.find((e) => e.voiceTrackId === voiceTrackId) : undefined;
        const earlier = inHour.filter((e) => e.elementPosition! < element.position || (own && e.startsAt < own.startsAt && e !== own));
        const before = earlier.at(-1);
        const after = inHour.find((e) => e.elementPosition! > element.position && (!own || e.startsAt > own.startsAt));
        const startsAt = own?.startsAt ?? (before ? new Date(before.startsAt.getTime() + before.lengthMs) : after?.startsAt);
        slots.push({
          date,
          hour,
          clockId,
          clock: element.clock,
          clockElementId: element.id,
          slotIndex,
          title: element.title,
          lengthMs: element.lengthMs,
          startsAt: startsAt ? startsAt.toISOString() : null,
          before: before ? neighbour(before, before.outroMs) : null,
          after: after ? neighbour(after, after.introMs) : null,
          voiceTrackId,
        });
      }
    }
  }
  return slots;
}
