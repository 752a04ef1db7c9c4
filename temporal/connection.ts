// How LibreLog reaches Temporal: the address plus TLS, a client certificate (mTLS) and an API
// key, as config/env.ts read them. The client's Connection and the worker's NativeConnection
// take the same options, so every process connects the same way.
import type { TLSConfig } from '@temporalio/client';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ConfigError, type Config } from '../config/env.js';

/** What `Connection.connect` and `NativeConnection.connect` both accept. */
export interface TemporalConnectionOptions {
  address: string;
  /** `false` is plain gRPC (the dev server); an object is TLS, with a CA, client pair and name override as set. */
  tls: TLSConfig | false;
  apiKey?: string;
}

/**
 * The connection options for `address` (by default TEMPORAL_ADDRESS). Reads and checks the PEM
 * files here, so a wrong path or file stops the process at start with the variable's name.
 */
export function temporalConnectionOptions(config: Pick<Config, 'temporalAddress' | 'temporalTls' | 'temporalApiKey'>, address = config.temporalAddress): TemporalConnectionOptions {
  if (!address) throw new ConfigError('TEMPORAL_ADDRESS is not set');
  const settings = config.temporalTls;
  let tls: TLSConfig | false = false;
  if (settings) {
    tls = {};
    if (settings.caFile) tls.serverRootCACertificate = certificate('TEMPORAL_TLS_CA', settings.caFile);
    if (settings.certFile && settings.keyFile) {
      const crt = certificate('TEMPORAL_TLS_CERT', settings.certFile);
      const key = privateKey('TEMPORAL_TLS_KEY', settings.keyFile);
      if (!new X509Certificate(crt).checkPrivateKey(createPrivateKey(key))) {
        throw new ConfigError(`TEMPORAL_TLS_KEY (${settings.keyFile}) is not the key of the certificate in TEMPORAL_TLS_CERT (${settings.certFile})`);
      }
      tls.clientCertPair = { crt, key };
    }
    if (settings.serverName) tls.serverNameOverride = settings.serverName;
  }
  return { address, tls, ...(config.temporalApiKey !== undefined && { apiKey: config.temporalApiKey }) };
}

function readPem(variable: string, file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : String(error));
    throw new ConfigError(`${variable}: cannot read ${file} (${reason})`);
  }
}

function certificate(variable: string, file: string): Buffer {
  const pem = readPem(variable, file);
  try {
    if (!pem.toString('utf8').includes('-----BEGIN CERTIFICATE-----')) throw new Error('no PEM certificate');
    new X509Certificate(pem); // the first certificate of a bundle parses
  } catch {
    throw new ConfigError(`${variable}: ${file} is not a PEM certificate ("-----BEGIN CERTIFICATE-----")`);
  }
  return pem;
}

function privateKey(variable: string, file: string): Buffer {
  const pem = readPem(variable, file);
  try {
    if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(pem.toString('utf8'))) throw new Error('no PEM key');
    createPrivateKey(pem);
  } catch {
    throw new ConfigError(`${variable}: ${file} is not an unencrypted PEM private key ("-----BEGIN PRIVATE KEY-----")`);
  }
  return pem;
}
