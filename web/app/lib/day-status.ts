// How the web app names a day's state (the station's words, for people).
import type { LogStatus } from '../../../domain/vocabulary.js';

export const DAY_STATUS_LABELS: Record<LogStatus | 'not_built', string> = {
  not_built: 'Not built',
  building: 'Building',
  awaiting_approval: 'Awaiting approval',
  approved: 'Approved',
  publishing: 'Publishing',
  published: 'Published',
  reconciling: 'Reconciling',
  reconciled: 'Reconciled',
  failed: 'Failed',
};

/** 'YYYY-MM-DD' as e.g. "Sat, Mar 7", the same on server and browser. */
export function formatBroadcastDate(date: string): string {
  return new Date(`${date}T00:00:00Z`).toLocaleDateString('en-US', { timeZone: 'UTC', weekday: 'short', month: 'short', day: 'numeric' });
}
