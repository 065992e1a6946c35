import {
  type DocumentNode,
  type ExecutionArgs,
  Kind,
  type SelectionSetNode,
  getOperationAST,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { Limits } from '../config.ts';
import type { Context } from '../context.ts';
import { rateLimited } from '../errors.ts';

const window = 60;

/**
 * Mutations and new subscriptions per minute, counted per signed-in user, or per address for
 * anonymous clients, on every transport (they all execute through Yoga's envelop). Each root
 * field of a mutation counts, so aliasing one mutation a hundred times costs a hundred.
 * The counts live in this instance's memory: behind N replicas a client gets at most N times
 * the rate, which bounds abuse without a shared store.
 */
export function useFairUse(limits: Limits): Plugin<Context> {
  const mutations = new RateLimiterMemory({ points: limits.mutationsPerMinute, duration: window });
  const subscriptions = new RateLimiterMemory({
    points: limits.subscriptionsPerMinute,
    duration: window,
  });
  return {
    async onExecute({ args, setResultAndStopExecution }) {
      const operation = getOperationAST(args.document, args.operationName);
      if (operation?.operation !== 'mutation') return;
      const refusal = await consume(
        mutations,
        args,
        rootFieldCount(operation.selectionSet, args.document),
        'mutations',
      );
      if (refusal) setResultAndStopExecution({ errors: [refusal] });
    },
    async onSubscribe({ args, setResultAndStopExecution }) {
      const refusal = await consume(subscriptions, args, 1, 'new subscriptions');
      if (refusal) setResultAndStopExecution({ errors: [refusal] });
    },
  };
}

async function consume(
  limiter: RateLimiterMemory,
  args: ExecutionArgs,
  points: number,
  what: string,
) {
  const context = args.contextValue as Context;
  const key = context.viewer ? `user:${context.viewer.id}` : `address:${context.clientAddress}`;
  try {
    await limiter.consume(key, points);
    return undefined;
  } catch (result) {
    if (!(result instanceof RateLimiterRes)) throw result;
    return rateLimited(
      `${what} (at most ${limiter.points} a minute)`,
      Math.ceil(result.msBeforeNext / 1000),
    );
  }
}

/** The root fields an operation runs, through fragments: each one is a mutation of its own. */
function rootFieldCount(selectionSet: SelectionSetNode, document: DocumentNode): number {
  let count = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) count += 1;
    else if (selection.kind === Kind.INLINE_FRAGMENT) {
      count += rootFieldCount(selection.selectionSet, document);
    } else {
      const fragment = document.definitions.find(
        (definition) =>
          definition.kind === Kind.FRAGMENT_DEFINITION &&
          definition.name.value === selection.name.value,
      );
      if (fragment?.kind === Kind.FRAGMENT_DEFINITION) {
        count += rootFieldCount(fragment.selectionSet, document);
      }
    }
  }
  return count;
}
