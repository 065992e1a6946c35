import type { IncomingMessage, ServerResponse } from 'node:http';
import { streamPath } from '../yoga.ts';

/**
 * The open SSE responses of this instance, so shutdown can cut them without touching ordinary
 * requests still in flight. A stream cut without a `complete` event is a network error to
 * graphql-sse clients, which reconnect; a clean end would tell them the subscription is over.
 */
export function trackEventStreams() {
  const open = new Set<ServerResponse>();
  // One listener for every stream (`this` is the response), rather than a closure and a `once`
  // wrapper each for as long as the stream lives.
  const forget = function (this: ServerResponse) {
    open.delete(this);
  };
  return {
    track(request: IncomingMessage, response: ServerResponse) {
      const singleConnectionStream =
        request.method === 'GET' && request.url?.startsWith(streamPath);
      if (!singleConnectionStream && !request.headers.accept?.includes('text/event-stream')) return;
      open.add(response);
      response.on('close', forget);
    },
    cutAll() {
      for (const response of open) response.destroy();
    },
  };
}
