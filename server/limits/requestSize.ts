import type { IncomingMessage, ServerResponse } from 'node:http';
import { answerWithError } from '../http/refusal.ts';

/**
 * Answers 413 for a body declared larger than `maxBytes`, and 411 for a body of unknown length
 * (chunked), before anything reads it: Yoga itself would read any size into memory. Every client
 * we know (browsers, fetch, graphql-sse, curl) sends a Content-Length with a GraphQL body.
 * Returns true when it answered.
 */
export function refuseOversizedBody(
  request: IncomingMessage,
  response: ServerResponse,
  maxBytes: number,
): boolean {
  const declared = request.headers['content-length'];
  if (declared === undefined) {
    if (request.headers['transfer-encoding'] === undefined) return false;
    answerWithError(response, 411, 'BAD_REQUEST', 'Send a Content-Length with the request body.', {
      connection: 'close',
    });
    return true;
  }
  if (Number(declared) <= maxBytes) return false;
  answerWithError(
    response,
    413,
    'PAYLOAD_TOO_LARGE',
    `The request body is over ${maxBytes} bytes.`,
    {
      connection: 'close',
    },
  );
  return true;
}
