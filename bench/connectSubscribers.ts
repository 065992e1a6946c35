// Subscribers connecting to the servers under test, and what holding them idle costs each server.
import { setTimeout as sleep } from 'node:timers/promises';
import { type SubscriberGroup, type Subscription, type Transport, clock } from './processes.ts';
import { listenOverflows } from './listenOverflows.ts';
import type { ConnectRow } from './report.ts';
import type { RunningServer } from './runningServer.ts';
import type { BenchSession } from './session.ts';
import { settings } from './settings.ts';
import { type SubscriberFleet, share } from './subscriberFleet.ts';

/** How long the mass connect may take before the run goes on with whoever connected. */
const connectLimitMs = 120_000;

/**
 * The run's subscribers of `transports`, split evenly over the servers and, within each server,
 * over the transports; each subscribes to `subscription` (every change as it comes by default).
 */
export function subscriberGroups(
  servers: RunningServer[],
  transports: readonly Transport[],
  subscription: Subscription = { field: 'bookChanged' },
): SubscriberGroup[] {
  return servers.flatMap((server, s) => {
    const own = share(settings.subscribers, servers.length, s);
    return transports.map((transport, t) => ({
      transport,
      url: server.url,
      count: share(own, transports.length, t),
      subscription,
    }));
  });
}

/**
 * Connects `groups` (a mass connect, unless --connect paced), waits until the servers hold
 * every subscription, reads each server's idle memory, then starts the servers' load meters:
 * the changes may come. One row per server.
 */
export async function connectSubscribers(
  session: BenchSession,
  servers: RunningServer[],
  fleet: SubscriberFleet,
  groups: SubscriberGroup[],
  commits: number,
): Promise<ConnectRow[]> {
  const before = await Promise.all(servers.map((server) => server.memory()));
  const overflowsBefore = listenOverflows();
  for (const server of servers) server.watchSubscribers();
  const total = groups.reduce((sum, group) => sum + group.count, 0);
  const subscribed = () => servers.reduce((sum, server) => sum + server.subscribed, 0);
  const connectStart = clock();
  fleet.connect(groups, commits);
  // Subscribed: all of them, or all that did not fail, or the limit has passed.
  await session.reports.until(
    () => subscribed() >= total || subscribed() + fleet.failed() >= total,
    connectLimitMs,
  );
  // Idle for a moment, so the connect's garbage and buffers settle before memory is read.
  await sleep(1000);
  const overflowsAfter = listenOverflows();
  const idle = await Promise.all(servers.map((server) => server.memory()));
  await Promise.all(servers.map((server) => server.measure()));
  return servers.map((server, n) => {
    const own = groups.filter((group) => group.url === server.url);
    return {
      system: server.name,
      transports: own.map((group) => group.transport).join('+'),
      subscribers: own.reduce((sum, group) => sum + group.count, 0),
      subscribed: server.subscribed,
      connections: fleet.connections(server.url),
      addresses: settings.localAddresses.length,
      failed: fleet.failed(server.url),
      retried: fleet.retried(server.url),
      // The machine's count: with several servers, each row has the sum of all.
      acceptQueueOverflows:
        overflowsBefore === undefined || overflowsAfter === undefined
          ? undefined
          : overflowsAfter - overflowsBefore,
      lastSubscribedMs: server.lastSubscribedAt - connectStart,
      before: before[n]!,
      idle: idle[n]!,
    };
  });
}
