// A TLS-terminating proxy in front of the (plain) Temporal dev server, as a load balancer or a
// Temporal cluster with mTLS stands in front of the frontend: it speaks HTTP/2 over TLS, takes
// only clients whose certificate its CA signed, and pipes each connection on unencrypted.
import net from 'node:net';
import tls from 'node:tls';
import type { Pem } from './certificates.js';

export interface TlsProxy {
  /** host:port to connect to, with TLS. */
  address: string;
  /** Common names of the client certificates it accepted, one per connection. */
  clients: string[];
  close(): Promise<void>;
}

export async function startTlsProxy(options: { server: Pem; clientCa: string; target: string }): Promise<TlsProxy> {
  const [host = '127.0.0.1', port = '7233'] = options.target.split(':');
  const sockets = new Set<net.Socket>();
  const clients: string[] = [];
  const proxy = tls.createServer(
    { cert: options.server.cert, key: options.server.key, ca: options.clientCa, requestCert: true, rejectUnauthorized: true, ALPNProtocols: ['h2'] },
    (socket) => {
      clients.push(String(socket.getPeerCertificate().subject?.CN ?? ''));
      const upstream = net.connect(Number(port), host);
      for (const end of [socket, upstream]) {
        sockets.add(end);
        end.once('close', () => sockets.delete(end));
      }
      socket.on('error', () => upstream.destroy());
      upstream.on('error', () => socket.destroy());
      socket.pipe(upstream).pipe(socket);
    },
  );
  // Refused handshakes (no or unknown client certificate) are what some tests are about.
  proxy.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve, reject) => proxy.listen(0, '127.0.0.1', resolve).once('error', reject));
  const { port: listening } = proxy.address() as net.AddressInfo;
  return {
    address: `127.0.0.1:${listening}`,
    clients,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        proxy.close(() => resolve());
      }),
  };
}
