// `npm run token -- --sub alice [--role admin] [--expires 7d]`: prints a signed token.
import { parseArgs } from 'node:util';
import { decodeJwt } from 'jose';
import { readConfig } from '../config.ts';
import { resolveJwtSecret, signToken } from './jwt.ts';

const usage = 'usage: npm run token -- --sub <user id> [--role user|admin] [--expires 12h]\n';

/** Ends the command with one line on stderr: no stack for a mistake in the arguments. */
function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

function readOptions() {
  try {
    return parseArgs({
      options: {
        sub: { type: 'string' },
        role: { type: 'string', default: 'user' },
        expires: { type: 'string', default: '12h' },
        help: { type: 'boolean', default: false },
      },
    }).values;
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${usage}`);
    process.exit(2);
  }
}

const options = readOptions();
if (options.help) {
  process.stdout.write(usage);
  process.exit(0);
}
if (!options.sub) fail(`--sub is required.\n${usage.trimEnd()}`);
if (options.role !== 'admin' && options.role !== 'user') {
  fail(`--role must be user or admin, not "${options.role}".`);
}
let config;
let secret;
try {
  config = readConfig();
  secret = resolveJwtSecret(config);
} catch (error) {
  fail((error as Error).message);
}
const { maxLifetimeSeconds } = config.tokens;
let token;
try {
  token = await signToken(secret, {
    sub: options.sub,
    role: options.role,
    expiresIn: options.expires,
    issuer: config.tokens.issuer,
    audience: config.tokens.audience,
  });
} catch {
  fail(`--expires must be a duration such as 30m, 12h or 7d, not "${options.expires}".`);
}
const { iat, exp } = decodeJwt(token);
const lifetime = exp! - iat!;
if (lifetime <= 0) fail(`--expires must be in the future, not "${options.expires}".`);
if (lifetime > maxLifetimeSeconds) {
  fail(
    `--expires ${options.expires} is longer than the server accepts ` +
      `(JWT_MAX_LIFETIME_SECONDS=${maxLifetimeSeconds}).`,
  );
}
process.stdout.write(`${token}\n`);
