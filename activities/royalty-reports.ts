// The month's royalty and compliance files, prepared after the month closes (docs/royalty-
// formats.md): each monthly file the station's country files (reports/royalty-files.ts), from
// the as-run of the station's previous calendar month, under the data folder's
// reports/<station>/<YYYY-MM>/ with prepared.json saying what was made, what it could not
// report in full and when each is due. A file whose station details are lacking is recorded as
// not made, with what to fill in. Running again rewrites the month with what the as-run says now.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Knex } from 'knex';
import { DateTime } from 'luxon';
import { findStation } from '../db/log-inputs.js';
import { reportStation } from '../db/royalty-plays.js';
import { recordPreparedMonth, writeWhole, type PreparedFile } from '../reports/prepared-reports.js';
import { dueOn, prepareRoyaltyFile, reportsFor } from '../reports/royalty-files.js';

export interface PreparedRoyaltyMonth {
  station: string;
  month: string;
  files: PreparedFile[];
}

export function createRoyaltyReportActivities(deps: { db: Knex; dataDir?: string | undefined }) {
  return {
    async prepareMonthlyRoyaltyReports(input: { station: string; month?: string }): Promise<PreparedRoyaltyMonth> {
      const { db } = deps;
      if (!deps.dataDir) throw new Error('prepareMonthlyRoyaltyReports needs the data folder (LIBRELOG_DATA_DIR)');
      const station = await findStation(db, input.station);
      // The month that closed last, at the station (the Schedule runs early in the next one).
      const month = input.month ?? DateTime.now().setZone(station.timezone).minus({ months: 1 }).toFormat('yyyy-MM');
      const period = { from: `${month}-01`, to: DateTime.fromISO(`${month}-01`).endOf('month').toISODate()! };
      const { station: details } = await reportStation(db, station.id);
      const folder = path.join(deps.dataDir, 'reports', station.slug);
      await mkdir(path.join(folder, month), { recursive: true });
      const files: PreparedFile[] = [];
      for (const report of reportsFor(details.country || null).filter((r) => r.cadence === 'monthly')) {
        const prepared = await prepareRoyaltyFile(db, station.id, report, period, { headers: true });
        if (prepared.file) await writeWhole(path.join(folder, month, prepared.file.fileName), prepared.file.body);
        files.push({
          report: report.id,
          name: report.name,
          fileName: prepared.file?.fileName ?? null,
          rows: prepared.file?.rows ?? 0,
          missingCount: prepared.missing.length,
          dueOn: dueOn(report, period),
          stationDetailsLacking: prepared.lacking,
          preparedAt: new Date().toISOString(),
        });
        // Recorded after each file: a run cut short still lists what it made.
        await recordPreparedMonth(folder, { month, files });
      }
      return { station: station.slug, month, files };
    },
  };
}
