import { Client, Connection } from '@temporalio/client';

export interface TemporalClient {
  client: Client;
  connection: Connection;
  close(): Promise<void>;
}

export async function connectTemporal(address: string, namespace: string): Promise<TemporalClient> {
  const connection = await Connection.connect({ address });
  return { client: new Client({ connection, namespace }), connection, close: () => connection.close() };
}
