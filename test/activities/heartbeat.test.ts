// Long activities heartbeat while they run, so a worker that dies is noticed within the
// heartbeat timeout; outside an activity (a test calling it directly) they just run.
import { CancelledFailure } from '@temporalio/activity';
import { MockActivityEnvironment } from '@temporalio/testing';
import { describe, expect, it } from 'vitest';
import { heartbeating } from '../../activities/heartbeat.js';

describe('heartbeating activities', () => {
  it('says it is alive as it starts and while it runs, and stops when done', async () => {
    const env = new MockActivityEnvironment();
    let beats = 0;
    env.on('heartbeat', () => beats++);
    const publish = heartbeating(async (items: number) => {
      await new Promise((r) => setTimeout(r, 50));
      return items * 2;
    });
    expect(await env.run(publish, 21)).toBe(42);
    expect(beats).toBeGreaterThanOrEqual(1);
    const after = beats;
    await new Promise((r) => setTimeout(r, 100));
    expect(beats).toBe(after);
  });

  it('ends the attempt as cancelled when the worker stops after its grace time, and only then', async () => {
    const slowPublish = heartbeating(() => new Promise<string>((resolve) => setTimeout(() => resolve('published'), 300)));
    const stopping = new MockActivityEnvironment();
    const run = stopping.run(slowPublish);
    stopping.cancel('WORKER_SHUTDOWN');
    await expect(run).rejects.toThrow(CancelledFailure);

    const cancelled = new MockActivityEnvironment();
    const other = cancelled.run(slowPublish);
    cancelled.cancel('CANCELLED');
    await expect(other).resolves.toBe('published');
  });

  it('runs as it is outside an activity', async () => {
    await expect(heartbeating(() => Promise.resolve('done'))()).resolves.toBe('done');
    await expect(heartbeating(() => Promise.reject(new Error('LibreTime is down')))()).rejects.toThrow('LibreTime is down');
  });
});
