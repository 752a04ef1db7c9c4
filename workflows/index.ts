// Every workflow the worker runs. Workflow code is deterministic: no I/O, no Node built-ins.
export { broadcastDay } from './broadcast-day.js';
export { buildUpcomingDays } from './build-upcoming-days.js';
export { stationSummary } from './station-summary.js';
export { librarySync } from './library-sync.js';
export { azuracastDailyPull, nowPlayingDay } from './azuracast.js';
export { monthlyAffidavits } from './affidavits.js';
export { monthlyRoyaltyReports } from './royalty-reports.js';
