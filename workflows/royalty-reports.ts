// monthlyRoyaltyReports (`royalty-reports:<station>`): started by the station's monthly Schedule
// early in a month, prepares the month before's royalty and compliance files
// (activities/royalty-reports.ts).
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';

const { prepareMonthlyRoyaltyReports } = proxyActivities<Activities>({
  startToCloseTimeout: '30 minutes',
  // It heartbeats while it reads and writes: a dead worker's attempt is retried within a minute.
  heartbeatTimeout: '30 seconds',
  retry: { maximumInterval: '5 minutes', maximumAttempts: 20 },
});

export async function monthlyRoyaltyReports(input: { station: string; month?: string }) {
  return prepareMonthlyRoyaltyReports(input);
}
