// AzuraCast's workflows.
// nowPlayingDay (`now-playing:<station>:<date>`): started by the broadcast day when it goes on
// air; sleeps until each entry's start (durable timers: a worker restart loses no push) and
// announces it on the live socket and, with AzuraCast settings, to AzuraCast. Timers, not LibreTime's live info, because the log says when each entry
// starts and a timer needs no polling; the cost is that an entry running early or late in
// playout is announced at its planned time (docs/integrations.md).
// azuracastDailyPull (`azuracast-pull:<station>`): on a daily schedule, copies yesterday's
// song history and listener sessions before AzuraCast's 60-day retention deletes them.
import { getExternalWorkflowHandle, patched, proxyActivities, sleep } from '@temporalio/workflow';
import { broadcastDayWorkflowId } from '../domain/broadcast-day.js';
import { asRunArrivedSignal } from './broadcast-day-messages.js';
import type { Activities } from '../activities/index.js';

const steps = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '2 seconds', maximumInterval: '30 seconds', maximumAttempts: 5, nonRetryableErrorTypes: ['AzuraCastRejected', 'StationNotFound'] },
});

const pull = proxyActivities<Activities>({
  startToCloseTimeout: '10 minutes',
  // It heartbeats every few seconds while it runs: a dead worker's attempt is retried in 30 s.
  heartbeatTimeout: '30 seconds',
  retry: { initialInterval: '1 minute', backoffCoefficient: 2, maximumInterval: '1 hour', maximumAttempts: 12, nonRetryableErrorTypes: ['AzuraCastRejected', 'StationNotFound'] },
});

export const nowPlayingWorkflowId = (slug: string, date: string) => `now-playing:${slug}:${date}`;

export interface NowPlayingResult {
  /** Entries AzuraCast was told about, with the (workflow) time of the push. */
  pushed: { entryId: string; at: number }[];
  /** Entries announced on the live socket. */
  announced: number;
  /** Why AzuraCast stopped being told, if it did. */
  azuracast: 'told' | 'unsupported' | 'not_configured';
}

export async function nowPlayingDay(input: { station: string; date: string }): Promise<NowPlayingResult> {
  const { stationId, azuracast, entries } = await steps.nowPlayingEntries(input);
  const result: NowPlayingResult = { pushed: [], announced: 0, azuracast: azuracast ? 'told' : 'not_configured' };
  for (const entry of entries) {
    const wait = entry.startsAt - Date.now();
    // An entry whose time has passed (a late start) is skipped unless it is still playing.
    if (wait < 0 && -wait > entry.durationS * 1000) continue;
    if (wait > 0) await sleep(wait);
    // A push that fails for a while is not worth delaying the next entry's: it gives up after a few tries.
    const answer = await steps.pushNowPlaying({ stationId, date: input.date, entry, toAzuraCast: result.azuracast === 'told' }).catch(() => 'failed' as const);
    if (answer !== 'failed') result.announced++;
    if (answer === 'unsupported') result.azuracast = 'unsupported';
    if (answer === 'pushed') result.pushed.push({ entryId: entry.entryId, at: Date.now() });
  }
  return result;
}

export async function azuracastDailyPull(input: { station: string; date?: string }) {
  const pulled = await pull.pullAzuraCastDay(input);
  // The day's run may be waiting for its as-run: tell it one has come (if it is still running).
  if ('date' in pulled && pulled.plays > 0 && patched('signal-as-run')) {
    await getExternalWorkflowHandle(broadcastDayWorkflowId(input.station, pulled.date))
      .signal(asRunArrivedSignal)
      .catch(() => undefined);
  }
  return pulled;
}
