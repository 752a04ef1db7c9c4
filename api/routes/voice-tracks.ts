// Voice tracks of a day: upload (multipart), listen, replace the take, remove. Files are
// checked by their bytes (media/audio.ts); the slot by the clock that plays that hour.
import type { Client } from '@temporalio/client';
import { Router, type Request } from 'express';
import type { Knex } from 'knex';
import { rm } from 'node:fs/promises';
import { ACCEPTED_UPLOAD_TYPES, inspectAudio, MAX_VOICE_TRACK_MS, NotAudio } from '../../media/audio.js';
import {
  findVoiceTrack,
  listVoiceTracks,
  mediaFile,
  removeVoiceTrack,
  replaceVoiceAudio,
  slotProblems,
  storeVoiceTrack,
  voiceTrackInSlot,
  type VoiceAudio,
  type VoiceSlot,
} from '../../media/voice-tracks.js';
import { voiceSlotsOf } from '../../media/voice-slots.js';
import { recordAudit } from '../audit.js';
import { principalOf } from '../auth/principal.js';
import { rebuildUnpublishedDay } from '../day-rebuild.js';
import { handle } from '../handle.js';
import { Problem } from '../problem.js';
import { stationOf } from '../stations.js';

export interface VoiceTracksDeps {
  db: Knex;
  /** The data folder; voice audio is kept under its media/ folder. Without it uploads answer 503. */
  dataDir?: string | undefined;
  broadcastDays?: { client: Client } | undefined;
}

/** The one uploaded file of a multipart request (express-openapi-validator's multer put it on disk). */
function uploadedFile(req: Request): Express.Multer.File {
  const files = (req.files ?? []) as Express.Multer.File[];
  const file = files.find((f) => f.fieldname === 'file');
  if (!file || files.length !== 1) throw new Problem(400, 'Bad Request', 'Send exactly one file, in the `file` field', [{ path: 'body.file', message: 'one audio file is required' }]);
  return file;
}

/** Reads what the upload really is; 415 when it is not audio we take, 422 when it is too long for a slot. */
async function audioOf(file: Express.Multer.File): Promise<VoiceAudio> {
  if (!ACCEPTED_UPLOAD_TYPES.test(file.mimetype)) {
    throw new Problem(415, 'Unsupported Media Type', `A voice track is audio; the file was sent as ${file.mimetype}`, [{ path: 'body.file', message: 'must be an audio file' }]);
  }
  try {
    const facts = await inspectAudio(file.path);
    if (facts.lengthMs > MAX_VOICE_TRACK_MS) {
      throw new Problem(422, 'Unprocessable Content', `The audio is ${Math.round(facts.lengthMs / 60000)} minutes long; a voice track fits in one hour of a clock`, [{ path: 'body.file', message: 'longer than an hour' }]);
    }
    return { tempPath: file.path, originalFilename: file.originalname || null, bytes: file.size, facts };
  } catch (error) {
    if (error instanceof NotAudio) throw new Problem(415, 'Unsupported Media Type', error.message, [{ path: 'body.file', message: 'is not audio LibreLog takes' }]);
    throw error;
  }
}

export function createVoiceTracksRouter(deps: VoiceTracksDeps): Router {
  const { db } = deps;
  const router = Router();
  const dataDir = () => {
    if (!deps.dataDir) throw new Problem(503, 'Service Unavailable', 'This API server has no data folder for audio.');
    return deps.dataDir;
  };

  router.get(
    '/stations/:station/voice-slots',
    handle(async (req, res) => {
      const s = await stationOf(db, req);
      res.json(await voiceSlotsOf(db, s, (req.query as { date: string }).date));
    }),
  );

  router.get(
    '/stations/:station/voice-tracks',
    handle(async (req, res) => {
      const s = await stationOf(db, req);
      res.json(await listVoiceTracks(db, s.id, (req.query as { date: string }).date));
    }),
  );

  router.post(
    '/stations/:station/voice-tracks',
    handle(async (req, res) => {
      const s = await stationOf(db, req);
      const folder = dataDir();
      const principal = principalOf(req);
      const body = req.body as { date: string; hour: string; clockElementId: string; slotIndex?: string; title?: string };
      const slot: VoiceSlot = { date: body.date, hour: Number(body.hour), clockElementId: body.clockElementId, slotIndex: Number(body.slotIndex ?? 0) };
      const file = uploadedFile(req);
      const problems = await slotProblems(db, s, slot);
      if (problems.length) throw new Problem(400, 'Bad Request', `There is no such slot on ${slot.date}`, problems);
      const taken = await voiceTrackInSlot(db, s.id, slot);
      if (taken) throw new Problem(409, 'Conflict', `The slot already has voice track ${taken}; replace its audio (PUT …/voice-tracks/${taken}/audio) or remove it first`);
      const audio = await audioOf(file);
      const voiceTrack = await storeVoiceTrack(db, folder, {
        stationId: s.id,
        slot,
        title: body.title ?? null,
        audio,
        recordedBy: principal.kind === 'user' ? principal.id : null,
        recordedByName: principal.name,
      }).catch((error: unknown) => {
        // Two uploads raced for the slot: the second is told like any taken slot.
        if ((error as { code?: string }).code === '23505') throw new Problem(409, 'Conflict', 'The slot got a voice track while this one was uploading');
        throw error;
      });
      await recordAudit(db, principal, { action: 'voice_track.create', entity: 'voice_track', entityId: voiceTrack.id, stationId: s.id, after: voiceTrack });
      const log = await rebuildUnpublishedDay(db, deps.broadcastDays?.client, s, slot.date, { reason: `voice track uploaded for ${String(slot.hour).padStart(2, '0')}:00`, requestedBy: principal.id });
      res.status(201).json({ voiceTrack, log });
    }),
  );

  router.get(
    '/stations/:station/voice-tracks/:voiceTrackId',
    handle(async (req, res) => {
      const s = await stationOf(db, req);
      const found = await findVoiceTrack(db, s.id, String(req.params.voiceTrackId));
      if (!found) throw new Problem(404, 'Not Found', `No voice track ${String(req.params.voiceTrackId)} at this station`);
      const { filePath: _filePath, ...voiceTrack } = found;
      res.json(voiceTrack);
    }),
  );

  router.get(
    '/stations/:station/voice-tracks/:voiceTrackId/audio',
    handle(async (req, res) => {
      const s = await stationOf(db, req);
      const found = await findVoiceTrack(db, s.id, String(req.params.voiceTrackId));
      if (!found?.filePath) throw new Problem(404, 'Not Found', `No audio for voice track ${String(req.params.voiceTrackId)} at this station`);
      const file = mediaFile(dataDir(), found.filePath);
      await new Promise<void>((resolve, reject) => {
        res.sendFile(file, { headers: { 'Content-Type': found.mediaType ?? 'application/octet-stream' }, maxAge: 0 }, (error) => {
          if (!error) resolve();
          else if ((error as { code?: string }).code === 'ENOENT') reject(new Problem(404, 'Not Found', 'The audio file is missing from the data folder'));
          else reject(error);
        });
      });
    }),
  );

  router.put(
    '/stations/:station/voice-tracks/:voiceTrackId/audio',
    handle(async (req, res) => {
      const s = await stationOf(db, req);
      const folder = dataDir();
      const principal = principalOf(req);
      const id = String(req.params.voiceTrackId);
      const file = uploadedFile(req);
      const before = await findVoiceTrack(db, s.id, id);
      if (!before) throw new Problem(404, 'Not Found', `No voice track ${id} at this station`);
      const audio = await audioOf(file);
      const voiceTrack = (await replaceVoiceAudio(db, folder, {
        stationId: s.id,
        id,
        title: (req.body as { title?: string }).title ?? null,
        audio,
        recordedBy: principal.kind === 'user' ? principal.id : null,
      }))!;
      await recordAudit(db, principal, { action: 'voice_track.replace', entity: 'voice_track', entityId: id, stationId: s.id, before, after: voiceTrack });
      const log = await rebuildUnpublishedDay(db, deps.broadcastDays?.client, s, voiceTrack.date, { reason: `new take of the voice track for ${String(voiceTrack.hour).padStart(2, '0')}:00`, requestedBy: principal.id });
      res.json({ voiceTrack, log });
    }),
  );

  router.delete(
    '/stations/:station/voice-tracks/:voiceTrackId',
    handle(async (req, res) => {
      const s = await stationOf(db, req);
      const principal = principalOf(req);
      const id = String(req.params.voiceTrackId);
      const removed = await removeVoiceTrack(db, dataDir(), s.id, id);
      if (!removed) throw new Problem(404, 'Not Found', `No voice track ${id} at this station`);
      await recordAudit(db, principal, { action: 'voice_track.remove', entity: 'voice_track', entityId: id, stationId: s.id, before: removed });
      const log = await rebuildUnpublishedDay(db, deps.broadcastDays?.client, s, removed.date, { reason: `voice track for ${String(removed.hour).padStart(2, '0')}:00 removed`, requestedBy: principal.id });
      res.json({ log });
    }),
  );

  return router;
}

/** Uploads left on disk (a refused request, a crash mid-handler) are deleted when the response ends. */
export function removeLeftoverUploads(req: Request): Promise<void> {
  const files = (req.files ?? []) as Express.Multer.File[];
  // A multipart body that broke off mid-file leaves a file without a path: nothing to remove.
  return Promise.all(files.filter((f) => typeof f.path === 'string').map((f) => rm(f.path, { force: true }))).then(() => undefined);
}
