// Liveness for activities that talk to other systems for a while (publishing, the as-run,
// reconciliation): while one runs, its worker tells Temporal every few seconds that it is still
// at it. With a heartbeat timeout on the activity, a worker that dies mid-way is noticed within
// that timeout and the activity is retried on another worker, instead of after its whole
// start-to-close timeout (ten minutes for publishing).
import { CancelledFailure, Context } from '@temporalio/activity';

/** How often a running activity says it is alive; the heartbeat timeout is a few of these. */
export const HEARTBEAT_EVERY_MS = 5_000;

/** The same activity, heartbeating while it runs (outside an activity, e.g. in a test, it just runs). */
export function heartbeating<A extends unknown[], R>(activity: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
  return async (...args: A): Promise<R> => {
    let context: Context | undefined;
    try {
      context = Context.current();
    } catch {
      return activity(...args);
    }
    const beat = setInterval(() => context.heartbeat(), HEARTBEAT_EVERY_MS);
    context.heartbeat();
    try {
      return await Promise.race([activity(...args), workerShutdown(context)]);
    } finally {
      clearInterval(beat);
    }
  };
}

/**
 * Rejects when the worker is stopping and its grace time (LIBRELOG_SHUTDOWN_GRACE_SECONDS) is
 * over: the attempt ends at once as cancelled, so the worker can exit and Temporal retries the
 * activity on another worker within its retry interval instead of after the heartbeat timeout.
 * What the attempt was doing goes on until the process exits; every heartbeating activity is
 * safe to run again. Other cancellations leave the activity to finish as before.
 */
function workerShutdown(context: Context): Promise<never> {
  return new Promise((_, reject) => {
    context.cancelled.catch((error: unknown) => {
      if (error instanceof CancelledFailure && error.message === 'WORKER_SHUTDOWN') reject(error);
    });
  });
}
