// The archive itself: a gzipped tar written one entry at a time (tar-stream), and read back
// into a staging folder with every entry checked against the manifest before anything is
// restored from it. Nothing is held whole in memory: entries stream from and to files.
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { once } from 'node:events';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import tar from 'tar-stream';
import { BackupFailure } from './failure.js';
import { MANIFEST, fileEntry, parseManifest, safeDataPath, type Manifest } from './manifest.js';

export interface Written {
  bytes: number;
  sha256: string;
}

/** Writes a .tar.gz entry by entry; `finish()` ends the archive and waits until it is on disk. */
export class ArchiveWriter {
  private readonly pack = tar.pack();
  private readonly written: Promise<void>;

  constructor(file: string) {
    // Backups hold password hashes and integration keys: readable by their owner only.
    this.written = pipeline(this.pack, createGzip(), createWriteStream(file, { mode: 0o600 }));
    // finish() or abort() awaits it; until then a failure surfaces through the next add().
    this.written.catch(() => undefined);
  }

  /** Adds an entry of exactly `size` bytes from `source`; answers its SHA-256. */
  async add(name: string, size: number, source: AsyncIterable<Buffer> | Iterable<Buffer> | Readable, mtime?: Date): Promise<Written> {
    const hash = createHash('sha256');
    let bytes = 0;
    const added = new Promise<void>((resolve, reject) => {
      const entry = this.pack.entry({ name, size, mode: 0o644, ...(mtime && { mtime }) }, (error) => (error ? reject(error) : resolve()));
      void (async () => {
        try {
          for await (const chunk of source as AsyncIterable<Buffer> | Iterable<Buffer>) {
            hash.update(chunk);
            bytes += chunk.length;
            if (bytes > size) throw new Error(`${name} grew while it was being archived`);
            if (!entry.write(chunk)) await once(entry as unknown as NodeJS.EventEmitter, 'drain');
          }
          if (bytes !== size) throw new Error(`${name} shrank while it was being archived`);
          (entry as unknown as { end(): void }).end();
        } catch (error) {
          entry.destroy(error as Error);
          reject(error as Error);
        }
      })();
    });
    await Promise.race([added, this.written.then(() => Promise.reject(new Error('the archive closed early')))]);
    return { bytes, sha256: hash.digest('hex') };
  }

  async addText(name: string, text: string): Promise<Written> {
    const body = Buffer.from(text, 'utf8');
    return this.add(name, body.length, [body]);
  }

  async finish(): Promise<void> {
    this.pack.finalize();
    await this.written;
  }

  async abort(): Promise<void> {
    this.pack.destroy();
    await this.written.catch(() => undefined);
  }
}

export interface Staged {
  manifest: Manifest;
  /** The staging folder: manifest.json, database/…, files/media/…, files/published/… */
  dir: string;
}

/** Which names an archive may hold; anything else (absolute paths, `..`, links) is refused. */
function allowedEntry(name: string): boolean {
  if (name === MANIFEST) return true;
  if (/^database\/[A-Za-z_][A-Za-z0-9_]*\.copy$/.test(name)) return true;
  return name.startsWith('files/') && safeDataPath(name.slice('files/'.length));
}

/**
 * Unpacks `file` into `dir` and checks it whole: gzip's checksum and length, every entry's
 * name, size and SHA-256 against the manifest, nothing missing and nothing extra. A damaged,
 * cut-short or foreign archive is refused here, before the database or data folder is touched.
 */
export async function stageArchive(file: string, dir: string): Promise<Staged> {
  const damaged = (why: string, cause?: unknown) =>
    new BackupFailure(
      `The archive ${file} cannot be restored:`,
      `${why}.`,
      'Use another copy of the backup (a complete one: `tar tzf` lists it without an error). The database and the data folder were left as they were.',
      { cause },
    );
  const seen = new Map<string, Written>();
  const extract = tar.extract();
  const feeding = pipeline(createReadStream(file), createGunzip(), extract);
  feeding.catch(() => undefined);
  try {
    for await (const entry of extract) {
      const { name, type } = entry.header;
      if (type !== 'file' || !allowedEntry(name)) throw damaged(`it holds "${name}" (${type ?? 'file'}), which a LibreLog backup never does`);
      if (seen.has(name)) throw damaged(`it holds "${name}" twice`);
      const target = path.join(dir, name);
      await mkdir(path.dirname(target), { recursive: true });
      const hash = createHash('sha256');
      let bytes = 0;
      const out = createWriteStream(target, { mode: 0o600 });
      for await (const chunk of entry as AsyncIterable<Buffer>) {
        hash.update(chunk);
        bytes += chunk.length;
        if (!out.write(chunk)) await once(out, 'drain');
      }
      out.end();
      await once(out, 'finish');
      seen.set(name, { bytes, sha256: hash.digest('hex') });
    }
    await feeding;
  } catch (thrown) {
    // Reading stopped: stop feeding too, and take the feeder's own error (gunzip's "unexpected
    // end of file") over the extractor's "destroyed" that it caused.
    extract.destroy();
    const fed = await feeding.then(() => undefined, (e: unknown) => e);
    if (thrown instanceof BackupFailure) throw thrown;
    const fedCode = typeof fed === 'object' && fed !== null && 'code' in fed ? String((fed as { code: unknown }).code) : '';
    const error = fed instanceof Error && fedCode !== 'ERR_STREAM_PREMATURE_CLOSE' ? fed : thrown;
    const code = typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : '';
    if (code === 'ENOENT' && !seen.size) throw new BackupFailure(`There is no archive at ${file}.`, 'The file does not exist.', 'Give the path of a backup made with `npm run backup`.', { cause: error });
    if (code.startsWith('E') && !code.startsWith('ERR_') && !code.startsWith('Z_')) throw error; // the disk, not the archive
    const message = (error as Error).message;
    if (code === 'Z_BUF_ERROR' || /unexpected end/i.test(message)) throw damaged('it is incomplete (it ends early: cut short while being written or copied)', error);
    if (/incorrect header check/i.test(message)) throw damaged('it is not a gzipped archive, so not a backup made by `npm run backup`', error);
    throw damaged(`it is damaged (${message})`, error);
  }

  if (!seen.has(MANIFEST)) throw damaged('it has no manifest (it is incomplete, or not a LibreLog backup)');
  const manifest = parseManifest(await readFile(path.join(dir, MANIFEST), 'utf8'));
  if (typeof manifest === 'string') throw damaged(manifest);
  const expected = new Map<string, Written>([
    ...manifest.tables.map((t) => [t.entry, { bytes: t.bytes, sha256: t.sha256 }] as const),
    ...manifest.files.map((f) => [fileEntry(f.path), { bytes: f.bytes, sha256: f.sha256 }] as const),
  ]);
  for (const [name, want] of expected) {
    const got = seen.get(name);
    if (!got) throw damaged(`"${name}" is missing from it`);
    if (got.bytes !== want.bytes || got.sha256 !== want.sha256) throw damaged(`"${name}" is not what was backed up (its size or checksum differs)`);
  }
  const extra = [...seen.keys()].find((name) => name !== MANIFEST && !expected.has(name));
  if (extra) throw damaged(`it holds "${extra}", which its manifest does not list`);
  return { manifest, dir };
}
