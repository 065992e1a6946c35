import type { ServerResponse } from 'node:http';

/**
 * An event stream's events, written as text straight to its Node response, in both SSE modes,
 * rather than encoded into a fresh buffer per subscriber and passed through the response body's
 * web stream (its pull, flush and pump, with their promises, per event): the 10,000-subscriber
 * profile showed those costing about as much as the socket writes. The body stream is kept only
 * so Yoga writes the head and, once the stream closes it, ends the response.
 *
 * Room is the response's own buffer: below its high-water mark it takes more without waiting
 * for the client. Plain functions, not an object per stream: a stream lives as long as its client.
 */

/**
 * The response, checked as its body starts (whatwg-node starts a body only as it pipes it,
 * after writing the head; bytes written before would make Node send a head of its own), with
 * its head kept as one string.
 */
export function startedOutput(response: ServerResponse): ServerResponse {
  if (!response.headersSent) throw new Error('an event stream started before its head');
  keepHeadFlat(response);
  return response;
}

/**
 * Node keeps a response's head (`_header`) for as long as the response lives, as the string it
 * built header by header: a tree of some 45 joined pieces, 1.5 KB per event stream in a heap
 * snapshot. A flat copy with the same text takes its place.
 */
function keepHeadFlat(response: ServerResponse): void {
  const internals = response as { _header?: unknown };
  if (typeof internals._header === 'string') {
    internals._header = Buffer.from(internals._header, 'latin1').toString('latin1');
  }
}

/** The response takes more without waiting for its client. */
export const hasRoomIn = (response: ServerResponse): boolean =>
  !response.writableNeedDrain && !response.destroyed;

/** Writes `text`, to be called only with room; once the response is full, `onDrain` follows. */
export function writeEvents(response: ServerResponse, text: string, onDrain: () => void): void {
  if (!response.write(text)) response.once('drain', onDrain);
}
