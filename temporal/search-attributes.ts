// Custom search attributes that make broadcast-day runs easy to find in Temporal UI,
// e.g. `StationId = "demo" AND LogStatus = "awaiting_approval"`.
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const STATION_ID = defineSearchAttributeKey('StationId', SearchAttributeType.KEYWORD);
export const BROADCAST_DATE = defineSearchAttributeKey('BroadcastDate', SearchAttributeType.KEYWORD);
export const LOG_STATUS = defineSearchAttributeKey('LogStatus', SearchAttributeType.KEYWORD);

export const SEARCH_ATTRIBUTES = [STATION_ID, BROADCAST_DATE, LOG_STATUS] as const;

