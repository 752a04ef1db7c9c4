import { Client, Connection } from '@temporalio/client';
import type { Config } from '../config/env.js';

export interface TemporalClient {
  client: Client;
  connection: Connection;
  close(): Promise<void>;
}

export async function connectTemporal(address: string, namespace: string): Promise<TemporalClient> {
  const connection = await Connection.connect({ address });
  return { client: new Client({ connection, namespace }), connection, close: () => connection.close() };
}

/** Where an engineer sees a workflow run in Temporal UI. */
export function temporalUiLink(config: Pick<Config, 'temporalUiUrl' | 'temporalNamespace'>, workflowId: string): string {
  return `${config.temporalUiUrl.replace(/\/$/, '')}/namespaces/${encodeURIComponent(config.temporalNamespace)}/workflows/${encodeURIComponent(workflowId)}`;
}
