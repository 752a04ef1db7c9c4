// The month's affidavits, prepared after the month closes (docs/affidavits.md): for each
// advertiser whose spots were ordered or aired in the station's previous calendar month, the
// affidavit as PDF and CSV under the data folder's affidavits/<station>/<YYYY-MM>/. Written
// whole and renamed into place, so a file there is always complete; running again rewrites
// them with what the as-run says now.
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Knex } from 'knex';
import { DateTime } from 'luxon';
import { findStation } from '../db/log-inputs.js';
import { affidavitCsv, affidavitFileName } from '../domain/affidavit.js';
import { renderAffidavitPdf } from '../reports/affidavit-pdf.js';
import { prepareAffidavit } from '../reports/affidavits.js';

export interface PreparedAffidavits {
  station: string;
  month: string;
  files: string[];
}

export function createAffidavitActivities(deps: { db: Knex; dataDir?: string | undefined }) {
  return {
    async prepareMonthlyAffidavits(input: { station: string; month?: string }): Promise<PreparedAffidavits> {
      const { db } = deps;
      if (!deps.dataDir) throw new Error('prepareMonthlyAffidavits needs the data folder (LIBRELOG_DATA_DIR)');
      const station = await findStation(db, input.station);
      // The month that closed last, at the station (the Schedule runs early in the next one).
      const month = input.month ?? DateTime.now().setZone(station.timezone).minus({ months: 1 }).toFormat('yyyy-MM');
      const first = `${month}-01`;
      const last = DateTime.fromISO(first).endOf('month').toISODate()!;
      const advertisers = (await db('campaigns')
        .where({ stationId: station.id })
        .where('startsOn', '<=', last)
        .where('endsOn', '>=', first)
        .distinct('advertiserId')
        .orderBy('advertiserId')) as { advertiserId: string }[];
      const folder = path.join(deps.dataDir, 'affidavits', station.slug, month);
      if (advertisers.length) await mkdir(folder, { recursive: true });
      const files: string[] = [];
      for (const { advertiserId } of advertisers) {
        const affidavit = await prepareAffidavit(db, station.id, { advertiserId, kind: 'month', month, signer: null, now: new Date() });
        for (const [format, body] of [
          ['pdf', await renderAffidavitPdf(affidavit)],
          ['csv', affidavitCsv(affidavit)],
        ] as const) {
          const name = affidavitFileName(affidavit, format);
          const target = path.join(folder, name);
          await writeFile(`${target}.part`, body);
          await rename(`${target}.part`, target);
          files.push(path.join(station.slug, month, name));
        }
      }
      return { station: station.slug, month, files };
    },
  };
}
