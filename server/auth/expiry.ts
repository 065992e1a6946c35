/**
 * Calls `expire` when a token's `exp` (seconds since the epoch) passes; returns a cancel function.
 * setTimeout fires at once for delays past 2^31-1 ms (about 24.8 days), so long ones are re-armed.
 */
export function onTokenExpiry(expiresAt: number | undefined, expire: () => void): () => void {
  // Most subscriptions are anonymous: one shared no-op, so theirs keeps no timer state.
  return expiresAt === undefined ? neverExpires : armExpiry(expiresAt, expire);
}

const neverExpires = () => undefined;

function armExpiry(expiresAt: number, expire: () => void): () => void {
  const longestDelay = 2 ** 31 - 1;
  let timer: NodeJS.Timeout;
  const arm = () => {
    const left = expiresAt * 1000 - Date.now();
    timer =
      left > longestDelay ? setTimeout(arm, longestDelay) : setTimeout(expire, Math.max(0, left));
    timer.unref();
  };
  arm();
  return () => clearTimeout(timer);
}
