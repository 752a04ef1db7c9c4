// Reconciliation's rules, pure (docs/reconciliation.md): match a day's as-run to its log, an
// outcome per entry, campaign totals, make-goods owed, manual confirmation, the as-run's state.
export * from './types.js';
export { DEFAULT_AS_RUN_GRACE_MS, DEFAULT_RECONCILIATION_RULES, reconciliationRules } from './rules.js';
export { normaliseName, sameRecording } from './normalise.js';
export { reconcileDay } from './reconcile.js';
export { asRunDayState, asRunDeadline, broadcastDayPeriod, livePlannedPeriods, notDueReasonOf, type AsRunDayState } from './day.js';
export { campaignTotals, type CampaignTotals } from './totals.js';
export { makeGoodsOwed, type ExistingMakeGood, type MakeGoodChanges, type MakeGoodStatus, type OwedMakeGood } from './make-goods.js';
export { confirmationToAsRun, type ManualAsRun, type ManualConfirmation, type ManualException } from './manual.js';
export { dayReport, dayReportCsv, describeOutcome, OUTCOME_NAMES, periodCampaignsCsv, periodDaysCsv, periodReport, spanInWords, type DayReport, type PeriodReport, type ReportCampaign, type ReportCampaignName, type ReportEntry } from './report.js';
export { flightWeekEndingOn, orderedInWeek, shortfallChanges, weekShortfall, type FlightWeek, type WeekShortfall, type WeeklyOrder } from './short-orders.js';
