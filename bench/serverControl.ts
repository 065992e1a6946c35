// In a process under test: the parent's commands, answered alike by Shelfwire and the baseline.
import { LoadMeter } from './loadMeter.ts';
import {
  type MemorySample,
  type ServerCommand,
  type ServerMessage,
  clock,
  onParentCommand,
  subscribersEveryMs,
  tellParent,
} from './processes.ts';

export interface ServerUnderTest {
  url: string;
  /** Subscriptions open now. */
  subscriberCount(): number;
  /** Subscriptions opened since the start: a reconnect shows here even while the count holds. */
  subscriptionsOpened(): number;
  /** Ends every subscription and closes the server. */
  close(): Promise<void>;
}

/**
 * RSS and heap after a full collection that also gives memory back, as V8's memory reducer does
 * when a process goes idle (the servers run with `--expose-gc`). A plain full collection leaves
 * the young generation as large as the connect burst grew it: at 10,000 graphql-ws subscribers,
 * 70 MB of RSS, or 7 KB of each idle subscriber's 22.
 */
function memory(): MemorySample {
  const reclaimAll = { type: 'major', execution: 'sync', flavor: 'last-resort' } as const;
  globalThis.gc?.(reclaimAll);
  globalThis.gc?.(reclaimAll);
  const { rss, heapUsed } = process.memoryUsage();
  return { rssBytes: rss, heapUsedBytes: heapUsed };
}

/** Serves the parent's commands, then says `ready`. */
export function controlServer(server: ServerUnderTest): void {
  const tell = tellParent<ServerMessage>;
  const meter = new LoadMeter();
  let watching: NodeJS.Timeout | undefined;
  onParentCommand<ServerCommand>(async (command) => {
    if (command.type === 'memory') {
      void tell({ type: 'memory', ...memory() });
    } else if (command.type === 'watch-subscribers') {
      clearInterval(watching);
      watching = setInterval(
        () =>
          void tell({
            type: 'subscribers',
            count: server.subscriberCount(),
            opened: server.subscriptionsOpened(),
            at: clock(),
          }),
        subscribersEveryMs,
      );
    } else if (command.type === 'measure') {
      clearInterval(watching);
      meter.start();
      void tell({ type: 'measuring' });
    } else {
      clearInterval(watching);
      const load = meter.read();
      await server.close();
      await tell({ type: 'stopped', load });
      process.exit(0);
    }
  });
  void tell({ type: 'ready', url: server.url });
}
