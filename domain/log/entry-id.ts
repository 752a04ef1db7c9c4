import * as crypto from 'node:crypto';

/**
 * The stable id of a log entry: a name-based UUID (version 5 layout) of station, date and
 * slot key, so rebuilding a day keeps the ids of its slots and playout, as-run and reports
 * keep following the same entry.
 */
export function logEntryId(stationId: string, date: string, slotKey: string): string {
  const bytes = sha1(`librelog:${stationId}:${date}:${slotKey}`).subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** One-shot hashing where Node has it (20.12+: half the cost of a Hash object per entry). */
const sha1: (text: string) => Buffer =
  typeof crypto.hash === 'function' ? (text) => crypto.hash('sha1', text, 'buffer') : (text) => crypto.createHash('sha1').update(text).digest();
