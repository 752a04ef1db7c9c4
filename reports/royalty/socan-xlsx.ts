// The SOCAN music-use list as an Excel workbook (exceljs): one sheet, a heading row, a row per
// music play from domain/royalty/socan.ts. Every cell is text — dates and times as the station's
// clock showed them, so no spreadsheet converts them to another zone — and the workbook's
// dates are the generation time, so the same plays give the same cells.
import ExcelJS from 'exceljs';
import { socanMusicUseSheet } from '../../domain/royalty/socan.js';
import type { AiredPlay, ReportPeriod, ReportStation, RoyaltyFile } from '../../domain/royalty/types.js';

export const XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export interface SocanXlsxOptions {
  /** When the workbook is made (its created/modified properties). */
  generatedAt: Date;
}

export async function socanMusicUseXlsx(station: ReportStation, plays: readonly AiredPlay[], period: ReportPeriod, options: SocanXlsxOptions): Promise<RoyaltyFile> {
  const sheet = socanMusicUseSheet(station, plays, period);
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'LibreLog';
  workbook.created = options.generatedAt;
  workbook.modified = options.generatedAt;
  workbook.title = `${station.callLetters} music use ${period.from} to ${period.to}`;
  const ws = workbook.addWorksheet(sheet.sheetName, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = sheet.columns.map((c) => ({ header: c.header, width: c.width, style: { numFmt: '@' } }));
  ws.getRow(1).font = { bold: true };
  // An empty field is an empty cell, not an empty string.
  for (const row of sheet.rows) ws.addRow(row.map((v) => (v === '' ? null : v)));
  const body = Buffer.from(await workbook.xlsx.writeBuffer());
  return { fileName: sheet.fileName, contentType: XLSX_CONTENT_TYPE, body, rows: sheet.rows.length };
}
