/**
 * Deliveries, across every subscriber, between two turns of the event loop. Sent in one run,
 * a batch of changes to thousands of subscribers would keep sockets unread for seconds, so
 * pongs would go unanswered and healthy clients be cut. Yielding once per delivery instead cost
 * a timer turn per delivery; a slice lets I/O in without that. Both the live fan-out and the
 * streams draining a backlog spend from the same slice.
 */
export const deliverySlice = (() => {
  const size = 256;
  let left = size;
  let turn: Promise<void> | null = null;
  return {
    /** Counts one delivery; true when this slice has none left (wait for `nextTurn()`). */
    spent() {
      if (left <= 0) return true;
      left -= 1;
      return false;
    },
    /** Counts `count` deliveries made at once; true when the slice is used up. */
    spend(count: number) {
      left -= count;
      return left <= 0;
    },
    nextTurn: () =>
      (turn ??= new Promise<void>((resolve) =>
        setImmediate(() => {
          turn = null;
          left = size;
          resolve();
        }),
      )),
  };
})();
