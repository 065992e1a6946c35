// Waiting on a change feed from tests, through the events it emits for everyone (metrics too).
import type { Queryable } from '../server/db/pool.ts';
import type { ChangeFeed } from '../server/realtime/changeFeed.ts';
import { committedHead } from '../server/realtime/changeLog.ts';
import { comparePositions } from '../server/realtime/position.ts';

/** Resolves once the feed has opened `count` subscriptions since it started (or has closed). */
export function whenOpened(feed: ChangeFeed, count: number): Promise<void> {
  return until(feed, 'subscribed', () => feed.subscriptionsOpened >= count);
}

/**
 * Resolves once the feed has read every change committed before the call. A subscription opened
 * after that starts behind all of them (tests use it to start from a clean slate).
 */
export async function whenCaughtUp(feed: ChangeFeed, db: Queryable): Promise<void> {
  const head = await committedHead(db);
  if (!head || feed.closed || comparePositions(feed.position, head) >= 0) return;
  await until(feed, 'published', () => comparePositions(feed.position, head) >= 0);
}

/** Resolves once `reached()` holds, looking again at each `event` of the feed, or on its close. */
function until(
  feed: ChangeFeed,
  event: 'subscribed' | 'published',
  reached: () => boolean,
): Promise<void> {
  return new Promise((resolve) => {
    const check = () => {
      if (!reached() && !feed.closed) return;
      feed.events.off(event, check);
      feed.events.off('closed', check);
      resolve();
    };
    feed.events.on(event, check);
    feed.events.on('closed', check);
    check();
  });
}
