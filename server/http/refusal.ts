import type { ServerResponse } from 'node:http';
import type { ErrorCode } from '../errors.ts';

/** Answers an HTTP request with one GraphQL-shaped error, as every route of the API does. */
export function answerWithError(
  response: ServerResponse,
  status: number,
  code: ErrorCode,
  message: string,
  headers: Record<string, string> = {},
): void {
  response
    .writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers })
    .end(JSON.stringify({ errors: [{ message, extensions: { code } }] }));
}
