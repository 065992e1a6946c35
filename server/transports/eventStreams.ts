import type { IncomingMessage, ServerResponse } from 'node:http';
import { streamPath } from '../yoga.ts';

/**
 * The open SSE responses of this instance, so shutdown can cut them without touching ordinary
 * requests still in flight. A stream cut without a `complete` event is a network error to
 * graphql-sse clients, which reconnect; a clean end would tell them the subscription is over.
 */
export function trackEventStreams() {
  const open = new Set<ServerResponse>();
  return {
    track(request: IncomingMessage, response: ServerResponse) {
      const singleConnectionStream =
        request.method === 'GET' && request.url?.startsWith(streamPath);
      if (!singleConnectionStream && !request.headers.accept?.includes('text/event-stream')) return;
      open.add(response);
      response.once('close', () => open.delete(response));
    },
    cutAll() {
      for (const response of open) response.destroy();
    },
  };
}
