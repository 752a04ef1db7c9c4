// Recorded histories of real runs (binary protobuf), replayed against today's workflow code: a change that
// would break running workflows (non-determinism) fails here instead of in production.
// Re-record with `RECORD_HISTORIES=1 npx vitest run test/workflows/broadcast-day-timers.test.ts`
// only when a change is deliberately incompatible (and then guard it with patched()).
import proto from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { readdir, readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { WORKFLOWS_PATH } from '../../temporal/worker.js';

const folder = new URL('./histories/', import.meta.url);

describe('recorded workflow histories', async () => {
  const files = (await readdir(folder)).filter((f) => f.endsWith('.history.bin'));

  it('exist', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it.each(files)('%s replays without non-determinism', async (file) => {
    const history = proto.temporal.api.history.v1.History.decode(await readFile(new URL(file, folder)));
    await expect(Worker.runReplayHistory({ workflowsPath: WORKFLOWS_PATH, replayName: file }, history)).resolves.toBeUndefined();
  });
});
