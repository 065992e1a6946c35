// Conditions on what the child processes report, awaited: checked again at every report.

export interface Stall {
  /** A figure that keeps moving while things are happening (deliveries received so far). */
  value: () => number;
  /** Give up once it has not moved for this long. */
  ms: number;
}

/** Child processes report here as their messages come; waiters look again each time. */
export class Reports {
  private readonly waiters = new Set<() => void>();

  /** A report came: every condition waited on is checked again. */
  changed(): void {
    for (const check of [...this.waiters]) check();
  }

  /**
   * Resolves true once `condition` holds, false once `limitMs` has passed or `stall` has not
   * moved for its time. The subscriber processes report every 200 ms, so a stall is noticed
   * within that of its time.
   */
  until(condition: () => boolean, limitMs: number, stall?: Stall): Promise<boolean> {
    if (condition()) return Promise.resolve(true);
    return new Promise((resolve) => {
      let last = stall?.value();
      let since = Date.now();
      const finish = (met: boolean) => {
        clearTimeout(limit);
        this.waiters.delete(check);
        resolve(met);
      };
      const check = () => {
        if (condition()) return finish(true);
        if (!stall) return;
        const value = stall.value();
        if (value !== last) [last, since] = [value, Date.now()];
        else if (Date.now() - since > stall.ms) finish(false);
      };
      const limit = setTimeout(() => finish(false), limitMs);
      this.waiters.add(check);
    });
  }
}
