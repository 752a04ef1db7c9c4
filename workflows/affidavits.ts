// monthlyAffidavits (`affidavits:<station>`): started by the station's monthly Schedule early
// in a month, files the month before's affidavits for every advertiser (activities/affidavits.ts).
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';

const { prepareMonthlyAffidavits } = proxyActivities<Activities>({
  startToCloseTimeout: '30 minutes',
  // It heartbeats while it writes: a dead worker's attempt is retried within a minute.
  heartbeatTimeout: '30 seconds',
  retry: { maximumInterval: '5 minutes', maximumAttempts: 20 },
});

export async function monthlyAffidavits(input: { station: string; month?: string }) {
  return prepareMonthlyAffidavits(input);
}
