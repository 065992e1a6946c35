import type { TransportName } from '../../src/index.ts';

const tokenKey = 'shelfwire.token';

/** The API beside the page: the server that serves it also answers GraphQL. */
export const apiUrl = new URL('/graphql', window.location.href).toString();

/** `?transport=sse` picks graphql-sse; graphql-ws otherwise. */
export const transport: TransportName =
  new URLSearchParams(window.location.search).get('transport') === 'sse' ? 'sse' : 'ws';

// Per tab, so two tabs can be signed in as two people.
export const savedToken = () => sessionStorage.getItem(tokenKey) ?? '';

export function saveToken(token: string): void {
  if (token) sessionStorage.setItem(tokenKey, token);
  else sessionStorage.removeItem(tokenKey);
}

/** A pasted token as the API wants it: without an `Authorization: Bearer ` prefix or spaces. */
export const normalizeToken = (pasted: string) =>
  pasted
    .trim()
    .replace(/^(authorization:\s*)?bearer\s+/i, '')
    .trim();

/** Asks the server for a dev token; it has one only while it runs with the dev secret. */
export async function devSignIn(sub: string, role: 'admin' | 'user'): Promise<string> {
  const response = await fetch(new URL('/dev/token', window.location.href), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ sub, role }),
  });
  const body = (await response.json().catch(() => ({}))) as {
    token?: string;
    errors?: { message: string }[];
  };
  if (!body.token)
    throw new Error(body.errors?.[0]?.message ?? `Dev sign-in failed (${response.status}).`);
  return body.token;
}
