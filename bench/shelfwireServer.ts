// Child process: one Shelfwire instance under load, started as `npm start` would start it.
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { startServer } from '../server/app.ts';
import { readConfig } from '../server/config.ts';
import {
  type ServerCommand,
  type ServerMessage,
  onParentCommand,
  tellParent,
} from './processes.ts';
import { LoadMeter } from './loadMeter.ts';

const server = await startServer({
  databaseUrl: process.env.DATABASE_URL!,
  jwtSecret: randomBytes(32).toString('hex'),
  port: 0,
  host: '127.0.0.1',
  // Every limit stays on and is checked; only the per-address subscription rate and count are
  // raised, since all the bench's subscribers connect from one machine at once.
  config: readConfig({
    ...process.env,
    RATE_SUBSCRIPTIONS_PER_MINUTE: '1000000',
    MAX_SUBSCRIPTIONS_PER_VIEWER: '1000000',
  }),
});
const tell = tellParent<ServerMessage>;
const meter = new LoadMeter();

onParentCommand<ServerCommand>(async (command) => {
  if (command.type === 'await-subscribers') {
    while (server.changes.subscriberCount < command.count) await sleep(20);
    meter.start();
    void tell({ type: 'subscribed' });
  } else {
    const load = meter.read();
    await server.close();
    await tell({ type: 'stopped', load });
    process.exit(0);
  }
});
void tell({ type: 'ready', url: server.url });
