// Live updates for the browser as server-sent events: the web server follows the API's live
// socket with the signed-in person's token (which never reaches the browser) and passes each
// change of the station's log status on. The page re-reads what it shows when one arrives.
import type { LoaderFunctionArgs } from '@remix-run/node';
import WebSocket from 'ws';
import { apiBase } from '../lib/api.server.js';
import { requireSignedIn } from '../lib/session.server.js';

const KEEP_ALIVE_MS = 25_000;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const me = await requireSignedIn(request);
  const station = String(params.station);
  const encoder = new TextEncoder();
  let socket: WebSocket | undefined;
  let keepAlive: NodeJS.Timeout | undefined;
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      const send = (event: string, data: unknown) => {
        try {
          controller.enqueue(encoder.encode(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`));
        } catch {
          // the browser has gone
        }
      };
      const close = () => {
        clearInterval(keepAlive);
        socket?.terminate();
        try {
          controller.close();
        } catch {
          // already closed
        }
      };
      socket = new WebSocket(`${apiBase().replace(/^http/, 'ws')}/live`, { headers: { Authorization: `Bearer ${me.accessToken}` } });
      socket.on('open', () => socket!.send(JSON.stringify({ type: 'subscribe', station })));
      socket.on('message', (data) => {
        const message = JSON.parse((data as Buffer).toString('utf8')) as { type: string };
        if (message.type === 'log.status' || message.type === 'resync') send(message.type, message);
      });
      // The token ran out (4401) or the API went away: the browser reconnects, and a lapsed session signs in again.
      socket.on('close', close);
      socket.on('error', close);
      keepAlive = setInterval(() => {
        try {
          controller.enqueue(encoder.encode(': keep-alive\n\n'));
        } catch {
          close();
        }
      }, KEEP_ALIVE_MS);
      request.signal.addEventListener('abort', close);
    },
    cancel() {
      clearInterval(keepAlive);
      socket?.terminate();
    },
  });
  return new Response(stream, { headers: { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive' } });
}
