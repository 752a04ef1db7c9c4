// How the web app writes times, lengths and statuses for people (shared by server and browser).
import type { LogStatus } from '../../../domain/vocabulary.js';

export type DayStatus = LogStatus | 'not_built';

export const DAY_STATUS_LABELS: Record<DayStatus, string> = {
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

/** An instant as the station's wall clock, "06:03:25". */
export function stationTime(iso: string, timezone: string): string {
  return new Date(iso).toLocaleTimeString('en-GB', { timeZone: timezone, hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
}

/** 205000 → "3:25"; 3_725_000 → "1:02:05". */
export function length(ms: number): string {
  const total = Math.round(Math.abs(ms) / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return `${ms < 0 ? '−' : ''}${h ? `${h}:${String(m).padStart(2, '0')}` : m}:${s}`;
}
