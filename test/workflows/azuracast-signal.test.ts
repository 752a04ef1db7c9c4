// When the daily AzuraCast pull has stored a day's song history, it tells that day's run (which
// may be waiting for its as-run) at once; a day whose run has ended is no error.
import { Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { useTimeSkipping } from '../support/temporal.js';

const skipping = useTimeSkipping();

describe('the AzuraCast pull', () => {
  it("signals the day's run that its as-run has come", async () => {
    const { env } = skipping;
    const taskQueue = 'azuracast-signal';
    const pulled: string[] = [];
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowsPath: new URL('./fixtures/as-run-signal-workflows.ts', import.meta.url).pathname,
      activities: {
        pullAzuraCastDay: (input: { station: string }) => {
          pulled.push(input.station);
          return Promise.resolve({ date: '2026-12-01', plays: 42, sessions: 3, tuningHours: 1.5 });
        },
      },
    });
    await worker.runUntil(async () => {
      const day = await env.client.workflow.start('waitsForAsRun', { taskQueue, workflowId: 'broadcast-day:kqtr:2026-12-01' });
      await env.client.workflow.execute('azuracastDailyPull', { taskQueue, workflowId: 'azuracast-pull:kqtr', args: [{ station: 'kqtr' }] });
      expect(await day.result()).toBe('as-run arrived');
      // Again, with the day's run over: the pull still succeeds.
      await env.client.workflow.execute('azuracastDailyPull', { taskQueue, workflowId: 'azuracast-pull:kqtr:2', args: [{ station: 'kqtr' }] });
    });
    expect(pulled).toEqual(['kqtr', 'kqtr']);
  }, 120_000);
});
