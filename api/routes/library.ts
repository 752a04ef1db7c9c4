// The library and programming: tracks, categories, dayparts, music rule sets, clocks (with a
// preview of one hour as it would play) and the weekly grid. Everyone reads; programming and
// admin change (the spec says who). Every change is audited in its own transaction.
import { Router, type Request } from 'express';
import type { Knex } from 'knex';
import { DateTime } from 'luxon';
import { createLogInputsLoader } from '../../db/log-inputs.js';
import { categoryUsage, clockUsage, daypartUsage, ruleSetUsage } from '../../db/usage.js';
import { categoryBlockers, clockBlockers, daypartBlockers, ruleSetBlockers } from '../../domain/deletion.js';
import { endOfPeriodToMinutes, minutesToTimeOfDay, timeOfDayToMinutes } from '../../domain/durations.js';
import { broadcastHours, expandClocks } from '../../domain/log/clock-expansion.js';
import { scheduleMusic, songsAllowed } from '../../domain/log/music.js';
import { timeEntries } from '../../domain/log/timing.js';
import { placeTraffic } from '../../domain/log/traffic.js';
import { startLibrarySync, syncsFromLibreTime } from '../../temporal/library-sync.js';
import { temporalWorkflowUrl } from '../../temporal/ui-link.js';
import { checkIswc, checkUpc, EDITABLE_SYNCED_FIELDS } from '../../domain/track-metadata.js';
import { timingProblems, type TimingChange, type TrackTiming } from '../../domain/track-cues.js';
import { WEEKDAYS, type ElementType, type LiveSource, type MusicUsage, type StartKind, type TrackType, type WeekdayName } from '../../domain/vocabulary.js';
import { clockElementProblems } from '../../domain/clock-elements.js';
import type { AppDeps } from '../deps.js';
import { recordAudit } from '../audit.js';
import { deleteUnlessUsed } from '../delete-unless-used.js';
import { principalOf } from '../auth/principal.js';
import { handle } from '../handle.js';
import { Problem, type ProblemField } from '../problem.js';
import { stationOf } from '../stations.js';
import { checkIfMatch, setVersionTag } from '../versioning.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const WEEKDAY_NAMES = Object.keys(WEEKDAYS) as WeekdayName[];

const badRequest = (detail: string, errors: ProblemField[]) => new Problem(400, 'Bad Request', detail, errors);
const notFound = (what: string) => new Problem(404, 'Not Found', `No ${what} at this station`);
const isUniqueViolation = (error: unknown) => (error as { code?: string } | null)?.code === '23505';

/** Runs a change; a unique violation (a name or code already taken) becomes 409. */
async function unique<T>(what: string, change: () => Promise<T>): Promise<T> {
  try {
    return await change();
  } catch (error) {
    if (isUniqueViolation(error)) throw new Problem(409, 'Conflict', `The station already has ${what}`);
    throw error;
  }
}

/** Ids by name (or code) for the names given; unknown ones are reported at their field. */
async function idsByName(db: Knex, table: 'categories' | 'dayparts' | 'music_rule_sets', column: 'code' | 'name', stationId: string, wanted: { value: string; path: string }[], what: string): Promise<Map<string, string>> {
  const values = [...new Set(wanted.map((w) => w.value))];
  const rows = values.length ? ((await db(table).where({ stationId }).whereIn(column, values).select('id', column)) as Record<string, string>[]) : [];
  const map = new Map(rows.map((r) => [r[column]!, r.id!]));
  const missing = wanted.filter((w) => !map.has(w.value));
  if (missing.length) {
    throw badRequest(`Unknown ${what}: ${[...new Set(missing.map((m) => m.value))].join(', ')}`, missing.map((m) => ({ path: m.path, message: `no ${what} "${m.value}" at this station` })));
  }
  return map;
}

// ---- tracks ----

interface Mapl {
  music: boolean | null;
  artist: boolean | null;
  performance: boolean | null;
  lyrics: boolean | null;
}

/** A track as the API shows it. */
export interface TrackOut {
  id: string;
  type: TrackType;
  title: string;
  artist: string | null;
  album: string | null;
  label: string | null;
  isrc: string | null;
  iswc: string | null;
  upc: string | null;
  writers: string[];
  publishers: string[];
  language: string | null;
  mapl: Mapl;
  usage: MusicUsage | null;
  instrumental: boolean | null;
  hit: boolean | null;
  contentCategory: string | null;
  genre: string | null;
  mood: string | null;
  bpm: number | null;
  energy: number | null;
  lengthMs: number;
  cueInMs: number;
  cueOutMs: number | null;
  introMs: number | null;
  outroMs: number | null;
  loudnessLufs: number | null;
  peakDbfs: number | null;
  /** The file in LibreTime: its length and cues are LibreTime's (the library sync sets them). */
  libretimeFileId: number | null;
  categories: string[];
  dayparts: string[];
  removed: boolean;
}

/** As the query reads it: the MAPL flags are four columns. */
export type TrackRow = Omit<TrackOut, 'mapl'> & { maplMusic: boolean | null; maplArtist: boolean | null; maplPerformance: boolean | null; maplLyrics: boolean | null };

/** What a PATCH may send. */
type TrackChange = Partial<Omit<TrackOut, 'id' | 'lengthMs' | 'mapl' | 'loudnessLufs' | 'peakDbfs' | 'libretimeFileId'>> & { mapl?: Partial<Mapl> | null };

export function trackOut({ maplMusic, maplArtist, maplPerformance, maplLyrics, ...track }: TrackRow): TrackOut {
  return { ...track, mapl: { music: maplMusic, artist: maplArtist, performance: maplPerformance, lyrics: maplLyrics } };
}

/** Names as a list keeps them: trimmed, each once, in order. */
const nameList = (names: string[]) => [...new Set(names.map((n) => n.trim()).filter(Boolean))];

/** The columns a change writes; the ISWC and UPC check digits are checked here (the spec checks their shape). */
function trackChangeColumns({ categories: _c, dayparts: _d, mapl, writers, publishers, ...fields }: TrackChange): Record<string, unknown> {
  const problems: ProblemField[] = [];
  for (const [key, check] of [['iswc', checkIswc], ['upc', checkUpc]] as const) {
    const value = fields[key];
    const result = typeof value === 'string' ? check(value) : { ok: true as const };
    if (!result.ok) problems.push({ path: `body.${key}`, message: result.problem });
  }
  if (problems.length) throw badRequest(problems.map((p) => p.message).join('; '), problems);
  return {
    ...fields,
    ...(writers !== undefined && { writers: nameList(writers) }),
    ...(publishers !== undefined && { publishers: nameList(publishers) }),
    ...(mapl !== undefined && {
      maplMusic: mapl?.music ?? null,
      maplArtist: mapl?.artist ?? null,
      maplPerformance: mapl?.performance ?? null,
      maplLyrics: mapl?.lyrics ?? null,
    }),
  };
}

export function trackQuery(db: Knex, stationId: string): Knex.QueryBuilder {
  return db('tracks')
    .where('tracks.station_id', stationId)
    .select(
      'tracks.id',
      'tracks.type',
      'tracks.title',
      'tracks.artist',
      'tracks.album',
      'tracks.label',
      'tracks.isrc',
      'tracks.iswc',
      'tracks.upc',
      'tracks.writers',
      'tracks.publishers',
      'tracks.language',
      'tracks.mapl_music',
      'tracks.mapl_artist',
      'tracks.mapl_performance',
      'tracks.mapl_lyrics',
      'tracks.usage',
      'tracks.instrumental',
      'tracks.hit',
      'tracks.content_category',
      'tracks.genre',
      'tracks.mood',
      'tracks.bpm',
      'tracks.energy',
      'tracks.length_ms',
      'tracks.cue_in_ms',
      'tracks.cue_out_ms',
      'tracks.intro_ms',
      'tracks.outro_ms',
      // numeric in the table (pg gives it as text): a number here.
      db.raw('tracks.loudness_lufs::float8 as loudness_lufs'),
      db.raw('tracks.peak_dbfs::float8 as peak_dbfs'),
      'tracks.libretime_file_id',
      'tracks.removed',
      db.raw('array(select c.code from track_categories tc join categories c on c.id = tc.category_id where tc.track_id = tracks.id order by c.code) as categories'),
      db.raw('array(select d.name from track_dayparts td join dayparts d on d.id = td.daypart_id where td.track_id = tracks.id order by d.start_minute, d.name) as dayparts'),
    );
}

/** The cursor is the last item's sort key (title, id), base64url JSON: opaque to clients. */
const encodeCursor = (track: { title: string; id: string }) => Buffer.from(JSON.stringify([track.title, track.id])).toString('base64url');

function decodeCursor(cursor: string): [string, string] {
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(key) && key.length === 2 && typeof key[0] === 'string' && typeof key[1] === 'string' && UUID.test(key[1])) return [key[0], key[1]];
  } catch {
    // falls through to the problem below
  }
  throw badRequest('The cursor is not one this API gave out', [{ path: 'query.cursor', message: 'is not a valid cursor; use nextCursor from the previous page' }]);
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

// ---- clocks ----

interface ElementInput {
  /** LIVE: a live show, network feed or outside programme (with `source`, `length` and a hard `start`). */
  type: ElementType;
  title?: string | null;
  source?: LiveSource | null;
  count?: number;
  fallback?: TrackType | null;
  category?: string | null;
  ruleSet?: string | null;
  trackId?: string | null;
  length?: number | null;
  start?: { at: string; kind?: StartKind } | null;
}

/** An element's start kind: as given, else hard for a live programme and soft for the rest. */
const elementStartKind = (e: ElementInput): StartKind | null => (e.start ? (e.start.kind ?? (e.type === 'LIVE' ? 'hard' : 'soft')) : null);

interface ClockInput {
  /** As GET returned it: on replace it must name this clock; otherwise not read. */
  id?: string;
  /** As GET returned it: on replace a precondition like If-Match; otherwise not read. */
  version?: number;
  name: string;
  hour?: string | null;
  daypart?: string | null;
  targetLength?: number;
  elements: ElementInput[];
}

interface ClockRow {
  id: string;
  name: string;
  hour: number | null;
  daypart: string | null;
  targetLengthMs: number;
  version: number;
}

const hourText = (hour: number | null) => (hour === null ? null : `${String(hour).padStart(2, '0')}:00`);
const offsetText = (ms: number) => {
  const seconds = Math.floor(ms / 1000);
  return `${String(Math.floor(seconds / 60)).padStart(2, '0')}:${String(seconds % 60).padStart(2, '0')}`;
};

export function createLibraryRouter(deps: AppDeps): Router {
  const { db } = deps;
  const router = Router();
  const loader = createLogInputsLoader(db);
  const station = (req: Request) => stationOf(db, req);

  // ---- library sync from LibreTime ----

  router.get(
    '/stations/:station/library/syncs',
    handle(async (req, res) => {
      const s = await station(req);
      const rows = (await db('library_syncs').where({ stationId: s.id }).orderBy('startedAt', 'desc').orderBy('id', 'desc').limit(20).select('*')) as {
        id: number;
        workflowId: string;
        startedAt: Date;
        finishedAt: Date | null;
        files: number | null;
        added: number | null;
        updated: number | null;
        removed: number | null;
        keptInLogs: number | null;
        skipped: number | null;
        details: { skipped?: Record<string, number>; keptEdits?: number; changes?: { trackId: string | null; libretimeFileId: number; title: string; change: string; fields: string[] }[] };
        failure: string | null;
      }[];
      res.json(
        rows.map((r) => ({
          id: r.id,
          workflowId: r.workflowId,
          startedAt: r.startedAt.toISOString(),
          finishedAt: r.finishedAt ? r.finishedAt.toISOString() : null,
          files: r.files,
          added: r.added,
          updated: r.updated,
          removed: r.removed,
          keptInLogs: r.keptInLogs,
          skipped: r.skipped,
          skippedBecause: r.details.skipped ?? {},
          keptEdits: r.details.keptEdits ?? 0,
          changes: r.details.changes ?? [],
          failure: r.failure,
        })),
      );
    }),
  );

  router.post(
    '/stations/:station/library/syncs',
    handle(async (req, res) => {
      const s = await station(req);
      const row = (await db('stations').where({ id: s.id }).first('playoutTarget', 'libretimeUrl', 'libretimeApiKey')) as Parameters<typeof syncsFromLibreTime>[0];
      if (!syncsFromLibreTime(row)) throw new Problem(409, 'Conflict', `${s.slug} does not play out through LibreTime: set its playout target to libretime with a URL and API key first`);
      if (!deps.broadcastDays) throw new Problem(503, 'Service Unavailable', 'This API server has no connection to Temporal.');
      const { client, taskQueue, namespace, temporalUiUrl } = deps.broadcastDays;
      const run = await startLibrarySync(client, taskQueue, s.slug);
      await recordAudit(db, principalOf(req), { action: 'library.sync', entity: 'station', entityId: s.id, stationId: s.id, after: { workflowId: run.workflowId } });
      const { runId } = await run.describe();
      res.status(202).json({ workflowId: run.workflowId, runId, temporalUrl: temporalWorkflowUrl(temporalUiUrl, namespace, run.workflowId) });
    }),
  );

  async function readTrack(stationId: string, trackId: string): Promise<TrackOut> {
    const track = (await trackQuery(db, stationId).where('tracks.id', trackId).first()) as TrackRow | undefined;
    if (!track) throw notFound(`track ${trackId}`);
    return trackOut(track);
  }

  router.get(
    '/stations/:station/tracks',
    handle(async (req, res) => {
      const s = await station(req);
      const query = req.query as Record<string, string | number | boolean | undefined>;
      const limit = Number(query.limit ?? 50);
      let tracks = trackQuery(db, s.id);
      if (query.type) tracks = tracks.where('tracks.type', String(query.type));
      if (query.genre) tracks = tracks.whereRaw('lower(tracks.genre) = lower(?)', [String(query.genre)]);
      if (query.category) {
        const code = String(query.category);
        tracks = tracks.whereExists((sub) => {
          void sub
            .select(db.raw('1'))
            .from('track_categories as tc')
            .join('categories as c', 'c.id', 'tc.category_id')
            .whereRaw('tc.track_id = tracks.id')
            .where('c.code', code);
        });
      }
      if (query.q) {
        const like = `%${escapeLike(String(query.q))}%`;
        tracks = tracks.where((w) => {
          void w.whereILike('tracks.title', like).orWhereILike('tracks.artist', like).orWhereILike('tracks.album', like);
        });
      }
      if (!(query.includeRemoved === true || query.includeRemoved === 'true')) tracks = tracks.where('tracks.removed', false);
      if (query.cursor) {
        const [title, id] = decodeCursor(String(query.cursor));
        tracks = tracks.whereRaw('(tracks.title, tracks.id) > (?, ?::uuid)', [title, id]);
      }
      const rows = (await tracks.orderBy([{ column: 'tracks.title' }, { column: 'tracks.id' }]).limit(limit + 1)) as TrackRow[];
      const items = rows.slice(0, limit);
      res.json({ items: items.map(trackOut), nextCursor: rows.length > limit ? encodeCursor(items.at(-1)!) : null });
    }),
  );

  router.get(
    '/stations/:station/tracks/:trackId',
    handle(async (req, res) => {
      const s = await station(req);
      res.json(await readTrack(s.id, String(req.params.trackId)));
    }),
  );

  router.patch(
    '/stations/:station/tracks/:trackId',
    handle(async (req, res) => {
      const s = await station(req);
      const trackId = String(req.params.trackId);
      const change = req.body as TrackChange;
      const fields = trackChangeColumns(change);
      const before = await readTrack(s.id, trackId);
      const categoryIds = change.categories
        ? await idsByName(db, 'categories', 'code', s.id, change.categories.map((value, i) => ({ value, path: `body.categories[${i}]` })), 'category')
        : undefined;
      const daypartIds = change.dayparts
        ? await idsByName(db, 'dayparts', 'name', s.id, change.dayparts.map((value, i) => ({ value, path: `body.dayparts[${i}]` })), 'daypart')
        : undefined;
      const timing = Object.fromEntries((['cueInMs', 'cueOutMs', 'introMs', 'outroMs'] as const).filter((f) => f in change).map((f) => [f, change[f]])) as TimingChange;
      await db.transaction(async (trx) => {
        if (Object.keys(timing).length) {
          // Judged against the track as it is now (locked): the file's length, the cues and intro/outro not sent.
          const now = (await trx('tracks').where({ id: trackId, stationId: s.id }).forUpdate().first('lengthMs', 'cueInMs', 'cueOutMs', 'introMs', 'outroMs')) as TrackTiming;
          const problems = timingProblems(now, timing);
          if (problems.length) throw badRequest(problems.map((p) => p.message).join('; '), problems.map((p) => ({ path: `body.${p.field}`, message: p.message })));
        }
        // Fields the LibreTime sync also writes that this change really changes are the station's
        // own from now on: the sync leaves them (activities/library-sync.ts).
        const synced = Object.keys(fields).filter((f) => EDITABLE_SYNCED_FIELDS.has(f));
        const current = synced.length ? ((await trx('tracks').where({ id: trackId, stationId: s.id }).first(synced)) as Record<string, unknown> | undefined) : undefined;
        const edited = current ? synced.filter((f) => JSON.stringify(current[f] ?? null) !== JSON.stringify(fields[f] ?? null)) : [];
        await trx('tracks')
          .where({ id: trackId, stationId: s.id })
          .update({
            ...fields,
            ...(edited.length && { editedInLibrelog: trx.raw('ARRAY(SELECT DISTINCT unnest(edited_in_librelog || ?::text[]) ORDER BY 1)', [edited]) }),
            ...(change.removed !== undefined && change.removed !== before.removed && { removedAt: change.removed ? trx.fn.now() : null }),
            // The loader's library cache notices changes by updated_at.
            updatedAt: trx.fn.now(),
          });
        if (categoryIds) {
          await trx('track_categories').where({ trackId }).delete();
          if (categoryIds.size) await trx('track_categories').insert([...categoryIds.values()].map((categoryId) => ({ trackId, categoryId })));
        }
        if (daypartIds) {
          await trx('track_dayparts').where({ trackId }).delete();
          if (daypartIds.size) await trx('track_dayparts').insert([...daypartIds.values()].map((daypartId) => ({ trackId, daypartId })));
        }
        await recordAudit(trx, principalOf(req), { action: 'track.update', entity: 'track', entityId: trackId, stationId: s.id, before, after: change });
      });
      res.json(await readTrack(s.id, trackId));
    }),
  );

  // ---- categories and dayparts ----

  router.get(
    '/stations/:station/categories',
    handle(async (req, res) => {
      const s = await station(req);
      res.json(await db('categories').where({ stationId: s.id }).orderBy('code').select('id', 'code', 'name'));
    }),
  );

  router.post(
    '/stations/:station/categories',
    handle(async (req, res) => {
      const s = await station(req);
      const { code, name } = req.body as { code: string; name?: string };
      const category = await unique(`a category "${code}"`, () =>
        db.transaction(async (trx) => {
          const [row] = (await trx('categories').insert({ stationId: s.id, code, name: name ?? code }).returning(['id', 'code', 'name'])) as { id: string }[];
          await recordAudit(trx, principalOf(req), { action: 'category.create', entity: 'category', entityId: row!.id, stationId: s.id, after: row });
          return row;
        }),
      );
      res.status(201).json(category);
    }),
  );

  router.patch(
    '/stations/:station/categories/:categoryId',
    handle(async (req, res) => {
      const s = await station(req);
      const id = String(req.params.categoryId);
      const { name } = req.body as { name: string };
      const category = await db.transaction(async (trx) => {
        const before = (await trx('categories').where({ id, stationId: s.id }).forUpdate().first('id', 'code', 'name')) as { id: string; code: string; name: string } | undefined;
        if (!before) throw notFound(`category ${id}`);
        const [after] = (await trx('categories').where({ id }).update({ name }).returning(['id', 'code', 'name'])) as { id: string }[];
        await recordAudit(trx, principalOf(req), { action: 'category.update', entity: 'category', entityId: id, stationId: s.id, before, after });
        return after;
      });
      res.json(category);
    }),
  );

  router.delete(
    '/stations/:station/categories/:categoryId',
    handle(async (req, res) => {
      const s = await station(req);
      const id = String(req.params.categoryId);
      await deleteUnlessUsed(db, req, {
        table: 'categories',
        id,
        stationId: s.id,
        kind: 'category',
        entity: 'category',
        action: 'category.delete',
        read: async (trx) => {
          const before = (await trx('categories').where({ id }).first('id', 'code', 'name')) as { code: string };
          return { name: before.code, before };
        },
        usage: categoryUsage,
        blockers: categoryBlockers,
      });
      res.status(204).end();
    }),
  );

  const daypartOut = (d: { id: string; name: string; weekdays: number[]; startMinute: number; endMinute: number }) => ({
    id: d.id,
    name: d.name,
    days: [...d.weekdays].sort((a, b) => a - b).map((w) => WEEKDAY_NAMES[w - 1]!),
    start: minutesToTimeOfDay(d.startMinute),
    end: minutesToTimeOfDay(d.endMinute),
  });

  router.get(
    '/stations/:station/dayparts',
    handle(async (req, res) => {
      const s = await station(req);
      const rows = (await db('dayparts').where({ stationId: s.id }).orderBy(['startMinute', 'name']).select('id', 'name', 'weekdays', 'startMinute', 'endMinute')) as Parameters<typeof daypartOut>[0][];
      res.json(rows.map(daypartOut));
    }),
  );

  router.post(
    '/stations/:station/dayparts',
    handle(async (req, res) => {
      const s = await station(req);
      const body = req.body as { name: string; days: WeekdayName[]; start: string; end: string };
      const startMinute = timeOfDayToMinutes(body.start);
      // 00:00 as the end is midnight at the end of the day, as 24:00 is.
      const endMinute = endOfPeriodToMinutes(body.end);
      if (startMinute === endMinute) throw badRequest('A daypart cannot end when it starts', [{ path: 'body.end', message: 'must differ from start' }]);
      const daypart = await unique(`a daypart "${body.name}"`, () =>
        db.transaction(async (trx) => {
          const [row] = (await trx('dayparts')
            .insert({ stationId: s.id, name: body.name, weekdays: body.days.map((d) => WEEKDAYS[d]), startMinute, endMinute })
            .returning(['id', 'name', 'weekdays', 'startMinute', 'endMinute'])) as Parameters<typeof daypartOut>[0][];
          const out = daypartOut(row!);
          await recordAudit(trx, principalOf(req), { action: 'daypart.create', entity: 'daypart', entityId: out.id, stationId: s.id, after: out });
          return out;
        }),
      );
      res.status(201).json(daypart);
    }),
  );

  router.patch(
    '/stations/:station/dayparts/:daypartId',
    handle(async (req, res) => {
      const s = await station(req);
      const id = String(req.params.daypartId);
      const body = req.body as { name?: string; days?: WeekdayName[]; start?: string; end?: string };
      const columns = ['id', 'name', 'weekdays', 'startMinute', 'endMinute'];
      const daypart = await unique(`a daypart "${body.name ?? ''}"`, () =>
        db.transaction(async (trx) => {
          const row = (await trx('dayparts').where({ id, stationId: s.id }).forUpdate().first(columns)) as Parameters<typeof daypartOut>[0] | undefined;
          if (!row) throw notFound(`daypart ${id}`);
          const startMinute = body.start !== undefined ? timeOfDayToMinutes(body.start) : row.startMinute;
          const endMinute = body.end !== undefined ? endOfPeriodToMinutes(body.end) : row.endMinute;
          if (startMinute === endMinute) throw badRequest('A daypart cannot end when it starts', [{ path: body.end !== undefined ? 'body.end' : 'body.start', message: 'must differ from the end' }]);
          const [after] = (await trx('dayparts')
            .where({ id })
            .update({ ...(body.name !== undefined && { name: body.name }), ...(body.days !== undefined && { weekdays: body.days.map((d) => WEEKDAYS[d]) }), startMinute, endMinute })
            .returning(columns)) as Parameters<typeof daypartOut>[0][];
          const out = daypartOut(after!);
          await recordAudit(trx, principalOf(req), { action: 'daypart.update', entity: 'daypart', entityId: id, stationId: s.id, before: daypartOut(row), after: out });
          return out;
        }),
      );
      res.json(daypart);
    }),
  );

  router.delete(
    '/stations/:station/dayparts/:daypartId',
    handle(async (req, res) => {
      const s = await station(req);
      const id = String(req.params.daypartId);
      await deleteUnlessUsed(db, req, {
        table: 'dayparts',
        id,
        stationId: s.id,
        kind: 'daypart',
        entity: 'daypart',
        action: 'daypart.delete',
        read: async (trx) => {
          const before = daypartOut((await trx('dayparts').where({ id }).first('id', 'name', 'weekdays', 'startMinute', 'endMinute')) as Parameters<typeof daypartOut>[0]);
          return { name: before.name, before };
        },
        usage: daypartUsage,
        blockers: daypartBlockers,
      });
      res.status(204).end();
    }),
  );

  // ---- music rule sets ----

  interface RuleSetInput {
    name?: string;
    genres?: string[];
    moods?: string[];
    bpm?: { min?: number | null; max?: number | null };
    energy?: { min?: number | null; max?: number | null };
    dayparts?: string[];
    artistSeparationMinutes?: number;
    titleSeparationHours?: number;
  }

  async function readRuleSets(stationId: string, id?: string) {
    let query = db('music_rule_sets')
      .where('music_rule_sets.station_id', stationId)
      .orderBy('name')
      .select(
        'id',
        'name',
        'genres',
        'moods',
        'minBpm',
        'maxBpm',
        'minEnergy',
        'maxEnergy',
        'artistSeparationMinutes',
        'titleSeparationHours',
        'version',
        db.raw('array(select d.name from music_rule_set_dayparts rd join dayparts d on d.id = rd.daypart_id where rd.rule_set_id = music_rule_sets.id order by d.start_minute, d.name) as dayparts'),
      );
    if (id) query = query.where('music_rule_sets.id', id);
    const rows = (await query) as {
      id: string;
      name: string;
      genres: string[];
      moods: string[];
      minBpm: number | null;
      maxBpm: number | null;
      minEnergy: number | null;
      maxEnergy: number | null;
      dayparts: string[];
      artistSeparationMinutes: number;
      titleSeparationHours: number;
      version: number;
    }[];
    return rows.map(({ minBpm, maxBpm, minEnergy, maxEnergy, ...r }) => ({ ...r, bpm: { min: minBpm, max: maxBpm }, energy: { min: minEnergy, max: maxEnergy } }));
  }

  function ruleSetColumns(input: RuleSetInput): Record<string, unknown> {
    for (const [field, range] of [['bpm', input.bpm], ['energy', input.energy]] as const) {
      if (range?.min != null && range.max != null && range.min > range.max) throw badRequest(`${field}: min is above max`, [{ path: `body.${field}.min`, message: 'must not be above max' }]);
    }
    return {
      ...(input.name !== undefined && { name: input.name }),
      ...(input.genres !== undefined && { genres: input.genres }),
      ...(input.moods !== undefined && { moods: input.moods }),
      ...(input.bpm !== undefined && { minBpm: input.bpm.min ?? null, maxBpm: input.bpm.max ?? null }),
      ...(input.energy !== undefined && { minEnergy: input.energy.min ?? null, maxEnergy: input.energy.max ?? null }),
      ...(input.artistSeparationMinutes !== undefined && { artistSeparationMinutes: input.artistSeparationMinutes }),
      ...(input.titleSeparationHours !== undefined && { titleSeparationHours: input.titleSeparationHours }),
    };
  }

  async function linkRuleSetDayparts(trx: Knex, stationId: string, ruleSetId: string, names: string[] | undefined): Promise<void> {
    if (!names) return;
    const ids = await idsByName(trx, 'dayparts', 'name', stationId, names.map((value, i) => ({ value, path: `body.dayparts[${i}]` })), 'daypart');
    await trx('music_rule_set_dayparts').where({ ruleSetId }).delete();
    if (ids.size) await trx('music_rule_set_dayparts').insert([...ids.values()].map((daypartId) => ({ ruleSetId, daypartId })));
  }

  router.get(
    '/stations/:station/rule-sets',
    handle(async (req, res) => {
      const s = await station(req);
      res.json(await readRuleSets(s.id));
    }),
  );

  router.get(
    '/stations/:station/rule-sets/:ruleSetId',
    handle(async (req, res) => {
      const s = await station(req);
      const id = String(req.params.ruleSetId);
      const [ruleSet] = await readRuleSets(s.id, id);
      if (!ruleSet) throw notFound(`rule set ${id}`);
      setVersionTag(res, ruleSet.version);
      res.json(ruleSet);
    }),
  );

  router.post(
    '/stations/:station/rule-sets',
    handle(async (req, res) => {
      const s = await station(req);
      const input = req.body as RuleSetInput & { name: string };
      const columns = ruleSetColumns(input);
      const id = await unique(`a rule set "${input.name}"`, () =>
        db.transaction(async (trx) => {
          const [row] = (await trx('music_rule_sets').insert({ stationId: s.id, ...columns }).returning('id')) as { id: string }[];
          await linkRuleSetDayparts(trx, s.id, row!.id, input.dayparts);
          await recordAudit(trx, principalOf(req), { action: 'rule_set.create', entity: 'music_rule_set', entityId: row!.id, stationId: s.id, after: input });
          return row!.id;
        }),
      );
      res.status(201).json((await readRuleSets(s.id, id))[0]);
    }),
  );

  router.patch(
    '/stations/:station/rule-sets/:ruleSetId',
    handle(async (req, res) => {
      const s = await station(req);
      const id = String(req.params.ruleSetId);
      const input = req.body as RuleSetInput;
      const [before] = await readRuleSets(s.id, id);
      if (!before) throw notFound(`rule set ${id}`);
      checkIfMatch(req, before.version);
      const columns = ruleSetColumns(input);
      await unique(`a rule set "${input.name}"`, () =>
        db.transaction(async (trx) => {
          await trx('music_rule_sets')
            .where({ id, stationId: s.id })
            .update({ ...columns, version: trx.raw('version + 1'), updatedAt: trx.fn.now() });
          await linkRuleSetDayparts(trx, s.id, id, input.dayparts);
          await recordAudit(trx, principalOf(req), { action: 'rule_set.update', entity: 'music_rule_set', entityId: id, stationId: s.id, before, after: input });
        }),
      );
      const [after] = await readRuleSets(s.id, id);
      setVersionTag(res, after!.version);
      res.json(after);
    }),
  );

  router.delete(
    '/stations/:station/rule-sets/:ruleSetId',
    handle(async (req, res) => {
      const s = await station(req);
      const id = String(req.params.ruleSetId);
      await deleteUnlessUsed(db, req, {
        table: 'music_rule_sets',
        id,
        stationId: s.id,
        kind: 'music rule set',
        entity: 'music_rule_set',
        action: 'rule_set.delete',
        read: async () => {
          const [before] = await readRuleSets(s.id, id);
          return { name: before!.name, before };
        },
        usage: ruleSetUsage,
        blockers: ruleSetBlockers,
      });
      res.status(204).end();
    }),
  );

  // The songs a rule set allows, by the engine's own filter: saved or as the editor has it now.
  router.post(
    '/stations/:station/rule-sets/preview',
    handle(async (req, res) => {
      const s = await station(req);
      const body = (req.body ?? {}) as RuleSetInput & { sample?: number };
      ruleSetColumns(body);
      const today = DateTime.now().setZone(s.timezone).toISODate()!;
      // The library and programming only (both kept by the loader between calls).
      const inputs = await loader.load(s.id, today, 1, {});
      const daypartIds = new Map(inputs.dayparts.map((d) => [d.name, d.id]));
      const unknown = (body.dayparts ?? []).flatMap((name, i) => (daypartIds.has(name) ? [] : [{ path: `body.dayparts[${i}]`, message: `no daypart "${name}" at this station` }]));
      if (unknown.length) throw badRequest(`Unknown daypart: ${unknown.map((u) => u.message.slice(11)).join(', ')}`, unknown);
      const songs = songsAllowed(inputs.library, {
        genres: body.genres ?? [],
        moods: body.moods ?? [],
        minBpm: body.bpm?.min ?? null,
        maxBpm: body.bpm?.max ?? null,
        minEnergy: body.energy?.min ?? null,
        maxEnergy: body.energy?.max ?? null,
        daypartIds: (body.dayparts ?? []).map((name) => daypartIds.get(name)!),
      });
      const sample = [...songs].sort((a, b) => a.title.localeCompare(b.title) || a.id.localeCompare(b.id)).slice(0, body.sample ?? 10);
      const music = inputs.library.filter((t) => t.type === 'MUS');
      const valuesOf = (tags: (string | null)[]) => [...new Set(tags.flatMap((tag) => (tag?.trim() ? [tag.trim()] : [])))].sort((a, b) => a.localeCompare(b));
      res.json({
        songs: songs.length,
        library: music.length,
        sample: sample.map((t) => ({ id: t.id, title: t.title, artist: t.artist })),
        genres: valuesOf(music.map((t) => t.genre)),
        moods: valuesOf(music.map((t) => t.mood)),
      });
    }),
  );

  // ---- clocks ----

  function clockQuery(stationId: string): Knex.QueryBuilder {
    return db('clocks')
      .leftJoin('dayparts', 'dayparts.id', 'clocks.daypart_id')
      .where('clocks.station_id', stationId)
      .select('clocks.id', 'clocks.name', 'clocks.hour', 'dayparts.name as daypart', 'clocks.target_length_ms', 'clocks.version');
  }

  const clockOut = (c: ClockRow) => ({ id: c.id, name: c.name, hour: hourText(c.hour), daypart: c.daypart, targetLength: c.targetLengthMs / 1000, version: c.version });

  async function readClock(stationId: string, clockId: string) {
    const clock = (await clockQuery(stationId).where('clocks.id', clockId).first()) as ClockRow | undefined;
    if (!clock) throw notFound(`clock ${clockId}`);
    const elements = (await db('clock_elements')
      .leftJoin('categories', 'categories.id', 'clock_elements.category_id')
      .leftJoin('music_rule_sets', 'music_rule_sets.id', 'clock_elements.rule_set_id')
      .where('clock_elements.clock_id', clockId)
      .orderBy('clock_elements.position')
      .select(
        'clock_elements.id',
        'clock_elements.position',
        'clock_elements.type',
        'clock_elements.title',
        'clock_elements.count',
        'clock_elements.fallback',
        'categories.code as category',
        'music_rule_sets.name as ruleSet',
        'clock_elements.track_id',
        'clock_elements.target_length_ms',
        'clock_elements.start_offset_ms',
        'clock_elements.start_kind',
        'clock_elements.live_source as source',
      )) as {
      id: string;
      position: number;
      type: ElementType;
      source: LiveSource | null;
      title: string | null;
      count: number;
      fallback: TrackType | null;
      category: string | null;
      ruleSet: string | null;
      trackId: string | null;
      targetLengthMs: number | null;
      startOffsetMs: number | null;
      startKind: StartKind | null;
    }[];
    return {
      ...clockOut(clock),
      elements: elements.map(({ targetLengthMs, startOffsetMs, startKind, ...e }) => ({
        ...e,
        length: targetLengthMs === null ? null : targetLengthMs / 1000,
        start: startOffsetMs === null ? null : { at: offsetText(startOffsetMs), kind: startKind ?? 'soft' },
      })),
    };
  }

  /** The clock in the database's terms; names, codes and ids checked against the station. */
  async function clockRows(stationId: string, input: ClockInput, where = 'body') {
    const elements = input.elements;
    const at = (i: number, field: string) => `${where}.elements[${i}].${field}`;
    const codes = elements.flatMap((e) => (e.category ? [e.category] : []));
    const categoryRows = codes.length ? ((await db('categories').where({ stationId }).whereIn('code', codes).select('id', 'code')) as { id: string; code: string }[]) : [];
    const categories = new Map(categoryRows.map((c) => [c.code, c.id]));
    const ruleSets = (await db('music_rule_sets').where({ stationId }).select('id', 'name')) as { id: string; name: string }[];
    const ruleSetIds = new Map(ruleSets.flatMap((r) => [[r.name, r.id], [r.id, r.id]]));
    const trackIds = elements.flatMap((e) => (e.trackId ? [e.trackId] : []));
    const tracks = new Set(trackIds.length ? ((await db('tracks').where({ stationId }).whereIn('id', trackIds).pluck('id')) as string[]) : []);
    const errors: ProblemField[] = [];
    elements.forEach((e, i) => {
      if (e.category && !categories.has(e.category)) errors.push({ path: at(i, 'category'), message: `no category "${e.category}" at this station` });
      if (e.ruleSet && !ruleSetIds.has(e.ruleSet)) errors.push({ path: at(i, 'ruleSet'), message: `no music rule set "${e.ruleSet}" at this station` });
      if (e.ruleSet && e.type !== 'MUS') errors.push({ path: at(i, 'ruleSet'), message: 'only MUS elements take a music rule set' });
      if (e.trackId && !tracks.has(e.trackId)) errors.push({ path: at(i, 'trackId'), message: `no track ${e.trackId} at this station` });
    });
    // Live programmes: a source, a hard start, a length within the hour, nothing timed inside (domain/clock-elements.ts).
    const shapes = elements.map((e) => ({
      type: e.type,
      count: e.count ?? 1,
      liveSource: e.source ?? null,
      targetLengthMs: e.length == null ? null : Math.round(e.length * 1000),
      startOffsetMs: e.start ? timeOfDayToMinutes(e.start.at) * 1000 : null,
      startKind: elementStartKind(e),
      names: { track: !!e.trackId, category: !!e.category, ruleSet: !!e.ruleSet, fallback: !!e.fallback },
    }));
    for (const p of clockElementProblems(shapes)) errors.push({ path: at(p.index, p.field === 'track' ? 'trackId' : p.field), message: p.message });
    let daypartId: string | null = null;
    if (input.daypart) {
      daypartId = ((await db('dayparts').where({ stationId, name: input.daypart }).first('id')) as { id: string } | undefined)?.id ?? null;
      if (!daypartId) errors.push({ path: `${where}.daypart`, message: `no daypart "${input.daypart}" at this station` });
    }
    if (errors.length) throw badRequest(`The clock has ${errors.length} problem${errors.length > 1 ? 's' : ''}`, errors);
    return {
      clock: {
        name: input.name,
        hour: input.hour ? Number(input.hour.slice(0, 2)) : null,
        daypartId,
        targetLengthMs: Math.round((input.targetLength ?? 3600) * 1000),
      },
      elements: elements.map((e, position) => ({
        position,
        type: e.type,
        title: e.title ?? null,
        count: e.count ?? 1,
        fallback: e.fallback ?? null,
        categoryId: e.category ? categories.get(e.category)! : null,
        ruleSetId: e.ruleSet ? ruleSetIds.get(e.ruleSet)! : null,
        trackId: e.trackId ?? null,
        targetLengthMs: e.length == null ? null : Math.round(e.length * 1000),
        startOffsetMs: e.start ? timeOfDayToMinutes(e.start.at) * 1000 : null,
        startKind: elementStartKind(e),
        liveSource: e.source ?? null,
      })),
    };
  }

  /** Elements replaced by position: a position that stays keeps its element id. */
  async function writeElements(trx: Knex, clockId: string, elements: Awaited<ReturnType<typeof clockRows>>['elements']): Promise<void> {
    await trx('clock_elements')
      .insert(elements.map((e) => ({ ...e, clockId })))
      .onConflict(['clock_id', 'position'])
      .merge();
    await trx('clock_elements').where({ clockId }).where('position', '>=', elements.length).delete();
  }

  router.get(
    '/stations/:station/clocks',
    handle(async (req, res) => {
      const s = await station(req);
      const rows = (await clockQuery(s.id)
        .select(db.raw('(select count(*)::int from clock_elements e where e.clock_id = clocks.id) as element_count'))
        .orderBy('clocks.name')) as (ClockRow & { elementCount: number })[];
      res.json(rows.map((c) => ({ ...clockOut(c), elementCount: c.elementCount })));
    }),
  );

  router.get(
    '/stations/:station/clocks/:clockId',
    handle(async (req, res) => {
      const s = await station(req);
      const clock = await readClock(s.id, String(req.params.clockId));
      setVersionTag(res, clock.version);
      res.json(clock);
    }),
  );

  router.post(
    '/stations/:station/clocks',
    handle(async (req, res) => {
      const s = await station(req);
      const input = req.body as ClockInput;
      const rows = await clockRows(s.id, input);
      const id = await unique(`a clock "${input.name}"`, () =>
        db.transaction(async (trx) => {
          const [row] = (await trx('clocks').insert({ stationId: s.id, ...rows.clock }).returning('id')) as { id: string }[];
          await writeElements(trx, row!.id, rows.elements);
          await recordAudit(trx, principalOf(req), { action: 'clock.create', entity: 'clock', entityId: row!.id, stationId: s.id, after: input });
          return row!.id;
        }),
      );
      const clock = await readClock(s.id, id);
      setVersionTag(res, clock.version);
      res.status(201).json(clock);
    }),
  );

  router.put(
    '/stations/:station/clocks/:clockId',
    handle(async (req, res) => {
      const s = await station(req);
      const clockId = String(req.params.clockId);
      const input = req.body as ClockInput;
      const before = await readClock(s.id, clockId);
      checkIfMatch(req, before.version);
      if (input.id !== undefined && input.id !== clockId) throw badRequest(`The body is clock ${input.id}, not ${clockId}`, [{ path: 'body.id', message: 'must be the id in the path' }]);
      if (input.version !== undefined && input.version !== before.version) {
        throw new Problem(412, 'Precondition Failed', `The clock has changed (now version ${before.version}); reload it and apply your change again`);
      }
      const rows = await clockRows(s.id, input);
      await unique(`a clock "${input.name}"`, () =>
        db.transaction(async (trx) => {
          // Only the version read may be replaced: a write that raced us since gets 412 too.
          const updated = await trx('clocks')
            .where({ id: clockId, stationId: s.id, version: before.version })
            .update({ ...rows.clock, version: before.version + 1, updatedAt: trx.fn.now() });
          if (updated === 0) throw new Problem(412, 'Precondition Failed', 'The clock changed while this change was being made; reload it and apply your change again');
          await writeElements(trx, clockId, rows.elements);
          await recordAudit(trx, principalOf(req), { action: 'clock.update', entity: 'clock', entityId: clockId, stationId: s.id, before, after: input });
        }),
      );
      const clock = await readClock(s.id, clockId);
      setVersionTag(res, clock.version);
      res.json(clock);
    }),
  );

  router.delete(
    '/stations/:station/clocks/:clockId',
    handle(async (req, res) => {
      const s = await station(req);
      const id = String(req.params.clockId);
      const today = DateTime.now().setZone(s.timezone).toISODate()!;
      await deleteUnlessUsed(db, req, {
        table: 'clocks',
        id,
        stationId: s.id,
        kind: 'clock',
        entity: 'clock',
        action: 'clock.delete',
        read: async () => {
          const before = await readClock(s.id, id);
          return { name: before.name, before };
        },
        usage: clockUsage,
        blockers: (usage) => clockBlockers(usage, today),
      });
      res.status(204).end();
    }),
  );

  router.post(
    '/stations/:station/clocks/:clockId/preview',
    handle(async (req, res) => {
      const s = await station(req);
      const clockId = String(req.params.clockId);
      const clock = (await db('clocks').where({ id: clockId, stationId: s.id }).first('id', 'name')) as { id: string; name: string } | undefined;
      if (!clock) throw notFound(`clock ${clockId}`);
      const body = (req.body ?? {}) as { date?: string; hour?: number; clock?: ClockInput };
      const date = body.date ?? DateTime.now().setZone(s.timezone).plus({ days: 1 }).toISODate()!;
      const hour = body.hour ?? 6;
      const inputs = await loader.load(s.id, date, 1);
      if (body.clock) {
        // The builder's unsaved edits stand in for the saved clock; saved element ids are kept by position.
        const rows = await clockRows(s.id, body.clock, 'body.clock');
        const saved = inputs.clocks.find((c) => c.id === clockId);
        const edited = {
          id: clockId,
          name: body.clock.name,
          targetLengthMs: rows.clock.targetLengthMs,
          elements: rows.elements.map((e, i) => ({
            id: saved?.elements[i]?.id ?? `${clockId}:${i}`,
            position: i,
            type: e.type,
            title: e.title,
            count: e.count,
            fallback: e.fallback,
            categoryCode: body.clock!.elements[i]!.category ?? null,
            ruleSetId: e.ruleSetId,
            trackId: e.trackId,
            targetLengthMs: e.targetLengthMs,
            startOffsetMs: e.startOffsetMs,
            startKind: e.startKind,
            liveSource: e.liveSource,
          })),
        };
        inputs.clocks = [...inputs.clocks.filter((c) => c.id !== clockId), edited];
      }
      // This clock plays in the chosen hour, whatever the grid and overrides say.
      inputs.overrides = { ...inputs.overrides, [String(hour)]: clockId };
      const hours = broadcastHours(inputs);
      const target = hours.find((h) => h.hour === hour);
      if (!target) throw badRequest(`${date} has no ${hourText(hour)} in ${s.timezone} (the clocks change that night)`, [{ path: 'body.hour', message: 'does not exist on that date' }]);
      const expanded = expandClocks(inputs, hours);
      const music = scheduleMusic(inputs, hours, expanded.slots);
      const traffic = placeTraffic(inputs, hours, music.slots);
      const timed = timeEntries(inputs, hours, traffic.slots);
      const entries = timed.entries.filter((e) => e.hourIndex === target.index);
      const exceptions = [...expanded.exceptions, ...music.exceptions, ...traffic.exceptions, ...timed.exceptions].filter((e) => e.hourIndex === target.index);
      const totalMs = entries.reduce((sum, e) => sum + e.lengthMs, 0);
      res.json({
        clockId,
        clock: clock.name,
        date,
        hour,
        startsAt: new Date(target.startsAt).toISOString(),
        entries: entries.map((e) => ({
          offsetMs: e.startsAt - target.startsAt,
          lengthMs: e.lengthMs,
          type: e.type,
          title: e.title,
          artist: e.artist,
          trackId: e.trackId,
          isFallback: e.isFallback,
          fallbackReason: e.fallbackReason,
          breakIndex: e.breakIndex,
        })),
        exceptions: exceptions.map((e) => ({ kind: e.kind, severity: e.severity, message: e.message })),
        totalMs,
        targetMs: target.targetLengthMs,
        differenceMs: totalMs - target.targetLengthMs,
      });
    }),
  );

  // ---- grid ----

  async function readGrid(stationId: string) {
    const [slots, overrides] = await Promise.all([
      db('grid_slots').join('clocks', 'clocks.id', 'grid_slots.clock_id').where('grid_slots.station_id', stationId).select('weekday', 'grid_slots.hour', 'clockId', 'clocks.name as clock') as Promise<
        { weekday: number; hour: number; clockId: string; clock: string }[]
      >,
      db('grid_overrides')
        .join('clocks', 'clocks.id', 'grid_overrides.clock_id')
        .where('grid_overrides.station_id', stationId)
        .orderBy(['date', 'grid_overrides.hour'])
        .select('date', 'grid_overrides.hour', 'clockId', 'clocks.name as clock', 'note') as Promise<unknown[]>,
    ]);
    const byHour = new Map(slots.map((g) => [`${g.weekday}:${g.hour}`, g]));
    const weekly = [];
    for (let weekday = 1; weekday <= 7; weekday++) {
      for (let hour = 0; hour < 24; hour++) {
        const slot = byHour.get(`${weekday}:${hour}`);
        weekly.push({ weekday, hour, clockId: slot?.clockId ?? null, clock: slot?.clock ?? null });
      }
    }
    return { weekly, overrides };
  }

  router.get(
    '/stations/:station/grid',
    handle(async (req, res) => {
      const s = await station(req);
      res.json(await readGrid(s.id));
    }),
  );

  router.put(
    '/stations/:station/grid',
    handle(async (req, res) => {
      const s = await station(req);
      const input = req.body as { weekly: { weekday: number; hour: number; clockId: string }[]; overrides: { date: string; hour: number; clockId: string; note?: string }[] };
      const clocks = new Set((await db('clocks').where({ stationId: s.id }).pluck('id')) as string[]);
      const errors: ProblemField[] = [];
      const seen = new Set<string>();
      input.weekly.forEach((w, i) => {
        if (!clocks.has(w.clockId)) errors.push({ path: `body.weekly[${i}].clockId`, message: `no clock ${w.clockId} at this station` });
        const key = `${w.weekday}:${w.hour}`;
        if (seen.has(key)) errors.push({ path: `body.weekly[${i}]`, message: `weekday ${w.weekday} hour ${w.hour} is listed twice` });
        seen.add(key);
      });
      input.overrides.forEach((o, i) => {
        if (!clocks.has(o.clockId)) errors.push({ path: `body.overrides[${i}].clockId`, message: `no clock ${o.clockId} at this station` });
        const key = `${o.date}:${o.hour}`;
        if (seen.has(key)) errors.push({ path: `body.overrides[${i}]`, message: `${o.date} hour ${o.hour} is listed twice` });
        seen.add(key);
      });
      if (errors.length) throw badRequest(`The grid has ${errors.length} problem${errors.length > 1 ? 's' : ''}`, errors);
      const before = await readGrid(s.id);
      await db.transaction(async (trx) => {
        await trx('grid_slots').where({ stationId: s.id }).delete();
        await trx('grid_overrides').where({ stationId: s.id }).delete();
        if (input.weekly.length) await trx('grid_slots').insert(input.weekly.map((w) => ({ stationId: s.id, ...w })));
        if (input.overrides.length) await trx('grid_overrides').insert(input.overrides.map((o) => ({ stationId: s.id, note: null, ...o })));
        await recordAudit(trx, principalOf(req), { action: 'grid.replace', entity: 'grid', entityId: s.id, stationId: s.id, before, after: input });
      });
      res.json(await readGrid(s.id));
    }),
  );

  return router;
}
