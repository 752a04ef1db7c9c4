import { ParentClosePolicy, WorkflowIdReusePolicy, proxyActivities, startChild } from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { Activities } from '../activities/index.js';
import { broadcastDayWorkflowId } from '../domain/broadcast-day.js';
import { broadcastDay } from './broadcast-day.js';

const { upcomingBroadcastDates } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { maximumAttempts: 5, nonRetryableErrorTypes: ['StationNotFound'] },
});

/**
 * Run by each station's daily Temporal Schedule: makes sure a broadcast-day run exists for
 * today and the next N days. Days already started are left alone, so running it twice
 * never creates a second log.
 */
export async function buildUpcomingDays(input: { station: string }): Promise<{ started: string[]; existing: string[] }> {
  const { slug, dates } = await upcomingBroadcastDates({ station: input.station });
  const started: string[] = [];
  const existing: string[] = [];
  for (const date of dates) {
    try {
      await startChild(broadcastDay, {
        workflowId: broadcastDayWorkflowId(slug, date),
        args: [{ station: slug, date }],
        // The day outlives this short run.
        parentClosePolicy: ParentClosePolicy.ABANDON,
        workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      });
      started.push(date);
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
      existing.push(date);
    }
  }
  return { started, existing };
}
