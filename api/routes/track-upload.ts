// POST /stations/{station}/tracks/upload: several audio files become tracks at once
// (media/library-upload.ts judges, measures and keeps each); when the station plays out through
// LibreTime each new file is sent there too and its file id kept on the track, so the library
// sync knows it. A file refused, or not taken by LibreTime, is a problem of that file only.
import { Router } from 'express';
import type { Knex } from 'knex';
import type { TrackType } from '../../domain/vocabulary.js';
import { createLibreTimeClient } from '../../integrations/libretime/client.js';
import type { LibreTimeApi, LibreTimeConnection } from '../../integrations/libretime/types.js';
import { addUploadedTrack } from '../../media/library-upload.js';
import { mediaFile } from '../../media/voice-tracks.js';
import { syncsFromLibreTime } from '../../temporal/library-sync.js';
import { recordAudit } from '../audit.js';
import { principalOf } from '../auth/principal.js';
import { handle } from '../handle.js';
import { Problem } from '../problem.js';
import { stationOf } from '../stations.js';
import { trackOut, trackQuery, type TrackOut, type TrackRow } from './library.js';

export interface TrackUploadDeps {
  db: Knex;
  /** The data folder: library audio is kept under its library/ folder. Without it uploads answer 503. */
  dataDir?: string | undefined;
  /** The station's LibreTime (tests may give their own); one try, no retries: a retry could upload twice. */
  libretimeFor?: ((connection: LibreTimeConnection) => LibreTimeApi) | undefined;
}

interface FileOutcome {
  filename: string;
  /** Absent when the file was refused. */
  track?: TrackOut;
  libretimeFileId: number | null;
  problems: string[];
}

/** A safe name for LibreTime, which judges an upload by its extension. */
const libretimeFilename = (filename: string, extension: string) => `${filename.replace(/\.[A-Za-z0-9]{1,5}$/, '').replace(/[^\w .()-]+/g, '_').slice(0, 150) || 'track'}.${extension}`;

export function createTrackUploadRouter(deps: TrackUploadDeps): Router {
  const { db } = deps;
  const router = Router();
  const libretimeFor = deps.libretimeFor ?? ((connection: LibreTimeConnection) => createLibreTimeClient(connection, { retries: 0, timeoutMs: 120_000 }));

  router.post(
    '/stations/:station/tracks/upload',
    handle(async (req, res) => {
      const s = await stationOf(db, req);
      if (!deps.dataDir) throw new Problem(503, 'Service Unavailable', 'This API server has no data folder for audio.');
      const dataDir = deps.dataDir;
      const principal = principalOf(req);
      const files = ((req.files ?? []) as Express.Multer.File[]).filter((f) => f.fieldname === 'files');
      if (!files.length) throw new Problem(400, 'Bad Request', 'Send one or more audio files in the `files` field', [{ path: 'body.files', message: 'at least one file is required' }]);
      const type = ((req.body as { type?: TrackType }).type ?? 'MUS') as TrackType;
      const station = (await db('stations').where({ id: s.id }).first('playoutTarget', 'libretimeUrl', 'libretimeApiKey')) as { playoutTarget: string; libretimeUrl: string | null; libretimeApiKey: string | null };
      const libretime = syncsFromLibreTime(station) ? libretimeFor({ baseUrl: station.libretimeUrl!, apiKey: station.libretimeApiKey! }) : undefined;

      const outcomes: FileOutcome[] = [];
      for (const file of files) {
        const filename = file.originalname || 'upload';
        const outcome = await addUploadedTrack(db, dataDir, { stationId: s.id, type, file: { tempPath: file.path, filename, declaredType: file.mimetype } });
        if (!outcome.kept) {
          outcomes.push({ filename, libretimeFileId: null, problems: outcome.problems });
          continue;
        }
        const problems = [...outcome.problems];
        let libretimeFileId: number | null = null;
        if (libretime) {
          try {
            const sent = await libretime.uploadMedia({ path: mediaFile(dataDir, outcome.filePath), filename: libretimeFilename(filename, outcome.facts.extension), mediaType: outcome.facts.mediaType });
            // The type chosen here is the station's own: the sync would call a file without a LibreTime track type MUS.
            await db('tracks')
              .where({ id: outcome.trackId })
              .update({ libretimeFileId: sent.id, editedInLibrelog: ['type'], updatedAt: db.fn.now() });
            libretimeFileId = sent.id;
          } catch (error) {
            const said = (error as { code?: string }).code === '23505' ? `its file ${String((error as { detail?: string }).detail ?? '')} is already another track` : error instanceof Error ? error.message : String(error);
            problems.push(`kept in LibreLog but not sent to LibreTime (${said}); publishing a log that uses it uploads it then`);
          }
        }
        const track = trackOut((await trackQuery(db, s.id).where('tracks.id', outcome.trackId).first()) as TrackRow);
        await recordAudit(db, principal, { action: 'track.upload', entity: 'track', entityId: track.id, stationId: s.id, after: { filename, title: track.title, type, libretimeFileId } });
        outcomes.push({ filename, track, libretimeFileId, problems });
      }
      const added = outcomes.filter((o) => o.track).length;
      res.json({ added, refused: outcomes.length - added, files: outcomes });
    }),
  );

  return router;
}
