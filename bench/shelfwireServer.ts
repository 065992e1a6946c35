// Child process: one Shelfwire instance under load, started as `npm start` would start it.
import { randomBytes } from 'node:crypto';
import { startServer } from '../server/app.ts';
import { readConfig } from '../server/config.ts';
import { controlServer } from './serverControl.ts';

const server = await startServer({
  databaseUrl: process.env.DATABASE_URL!,
  jwtSecret: randomBytes(32).toString('hex'),
  port: 0,
  host: '127.0.0.1',
  // Every limit stays on and is checked; only the per-address subscription rate and counts (and
  // single-connection SSE reservations) are raised, since the bench's subscribers connect from
  // a few loopback addresses at once.
  config: readConfig({
    ...process.env,
    RATE_SUBSCRIPTIONS_PER_MINUTE: '1000000',
    MAX_SUBSCRIPTIONS_PER_VIEWER: '1000000',
    SSE_RESERVATIONS_PER_VIEWER: '1000000',
  }),
});
controlServer({
  url: server.url,
  subscriberCount: () => server.changes.subscriberCount,
  close: () => server.close(),
});
