/**
 * Wraps `read` so that every caller asking while a call is in flight shares that call. A caller
 * may thus get a value read a moment before it asked: use it only where that is safe.
 */
export function sharedRead<T>(read: () => Promise<T>): () => Promise<T> {
  let inFlight: Promise<T> | undefined;
  return () =>
    (inFlight ??= read().finally(() => {
      inFlight = undefined;
    }));
}
