import { getOperationAST } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type pg from 'pg';
import { DomainError } from '../errors.ts';

const requestTimedOut = (ms: number) =>
  new DomainError('TIMEOUT', `The request took longer than ${ms} ms: try again later.`, {
    timeoutMs: ms,
  });

/**
 * A query answers within `timeoutMs` or gets TIMEOUT. Only reads are cut short: a mutation runs
 * to its commit or rollback (each of its statements has the database's own deadlines), so its
 * client always learns which one happened.
 */
export function useRequestDeadline(timeoutMs: number): Plugin {
  return {
    onExecute({ args, executeFn, setExecuteFn }) {
      if (getOperationAST(args.document, args.operationName)?.operation !== 'query') return;
      setExecuteFn(async (executionArgs) => {
        let timer: NodeJS.Timeout | undefined;
        const deadline = new Promise<{ errors: DomainError[] }>((resolve) => {
          timer = setTimeout(() => resolve({ errors: [requestTimedOut(timeoutMs)] }), timeoutMs);
        });
        try {
          return await Promise.race([executeFn(executionArgs), deadline]);
        } finally {
          clearTimeout(timer);
        }
      });
    },
  };
}

/** True when a pooled connection answers `SELECT 1` within `timeoutMs`: what /ready waits on. */
export async function databaseAnswers(pool: pg.Pool, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  const probe = pool.query('SELECT 1').then(
    () => true,
    () => false,
  );
  try {
    return await Promise.race([probe, late]);
  } finally {
    clearTimeout(timer);
  }
}
