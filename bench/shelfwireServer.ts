// Child process: one Shelfwire instance under load, started as `npm start` would start it.
import { startServer } from '../server/app.ts';
import { readConfig } from '../server/config.ts';
import { controlServer } from './serverControl.ts';

// The parent passes JWT_SECRET (it signs the writes scenario's tokens) and METRICS_TOKEN (it
// reads /metrics as Prometheus would), fresh for each run.
const server = await startServer({
  databaseUrl: process.env.DATABASE_URL!,
  jwtSecret: process.env.JWT_SECRET!,
  port: 0,
  host: '127.0.0.1',
  // Every limit stays on and is checked; only the per-address subscription rate and counts (and
  // single-connection SSE reservations) are raised, since the bench's subscribers connect from
  // a few loopback addresses at once; and the mutation rate and active bookings per user, since
  // the writes scenario's few users mutate as fast as the server answers.
  config: readConfig({
    ...process.env,
    RATE_SUBSCRIPTIONS_PER_MINUTE: '1000000',
    MAX_SUBSCRIPTIONS_PER_VIEWER: '1000000',
    SSE_RESERVATIONS_PER_VIEWER: '1000000',
    // 10,000 single-connection clients at once queue 30,000 requests (reserve, stream, start):
    // a stream's GET waits behind the others for longer than the 5 s default window.
    SSE_RESERVATION_CONNECT_MS: '60000',
    RATE_MUTATIONS_PER_MINUTE: '1000000000',
    MAX_ACTIVE_BOOKINGS_PER_USER: '1000000',
  }),
});
controlServer({
  url: server.url,
  subscriberCount: () => server.changes.subscriberCount,
  subscriptionsOpened: () => server.changes.subscriptionsOpened,
  close: () => server.close(),
});
