import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import type { StationSummary } from '../activities/station-summary.js';

const { summarizeStation } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumAttempts: 5, nonRetryableErrorTypes: ['StationNotFound'] },
});

/**
 * Reads what a station has to build logs from. `npm start` runs it for every station to prove
 * the whole path works (API → Temporal → worker → PostgreSQL) before it says "ready".
 */
export async function stationSummary(slug: string, asOf: string): Promise<StationSummary> {
  return summarizeStation(slug, asOf);
}

export const stationSummaryWorkflowId = (slug: string) => `station-summary:${slug}`;
