import { Client, Connection, type ConnectionOptions } from '@temporalio/client';
import proto from '@temporalio/proto';
import { connectFailure, type TemporalConnectionOptions } from './connection.js';
import { SEARCH_ATTRIBUTES } from './search-attributes.js';

export interface TemporalClient {
  client: Client;
  connection: Connection;
  close(): Promise<void>;
}

/**
 * A client on `options` (see `temporalConnectionOptions`: address, TLS, API key). Waits up to
 * `connectTimeout` (default 10 s) for the server; a failure says why (e.g. which TLS setting).
 */
export async function connectTemporal(options: TemporalConnectionOptions, namespace: string, wait: Pick<ConnectionOptions, 'connectTimeout'> = {}): Promise<TemporalClient> {
  const connection = Connection.lazy({ ...options, ...wait });
  try {
    await connection.ensureConnected();
  } catch (error) {
    await connection.close();
    throw await connectFailure(options, error);
  }
  return { client: new Client({ connection, namespace }), connection, close: () => connection.close() };
}

/**
 * Registers the attributes on a Temporal cluster that lacks them (the dev server gets them
 * as start flags). Safe to call on every start: existing attributes are left alone.
 */
export async function ensureSearchAttributes(connection: Connection, namespace: string): Promise<void> {
  const Keyword = proto.temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD;
  let existing: Record<string, unknown> = {};
  try {
    existing = (await connection.operatorService.listSearchAttributes({ namespace })).customAttributes ?? {};
  } catch (error) {
    // Temporal's time-skipping test server cannot list attributes, only add them.
    if ((error as { code?: number }).code !== GRPC_UNIMPLEMENTED) throw error;
  }
  const missing = SEARCH_ATTRIBUTES.filter((key) => !(key.name in existing));
  if (missing.length === 0) return;
  try {
    await connection.operatorService.addSearchAttributes({
      namespace,
      searchAttributes: Object.fromEntries(missing.map((key) => [key.name, Keyword])),
    });
  } catch (error) {
    if ((error as { code?: number }).code !== GRPC_ALREADY_EXISTS) throw error;
  }
}

const GRPC_ALREADY_EXISTS = 6;
const GRPC_UNIMPLEMENTED = 12;
