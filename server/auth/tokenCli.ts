// `npm run token -- --sub alice [--role admin] [--expires 7d]`: prints a signed token.
import { parseArgs } from 'node:util';
import { readConfig } from '../config.ts';
import { resolveJwtSecret, signToken } from './jwt.ts';

const usage = 'usage: npm run token -- --sub <user id> [--role user|admin] [--expires 12h]\n';

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
if (!options.sub || (options.role !== 'admin' && options.role !== 'user')) {
  process.stderr.write(usage);
  process.exit(2);
}
const secret = resolveJwtSecret(readConfig());
const token = await signToken(secret, {
  sub: options.sub,
  role: options.role,
  expiresIn: options.expires,
});
process.stdout.write(`${token}\n`);
