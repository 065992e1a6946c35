import type { ServerResponse } from 'node:http';

/**
 * For answers that are not pages (JSON, event streams, errors): nothing may load or frame them.
 * Pages set their own policy over this one.
 */
export const apiContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'";

/**
 * The web page: Vite's build is scripts and styles of its own origin only; its WebSocket and
 * fetches go to the same origin ('self' covers ws: and wss: of the page's host).
 */
export const pageContentSecurityPolicy = [
  "default-src 'self'",
  "img-src 'self' data:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Sets the headers every answer carries; a route may replace the policy with its own. */
export function setSecurityHeaders(response: ServerResponse): void {
  response.setHeader('content-security-policy', apiContentSecurityPolicy);
  response.setHeader('x-content-type-options', 'nosniff');
  response.setHeader('referrer-policy', 'no-referrer');
  // Older browsers that do not read frame-ancestors.
  response.setHeader('x-frame-options', 'DENY');
  response.setHeader('cross-origin-opener-policy', 'same-origin');
}
