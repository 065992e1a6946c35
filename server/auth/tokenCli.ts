// `npm run token -- --sub alice --role admin [--expires 7d]`: prints a signed token.
import { parseArgs } from 'node:util';
import { readConfig } from '../config.ts';
import { resolveJwtSecret, signToken } from './jwt.ts';

const { values } = parseArgs({
  options: {
    sub: { type: 'string' },
    role: { type: 'string', default: 'user' },
    expires: { type: 'string', default: '12h' },
  },
});
if (!values.sub || (values.role !== 'admin' && values.role !== 'user')) {
  process.stderr.write(
    'usage: npm run token -- --sub <user id> --role admin|user [--expires 12h]\n',
  );
  process.exit(2);
}
const secret = resolveJwtSecret(readConfig());
process.stdout.write(
  (await signToken(secret, { sub: values.sub, role: values.role, expiresIn: values.expires })) +
    '\n',
);
