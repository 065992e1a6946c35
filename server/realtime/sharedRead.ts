/** A read that callers share; `forget()` says the value has changed, so the next caller reads. */
export interface SharedRead<T> {
  (): Promise<T>;
  forget(): void;
}

/**
 * Wraps `read` so that every caller asking while a call is in flight shares that call, and, for
 * `reuseForMs` after a call began, its answer, unless `forget()` came since. A caller may thus
 * get a value read a moment before it asked: use it only where that is safe.
 *
 * After a deploy thousands subscribe within seconds; sharing only the reads in flight still
 * made one read for every few subscribers (578 for 2,000).
 */
export function sharedRead<T>(read: () => Promise<T>, reuseForMs = 0): SharedRead<T> {
  let inFlight: Promise<T> | undefined;
  let answer: { value: Promise<T>; readAt: number } | undefined;
  const shared = () => {
    if (answer && performance.now() - answer.readAt < reuseForMs) return answer.value;
    if (inFlight) return inFlight;
    const readAt = performance.now();
    const reading = read();
    inFlight = reading;
    // Still in flight means no `forget()` came since it began: then its answer may be kept.
    const settled = (answered: boolean) => {
      if (inFlight !== reading) return;
      inFlight = undefined;
      if (answered) answer = { value: reading, readAt };
    };
    reading.then(
      () => settled(true),
      () => settled(false),
    );
    return reading;
  };
  shared.forget = () => {
    answer = undefined;
    inFlight = undefined;
  };
  return shared;
}
