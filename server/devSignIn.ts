import type { IncomingMessage, ServerResponse } from 'node:http';
import { DEV_SECRET, signToken } from './auth/jwt.ts';
import { logger } from './logger.ts';

export const devTokenPath = '/dev/token';
const maxBodyBytes = 1024;

function json(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

const refusal = (code: string, message: string) => ({
  errors: [{ message, extensions: { code } }],
});

/**
 * `POST /dev/token` with `{"sub": "ada", "role": "admin"}` answers `{"token": "..."}`, for the
 * web page's dev sign-in. Only while the server signs with the development secret, whose tokens
 * prove nothing anyway; with a real JWT_SECRET the route does not exist (404).
 */
export function devSignInHandler(jwtSecret: string) {
  const enabled = jwtSecret === DEV_SECRET;
  return (request: IncomingMessage, response: ServerResponse): boolean => {
    if (request.url?.split('?')[0] !== devTokenPath) return false;
    if (!enabled) {
      json(
        response,
        404,
        refusal('NOT_FOUND', 'Dev sign-in is off: the server has its own JWT_SECRET.'),
      );
    } else if (request.method !== 'POST') {
      response.writeHead(405, { allow: 'POST' }).end();
    } else {
      mint(request, response).catch((error: unknown) => {
        logger.warn('dev sign-in failed', { error });
        response.destroy();
      });
    }
    return true;
  };
}

async function mint(request: IncomingMessage, response: ServerResponse): Promise<void> {
  let body = '';
  for await (const chunk of request) {
    body += String(chunk);
    if (body.length > maxBodyBytes)
      return json(response, 413, refusal('BAD_USER_INPUT', 'Body too large.'));
  }
  let claims: { sub?: unknown; role?: unknown };
  try {
    claims = JSON.parse(body) as typeof claims;
  } catch {
    return json(
      response,
      400,
      refusal('BAD_USER_INPUT', 'Send JSON: {"sub": "...", "role": "admin" | "user"}.'),
    );
  }
  const { sub, role } = claims ?? {};
  if (
    typeof sub !== 'string' ||
    !/^[\w.@-]{1,64}$/.test(sub) ||
    (role !== 'admin' && role !== 'user')
  ) {
    return json(
      response,
      400,
      refusal('BAD_USER_INPUT', 'sub: 1-64 letters, digits, . @ _ -; role: admin or user.'),
    );
  }
  json(response, 200, { token: await signToken(DEV_SECRET, { sub, role, expiresIn: '12h' }) });
}
