// Custom search attributes that make broadcast-day runs easy to find in Temporal UI,
// e.g. `StationId = "demo" AND LogStatus = "awaiting_approval"`.
import type { Connection } from '@temporalio/client';
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const STATION_ID = defineSearchAttributeKey('StationId', SearchAttributeType.KEYWORD);
export const BROADCAST_DATE = defineSearchAttributeKey('BroadcastDate', SearchAttributeType.KEYWORD);
export const LOG_STATUS = defineSearchAttributeKey('LogStatus', SearchAttributeType.KEYWORD);

export const SEARCH_ATTRIBUTES = [STATION_ID, BROADCAST_DATE, LOG_STATUS] as const;

/**
 * Registers the attributes on a Temporal cluster that lacks them (the dev server gets them
 * as start flags). Safe to call on every start: existing attributes are left alone.
 */
export async function ensureSearchAttributes(
  connection: Connection,
  namespace: string,
): Promise<void> {
  const { temporal } = await import('@temporalio/proto');
  const Keyword = temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD;
  const existing = await connection.operatorService.listSearchAttributes({ namespace });
  const missing = SEARCH_ATTRIBUTES.filter((key) => !(key.name in (existing.customAttributes ?? {})));
  if (missing.length === 0) return;
  await connection.operatorService.addSearchAttributes({
    namespace,
    searchAttributes: Object.fromEntries(missing.map((key) => [key.name, Keyword])),
  });
}
