/**
 * Calls `expire` when a token's `exp` (seconds since the epoch) passes; returns a cancel function.
 * setTimeout fires at once for delays past 2^31-1 ms (about 24.8 days), so long ones are re-armed.
 */
export function onTokenExpiry(expiresAt: number | undefined, expire: () => void): () => void {
  if (expiresAt === undefined) return () => undefined;
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
