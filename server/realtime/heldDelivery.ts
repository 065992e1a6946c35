import type { Queryable } from '../db/pool.ts';

/** The open transaction of this database that holds delivery back, as Postgres reports it. */
export interface HoldingTransaction {
  pid: number;
  applicationName: string;
  /** `idle in transaction`, `active`, ...; null when this role may not see it. */
  state: string | null;
  openForSeconds: number;
}

export interface HeldDelivery {
  heldForSeconds: number;
  holder: HoldingTransaction | null;
}

/** How often a delivery still held back is reported again. */
const reportEveryMs = 30_000;

/**
 * Watches for committed changes that wait behind an older transaction of this database still
 * running (the change log delivers in transaction order, so it must wait: see changeLog.ts).
 * Once that has lasted `reportAfterMs`, it finds the oldest transaction of this database that
 * holds a transaction id (the writer holding delivery back) and reports it, again every 30 s
 * while it lasts, so an operator can see how long and by which backend.
 */
export class HeldDeliveryWatch {
  private readonly db: Queryable;
  private readonly reportAfterMs: number;
  private readonly onHeld: (held: HeldDelivery) => void;
  private heldSince: number | null = null;
  private reportedAt = 0;
  private holder: HoldingTransaction | null = null;
  private finding = false;

  constructor(options: {
    db: Queryable;
    reportAfterMs: number;
    onHeld: (held: HeldDelivery) => void;
  }) {
    this.db = options.db;
    this.reportAfterMs = options.reportAfterMs;
    this.onHeld = options.onHeld;
  }

  /** Called after each read of the log: whether settled changes wait behind a running one. */
  observe(waiting: boolean): void {
    const now = Date.now();
    if (!waiting) {
      this.heldSince = null;
      this.holder = null;
      this.reportedAt = 0;
      return;
    }
    this.heldSince ??= now;
    const due =
      now - this.heldSince >= this.reportAfterMs && now - this.reportedAt >= reportEveryMs;
    if (due && !this.finding) void this.report(now);
  }

  /** How long delivery has been held back (0 when it is not). */
  get heldForSeconds(): number {
    return this.heldSince === null ? 0 : (Date.now() - this.heldSince) / 1000;
  }

  /** The backend last found holding delivery back, while it still does. */
  get holdingBackend(): HoldingTransaction | null {
    return this.heldSince === null ? null : this.holder;
  }

  private async report(now: number): Promise<void> {
    this.finding = true;
    this.reportedAt = now;
    try {
      this.holder = await oldestWriter(this.db);
    } catch {
      this.holder = null; // the report still says how long; the database may be the trouble
    } finally {
      this.finding = false;
    }
    if (this.heldSince !== null) {
      this.onHeld({ heldForSeconds: this.heldForSeconds, holder: this.holder });
    }
  }
}

/** The oldest transaction of this database, other than the asking one, that has written. */
export async function oldestWriter(db: Queryable): Promise<HoldingTransaction | null> {
  const { rows } = await db.query<{
    pid: number;
    application_name: string;
    state: string | null;
    open_for: number;
  }>(
    `SELECT pid, application_name, state,
            extract(epoch FROM now() - xact_start)::float8 AS open_for
     FROM pg_stat_activity
     WHERE datname = current_database() AND backend_xid IS NOT NULL AND pid <> pg_backend_pid()
     ORDER BY xact_start
     LIMIT 1`,
  );
  const row = rows[0];
  if (!row) return null;
  return {
    pid: row.pid,
    applicationName: row.application_name,
    state: row.state,
    openForSeconds: row.open_for,
  };
}
