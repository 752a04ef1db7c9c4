// How LibreLog reaches Temporal: the address plus TLS, a client certificate (mTLS) and an API
// key, as config/env.ts read them. The client's Connection and the worker's NativeConnection
// take the same options, so every process connects the same way.
import type { TLSConfig } from '@temporalio/client';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import tls from 'node:tls';
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

/**
 * Why connecting failed, said plainly. The client only reports "Failed to connect before the
 * deadline" and the worker a transport error, so for a TLS connection one handshake of our own
 * (same CA, certificate and server name) finds what the server refused.
 */
export async function connectFailure(options: TemporalConnectionOptions, error: unknown): Promise<Error> {
  const reason = options.tls ? await tlsHandshakeProblem(options.address, options.tls) : undefined;
  const said = reason ?? (error instanceof Error ? error.message : String(error));
  return new Error(`cannot connect to Temporal at ${options.address}${options.tls ? ' over TLS' : ''}: ${said}`, { cause: error });
}

const HINTS: [RegExp, string][] = [
  [/certificate required/i, 'the server wants a client certificate: set TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY'],
  [/unknown ca|bad certificate|certificate unknown|unsupported certificate/i, 'the server does not accept the client certificate in TEMPORAL_TLS_CERT'],
  [/self[- ]signed|unable to (get|verify)|unknown issuer/i, "the server's certificate is not signed by a trusted CA: set TEMPORAL_TLS_CA"],
  [/altnames|hostname|ERR_TLS_CERT_ALTNAME/i, "the server's certificate is for another name: check TEMPORAL_ADDRESS or set TEMPORAL_TLS_SERVER_NAME"],
  [/wrong version number|packet length too long/i, 'the server does not speak TLS there: set TEMPORAL_TLS=false, or check the port'],
];

/** One TLS handshake with the connection's settings: what went wrong, or undefined if it went through. */
async function tlsHandshakeProblem(address: string, settings: TLSConfig): Promise<string | undefined> {
  const match = /^\[?([^\]]+?)\]?:(\d+)$/.exec(address);
  if (!match) return undefined;
  const [, host = '', port = ''] = match;
  const name = settings.serverNameOverride ?? host;
  const problem = await new Promise<Error | undefined>((resolve) => {
    const socket = tls.connect({
      host,
      port: Number(port),
      ...(net.isIP(name) ? {} : { servername: name }),
      checkServerIdentity: (_host, cert) => tls.checkServerIdentity(name, cert),
      ...(settings.serverRootCACertificate && { ca: Buffer.from(settings.serverRootCACertificate) }),
      ...(settings.clientCertPair && { cert: Buffer.from(settings.clientCertPair.crt), key: Buffer.from(settings.clientCertPair.key) }),
      ALPNProtocols: ['h2'],
    });
    const done = (error?: Error) => {
      socket.destroy();
      resolve(error);
    };
    let handshaken = false;
    socket.setTimeout(3_000, () => done());
    socket.once('error', done);
    // With TLS 1.3 the server judges the client certificate after the handshake: its refusal
    // arrives as an alert on the first read, or (some servers) as the connection closing.
    socket.once('close', () => done(handshaken ? new Error('the server closed the connection right after the TLS handshake') : undefined));
    socket.once('secureConnect', () => {
      handshaken = true;
      setTimeout(() => done(), 500);
    });
    socket.resume();
  });
  if (!problem) return undefined;
  if (/right after the TLS handshake/.test(problem.message)) {
    const hint = settings.clientCertPair ? 'the server does not accept the client certificate in TEMPORAL_TLS_CERT' : 'the server may want a client certificate: set TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY';
    return `${hint} (${problem.message})`;
  }
  const hint = HINTS.find(([pattern]) => pattern.test(`${problem.message} ${(problem as NodeJS.ErrnoException).code ?? ''}`))?.[1];
  const said = problem.message.replace(/^[0-9A-F]+:error:[0-9A-F]+:SSL routines:[^:]*:/, '').replace(/:\.\.\/deps\/.*$/s, '');
  return hint ? `${hint} (${said})` : said;
}
