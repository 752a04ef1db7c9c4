// The files the monthly Schedule prepares, kept under the data folder as
// reports/<station>/<YYYY-MM>/: each file as filed, and `prepared.json`, what was prepared
// (or could not be, and why) with the day each is due. Files are written whole and renamed
// into place, so a file there is always complete.
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';

export interface PreparedFile {
  report: string;
  name: string;
  /** Null when it could not be made (station details lacking). */
  fileName: string | null;
  rows: number;
  missingCount: number;
  dueOn: string | null;
  stationDetailsLacking: string[];
  preparedAt: string;
}

export interface PreparedMonth {
  month: string;
  files: PreparedFile[];
}

const MANIFEST = 'prepared.json';
const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/** Writes `body` to `file` whole: a reader never sees half of it. */
export async function writeWhole(file: string, body: string | Buffer): Promise<void> {
  await writeFile(`${file}.part`, body);
  await rename(`${file}.part`, file);
}

/** Records a month's prepared files (replacing what an earlier run of the month recorded). */
export async function recordPreparedMonth(folder: string, prepared: PreparedMonth): Promise<void> {
  const monthFolder = path.join(folder, prepared.month);
  await mkdir(monthFolder, { recursive: true });
  await writeWhole(path.join(monthFolder, MANIFEST), `${JSON.stringify(prepared, null, 2)}\n`);
}

/** Every month prepared for a station, newest first. */
export async function preparedReports(folder: string): Promise<PreparedMonth[]> {
  const months = (await readdir(folder).catch(() => [] as string[])).filter((m) => MONTH.test(m)).sort().reverse();
  const out: PreparedMonth[] = [];
  for (const month of months) {
    const text = await readFile(path.join(folder, month, MANIFEST), 'utf8').catch(() => null);
    if (text === null) continue;
    try {
      const parsed = JSON.parse(text) as PreparedMonth;
      out.push({ month, files: parsed.files });
    } catch {
      // A manifest that is not JSON (hand-edited, a full disk): the month is listed without files.
      out.push({ month, files: [] });
    }
  }
  return out;
}
