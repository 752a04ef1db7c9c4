// Royalty and compliance files (docs/royalty-formats.md), written from the plays that aired:
// SoundExchange, BMI, the other PROs, SOCAN and the CRTC, and the FCC's hourly legal IDs.
// Pure: plays in, file text out; no database, no I/O. The SOCAN spreadsheet is drawn by
// reports/royalty/socan-xlsx.ts from socanMusicUseSheet.
export * from './types.js';
export { hms, isPerformedMusic, playsInPeriod, stationClock, toAscii, usageOf, type LocalPlay, type LocalTime } from './common.js';
export {
  SOUNDEXCHANGE_ATH_COLUMNS,
  SOUNDEXCHANGE_ATP_COLUMNS,
  isrcCode,
  soundExchangeFileName,
  soundExchangeMissing,
  soundExchangeReport,
  soundExchangeText,
  type SoundExchangeForm,
  type SoundExchangeOptions,
} from './soundexchange.js';
export { EMR_FMDT_LAYOUT, EMR_USAGE_CODES, EMR_WIDTHS, bmiEmr, bmiFileName, bmiMissing, type BmiEmrOptions } from './bmi.js';
export { PRO_MUSIC_USE_COLUMNS, PRO_USAGE_CODES, proMusicUseCsv, proMusicUseFileName, proMusicUseMissing } from './pro-csv.js';
export { SOCAN_COLUMNS, socanFileName, socanMissing, socanMusicUseSheet, type SocanSheet } from './socan.js';
export {
  COMMERCIAL_CATEGORY,
  CRTC_MUSIC_LIST_COLUMNS,
  CRTC_PROGRAM_LOG_COLUMNS,
  INDUSTRY_LOG_COLUMNS,
  crtcMusicList,
  crtcMusicListMissing,
  crtcProgramLog,
  crtcProgramLogMissing,
  industryLog,
  industryLogMissing,
  isCanadian,
  programmeSegments,
  type ProgrammeSegment,
} from './crtc.js';
export { LEGAL_ID_CSV_COLUMNS, legalIdCsv, legalIdHours, type LegalIdHour } from './fcc.js';
