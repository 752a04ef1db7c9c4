// A station's library sync from LibreTime, nightly on its Temporal Schedule and on demand
// (workflow id `library-sync:<station>`: one at a time per station). The import is one
// idempotent activity — upserts by LibreTime file id — so a retry after a crash redoes it safely.
import { ActivityFailure, ApplicationFailure, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import type { LibrarySyncResult } from '../activities/library-sync.js';

const NON_RETRYABLE = ['StationNotFound', 'PlayoutNotConfigured', 'LibreTimeRejected'];

const bookkeeping = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { maximumAttempts: 10, nonRetryableErrorTypes: NON_RETRYABLE },
});

// LibreTime may be down for a while; 20,000 files take well under a minute when it is up.
const libretime = proxyActivities<Activities>({
  startToCloseTimeout: '15 minutes',
  // It heartbeats every few seconds while it runs: a dead worker's attempt is retried in 30 s.
  heartbeatTimeout: '30 seconds',
  retry: { initialInterval: '10 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes', maximumAttempts: 12, nonRetryableErrorTypes: NON_RETRYABLE },
});

export const librarySyncWorkflowId = (slug: string) => `library-sync:${slug}`;

export async function librarySync(input: { station: string }): Promise<LibrarySyncResult> {
  const opened = await bookkeeping.openLibrarySync({ station: input.station, workflowId: workflowInfo().workflowId });
  try {
    const result = await libretime.importLibreTimeLibrary({ syncId: opened.syncId, stationId: opened.stationId });
    await bookkeeping.finishLibrarySync({ syncId: opened.syncId, result });
    return result;
  } catch (error) {
    if (!(error instanceof ActivityFailure)) throw error;
    const failure = `Library sync from LibreTime failed: ${error.cause?.message ?? error.message}`;
    // The failure is kept with the sync, where the library page shows it.
    await bookkeeping.finishLibrarySync({ syncId: opened.syncId, failure });
    throw ApplicationFailure.nonRetryable(failure, 'LibrarySyncFailed');
  }
}
