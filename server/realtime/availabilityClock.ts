import type pg from 'pg';
import { logger } from '../logger.ts';

/**
 * Boundaries (a booking's start or end) one tick announces at most. A longer backlog, after every
 * instance was down, is announced over several ticks, oldest first, run one after the other.
 */
export const boundariesPerTick = 1000;

export interface AvailabilityClock {
  /** Stops ticking; resolves once a tick in progress has ended. */
  stop(): Promise<void>;
}

interface ClockStep {
  reached: Date;
  changed_books: number;
  more_waiting: boolean;
}

/**
 * Makes `Book.available` follow the clock: every `everyMs`, the books whose active bookings
 * started or ended since the last tick get an availability change (advance_availability_clock,
 * migrations/008). Every instance ticks; the database lets one tick at a time do the work and
 * the others skip, so each boundary is announced once however many instances run. A failed
 * tick is logged and tried again at the next one.
 */
export function startAvailabilityClock(pool: pg.Pool, everyMs: number): AvailabilityClock {
  let timer: NodeJS.Timeout | undefined;
  let ticking: Promise<void> | undefined;
  let stopped = false;
  let failing = false;

  /** Advances the clock once; true when more passed boundaries wait beyond this tick's bound. */
  const advance = async (): Promise<boolean> => {
    try {
      const { rows } = await pool.query<ClockStep>(
        'SELECT reached, changed_books, more_waiting FROM advance_availability_clock($1)',
        [boundariesPerTick],
      );
      if (failing) logger.info('the availability clock advances again');
      failing = false;
      // No row: another instance is advancing the clock right now.
      const step = rows[0];
      if (step && step.changed_books > 0) {
        logger.debug('availability changed with the clock', {
          books: step.changed_books,
          passedUpTo: step.reached.toISOString(),
        });
      }
      return step?.more_waiting ?? false;
    } catch (error) {
      // Logged once per run of failures (a database that is down fails every tick).
      if (failing) logger.debug('advancing the availability clock failed again', { error });
      else logger.error('advancing the availability clock failed; retrying every tick', { error });
      failing = true;
      return false;
    }
  };

  const tick = () => {
    ticking = advance().then((behind) => {
      ticking = undefined;
      if (stopped) return;
      timer = setTimeout(tick, behind ? 0 : everyMs);
      timer.unref();
    });
  };
  tick();

  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await ticking;
    },
  };
}
